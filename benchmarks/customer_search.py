"""Customer search at scale: caller-number lookup and multi-field search on 1,000,000 customers.

    python -m benchmarks.customer_search [--customers N] [--import-rows N] [--explain] [--keep]

Creates the PostgreSQL database named by --database-url (dropping it first), loads the demo
city's customers (hotline.demo, fixed seed) with COPY, times Hotline's selectors against Django
admin's default search (CustomerAdmin.search_fields, through its changelist), then imports a
file of new demo rows and imports it again. The database is dropped at the end unless --keep
is given. The figures, and how to read them, are in docs/benchmarks.md.
"""

import argparse
import csv
import datetime
import itertools
import math
import os
import random
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import django
from psycopg import sql

from benchmarks.databases import drop_database, recreate_database
from hotline.core.identity import id_tail
from hotline.core.tiers import is_vip

SEED = 2026
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/hotline_bench"
LOAD_BATCH = 20_000  # customers per COPY
LOADED_AT = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
# Cases run untimed before each kind's timed ones; one admin search reads every table whole.
WARM_UP_CASES = 10
ADMIN_WARM_UP_CASES = 1
CALLER = "caller number"
SEARCH = "multi-field search, all kinds"
CALLER_TARGET_MS = 5.0
SEARCH_TARGET_MS = 50.0
IMPORT_TARGET_S = 60.0
PHONE_SERVICES = ("mobile", "fixed")


class BenchmarkFailed(Exception):
    """The code under test did not do what the benchmark relies on."""


# --- the database -------------------------------------------------------------------------------


def _copy(cursor, table: str, columns: Sequence[str], rows: Iterable[tuple]) -> None:
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    with cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


@dataclass
class Reference:
    """What the import format names by code or name, and who searches."""

    regions: dict[str, int]  # region code and name -> id
    products: dict[str, int]  # product code -> id
    streets: dict[int, list[str]]  # region id -> the streets of its addresses
    manager: object  # sees every region; searches through Hotline's selectors
    superuser: object  # searches through the admin


def create_reference_data() -> Reference:
    """The demo center's regions, products and staff, and a superuser for the admin."""
    from hotline.accounts.models import Region, User
    from hotline.customers.models import Product
    from hotline.demo import city
    from hotline.demo.load import load_organisation

    load_organisation()
    regions = {}
    streets = {}
    for region in Region.objects.all():
        regions[region.code] = regions[region.name] = region.pk
        streets[region.pk] = next(d[2] for d in city.DISTRICTS if d[0] == region.code)
    manager = next(username for username, role, *_rest in city.STAFF if role == "manager")
    return Reference(
        regions=regions,
        products=dict(Product.objects.values_list("code", "pk")),
        streets=streets,
        manager=User.objects.get(username=manager),
        superuser=User.objects.create_superuser(username="bench-admin", agent_id="99999"),
    )


# The columns each table is loaded with, in the order of _Batch's tuples.
COLUMNS = {
    "customer": (
        "id external_key kind name enterprise_grade tier is_vip region_id id_type id_number "
        "id_tail address created_at updated_at"
    ).split(),
    "line": "id customer_id service_type number status install_address opened_on".split(),
    "customernumber": "customer_id number kind line_id".split(),
    "subscription": "line_id product_id".split(),
}


@dataclass
class _Batch:
    """Rows for COPY, by model name, from the parsed import rows of some customers."""

    rows: dict[str, list[tuple]] = field(default_factory=lambda: {name: [] for name in COLUMNS})

    def add(self, customer_id: int, parsed: list, line_ids: Iterator[int]) -> None:
        c = parsed[0].customer
        self.rows["customer"].append((
            customer_id, c.external_key, c.kind, c.name, c.enterprise_grade, c.tier,
            is_vip(c.tier, c.kind, c.enterprise_grade), c.region_id, c.id_type, c.id_number,
            id_tail(c.id_number), c.address, LOADED_AT, LOADED_AT,
        ))  # fmt: skip
        for line in (row.line for row in parsed if row.line):
            line_id = next(line_ids)
            self.rows["line"].append((
                line_id, customer_id, line.service_type, line.number, line.status,
                line.install_address, line.opened_on,
            ))  # fmt: skip
            self.rows["customernumber"].append((customer_id, line.number, "line", line_id))
            self.rows["subscription"].extend((line_id, product) for product in line.product_ids)
        self.rows["customernumber"].extend(
            (customer_id, number, "contact", None) for number in c.contact_numbers
        )


@dataclass
class LoadFigures:
    customers: int = 0
    lines: int = 0
    numbers: int = 0
    copy_s: float = 0.0
    index_s: float = 0.0
    vacuum_s: float = 0.0
    size: str = ""


def _set_aside_indexes_and_keys(cursor, tables: list[str]) -> list[sql.Composable]:
    """Drop the tables' secondary indexes and foreign keys; return the statements that make
    them again."""
    cursor.execute(
        "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
        "WHERE indrelid::regclass::text = ANY(%s) "
        "AND NOT EXISTS (SELECT FROM pg_constraint WHERE conindid = indexrelid)",
        [tables],
    )
    indexes = cursor.fetchall()
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
        "FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)",
        [tables],
    )
    foreign_keys = [
        (sql.Identifier(table), sql.Identifier(name), sql.SQL(definition))
        for table, name, definition in cursor.fetchall()
    ]
    for table, name, _definition in foreign_keys:
        cursor.execute(sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(table, name))
    for name, _definition in indexes:
        cursor.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
    return [
        *(sql.SQL(definition) for _name, definition in indexes),
        *(sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} {}").format(*key) for key in foreign_keys),
    ]


def _copy_batch(tables: list[str], batch: _Batch) -> None:
    """Write one batch in one transaction, on a connection of the calling (writer) thread."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        for table, (name, columns) in zip(tables, COLUMNS.items(), strict=True):
            _copy(cursor, table, columns, batch.rows[name])
    connection.close()


def load_customers(demo, count: int, reference: Reference, keep: set[int]):
    """COPY `count` demo customers with their lines, numbers and products, checked by the
    import's own parse_row; return the parsed rows of the customers in `keep`, by serial.

    As pg_restore does, secondary indexes and foreign keys are dropped for the load and made
    again afterwards: building an index or checking a key once for the whole table is many
    times faster than doing it row by row. A writer thread copies each batch while the next
    is made, so that the database and Python each keep a core busy.
    """
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    from hotline.customers.import_rows import parse_row

    models = [apps.get_model("customers", name) for name in COLUMNS]
    tables = [model._meta.db_table for model in models]
    kept = {}
    figures = LoadFigures()
    line_ids = itertools.count(1)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        remake = _set_aside_indexes_and_keys(cursor, tables)
        with ThreadPoolExecutor(max_workers=1) as writer:
            copying = None
            for start in range(0, count, LOAD_BATCH):
                batch = _Batch()
                for serial in range(start, min(start + LOAD_BATCH, count)):
                    parsed = [
                        parse_row(cells, reference.regions, reference.products)
                        for cells in demo.customer_rows()
                    ]
                    if serial in keep:
                        kept[serial] = parsed
                    batch.add(serial + 1, parsed, line_ids)
                if copying:
                    copying.result()  # one batch waits at most, and a failure stops the load
                copying = writer.submit(_copy_batch, tables, batch)
                figures.customers += len(batch.rows["customer"])
                figures.lines += len(batch.rows["line"])
                figures.numbers += len(batch.rows["customernumber"])
            if copying:
                copying.result()
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
        figures.copy_s = time.perf_counter() - started
        started = time.perf_counter()
        cursor.execute("SET maintenance_work_mem = '1GB'")
        for statement in remake:
            cursor.execute(statement)
        figures.index_s = time.perf_counter() - started
        started = time.perf_counter()
        cursor.execute(
            sql.SQL("VACUUM (ANALYZE) {}").format(sql.SQL(", ").join(map(sql.Identifier, tables)))
        )
        figures.vacuum_s = time.perf_counter() - started
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        figures.size = cursor.fetchone()[0]
    return kept, figures


# --- the measurements ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One lookup: the text typed, the filters chosen, and the customer it was drawn from."""

    kind: str
    target: str  # external key
    text: str
    tier: str | None = None
    region_id: int | None = None


@dataclass
class Timing:
    samples_ms: list[float]
    found: int  # cases whose customer was among the results

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile."""
        ordered = sorted(self.samples_ms)
        return ordered[max(math.ceil(p / 100 * len(ordered)) - 1, 0)]


def make_cases(
    customers: list[list], lookups: int, streets: dict[int, list[str]], rng: random.Random
) -> tuple[list[Case], list[Case]]:
    """Caller-number cases from the first `lookups` customers (each a list of parsed rows),
    search cases from the others, the three kinds of search taking turns."""

    def phone_number(rows) -> str:
        lines = [row.line.number for row in rows if row.line.service_type in PHONE_SERVICES]
        return rng.choice(sorted({*lines, *rows[0].customer.contact_numbers}))

    callers = [
        Case(CALLER, rows[0].customer.external_key, phone_number(rows))
        for rows in customers[:lookups]
    ]
    searches = []
    for index, rows in enumerate(customers[lookups:]):
        c = rows[0].customer
        if index % 3 == 0:
            street = next(s for s in streets[c.region_id] if s in c.address)
            searches.append(
                Case(
                    "name prefix + address word + tier + region",
                    c.external_key,
                    f"{c.name[:2]} {street}",
                    c.tier,
                    c.region_id,
                )
            )
        elif index % 3 == 1:
            searches.append(Case("7-digit number prefix", c.external_key, phone_number(rows)[:7]))
        else:
            searches.append(
                Case("ID tail + name", c.external_key, f"{c.name} {id_tail(c.id_number)}")
            )
    return callers, searches


def hotline_runner(user) -> Callable[[Case], list]:
    """The selectors as the desk calls them: the first SEARCH_LIMIT results of a search."""
    from hotline.customers.selectors import SEARCH_LIMIT, find_by_caller_number, search_customers

    def run(case: Case) -> list:
        if case.kind == CALLER:
            return find_by_caller_number(user, case.text)
        customers = search_customers(user, case.text, tier=case.tier, region_id=case.region_id)
        return list(customers[:SEARCH_LIMIT])

    return run


def admin_runner(superuser) -> Callable[[Case], list]:
    """The first changelist page (100 rows) of CustomerAdmin, with the same text in its
    search box and the same tier and region in its filters; like the admin page, it also
    counts the matches and all customers."""
    from django.contrib import admin
    from django.test import RequestFactory

    from hotline.customers.models import Customer

    model_admin = admin.site.get_model_admin(Customer)
    factory = RequestFactory()

    def run(case: Case) -> list:
        params = {"q": case.text}
        if case.tier:
            params["tier__exact"] = case.tier
        if case.region_id:
            params["region__id__exact"] = str(case.region_id)
        request = factory.get("/admin/customers/customer/", params)
        request.user = superuser
        return list(model_admin.get_changelist_instance(request).result_list)

    return run


def measure(run: Callable[[Case], list], cases: list[Case], warm_up: int) -> Timing:
    for case in cases[:warm_up]:
        run(case)
    timing = Timing([], 0)
    for case in cases:
        started = time.perf_counter()
        found = run(case)
        timing.samples_ms.append((time.perf_counter() - started) * 1000)
        timing.found += any(customer.external_key == case.target for customer in found)
    return timing


def explain(run: Callable[[Case], list], case: Case) -> list[str]:
    """EXPLAIN (ANALYZE, BUFFERS) of every statement `run` makes for `case`."""
    from django.db import connection

    statements = []

    def capture(execute, statement, params, many, context):
        statements.append((statement, params))
        return execute(statement, params, many, context)

    with connection.execute_wrapper(capture):
        run(case)
    plans = []
    with connection.cursor() as cursor:
        for statement, params in statements:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {statement}", params)
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return plans


def write_import_file(path: Path, demo, rows: int) -> None:
    """`rows` rows of new demo customers in the import format, with its Chinese headers."""
    from hotline.customers.import_rows import COLUMNS

    new_rows = itertools.chain.from_iterable(iter(demo.customer_rows, None))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(COLUMNS))
        writer.writerow(COLUMNS)
        writer.writerows(itertools.islice(new_rows, rows))


def time_import(path: Path):
    from hotline.audit.models import AuditEvent
    from hotline.customers.import_files import read_customer_rows
    from hotline.customers.importing import import_customer_rows

    started = time.perf_counter()
    report = import_customer_rows(
        read_customer_rows(path), actor=None, source=AuditEvent.Source.CLI, note="benchmark"
    )
    return report, time.perf_counter() - started


# --- the run ------------------------------------------------------------------------------------


def _table_row(label: str, ours: Timing, theirs: Timing) -> str:
    cases = len(ours.samples_ms)
    cells = [
        label,
        str(cases),
        f"{ours.found}/{cases}",
        *(f"{ours.percentile(p):.2f}" for p in (50, 95, 100)),
        str(len(theirs.samples_ms)),
        f"{theirs.found}/{len(theirs.samples_ms)}",
        *(f"{theirs.percentile(p):,.0f}" for p in (50, 95, 100)),
        f"{theirs.percentile(95) / ours.percentile(95):,.0f}×",
    ]
    return "| " + " | ".join(cells) + " |"


def _merged(timings: Iterable[Timing]) -> Timing:
    merged = Timing([], 0)
    for timing in timings:
        merged.samples_ms.extend(timing.samples_ms)
        merged.found += timing.found
    return merged


def compare_searches(
    args: argparse.Namespace, reference: Reference, groups: dict[str, list[Case]]
) -> dict[str, tuple[Timing, Timing]]:
    """Time every kind of case through Hotline and through the admin; print the table,
    and with --explain the plans of each kind's slowest case."""
    hotline = hotline_runner(reference.manager)
    admin = admin_runner(reference.superuser)
    results = {}
    for kind, cases in groups.items():
        results[kind] = (
            measure(hotline, cases, WARM_UP_CASES),
            measure(admin, cases[: args.admin_cases], ADMIN_WARM_UP_CASES),
        )
    print(
        "\n| Lookup | cases | found | Hotline p50 ms | p95 | max "
        "| admin cases | found | admin p50 ms | p95 | max | admin p95 / Hotline p95 |"
    )
    print("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    for kind, timings in results.items():
        print(_table_row(kind, *timings))
    search_kinds = [kind for kind in results if kind != CALLER]
    results[SEARCH] = (
        _merged(results[kind][0] for kind in search_kinds),
        _merged(results[kind][1] for kind in search_kinds),
    )
    print(_table_row(SEARCH, *results[SEARCH]))
    if args.explain:
        for kind, cases in groups.items():
            for who, runner, timing in zip(
                ("Hotline", "admin"), (hotline, admin), results[kind], strict=True
            ):
                slowest = cases[timing.samples_ms.index(max(timing.samples_ms))]
                print(f"\n--- {who}, {kind}: the slowest case, {slowest} ---")
                for plan in explain(runner, slowest):
                    print(plan, end="\n\n")
    return results


def time_imports(path: Path, rows: int) -> tuple[float, float]:
    """Seconds to import the file of new customers, then to import it again."""
    from hotline.audit.models import AuditEvent

    first, first_s = time_import(path)
    if first.created != rows or first.errors:
        raise BenchmarkFailed(f"import: {first.created} of {rows} rows created: {first.errors[:5]}")
    events = AuditEvent.objects.count()
    again, again_s = time_import(path)
    if again.unchanged != rows or AuditEvent.objects.count() != events:
        raise BenchmarkFailed(f"the re-import changed something: {again}")
    print(
        f"\nImport of {rows:,} new rows: {first_s:.1f} s ({rows / first_s:,.0f} rows/s); "
        f"the same file again: {again_s:.1f} s ({rows / again_s:,.0f} rows/s), nothing changed"
    )
    return first_s, again_s


def run(args: argparse.Namespace, work_dir: Path) -> None:
    from django.core.management import call_command
    from django.db import connection

    from hotline.demo.customers import DemoCity

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    print(
        f"{datetime.date.today()}, {os.cpu_count()} CPUs, PostgreSQL {version}, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    reference = create_reference_data()
    cases_rng = random.Random(SEED + 1)
    drawn = cases_rng.sample(range(args.customers), args.lookups + args.searches)
    demo = DemoCity(SEED)
    kept, load = load_customers(demo, args.customers, reference, set(drawn))
    print(
        f"Loaded {load.customers:,} customers, {load.lines:,} lines, {load.numbers:,} "
        f"caller-number index entries ({load.size}): COPY {load.copy_s:.0f} s, "
        f"indexes {load.index_s:.0f} s, VACUUM ANALYZE {load.vacuum_s:.0f} s"
    )
    callers, searches = make_cases(
        [kept[serial] for serial in drawn], args.lookups, reference.streets, cases_rng
    )
    groups = {CALLER: callers}
    for case in searches:
        groups.setdefault(case.kind, []).append(case)
    results = compare_searches(args, reference, groups)

    path = work_dir / "customers.csv"
    write_import_file(path, demo, args.import_rows)
    import_s, _again_s = time_imports(path, args.import_rows)

    print(f"\nLoad average at the end: {os.getloadavg()[0]:.1f}\nTargets:")
    for label, value, target, unit in (
        ("caller-number lookup p95", results[CALLER][0].percentile(95), CALLER_TARGET_MS, "ms"),
        ("multi-field search p95", results[SEARCH][0].percentile(95), SEARCH_TARGET_MS, "ms"),
        (f"import of {args.import_rows:,} rows", import_s, IMPORT_TARGET_S, "s"),
    ):
        verdict = "met" if value < target else "NOT met"
        print(f"  {label}: {value:.2f} {unit} (target < {target:g} {unit}): {verdict}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--lookups", type=int, default=500, help="caller-number lookups")
    parser.add_argument(
        "--searches", type=int, default=201, help="multi-field searches, a third of each kind"
    )
    parser.add_argument(
        "--admin-cases",
        type=int,
        default=10,
        help="how many cases of each kind also go through the admin (each takes seconds)",
    )
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument(
        "--explain", action="store_true", help="print the plans of each kind's slowest case"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    args = parser.parse_args(argv)

    recreate_database(args.database_url)
    with tempfile.TemporaryDirectory(prefix="hotline-bench-") as work_dir:
        os.environ.update(
            DJANGO_SETTINGS_MODULE="hotline.settings",
            DEBUG="false",
            DATABASE_URL=args.database_url,
            HOTLINE_DATA_DIR=work_dir,
        )
        django.setup()
        from django.db import connections

        try:
            run(args, Path(work_dir))
        finally:
            connections.close_all()
            if not args.keep:
                drop_database(args.database_url)


if __name__ == "__main__":
    main()
