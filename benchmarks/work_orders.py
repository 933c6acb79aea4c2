"""Work-order lifecycles through the API, beside django-helpdesk; list pages at 1,000,000 orders.

    python -m benchmarks.work_orders [--clients 1 8 32] [--seconds 20] [--orders 1000000]
                                     [--list-requests 200] [--no-helpdesk] [--no-lists]

Throughput: for each number of clients, on a fresh PostgreSQL database, Hotline is served
by gunicorn exactly as benchmarks.load serves django-helpdesk (same workers, same client
code). Each client runs whole lifecycles: POST /api/orders/, then escalate (which also
dispatches), accept, reply and a satisfied callback that archives it — five calls, six
steps in the history. Afterwards the database is checked: every acknowledged order is there,
archived, with exactly its six steps. django-helpdesk runs its ticket lifecycle (create and
five follow-ups) through benchmarks.helpdesk_peer on the same machine and database server.

Each client is a team lead of a second-line department of its own, who may take every step
of the lifecycle, so one API token drives a whole order (the parties are in
hotline.core.lifecycle; a real order passes between an agent and a handler).

List pages: 1,000,000 orders (3 % open, the rest archived with their met clocks) are
written by COPY into another database, and the work lists are timed through Django's whole
request stack as the people who use them: a handler's group queue, a team lead's "about to
breach", an agent's own orders, as the API and as the desk page.
"""

import argparse
import datetime
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import django

from benchmarks.databases import drop_database, recreate_database
from benchmarks.helpdesk_peer import measure_helpdesk
from benchmarks.load import (
    Client,
    percentile,
    pids_named,
    process_cpu_s,
    run_clients,
    serve,
    server_settings,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/hotline_bench_orders"
LIST_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/hotline_bench_order_lists"
CLIENTS = (1, 8, 32)
SECONDS = 20.0
WARM_UP_S = 3.0
STEPS = ("create", "escalate", "accept", "reply", "callback")
HISTORY_STEPS = 6  # create, escalate, dispatch, accept, reply, callback
THROUGHPUT_TARGET = 3.0
LIST_TARGET_MS = 100.0
SEED = 2026


class BenchmarkFailed(Exception):
    """The run did not do what the benchmark relies on (a write lost, a call refused)."""


# --- databases ----------------------------------------------------------------------------------


def use_database(url: str) -> None:
    """Point this process's Django at `url` (a fresh connection) and migrate it."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    connections.close_all()
    name = url.rsplit("/", 1)[1]
    settings.DATABASES["default"]["NAME"] = name
    connections["default"].settings_dict["NAME"] = name
    call_command("migrate", verbosity=0)


# --- throughput ---------------------------------------------------------------------------------


def set_up_clients(count: int) -> list[dict]:
    """Per client: a department of its own with a team lead in it, a customer and a line."""
    from django.contrib.auth.models import Group

    from hotline.accounts.models import Department, Region, Team, User
    from hotline.accounts.services import api_token
    from hotline.customers.models import Customer, Line

    region = Region.objects.create(code="320102", name="玄武区")
    lead = Group.objects.get(name="team_lead")
    clients = []
    for index in range(count):
        department = Department.objects.create(name=f"二线{index:02d}")
        team = Team.objects.create(name=f"二线班{index:02d}", department=department)
        user = User.objects.create_user(
            username=f"lead{index:02d}", password=None, agent_id=f"L{index:04d}", team=team
        )
        user.groups.add(lead)
        user.regions.add(region)
        customer = Customer.objects.create(
            external_key=f"BENCH{index:05d}", name=f"客户{index:02d}", region=region
        )
        line = Line.objects.create(
            customer=customer, service_type="broadband", number=f"KD025{index:08d}"
        )
        clients.append(
            {
                "token": api_token(user),
                "department": department.pk,
                "customer": customer.pk,
                "line": line.pk,
            }
        )
    return clients


class LeadClient(Client):
    """A client signed in with one team lead's token, carrying that lead's set-up."""

    def __init__(self, base_url: str, setup: dict):
        super().__init__(base_url, {"Authorization": f"Token {setup['token']}"})
        self.setup = setup


def connector(base_url: str, setups: list[dict]):
    """run_clients connects its clients one after another: each gets the next set-up."""
    handed_out = iter(setups)
    return lambda: LeadClient(base_url, next(handed_out))


def lifecycle(category: int, acknowledged: list[int]):
    """One order from opening to archive, five calls."""

    def run(client: LeadClient) -> None:
        setup = client.setup
        order = client.call(
            "create",
            "POST",
            "/api/orders/",
            {
                "customer": setup["customer"],
                "order_type": "fault",
                "category": category,
                "line": setup["line"],
                "description": "宽带无法上网，光猫LOS灯红色闪烁，重启后仍不能恢复",
            },
        )
        base = f"/api/orders/{order['id']}"
        client.call("escalate", "POST", f"{base}/escalate/", {"department": setup["department"]})
        client.call("accept", "POST", f"{base}/accept/", {})
        client.call("reply", "POST", f"{base}/reply/", {"text": "更换光猫，测速正常"})
        client.call("callback", "POST", f"{base}/callback/", {"satisfied": True})
        acknowledged.append(order["id"])

    return run


def check_orders(acknowledged: list[int]) -> dict[str, int]:
    """Every acknowledged lifecycle found whole: archived, with its six steps."""
    from django.db.models import Count

    from hotline.audit.models import AuditEvent
    from hotline.workorders.models import WorkOrder

    archived = set(
        WorkOrder.objects.filter(pk__in=acknowledged, state="archived").values_list("pk", flat=True)
    )
    steps = dict(
        AuditEvent.objects.filter(target_type="workorder", target_id__in=acknowledged)
        .values("target_id")
        .annotate(n=Count("id"))
        .values_list("target_id", "n")
    )
    return {
        "lifecycles_acknowledged": len(acknowledged),
        "archived_found": len(archived),
        "with_six_steps": sum(steps.get(pk) == HISTORY_STEPS for pk in acknowledged),
        "orders_in_table": WorkOrder.objects.count(),
    }


def measure_level(clients: int, seconds: float, database_url: str, data_dir: Path) -> dict:
    from hotline.workorders.models import Category

    recreate_database(database_url)
    use_database(database_url)
    setups = set_up_clients(clients * 2)  # the warm-up's clients, then the measured ones
    category = Category.objects.get(code="broadband.down").pk
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hotline.settings",
        "DATABASE_URL": database_url,
        "HOTLINE_DATA_DIR": str(data_dir),
        "DEBUG": "false",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    log = data_dir / "gunicorn.log"
    with serve(gunicorn, "hotline.wsgi", cwd=Path.cwd(), env=env, log=log) as server:
        warm_up = run_clients(
            lifecycle(category, []),
            clients,
            WARM_UP_S,
            connect=connector(server.base_url, setups[:clients]),
        )
        acknowledged: list[int] = []
        workers, postgres = server.worker_pids(), pids_named("postgres")
        server_cpu, postgres_cpu = process_cpu_s(workers), process_cpu_s(postgres)
        result = run_clients(
            lifecycle(category, acknowledged),
            clients,
            seconds,
            connect=connector(server.base_url, setups[clients:]),
        )
        server_cpu = process_cpu_s(workers) - server_cpu
        postgres_cpu = process_cpu_s(postgres) - postgres_cpu
    figures = result.figures(STEPS, server_cpu, postgres_cpu)
    figures["warm_up_errors"] = warm_up.error_count()
    figures["check"] = check_orders(acknowledged)
    return figures


# --- list pages at scale ------------------------------------------------------------------------

_DEPARTMENTS = 20
_HANDLERS_PER_DEPARTMENT = 10
_AGENTS = 200
_CUSTOMERS = 20_000
_OPEN_SHARE = 0.03
_CHUNK = 50_000


def _people(regions) -> dict:
    """Departments with handlers, first-line teams with agents and leads; the timed users."""
    from django.contrib.auth.models import Group

    from hotline.accounts.models import Department, Team, User

    groups = {name: Group.objects.get(name=name) for name in ("agent", "team_lead", "second_line")}
    departments = [Department.objects.create(name=f"维护{d:02d}部") for d in range(_DEPARTMENTS)]
    teams = [
        Team.objects.create(
            name=f"综合{t}班", department=Department.objects.create(name=f"一线{t}")
        )
        for t in range(4)
    ]

    def person(username, role, **placement):
        user = User.objects.create_user(
            username=username, password=None, agent_id=username, **placement
        )
        user.groups.add(groups[role])
        user.regions.set(regions)
        return user

    handlers = {
        department.pk: [
            person(f"h{department.pk}_{n}", "second_line", department=department)
            for n in range(_HANDLERS_PER_DEPARTMENT)
        ]
        for department in departments
    }
    agents = [person(f"a{n:03d}", "agent", team=teams[n % len(teams)]) for n in range(_AGENTS)]
    lead = person("lead0", "team_lead", team=teams[0])
    return {"departments": departments, "handlers": handlers, "agents": agents, "lead": lead}


def load_orders(count: int, now: datetime.datetime, rng: random.Random) -> dict:
    """`count` orders over the past year by COPY: 3 % open with running clocks (due from two
    hours ago to two days ahead), the rest archived with their met clocks."""
    from hotline.accounts.models import Region
    from hotline.bulk import insert_rows
    from hotline.core.text_words import searchable_words
    from hotline.customers.models import Customer
    from hotline.demo.orders import ORDER_SAMPLES
    from hotline.workorders.models import BusinessCalendar, Category, StageClock, WorkOrder

    regions = [Region.objects.create(code=f"3201{n:02d}", name=f"区{n:02d}") for n in range(11)]
    people = _people(regions)
    insert_rows(
        Customer,
        [
            {
                "external_key": f"C{n:07d}",
                "name": f"客户{n}",
                "region_id": regions[n % 11].pk,
                "created_at": now,
                "updated_at": now,
            }
            for n in range(_CUSTOMERS)
        ],
    )
    customer_ids = list(Customer.objects.values_list("pk", flat=True))
    categories = {code: Category.objects.get(code=code) for code, *_rest in ORDER_SAMPLES}
    templates = [
        (categories[code], text, searchable_words(text), reply, cause)
        for code, text, reply, cause in ORDER_SAMPLES
    ]
    calendar = BusinessCalendar.objects.get(always_open=True).pk
    open_states = ["dispatched", "accepted", "in_progress", "escalated", "replied"]
    year = datetime.timedelta(days=365)
    serial = 0
    while serial < count:
        rows, clocks = [], []
        for _n in range(min(_CHUNK, count - serial)):
            serial += 1
            category, text, words, reply, cause = rng.choice(templates)
            created = now - year * rng.random() ** 2  # more of them recent
            is_open = rng.random() < _OPEN_SHARE
            department = rng.choice(people["departments"])
            agent = rng.choice(people["agents"])
            state = rng.choice(open_states) if is_open else "archived"
            handler = (
                rng.choice(people["handlers"][department.pk])
                if state in ("accepted", "in_progress", "replied") or not is_open
                else None
            )
            rows.append(
                {
                    "number": f"GD{created:%Y%m%d}{serial:08d}",
                    "order_type": category.order_type,
                    "category_id": category.pk,
                    "customer_id": rng.choice(customer_ids),
                    "description": text,
                    "search_words": words,
                    "state": state,
                    "owner_id": agent.pk,
                    "owner_team_id": agent.team_id,
                    "department_id": department.pk,
                    "handler_id": handler.pk if handler else None,
                    "was_escalated": True,
                    "priority": rng.choice((1, 2, 3, 3, 3, 4)),
                    "customer_tier": "regular",
                    "reply": "" if is_open else reply,
                    "root_cause": cause,
                    "satisfied": None if is_open else True,
                    "created_at": created,
                    "updated_at": created,
                    "archived_at": None if is_open else created + datetime.timedelta(hours=5),
                }
            )
        insert_rows(WorkOrder, rows)
        for pk, state, created in WorkOrder.objects.filter(
            number__in=[row["number"] for row in rows]
        ).values_list("pk", "state", "created_at"):
            for stage in ("solve", "callback") if state == "archived" else ("solve",):
                met = state == "archived"
                due = (
                    created + datetime.timedelta(hours=24)
                    if met
                    else now + datetime.timedelta(minutes=rng.randrange(-120, 48 * 60))
                )
                clocks.append(
                    {
                        "order_id": pk,
                        "stage": stage,
                        "round": 1,
                        "calendar_id": calendar,
                        "limit_amount": 24,
                        "limit_unit": "hours",
                        "warning_share": 0.8,
                        "started_at": created,
                        "paused_business": datetime.timedelta(0),
                        "due_at": due,
                        "warning_at": due - datetime.timedelta(hours=4.8),
                        "met_at": created + datetime.timedelta(hours=4) if met else None,
                        "business_used": datetime.timedelta(hours=4) if met else None,
                        "met_in_time": True if met else None,
                    }
                )
        insert_rows(StageClock, clocks)
        print(f"  {serial:,} orders", file=sys.stderr)
    return people


def time_lists(people: dict, requests: int) -> list[dict]:
    """The work lists through Django's request stack (the API and the desk page), as the
    people who use them."""
    from django.db import connection
    from django.test import Client as DjangoClient
    from django.urls import NoReverseMatch, reverse

    department = people["departments"][0]
    handler = people["handlers"][department.pk][0]
    cases = [
        ("API: my group's open orders", handler, "/api/orders/?list=group"),
        ("API: about to breach", people["lead"], "/api/orders/?list=breaching"),
        ("API: my owned open orders", people["agents"][0], "/api/orders/?list=mine"),
        ("API: overdue", people["lead"], "/api/orders/?list=overdue"),
        ("API: word search in my group", handler, "/api/orders/?list=group&q=光猫"),
    ]
    try:
        page = reverse("order-list")
        cases += [
            ("page: my group's open orders", handler, f"{page}?list=group"),
            ("page: about to breach", people["lead"], f"{page}?list=breaching"),
        ]
    except NoReverseMatch:
        pass
    rows = []
    for label, user, url in cases:
        client = DjangoClient(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        samples, found = [], 0
        for n in range(requests + 5):
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise BenchmarkFailed(f"{label}: {response.status_code} {response.content[:200]}")
            if n >= 5:  # the first requests load templates and catalogs
                samples.append(elapsed)
            if n == 0 and url.startswith("/api/"):
                found = response.json()["count"]
        rows.append(
            {
                "list": label,
                "orders_listed": found,
                "p50_ms": percentile(samples, 50),
                "p95_ms": percentile(samples, 95),
                "max_ms": max(samples),
            }
        )
    connection.close()
    return rows


def measure_lists(orders: int, requests: int, database_url: str) -> dict:
    recreate_database(database_url)
    use_database(database_url)
    from django.db import connection
    from django.utils import timezone

    started = time.perf_counter()
    people = load_orders(orders, timezone.now(), random.Random(SEED))
    load_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    return {"orders": orders, "load_s": load_s, "size": size, "rows": time_lists(people, requests)}


# --- the run ------------------------------------------------------------------------------------


def _level_row(name: str, level: dict) -> str:
    return (
        f"| {name} | {level['clients']} | {level['lifecycles_per_s']:.1f} "
        f"| {level['ops_per_s']:.1f} | {level['p50_ms']:.0f} | {level['p95_ms']:.0f} "
        f"| {level['errors']} | {level['driver_cpu_share']:.0%} / {level['server_cpu_share']:.0%}"
        f" / {level['postgres_cpu_share']:.0%} |"
    )


def report(hotline: dict, helpdesk: dict | None, lists: dict | None) -> bool:
    """Print the tables and the verdicts; True when every target is met."""
    met = True
    print(
        "\n| app | clients | lifecycles/s | API calls/s | p50 ms | p95 ms | errors "
        "| CPU driver / app / PostgreSQL |"
    )
    print("|---|--:|--:|--:|--:|--:|--:|--:|")
    for clients, level in hotline["levels"].items():
        print(_level_row("Hotline", level))
        if helpdesk:
            print(_level_row("django-helpdesk", helpdesk["levels"][clients]))
    for clients, level in hotline["levels"].items():
        check = level["check"]
        if not (
            check["archived_found"] == check["with_six_steps"] == check["lifecycles_acknowledged"]
        ):
            raise BenchmarkFailed(f"{clients} clients: lifecycles lost: {check}")
    if helpdesk:
        print("\n| clients | per API call: Hotline / helpdesk | per lifecycle | verdict (≥ 3×) |")
        print("|--:|--:|--:|---|")
        for clients, level in hotline["levels"].items():
            peer = helpdesk["levels"][clients]
            per_call = level["ops_per_s"] / peer["ops_per_s"]
            per_lifecycle = level["lifecycles_per_s"] / peer["lifecycles_per_s"]
            verdict = "met" if per_call >= THROUGHPUT_TARGET else "NOT met"
            met = met and per_call >= THROUGHPUT_TARGET
            print(f"| {clients} | {per_call:.1f}× | {per_lifecycle:.1f}× | {verdict} |")
    if lists:
        print(
            f"\nLists at {lists['orders']:,} orders ({lists['size']}, loaded in "
            f"{lists['load_s']:.0f} s):\n"
        )
        print("| list | orders listed | p50 ms | p95 ms | max ms | verdict (p95 < 100 ms) |")
        print("|---|--:|--:|--:|--:|---|")
        for row in lists["rows"]:
            ok = row["p95_ms"] < LIST_TARGET_MS
            met = met and ok
            print(
                f"| {row['list']} | {row['orders_listed'] or ''} | {row['p50_ms']:.1f} "
                f"| {row['p95_ms']:.1f} | {row['max_ms']:.1f} | {'met' if ok else 'NOT met'} |"
            )
    return met


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, nargs="+", default=list(CLIENTS))
    parser.add_argument("--seconds", type=float, default=SECONDS)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--list-requests", type=int, default=200)
    parser.add_argument("--no-helpdesk", action="store_true")
    parser.add_argument("--no-lists", action="store_true")
    parser.add_argument("--no-throughput", action="store_true")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--list-database-url", default=LIST_DATABASE_URL)
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="hotline-bench-orders-") as work_dir:
        os.environ.update(
            DJANGO_SETTINGS_MODULE="hotline.settings",
            DEBUG="false",
            DATABASE_URL=args.database_url,
            HOTLINE_DATA_DIR=work_dir,
        )
        django.setup()
        print(
            f"{datetime.date.today()}, {os.cpu_count()} CPUs, {server_settings()}, "
            f"load average {os.getloadavg()[0]:.1f}"
        )
        hotline = {"levels": {}}
        helpdesk = lists = None
        try:
            if not args.no_throughput:
                for clients in args.clients:
                    hotline["levels"][clients] = measure_level(
                        clients, args.seconds, args.database_url, Path(work_dir)
                    )
                    print(f"Hotline, {clients} clients: {hotline['levels'][clients]['check']}")
            if not args.no_lists:
                lists = measure_lists(args.orders, args.list_requests, args.list_database_url)
        finally:
            from django.db import connections

            connections.close_all()
            drop_database(args.database_url)
            drop_database(args.list_database_url)
        if not args.no_helpdesk and not args.no_throughput:
            helpdesk = measure_helpdesk(args.clients, args.seconds)
        print(f"Load average at the end: {os.getloadavg()[0]:.1f}")
        met = report(hotline, helpdesk, lists)
        if args.json:
            args.json.write_text(
                json.dumps({"hotline": hotline, "helpdesk": helpdesk, "lists": lists}, default=str)
            )
        judged = [name for name, ran in (("throughput", helpdesk), ("lists", lists)) if ran]
        verdict = "met" if met else "NOT all met"
        print(f"\nTargets judged ({', '.join(judged) or 'none'}):", verdict if judged else "—")


if __name__ == "__main__":
    main()
