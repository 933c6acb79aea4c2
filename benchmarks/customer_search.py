"""Customer search at scale: caller-number lookup and multi-field search on 1,000,000 customers.

    python -m benchmarks.customer_search [--customers N] [--import-rows N] [--explain] [--keep]

Creates the PostgreSQL database named by --database-url (dropping it first), loads a generated
customer base with COPY (the same one for the same size: the seed is fixed), times Hotline's
selectors against Django admin's default search (CustomerAdmin.search_fields, through the
changelist), then imports a generated CSV file and imports it again. The database is dropped at
the end unless --keep is given. Figures and how to read them: docs/benchmarks.md.
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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import django
import psycopg
from psycopg import sql

from hotline.core import tiers
from hotline.core.identity import id_tail, resident_id_check_digit

SEED = 20240601
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/hotline_bench"
LOAD_BATCH = 50_000
LOADED_AT = datetime.datetime(2024, 6, 1, tzinfo=datetime.UTC)
WARM_UP_CASES = 10
TARGETS_MS = {"caller number": 5.0, "multi-field search": 50.0}
IMPORT_TARGET_S = 60.0

# (code, name, resident-ID area code, streets) of Beijing's districts.
REGIONS = (
    (
        "dongcheng",
        "东城区",
        "110101",
        ("东直门内大街", "和平里东街", "东四十条", "安定门外大街", "崇文门外大街", "北新桥三条"),
    ),
    (
        "xicheng",
        "西城区",
        "110102",
        ("西直门南大街", "月坛北街", "德胜门外大街", "广安门内大街", "金融大街", "阜成门外大街"),
    ),
    (
        "chaoyang",
        "朝阳区",
        "110105",
        ("建国路", "朝阳北路", "望京街", "团结湖路", "酒仙桥路", "东三环中路"),
    ),
    (
        "fengtai",
        "丰台区",
        "110106",
        ("丰台北路", "马家堡东路", "方庄路", "西四环南路", "科学城路", "南苑路"),
    ),
    (
        "shijingshan",
        "石景山区",
        "110107",
        ("鲁谷路", "八角西街", "古城大街", "苹果园路", "杨庄东街", "金顶街"),
    ),
    (
        "haidian",
        "海淀区",
        "110108",
        ("中关村大街", "学院路", "万泉河路", "西三环北路", "上地十街", "苏州街"),
    ),
    (
        "mentougou",
        "门头沟区",
        "110109",
        ("新桥大街", "滨河路", "石龙路", "黑山大街", "冯村路", "永定路"),
    ),
    (
        "fangshan",
        "房山区",
        "110111",
        ("拱辰大街", "长虹路", "燕山岗南路", "阎村大街", "长阳路", "窦店路"),
    ),
    (
        "tongzhou",
        "通州区",
        "110112",
        ("新华大街", "运河西大街", "九棵树路", "梨园路", "玉桥中路", "通胡大街"),
    ),
    (
        "shunyi",
        "顺义区",
        "110113",
        ("府前街", "光明北街", "后沙峪路", "仁和路", "石园大街", "马坡路"),
    ),
    (
        "changping",
        "昌平区",
        "110114",
        ("回龙观西大街", "天通苑北街", "政府街", "鼓楼南街", "沙河路", "北七家路"),
    ),
)
# (code, name, service type, monthly fee)
PRODUCTS = (
    ("M58", "畅享58元套餐", "mobile", "58.00"),
    ("M128", "畅享128元套餐", "mobile", "128.00"),
    ("M199", "畅享199元套餐", "mobile", "199.00"),
    ("CRBT", "彩铃", "mobile", "5.00"),
    ("FIX-BASIC", "固话基本月租", "fixed", "25.00"),
    ("BB300", "300M宽带", "broadband", "99.00"),
    ("BB1000", "千兆宽带", "broadband", "199.00"),
    ("IPTV-STD", "IPTV标准版", "iptv", "15.00"),
)
# The hundred commonest surnames, commonest first; a surname of rank r has weight 1 / (r + 5),
# which gives 王 about 6%, close to the census.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜"
    "叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎"
    "贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
SURNAME_WEIGHTS = tuple(1 / (rank + 5) for rank in range(len(SURNAMES)))
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玉文辉晓东海燕鹏飞宇浩然子涵"
    "欣怡梓轩诺雨桐思远佳琪嘉俊凤春梅丹萍鑫颖斌波宁琳雪婷倩慧博凯晨阳瑞亮林峰"
)
BRANDS = "华中京新兴东方远博泰盛达恒信安通创联宏润"
INDUSTRIES = (
    "科技",
    "贸易",
    "物流",
    "建设工程",
    "文化传媒",
    "餐饮管理",
    "医药",
    "电子",
    "咨询",
    "物业管理",
)
COMPOUNDS = (
    "阳光花园",
    "金隅小区",
    "橡树湾",
    "远洋山水",
    "常青藤",
    "城市花园",
    "幸福家园",
    "和谐家园",
    "新都会",
    "唐宁府",
    "富力城",
    "香槟国际",
    "绿色家园",
    "融泽嘉园",
    "世纪城",
    "天鹅湾",
    "翠微北里",
    "团结湖北里",
    "望京西园",
    "芍药居北里",
)
CREDIT_CODE_CHARACTERS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
MOBILE_PREFIXES = (
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "166",
    "176",
    "177",
    "178",
    "180",
    "181",
    "182",
    "183",
    "185",
    "186",
    "187",
    "188",
    "189",
    "198",
    "199",
)
# Odd and not a multiple of 5, so coprime with 10**n (and 4 * 10**7): n -> n * SPREAD + c
# modulo those is one-to-one, and numbers drawn from a counter never repeat.
SPREAD = 7_654_321


class BenchmarkFailed(Exception):
    """The code under test did not do what the benchmark relies on."""


@dataclass(frozen=True)
class FakeLine:
    service_type: str
    number: str
    status: str
    install_address: str
    opened_on: datetime.date
    products: tuple[str, ...]  # product codes


@dataclass(frozen=True)
class FakeCustomer:
    external_key: str
    kind: str
    name: str
    enterprise_grade: str
    tier: str
    region: int  # index into REGIONS
    street: str  # a word of the address, as an agent would type it
    id_type: str
    id_number: str
    address: str
    contacts: tuple[str, ...]
    lines: tuple[FakeLine, ...]

    @property
    def phone_numbers(self) -> list[str]:
        """The numbers this customer can call from: phone lines and contact numbers."""
        lines = [line.number for line in self.lines if line.service_type in ("mobile", "fixed")]
        return [*lines, *self.contacts]


class NumberPool:
    """Numbers in the stored form, never the same twice."""

    def __init__(self) -> None:
        self._mobiles = itertools.count()
        self._fixed = itertools.count()
        self._accounts = itertools.count()

    def mobile(self) -> str:
        serial = next(self._mobiles)
        prefix = MOBILE_PREFIXES[serial % len(MOBILE_PREFIXES)]
        return f"{prefix}{(serial // len(MOBILE_PREFIXES) * SPREAD + 1_234_567) % 10**8:08d}"

    def fixed(self) -> str:
        return f"010{50_000_000 + (next(self._fixed) * SPREAD + 2_345_678) % 40_000_000}"

    def broadband_account(self) -> str:
        return f"KD{(next(self._accounts) * SPREAD + 3_456_789) % 10**10:010d}"


class CustomerMaker:
    """Plausible Beijing customers: the same sequence of customers for the same seed."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.numbers = NumberPool()

    def customer(self, serial: int, *, extra_lines: bool = True) -> FakeCustomer:
        """Customer number `serial`: one phone line, and unless `extra_lines` is False,
        a broadband account one time in four; a contact number one time in four."""
        rng = self.rng
        region = rng.randrange(len(REGIONS))
        _code, district, area, streets = REGIONS[region]
        street = rng.choice(streets)
        address = self._address(district, street)
        if rng.random() < 0.04:
            kind, grade = tiers.ENTERPRISE, rng.choice("ABBCCCDDDD")
            name = f"北京{rng.choice(BRANDS)}{rng.choice(BRANDS)}{rng.choice(INDUSTRIES)}有限公司"
            id_type = "credit_code"
            id_number = f"91{area}{''.join(rng.choices(CREDIT_CODE_CHARACTERS, k=10))}"
        else:
            kind, grade = tiers.INDIVIDUAL, ""
            name = rng.choices(SURNAMES, SURNAME_WEIGHTS)[0] + "".join(
                rng.choices(GIVEN, k=1 if rng.random() < 0.3 else 2)
            )
            if rng.random() < 0.01:
                id_type, id_number = "passport", f"E{rng.randrange(10**8):08d}"
            else:
                id_type, id_number = "resident_id", self._resident_id(area)
        lines = [self._line("mobile" if rng.random() < 0.85 else "fixed", address)]
        if extra_lines and rng.random() < 0.25:
            lines.append(self._line("broadband", address))
        contacts = (self.numbers.mobile(),) if rng.random() < 0.25 else ()
        return FakeCustomer(
            external_key=f"BSS{serial:09d}",
            kind=kind,
            name=name,
            enterprise_grade=grade,
            tier=rng.choices(tiers.TIERS, (80, 12, 6, 2))[0],
            region=region,
            street=street,
            id_type=id_type,
            id_number=id_number,
            address=address,
            contacts=contacts,
            lines=tuple(lines),
        )

    def _address(self, district: str, street: str) -> str:
        rng = self.rng
        address = f"北京市{district}{street}{rng.randint(1, 199)}号"
        if rng.random() < 0.8:
            address += (
                f"{rng.choice(COMPOUNDS)}{rng.randint(1, 30)}号楼{rng.randint(1, 6)}单元"
                f"{rng.randint(1, 28)}{rng.randint(1, 4):02d}"
            )
        return address

    def _resident_id(self, area: str) -> str:
        born = datetime.date(1940, 1, 1) + datetime.timedelta(days=self.rng.randrange(65 * 365))
        first17 = f"{area}{born:%Y%m%d}{self.rng.randrange(1000):03d}"
        return first17 + resident_id_check_digit(first17)

    def _line(self, service_type: str, address: str) -> FakeLine:
        rng = self.rng
        if service_type == "mobile":
            number = self.numbers.mobile()
            products = (rng.choice(("M58", "M128", "M199")),)
            if rng.random() < 0.3:
                products += ("CRBT",)
        elif service_type == "fixed":
            number, products = self.numbers.fixed(), ("FIX-BASIC",)
        else:
            number = self.numbers.broadband_account()
            products = (rng.choice(("BB300", "BB1000")),)
            if rng.random() < 0.3:
                products += ("IPTV-STD",)
        return FakeLine(
            service_type=service_type,
            number=number,
            status=rng.choices(
                ("active", "suspended", "arrears", "pending", "closed"), (92, 3, 3, 1, 1)
            )[0],
            install_address="" if service_type == "mobile" else address,
            opened_on=datetime.date(2005, 1, 1) + datetime.timedelta(days=rng.randrange(7000)),
            products=products,
        )


# --- the database -------------------------------------------------------------------------------


def recreate_database(url: str) -> None:
    name = psycopg.conninfo.conninfo_to_dict(url)["dbname"]
    with psycopg.connect(url, dbname="postgres", autocommit=True) as server:
        database = sql.Identifier(name)
        server.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(database))
        server.execute(sql.SQL("CREATE DATABASE {}").format(database))


def drop_database(url: str) -> None:
    name = psycopg.conninfo.conninfo_to_dict(url)["dbname"]
    with psycopg.connect(url, dbname="postgres", autocommit=True) as server:
        server.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


@dataclass(frozen=True)
class Reference:
    region_ids: list[int]  # in the order of REGIONS
    product_ids: dict[str, int]  # by code
    manager: object  # sees every region; searches through Hotline's selectors
    superuser: object  # searches through the admin


def create_reference_data() -> Reference:
    from django.contrib.auth.models import Group

    from hotline.accounts.models import Region, User
    from hotline.customers.models import Product

    regions = Region.objects.bulk_create(
        Region(code=code, name=name) for code, name, *_rest in REGIONS
    )
    products = Product.objects.bulk_create(
        Product(code=code, name=name, service_type=service_type, monthly_fee=fee)
        for code, name, service_type, fee in PRODUCTS
    )
    manager = User.objects.create_user(username="manager", agent_id="9001", full_name="经理")
    manager.groups.add(Group.objects.get(name="manager"))
    return Reference(
        region_ids=[region.pk for region in regions],
        product_ids={product.code: product.pk for product in products},
        manager=User.objects.get(pk=manager.pk),  # without cached permissions
        superuser=User.objects.create_superuser(username="admin", agent_id="9000"),
    )


def _copy(cursor, table: str, columns: Sequence[str], rows: Iterable[tuple]) -> None:
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    with cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def _secondary_indexes(cursor, tables: Sequence[str]) -> list[tuple[str, str]]:
    """(name, definition) of the tables' indexes that back no constraint."""
    cursor.execute(
        "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
        "WHERE indrelid::regclass::text = ANY(%s) "
        "AND NOT EXISTS (SELECT FROM pg_constraint WHERE conindid = indexrelid)",
        [list(tables)],
    )
    return cursor.fetchall()


@dataclass
class LoadFigures:
    copy_s: float = 0.0
    index_s: float = 0.0
    vacuum_s: float = 0.0
    customers: int = 0
    numbers: int = 0
    lines: int = 0
    size: str = ""


def load_customers(
    maker: CustomerMaker, count: int, reference: Reference, keep: set[int]
) -> tuple[dict[int, FakeCustomer], LoadFigures]:
    """Write `count` customers with their lines, numbers and products; return those in `keep`.

    Secondary indexes are dropped for the load and built afterwards, as pg_restore does:
    building a trigram index once is many times faster than growing it row by row.
    """
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from hotline.customers.models import Customer, CustomerNumber, Line, Subscription

    region_ids, product_ids = reference.region_ids, reference.product_ids
    models = (Customer, Line, CustomerNumber, Subscription)
    tables = [model._meta.db_table for model in models]
    kept: dict[int, FakeCustomer] = {}
    figures = LoadFigures()
    line_ids = itertools.count(1)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        indexes = _secondary_indexes(cursor, tables)
        for name, _definition in indexes:
            cursor.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
        for start in range(0, count, LOAD_BATCH):
            customers, lines, numbers, subscriptions = [], [], [], []
            for serial in range(start, min(start + LOAD_BATCH, count)):
                fake = maker.customer(serial)
                if serial in keep:
                    kept[serial] = fake
                customer_id = serial + 1
                customers.append(
                    (
                        customer_id,
                        fake.external_key,
                        fake.kind,
                        fake.name,
                        fake.enterprise_grade,
                        fake.tier,
                        tiers.is_vip(fake.tier, fake.kind, fake.enterprise_grade),
                        region_ids[fake.region],
                        fake.id_type,
                        fake.id_number,
                        id_tail(fake.id_number),
                        fake.address,
                        LOADED_AT,
                        LOADED_AT,
                    )
                )
                for line in fake.lines:
                    line_id = next(line_ids)
                    lines.append(
                        (
                            line_id,
                            customer_id,
                            line.service_type,
                            line.number,
                            line.status,
                            line.install_address,
                            line.opened_on,
                        )
                    )
                    numbers.append((customer_id, line.number, "line", line_id))
                    subscriptions.extend(
                        (line_id, product_ids[code], line.opened_on) for code in line.products
                    )
                numbers.extend((customer_id, number, "contact", None) for number in fake.contacts)
            with transaction.atomic():
                _copy(
                    cursor,
                    tables[0],
                    (
                        "id",
                        "external_key",
                        "kind",
                        "name",
                        "enterprise_grade",
                        "tier",
                        "is_vip",
                        "region_id",
                        "id_type",
                        "id_number",
                        "id_tail",
                        "address",
                        "created_at",
                        "updated_at",
                    ),
                    customers,
                )
                _copy(
                    cursor,
                    tables[1],
                    (
                        "id",
                        "customer_id",
                        "service_type",
                        "number",
                        "status",
                        "install_address",
                        "opened_on",
                    ),
                    lines,
                )
                _copy(cursor, tables[2], ("customer_id", "number", "kind", "line_id"), numbers)
                _copy(cursor, tables[3], ("line_id", "product_id", "since"), subscriptions)
            figures.customers += len(customers)
            figures.lines += len(lines)
            figures.numbers += len(numbers)
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
        figures.copy_s = time.perf_counter() - started
        started = time.perf_counter()
        cursor.execute("SET maintenance_work_mem = '1GB'")
        for _name, definition in indexes:
            cursor.execute(definition)
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
    customers: list[FakeCustomer], lookups: int, region_ids: list[int], rng: random.Random
) -> tuple[list[Case], list[Case]]:
    """Caller-number cases from the first `lookups` customers, search cases from the rest,
    the three kinds of search taking turns."""
    callers = [
        Case("caller number", c.external_key, rng.choice(c.phone_numbers))
        for c in customers[:lookups]
    ]
    searches = []
    for index, c in enumerate(customers[lookups:]):
        match index % 3:
            case 0:
                searches.append(
                    Case(
                        "name prefix + address word + tier + region",
                        c.external_key,
                        f"{c.name[:2]} {c.street}",
                        c.tier,
                        region_ids[c.region],
                    )
                )
            case 1:
                searches.append(
                    Case("7-digit number prefix", c.external_key, rng.choice(c.phone_numbers)[:7])
                )
            case _:
                searches.append(
                    Case("ID tail + name", c.external_key, f"{c.name} {id_tail(c.id_number)}")
                )
    return callers, searches


def hotline_runner(user) -> Callable[[Case], list]:
    from hotline.customers.selectors import SEARCH_LIMIT, find_by_caller_number, search_customers

    def run(case: Case) -> list:
        if case.kind == "caller number":
            return find_by_caller_number(user, case.text)
        return list(
            search_customers(user, case.text, tier=case.tier, region_id=case.region_id)[
                :SEARCH_LIMIT
            ]
        )

    return run


def admin_runner(superuser) -> Callable[[Case], list]:
    """The first changelist page (100 rows) of CustomerAdmin, with the same text in its
    search box and the same tier and region in its filters; it also counts the matches and
    all customers, as the admin page does."""
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


def measure(run: Callable[[Case], list], cases: list[Case]) -> Timing:
    for case in cases[:WARM_UP_CASES]:
        run(case)
    timing = Timing([], 0)
    for case in cases:
        started = time.perf_counter()
        found = run(case)
        timing.samples_ms.append((time.perf_counter() - started) * 1000)
        timing.found += any(customer.external_key == case.target for customer in found)
    return timing


def explain(run: Callable[[Case], list], case: Case) -> list[str]:
    """EXPLAIN ANALYZE of every statement `run` makes for `case`."""
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


def write_import_file(path: Path, maker: CustomerMaker, first_serial: int, rows: int) -> None:
    """A customer file as the BSS exports it: Chinese headers and labels, one line a row."""
    from hotline.customers.import_rows import COLUMNS
    from hotline.customers.models import CustomerKind, IdType, LineStatus, ServiceType, Tier

    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(COLUMNS))
        writer.writerow(COLUMNS)
        for serial in range(first_serial, first_serial + rows):
            fake = maker.customer(serial, extra_lines=False)
            line = fake.lines[0]
            writer.writerow(
                {
                    "external_key": fake.external_key,
                    "name": fake.name,
                    "kind": CustomerKind(fake.kind).label,
                    "tier": Tier(fake.tier).label,
                    "enterprise_grade": fake.enterprise_grade,
                    "region": REGIONS[fake.region][1],
                    "id_type": IdType(fake.id_type).label,
                    "id_number": fake.id_number,
                    "address": fake.address,
                    "contact_numbers": ";".join(fake.contacts),
                    "service_type": ServiceType(line.service_type).label,
                    "number": line.number,
                    "line_status": LineStatus(line.status).label,
                    "install_address": line.install_address,
                    "opened_on": line.opened_on.isoformat(),
                    "products": ";".join(line.products),
                }
            )


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


def _row(label: str, ours: Timing, theirs: Timing | None, cases: int) -> str:
    cells = [
        label,
        str(cases),
        f"{ours.found}/{cases}",
        *(f"{ours.percentile(p):.2f}" for p in (50, 95, 100)),
    ]
    if theirs is None:
        cells += ["", "", "", "", ""]
    else:
        cells += [
            str(len(theirs.samples_ms)),
            *(f"{theirs.percentile(p):.1f}" for p in (50, 95, 100)),
            f"{theirs.percentile(95) / ours.percentile(95):,.0f}×",
        ]
    return "| " + " | ".join(cells) + " |"


def _merged(timings: Iterable[Timing]) -> Timing:
    merged = Timing([], 0)
    for timing in timings:
        merged.samples_ms.extend(timing.samples_ms)
        merged.found += timing.found
    return merged


def run(args: argparse.Namespace, work_dir: Path) -> None:
    from django.core.management import call_command
    from django.db import connection

    from hotline.audit.models import AuditEvent

    print(f"{os.cpu_count()} CPUs, {datetime.date.today()}")
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        print(f"PostgreSQL {cursor.fetchone()[0]}")
    reference = create_reference_data()
    cases_rng = random.Random(SEED + 1)
    drawn = cases_rng.sample(range(args.customers), args.lookups + args.searches)
    maker = CustomerMaker(SEED)
    kept, load = load_customers(maker, args.customers, reference, set(drawn))
    print(
        f"Loaded {load.customers:,} customers, {load.lines:,} lines, {load.numbers:,} numbers "
        f"({load.size}): COPY {load.copy_s:.0f} s, indexes {load.index_s:.0f} s, "
        f"VACUUM ANALYZE {load.vacuum_s:.0f} s"
    )

    callers, searches = make_cases(
        [kept[serial] for serial in drawn], args.lookups, reference.region_ids, cases_rng
    )
    hotline = hotline_runner(reference.manager)
    admin = admin_runner(reference.superuser)
    groups = {"caller number": callers}
    for case in searches:
        groups.setdefault(case.kind, []).append(case)
    results = {}
    for kind, cases in groups.items():
        ours = measure(hotline, cases)
        theirs = measure(admin, cases[: args.admin_cases])
        results[kind] = (ours, theirs, cases)
        print(
            f"  {kind}: Hotline p95 {ours.percentile(95):.2f} ms, "
            f"admin p95 {theirs.percentile(95):.1f} ms"
        )

    print(
        "\n| Lookup | cases | found | Hotline p50 ms | p95 | max "
        "| admin cases | admin p50 ms | p95 | max | admin p95 / Hotline p95 |"
    )
    print("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    for kind, (ours, theirs, cases) in results.items():
        print(_row(kind, ours, theirs, len(cases)))
    search_kinds = [kind for kind in results if kind != "caller number"]
    all_ours = _merged(results[kind][0] for kind in search_kinds)
    all_theirs = _merged(results[kind][1] for kind in search_kinds)
    print(_row("multi-field search, all kinds", all_ours, all_theirs, len(searches)))

    if args.explain:
        for kind in results:
            ours, theirs, cases = results[kind]
            for who, runner, timing in (("Hotline", hotline, ours), ("admin", admin, theirs)):
                slowest = cases[timing.samples_ms.index(max(timing.samples_ms))]
                print(f"\n--- {who}, {kind}, slowest case {slowest.text!r} ---")
                for plan in explain(runner, slowest):
                    print(plan, end="\n\n")

    path = work_dir / "customers.csv"
    write_import_file(path, maker, args.customers, args.import_rows)
    first, first_s = time_import(path)
    if first.created != args.import_rows or first.errors:
        raise BenchmarkFailed(
            f"import created {first.created} of {args.import_rows} rows, errors: {first.errors[:5]}"
        )
    events = AuditEvent.objects.count()
    again, again_s = time_import(path)
    if again.unchanged != again.total_rows or AuditEvent.objects.count() != events:
        raise BenchmarkFailed(f"re-import changed something: {again}")
    print(
        f"\nImport of {args.import_rows:,} new rows: {first_s:.1f} s "
        f"({args.import_rows / first_s:,.0f} rows/s); re-import: {again_s:.1f} s "
        f"({args.import_rows / again_s:,.0f} rows/s), {again.unchanged:,} unchanged"
    )

    print("\nTargets:")
    caller_p95 = results["caller number"][0].percentile(95)
    for label, value, target, unit in (
        ("caller-number lookup p95", caller_p95, TARGETS_MS["caller number"], "ms"),
        ("multi-field search p95", all_ours.percentile(95), TARGETS_MS["multi-field search"], "ms"),
        (f"import of {args.import_rows:,} rows", first_s, IMPORT_TARGET_S, "s"),
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
        default=500,
        help="of each kind, the first N also go through the admin",
    )
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument(
        "--explain", action="store_true", help="print the plans of the slowest case of each kind"
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
        try:
            run(args, Path(work_dir))
        finally:
            from django.db import connections

            connections.close_all()
            if not args.keep:
                drop_database(args.database_url)


if __name__ == "__main__":
    main()
