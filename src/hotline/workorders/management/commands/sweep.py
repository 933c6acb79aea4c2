import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from hotline.workorders.sweep import sweep_time_limits


class Command(BaseCommand):
    help = (
        "Raise the time-limit warnings and breaches that are due (once each); with --every, "
        "keep doing so. Production runs the same job from Celery beat."
    )

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, help="seconds between sweeps; repeat forever")

    def handle(self, *args, **options):
        while True:
            result = sweep_time_limits(timezone.now())
            if result.warnings or result.breaches or not options["every"]:
                self.stdout.write(f"warnings {result.warnings}, breaches {result.breaches}")
            if not options["every"]:
                return
            time.sleep(options["every"])
