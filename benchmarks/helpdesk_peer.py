"""django-helpdesk's ticket lifecycle through its REST API: the peer of the work-order benchmark.

    python -m benchmarks.helpdesk_peer [--clients 1 8 32] [--seconds 20] [--database-url URL]

Installs a pinned django-helpdesk into a virtualenv of its own, cached under
~/.cache/hotline-bench (nothing of helpdesk's enters this repository), and writes a minimal
Django project for it. Then, for each number of clients: recreates the PostgreSQL database,
migrates, serves the project with gunicorn as benchmarks.load does for Hotline, drives ticket
lifecycles through the API for `seconds` after a short warm-up, and checks in the database
that every write the API acknowledged is there. The database is dropped at the end.

A lifecycle mirrors a work order's create → escalate → accept → reply → callback → archive:
POST /api/tickets/, then five POST /api/followups/ (two staff notes, a public reply, status
Resolved, status Closed). Follow-ups are helpdesk's own way to update a ticket (its web UI
goes through the same update_ticket()); its PATCH /api/tickets/<id>/ is timed apart, as a
probe, because its cost grows with the number of tickets (see `patch_probe`).
"""

import argparse
import datetime
import hashlib
import itertools
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from threading import Lock

import psycopg

from benchmarks.databases import drop_database, postgres_version, recreate_database
from benchmarks.load import (
    Client,
    pids_named,
    process_cpu_s,
    run_clients,
    serve,
    server_settings,
)
from hotline.env import env_bool
from hotline.postgres_options import PREPARED_STATEMENTS

HELPDESK_VERSION = "2.6.1"
# The newest django-helpdesk; its own dependencies as pip resolved them, and the web stack at
# Hotline's versions (pyproject.toml) so that only the applications differ.
REQUIREMENTS = (
    f"django-helpdesk=={HELPDESK_VERSION}",
    "Django==5.2.19",
    "djangorestframework==3.18.3",
    "psycopg[binary]==3.3.9",
    "gunicorn==27.0.1",
    "asgiref==3.13.0",
    "sqlparse==0.6.1",
    "beautifulsoup4==4.15.0",
    "soupsieve==4.1.2",
    "django-cleanup==9.0.0",
    "django-model-utils==5.0.0",
    "email-reply-parser==0.5.12",
    "Markdown==3.11.3",
    "nh3==0.3.8",
    "oauthlib==4.0.1",
    "requests-oauthlib==2.0.0",
    "requests==2.34.2",
    "certifi==2026.10.18",
    "charset-normalizer==3.5.2",
    "idna==3.20",
    "urllib3==2.8.0",
    "typing_extensions==4.16.0",
)
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/hotline_bench_helpdesk"
CLIENTS = (1, 8, 32)
SECONDS = 20.0
WARM_UP_S = 3.0
PATCH_PROBES = 20
NOISY_SHARE = 0.10  # of the CPU taken by work outside the benchmark
SEED = 2026
# helpdesk's Ticket.STATUS_CHOICES
RESOLVED, CLOSED = 3, 4
STEPS = ("create", "escalate", "accept", "reply", "callback", "archive")


class BenchmarkFailed(Exception):
    """The peer could not be installed, set up or served as the benchmark relies on."""


# --- the environment ----------------------------------------------------------------------------


def _cache_root() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "hotline-bench"


def _python311() -> str:
    """Hotline's interpreter version, for the peer too (helpdesk supports 3.10 and later)."""
    if sys.version_info[:2] == (3, 11):
        return sys.executable
    found = shutil.which("python3.11")
    if not found:
        raise BenchmarkFailed("python3.11 is needed to install django-helpdesk")
    return found


def helpdesk_venv() -> Path:
    """A virtualenv with REQUIREMENTS installed, made once per set of pins and kept in the
    cache. A marker written last tells a finished install from an interrupted one."""
    key = hashlib.sha256("\n".join(REQUIREMENTS).encode()).hexdigest()[:12]
    venv = _cache_root() / f"helpdesk-{HELPDESK_VERSION}-{key}"
    marker = venv / "installed.txt"
    if marker.exists():
        return venv
    shutil.rmtree(venv, ignore_errors=True)
    venv.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([_python311(), "-m", "venv", venv], check=True)
    pip = [venv / "bin" / "pip", "install", "--quiet", "--disable-pip-version-check"]
    done = subprocess.run([*pip, *REQUIREMENTS], capture_output=True, text=True)
    if done.returncode:
        raise BenchmarkFailed(f"installing django-helpdesk failed:\n{done.stderr[-3000:]}")
    marker.write_text("\n".join(REQUIREMENTS) + "\n")
    return venv


# The project: settings per helpdesk's install docs, its API on, token authentication and
# persistent connections as Hotline's settings have, e-mail rendered but not sent.
SETTINGS = """\
SECRET_KEY = "benchmark-only-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "helpdesk",
]
SITE_ID = 1
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "hdbench_urls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]
WSGI_APPLICATION = "hdbench_wsgi.application"
DATABASES = {"default": DATABASE}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"
STATIC_URL = "/static/"
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.TokenAuthentication"],
}
HELPDESK_API_ENABLED = True
HELPDESK_TEAMS_MODE_ENABLED = False  # else it needs pinax-teams
LOGGING = {
    "version": 1,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {"django": {"handlers": ["stderr"], "level": "ERROR"}},
}
"""
URLS = """\
from django.urls import include, path

urlpatterns = [path("", include("helpdesk.urls"))]
"""
WSGI = """\
from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
"""
SET_UP = """\
import json

import django

django.setup()
from django.contrib.auth import get_user_model
from helpdesk.models import Queue
from rest_framework.authtoken.models import Token

user = get_user_model().objects.create_superuser("bench", "bench@example.com", None)
queue = Queue.objects.create(title="First line", slug="first-line")
print(json.dumps({"token": Token.objects.create(user=user).key, "queue": queue.pk}))
"""


def write_project(directory: Path, database_url: str) -> None:
    conninfo = psycopg.conninfo.conninfo_to_dict(database_url)
    prepared = env_bool("DATABASE_PREPARED_STATEMENTS", True)
    database = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": conninfo["dbname"],
        "USER": conninfo.get("user", ""),
        "PASSWORD": conninfo.get("password", ""),
        "HOST": conninfo.get("host", ""),
        "PORT": conninfo.get("port", ""),
        # As Hotline's settings: persistent connections and prepared statements. Hotline
        # reuses plans only in a step's transaction; helpdesk has no such place, and
        # reusing them everywhere served it better than not at all (docs/decisions/0003).
        "CONN_MAX_AGE": 60,
        "OPTIONS": dict(PREPARED_STATEMENTS) if prepared else {},
    }
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "hdbench_settings.py").write_text(f"DATABASE = {database!r}\n{SETTINGS}")
    (directory / "hdbench_urls.py").write_text(URLS)
    (directory / "hdbench_wsgi.py").write_text(WSGI)
    (directory / "hdbench_set_up.py").write_text(SET_UP)


@dataclass(frozen=True)
class Peer:
    """The installed peer and its project."""

    venv: Path
    project: Path

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "hdbench_settings",
            "PYTHONPATH": str(self.project),
        }

    def run(self, *args: str) -> str:
        done = subprocess.run(
            [str(self.venv / "bin" / "python"), *args],
            cwd=self.project,
            env=self.env(),
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise BenchmarkFailed(f"{' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done.stdout


# --- the lifecycle ------------------------------------------------------------------------------


@dataclass
class Ledger:
    """What the API acknowledged, to be looked for in the database afterwards."""

    followups: dict[int, int] = field(default_factory=dict)  # ticket id -> follow-ups added
    closed: set[int] = field(default_factory=set)
    lock: Lock = field(default_factory=Lock)

    def opened(self, ticket: int) -> None:
        with self.lock:
            self.followups[ticket] = 0

    def followed_up(self, ticket: int, closed: bool) -> None:
        with self.lock:
            self.followups[ticket] += 1
            if closed:
                self.closed.add(ticket)


# A work order's steps after its creation, as helpdesk follow-ups: (step, the follow-up).
FOLLOW_UPS = (
    ("escalate", {"comment": "Escalated to second line: no sync on the line card.",
                  "public": False}),
    ("accept", {"comment": "Accepted by the second line.", "public": False}),
    ("reply", {"comment": "An engineer is resetting your line; it will be back within the "
                          "hour.", "public": True}),
    ("callback", {"comment": "Called back: the customer confirms the line works.",
                  "public": True, "new_status": RESOLVED}),
    ("archive", {"comment": "Archived.", "public": False, "new_status": CLOSED}),
)  # fmt: skip


def lifecycle(queue: int, ledger: Ledger) -> Callable[[Client], None]:
    """One ticket from creation to closing: six writes, each timed under its step's name."""
    serials = itertools.count(1)

    def run(client: Client) -> None:
        serial = next(serials)  # atomic: count is implemented in C
        ticket = client.call(
            "create",
            "POST",
            "/api/tickets/",
            {
                "queue": queue,
                "title": f"No dial tone on line 0571-{serial:08d}",
                "description": "The customer reports no dial tone since this morning; "
                "the modem's DSL light blinks. Restarted the modem on the call: no change.",
                "submitter_email": f"caller{serial}@example.com",
                "priority": 3,
            },
        )
        ledger.opened(ticket["id"])
        for step, followup in FOLLOW_UPS:
            client.call(step, "POST", "/api/followups/", {"ticket": ticket["id"], **followup})
            ledger.followed_up(ticket["id"], closed=followup.get("new_status") == CLOSED)

    return run


# Ticket creation adds one follow-up of its own ("Ticket Opened", by TicketForm.save).
OPENING_FOLLOWUPS = 1


def check_database(url: str, ledger: Ledger) -> dict[str, int]:
    """Every ticket and follow-up the API acknowledged, looked for in the database.

    `missing_*` are acknowledged writes not found: lost. `unacknowledged_*` were written but
    their answer never reached the client (a failed call can still have committed)."""
    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT t.id, t.status, count(f.id) FROM helpdesk_ticket t "
            "LEFT JOIN helpdesk_followup f ON f.ticket_id = t.id GROUP BY t.id, t.status"
        ).fetchall()
    found = {ticket: (status, count - OPENING_FOLLOWUPS) for ticket, status, count in rows}
    missing_followups = unacknowledged_followups = 0
    for ticket, added in ledger.followups.items():
        in_database = found.get(ticket, (None, 0))[1]
        missing_followups += max(added - in_database, 0)
        unacknowledged_followups += max(in_database - added, 0)
    return {
        "tickets_acknowledged": len(ledger.followups),
        "tickets_found": len(found),
        "missing_tickets": len(ledger.followups.keys() - found.keys()),
        "unacknowledged_tickets": len(found.keys() - ledger.followups.keys()),
        "followups_acknowledged": sum(ledger.followups.values()),
        "missing_followups": missing_followups,
        "unacknowledged_followups": unacknowledged_followups,
        "closed_acknowledged": len(ledger.closed),
        "closed_found": sum(found.get(t, (None,))[0] == CLOSED for t in ledger.closed),
    }


def patch_probe(connect: Callable[[], Client], tickets: list[int]) -> dict[str, float]:
    """PATCH /api/tickets/<id>/ one at a time on a few tickets. Its viewset's get_queryset()
    loads every ticket and calls set_custom_field_values() on each (a query per ticket) before
    picking one, so its cost grows with the table: timed apart, with the table's size."""
    client = connect()
    rng = random.Random(SEED)
    for ticket in rng.sample(tickets, min(PATCH_PROBES, len(tickets))):
        client.call("patch", "PATCH", f"/api/tickets/{ticket}/", {"priority": 2})
    client.close()
    samples = client.latencies_ms["patch"]
    return {
        "tickets_in_table": len(tickets),
        "calls": len(samples),
        "p50_ms": sorted(samples)[len(samples) // 2] if samples else float("nan"),
    }


# --- the run ------------------------------------------------------------------------------------


def measure_level(peer: Peer, database_url: str, clients: int, seconds: float) -> dict:
    """One number of clients, on a fresh database and server."""
    recreate_database(database_url)
    peer.run("-m", "django", "migrate", "--verbosity", "0")
    setup = json.loads(peer.run("hdbench_set_up.py"))
    ledger = Ledger()
    operation = lifecycle(setup["queue"], ledger)
    gunicorn = peer.venv / "bin" / "gunicorn"
    log = peer.project / "gunicorn.log"
    with serve(
        gunicorn, "hdbench_wsgi:application", cwd=peer.project, env=peer.env(), log=log
    ) as server:

        def connect() -> Client:
            return Client(server.base_url, {"Authorization": f"Token {setup['token']}"})

        warm_up = run_clients(operation, clients, WARM_UP_S, connect=connect)
        workers, postgres = server.worker_pids(), pids_named("postgres")
        server_cpu, postgres_cpu = process_cpu_s(workers), process_cpu_s(postgres)
        result = run_clients(operation, clients, seconds, connect=connect)
        server_cpu = process_cpu_s(workers) - server_cpu
        postgres_cpu = process_cpu_s(postgres) - postgres_cpu
        figures = result.figures(STEPS, server_cpu, postgres_cpu)
        figures["warm_up_errors"] = warm_up.error_count()
        figures["check"] = check_database(database_url, ledger)
        figures["patch_probe"] = patch_probe(connect, sorted(ledger.closed))
    return figures


def measure_helpdesk(
    clients_list: Sequence[int] = CLIENTS,
    seconds: float = SECONDS,
    database_url: str = DEFAULT_DATABASE_URL,
    work_dir: Path | None = None,
) -> dict:
    """django-helpdesk's lifecycle throughput at each number of clients.

    Returns the setup (peer, requirements, server settings, cpus, postgres, load averages,
    the endpoint of each step) and `levels`, by number of clients: lifecycles_per_s,
    ops_per_s (all writes), p50_ms, p95_ms, errors, `operations` (by step: ops_per_s, p50_ms,
    p95_ms, errors), the CPU shares, `check` (acknowledged writes looked for in the database)
    and `patch_probe`. The database is dropped at the end; the project and gunicorn's log
    are kept only when `work_dir` is given.
    """
    venv = helpdesk_venv()
    with tempfile.TemporaryDirectory(prefix="hotline-bench-helpdesk-") as scratch:
        project = Path(work_dir or scratch) / "helpdesk_project"
        write_project(project, database_url)
        peer = Peer(venv, project)
        figures: dict = {
            "peer": f"django-helpdesk {HELPDESK_VERSION}",
            "requirements": list(REQUIREMENTS),
            **server_settings(),
            "debug": False,
            "cpus": os.cpu_count(),
            "date": datetime.date.today().isoformat(),
            "load_average_before": os.getloadavg()[0],
            "seconds": seconds,
            "warm_up_s": WARM_UP_S,
            "lifecycle": {
                "create": "POST /api/tickets/",
                **{step: "POST /api/followups/" for step, _followup in FOLLOW_UPS},
            },
            "levels": {},
        }
        try:
            for clients in clients_list:
                figures["levels"][clients] = measure_level(peer, database_url, clients, seconds)
            figures["postgres"] = postgres_version(database_url)
        finally:
            drop_database(database_url)
        figures["load_average_after"] = os.getloadavg()[0]
    return figures


def markdown(figures: dict) -> str:
    levels = figures["levels"].values()
    lines = [
        f"{figures['peer']}, {figures['date']}, {figures['cpus']} CPUs, "
        f"PostgreSQL {figures.get('postgres', '?')}, gunicorn {figures['workers']} "
        f"{figures['worker_class']} workers, DEBUG off; {figures['seconds']:g} s per level "
        f"after {figures['warm_up_s']:g} s of warm-up; load average "
        f"{figures['load_average_before']:.1f} before the run",
        "",
        "| clients | lifecycles/s | writes/s | p50 ms | p95 ms | errors | lost writes "
        "| CPU: driver | gunicorn | PostgreSQL | other | PATCH p50 ms (tickets) |",
        "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for level in levels:
        check, probe = level["check"], level["patch_probe"]
        other = level["other_cpu_share"]
        lines.append(
            f"| {level['clients']} | {level['lifecycles_per_s']:.1f} | {level['ops_per_s']:.1f} "
            f"| {level['p50_ms']:.0f} | {level['p95_ms']:.0f} | {level['errors']} "
            f"| {check['missing_tickets'] + check['missing_followups']} "
            f"| {level['driver_cpu_share']:.0%} | {level['server_cpu_share']:.0%} "
            f"| {level['postgres_cpu_share']:.0%} "
            f"| {'?' if other is None else format(other, '.0%')} "
            f"| {probe['p50_ms']:.0f} ({probe['tickets_in_table']}) |"
        )
    clients = [level["clients"] for level in levels]
    lines += [
        "",
        "| step | endpoint | " + " | ".join(f"ops/s @{n} | p95 ms @{n}" for n in clients) + " |",
        "|---|---|" + "--:|--:|" * len(clients),
    ]
    for step in STEPS:
        cells = []
        for level in levels:
            operation = level["operations"][step]
            cells += [f"{operation['ops_per_s']:.1f}", f"{operation['p95_ms']:.0f}"]
        lines.append(f"| {step} | {figures['lifecycle'][step]} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "The clients run in this process on the same cores as the server and PostgreSQL; the "
        "CPU columns are shares of all cores over the timed run, and 'other' is work outside "
        "the benchmark that ran at the same time (noise when above a few per cent).",
    ]
    for level in levels:
        if (level["other_cpu_share"] or 0) > NOISY_SHARE:
            lines.append(
                f"- NOISY: other work took {level['other_cpu_share']:.0%} of the CPU during the "
                f"{level['clients']}-client run; its figures understate the peer."
            )
        for sample in level["error_samples"]:
            lines.append(f"- error at {level['clients']} clients: {sample}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, nargs="+", default=list(CLIENTS))
    parser.add_argument("--seconds", type=float, default=SECONDS)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--work-dir", type=Path, help="keep the project and its logs here")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    started = time.monotonic()
    figures = measure_helpdesk(args.clients, args.seconds, args.database_url, args.work_dir)
    print(markdown(figures))
    print(f"\n({time.monotonic() - started:.0f} s in all)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
