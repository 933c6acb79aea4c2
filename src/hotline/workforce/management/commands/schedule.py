from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hotline.workforce import services
from hotline.workforce.management.commands.forecast import planner, skill_groups, week_of
from hotline.workforce.plans import NoForecast


class Command(BaseCommand):
    help = (
        "Build a week's schedule for a skill group from its forecast: shifts at least cost, "
        "breaks placed, rostered onto its agents; --publish makes it the agents' schedule."
    )

    def add_arguments(self, parser):
        parser.add_argument("--group", required=True, help="skill group code")
        parser.add_argument("--week", help="a day of the week to schedule; next week if none")
        parser.add_argument("--time-limit-s", type=float, default=60)
        parser.add_argument("--publish", action="store_true")
        parser.add_argument("--by", help="username recorded as the planner")

    def handle(self, *args, **options):
        (group,) = skill_groups(options["group"])
        week = week_of(options["week"])
        by = planner(options["by"])
        try:
            schedule = services.build_schedule(
                group, week, by=by, time_limit_s=options["time_limit_s"]
            )
        except (NoForecast, services.NoTemplates) as error:
            raise CommandError(str(error)) from None
        shifts = schedule.shifts.count()
        unfilled = schedule.shifts.filter(agent__isnull=True).count()
        gap = "—" if schedule.gap is None else f"{schedule.gap:.2%}"
        self.stdout.write(
            f"Schedule {schedule.pk} for {group.code}, week of {week}: {shifts} shifts "
            f"({unfilled} unfilled), cost {schedule.total_cost}, LP bound "
            f"{schedule.lower_bound:.2f}, gap {gap}, {schedule.solver_status}"
        )
        for problem in schedule.roster_problems:
            self.stdout.write(f"  {problem['rule']}: {problem['message']}")
        if options["publish"]:
            services.publish_schedule(schedule, by=by, now=timezone.now())
            self.stdout.write("Published.")
