from django.core.management.base import BaseCommand
from django.utils import timezone

from hotline.workorders.clocks import forget_cached_setup
from hotline.workorders.models import PublicHoliday
from hotline.workorders.seed import seed_public_holidays


class Command(BaseCommand):
    help = (
        "Add China's public holidays and make-up working days (调休) from the installed "
        "chinesecalendar package; days already there are left as admins edited them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--year", type=int, action="append", help="a year to add (default: this and next)"
        )

    def handle(self, *args, **options):
        this_year = timezone.localdate().year
        years = options["year"] or [this_year, this_year + 1]
        added = seed_public_holidays(PublicHoliday, years)
        forget_cached_setup()
        known = PublicHoliday.objects.filter(date__year__in=years).values_list(
            "date__year", flat=True
        )
        for year in years:
            if year not in set(known):
                self.stdout.write(
                    f"{year}: not in chinesecalendar yet (upgrade it once the State Council "
                    "publishes the year's arrangement, or add the days in the admin)"
                )
        self.stdout.write(f"{added} days added")
