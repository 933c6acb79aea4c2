import os
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from tqdm import tqdm

from hotline.accounts.roles import ROLE_LABELS
from hotline.demo.load import demo_is_loaded, load_customers, load_organisation


class Command(BaseCommand):
    help = (
        "Build the demo center (Nanjing: 11 districts, ~20,000 customers, staff of every "
        "role) and serve it on http://127.0.0.1:8000."
    )

    def add_arguments(self, parser):
        parser.add_argument("--customers", type=int, default=20_000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--no-serve", action="store_true", help="only load the data")
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=3)

    def handle(self, *args, **options):
        call_command("migrate", verbosity=0)
        if demo_is_loaded():
            self.stdout.write(
                "The demo data is already loaded; passwords were printed when it "
                "was. Set one again with: hotline changepassword USERNAME"
            )
        else:
            self._load(options["customers"], options["seed"])
        if not options["no_serve"]:
            self._serve(options["bind"], options["workers"])

    def _load(self, customers: int, seed: int) -> None:
        started = time.monotonic()
        credentials = load_organisation()
        with tqdm(desc="customers", unit="row", disable=not sys.stderr.isatty()) as bar:
            report = load_customers(customers, seed, on_progress=bar.update)
        self.stdout.write(
            f"Loaded {customers} customers ({report.total_rows} lines) "
            f"in {time.monotonic() - started:.1f} s; rejected rows: {len(report.errors)}."
        )
        self.stdout.write("\nDemo users (passwords are shown this once):")
        for username, role, agent_id, password in credentials:
            self.stdout.write(
                f"  {username:<12} {password:<14} 工号 {agent_id}  {ROLE_LABELS[role]} ({role})"
            )
        self.stdout.write("")

    def _serve(self, bind: str, workers: int) -> None:
        self.stdout.write(f"Serving Hotline on http://{bind}/ (Ctrl-C stops it)")
        sys.stdout.flush()
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")
        os.environ.setdefault("HOTLINE_DATA_DIR", str(settings.DATA_DIR))
        os.execvp(
            sys.executable,
            [
                sys.executable,
                "-m",
                "gunicorn",
                "hotline.wsgi",
                "--bind",
                bind,
                "--workers",
                str(workers),
                "--access-logfile",
                "-",
            ],
        )
