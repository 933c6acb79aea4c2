import contextlib
import io
import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone
from tqdm import tqdm

from hotline.accounts.roles import ROLE_LABELS
from hotline.demo.calls import load_calls
from hotline.demo.load import demo_is_loaded, load_customers, load_organisation
from hotline.demo.orders import load_work_orders
from hotline.demo.workforce import load_workforce
from hotline.notifications.webhooks import deliver_due_webhooks
from hotline.workorders.sweep import sweep_time_limits


class Command(BaseCommand):
    help = (
        "Build the demo center (Nanjing: 11 districts, ~20,000 customers, staff of every "
        "role) and serve it on http://127.0.0.1:8000."
    )

    def add_arguments(self, parser):
        parser.add_argument("--customers", type=int, default=20_000)
        parser.add_argument("--order-days", type=int, default=30, help="days of work-order history")
        parser.add_argument("--call-days", type=int, default=30, help="days of simulated calls")
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
            self._load(
                options["customers"], options["seed"], options["order_days"], options["call_days"]
            )
        if not options["no_serve"]:
            self._serve(options["bind"], options["workers"])

    def _load(self, customers: int, seed: int, order_days: int, call_days: int) -> None:
        started = time.monotonic()
        credentials = load_organisation()
        with tqdm(desc="customers", unit="row", disable=not sys.stderr.isatty()) as bar:
            report = load_customers(customers, seed, on_progress=bar.update)
        self.stdout.write(
            f"Loaded {customers} customers ({report.total_rows} lines) "
            f"in {time.monotonic() - started:.1f} s; rejected rows: {len(report.errors)}."
        )
        started = time.monotonic()
        # The console SMS gateway prints every message; for two months of history that
        # would bury the passwords printed below.
        with contextlib.redirect_stdout(io.StringIO()):
            orders = load_work_orders(history_days=order_days, per_day=20, seed=seed)
            swept = sweep_time_limits(timezone.now())
        self.stdout.write(
            f"Opened {orders} work orders over {order_days} days in "
            f"{time.monotonic() - started:.1f} s ({swept.warnings} warnings, "
            f"{swept.breaches} breaches raised)."
        )
        # After the orders: the call agents added here would otherwise take orders too.
        started = time.monotonic()
        with tqdm(
            desc="calls", total=call_days, unit="day", disable=not sys.stderr.isatty()
        ) as bar:
            calls = load_calls(days=call_days, seed=seed, on_progress=bar.update)
        self.stdout.write(
            f"Simulated {calls} calls over {call_days} days in {time.monotonic() - started:.1f} s."
        )
        started = time.monotonic()
        shifts = load_workforce()
        self.stdout.write(
            f"Forecast this week and published its rota ({shifts} shifts) in "
            f"{time.monotonic() - started:.1f} s."
        )
        self.stdout.write("\nDemo users (passwords are shown this once):")
        for username, role, agent_id, password in credentials:
            self.stdout.write(
                f"  {username:<12} {password:<14} 工号 {agent_id}  {ROLE_LABELS[role]} ({role})"
            )
        self.stdout.write("")

    def _serve(self, bind: str, workers: int) -> None:
        """Run gunicorn, and beside it the periodic jobs Celery beat runs in production: the
        time-limit sweep and the webhook retries (the embedded scheduler, no broker)."""
        self.stdout.write(f"Serving Hotline on http://{bind}/ (Ctrl-C stops it)")
        sys.stdout.flush()
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")
        os.environ.setdefault("HOTLINE_DATA_DIR", str(settings.DATA_DIR))
        server = subprocess.Popen(
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
        # A SIGTERM unwinds like Ctrl-C, so the finally below stops the server.
        signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(0))
        try:
            while server.poll() is None:
                sweep_time_limits(timezone.now())
                deliver_due_webhooks(timezone.now())
                try:
                    server.wait(timeout=settings.HOTLINE_SWEEP_EVERY_S)
                except subprocess.TimeoutExpired:
                    continue
        except KeyboardInterrupt:
            pass
        finally:
            # Ctrl-C, a SIGTERM or a failed sweep: the server does not outlive the demo.
            if server.poll() is None:
                server.terminate()
                server.wait()
