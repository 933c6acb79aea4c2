import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hotline.accounts.models import SkillGroup
from hotline.workforce import services
from hotline.workforce.selectors import monday_of, skill_groups_with_queues


def week_of(text: str | None) -> datetime.date:
    """The Monday of the week holding the date, next week when none is given."""
    if not text:
        return monday_of(timezone.localdate()) + datetime.timedelta(days=7)
    try:
        return monday_of(datetime.date.fromisoformat(text))
    except ValueError:
        raise CommandError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def skill_groups(code: str | None) -> list[SkillGroup]:
    groups = skill_groups_with_queues()
    if code:
        groups = groups.filter(code=code)
        if not groups:
            raise CommandError(f"no skill group {code!r} with queues")
    return list(groups)


def planner(username: str | None):
    if not username:
        return None
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise CommandError(f"no user {username!r}") from None


class Command(BaseCommand):
    help = "Forecast a week's calls and handle time per queue and interval from the history."

    def add_arguments(self, parser):
        parser.add_argument("--group", help="skill group code; every group with queues if none")
        parser.add_argument("--week", help="a day of the week to forecast; next week if none")
        parser.add_argument("--by", help="username recorded as the forecaster")

    def handle(self, *args, **options):
        week = week_of(options["week"])
        by = planner(options["by"])
        for group in skill_groups(options["group"]):
            try:
                forecasts = services.forecast_week(group, week, by=by, today=timezone.localdate())
            except services.NoHistory as error:
                self.stderr.write(f"{group.code}: {error}")
                continue
            for forecast in forecasts:
                scores = ", ".join(
                    f"{score['model']} WAPE {score['wape']:.3f} bias {score['bias']:+.3f}"
                    for score in forecast.backtest
                )
                self.stdout.write(
                    f"{group.code} {forecast.queue.code} {week}: {sum(forecast.volumes):.0f} "
                    f"calls, model {forecast.model}" + (f" (backtest: {scores})" if scores else "")
                )
