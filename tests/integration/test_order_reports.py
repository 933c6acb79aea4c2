"""The work-order report: each figure on a small set of orders with known answers, its
periods in Beijing time, its files, its API and who may read it.

The orders are written as rows, as the services leave them, so that each figure's
answer can be worked out by hand (the `reported` fixture lists them). Times are
Beijing time (+08:00); the report is made on 2026-11-05 at noon.
"""

import csv
import io
from datetime import date, datetime, timedelta, timezone

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from rest_framework.test import APIClient

from hotline.accounts.models import Department, User
from hotline.workorders import services
from hotline.workorders.models import BusinessCalendar, Category, StageClock, WorkOrder
from hotline.workorders.reports import order_report, read_query
from tests.integration.test_settings import start

BEIJING = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 5, 12, 0, tzinfo=BEIJING)
OCTOBER_30, NOVEMBER_2 = date(2026, 10, 30), date(2026, 11, 2)


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=BEIJING)


class Orders:
    """Writes orders and their stage clocks as rows."""

    def __init__(self, owner: User) -> None:
        self.owner = owner
        self.calendar = BusinessCalendar.objects.get(always_open=True)

    def add(self, customer, category: str, created_at: datetime, **fields) -> WorkOrder:
        category_row = Category.objects.get(code=category)
        return WorkOrder.objects.create(
            number=f"GD-TEST-{WorkOrder.objects.count() + 1:04d}",
            order_type=category_row.order_type,
            category=category_row,
            customer=customer,
            description="测试工单",
            owner=self.owner,
            customer_tier=customer.tier,
            created_at=created_at,
            updated_at=created_at,
            **fields,
        )

    def clock(self, order, stage, due_at, met_at=None, round=1) -> StageClock:
        """A clock due at `due_at`: met when `met_at` is given (in time if by then), else
        running."""
        return StageClock.objects.create(
            order=order,
            stage=stage,
            round=round,
            calendar=self.calendar,
            limit_amount=1,
            limit_unit="hours",
            warning_share="0.80",
            started_at=order.created_at,
            paused_business=timedelta(0),
            due_at=due_at,
            met_at=met_at,
            met_in_time=None if met_at is None else met_at <= due_at,
        )


@pytest.fixture
def departments(db):
    return {name: Department.objects.get(name=name) for name in ("网络维护部", "投诉处理中心")}


@pytest.fixture
def reported(cast, customer, jiangning_customer, departments):
    """Six orders from 2026-10-30 to 2026-11-02 and two just outside; 王建国 is of 玄武区
    (老张's region), 刘芳 of 江宁区.

    | order | created      | customer | type      | first line | callback        | urges |
    | o1    | 10-30 10:00  | 王建国   | inquiry   | resolved   | —               | 0     |
    | o2    | 10-31 23:30  | 王建国   | fault     | escalated  | reopened, then satisfied | 2 |
    | o3    | 10-31 12:00  | 刘芳     | complaint | escalated  | satisfied       | 1     |
    | o4    | 10-30 09:00  | 刘芳     | inquiry   | undecided  | —               | 0     |
    | o5    | 11-01 00:30  | 王建国   | fault, repeat of o2 | escalated | —      | 1     |
    | o6    | 11-02 09:00  | 王建国   | inquiry   | resolved   | —               | 0     |

    o5 is 10-31 16:30 in UTC: November in Beijing, October in UTC.
    Clocks: o2 respond in time, on site late, solve running past due (late), callback in
    time; o3 respond and solve in time; o4 solve running, not yet due; o5 respond late;
    o6 solve in time.
    """
    orders = Orders(cast["xiaowang"])
    wang, liu = customer, jiangning_customer
    maintenance, complaints = departments["网络维护部"], departments["投诉处理中心"]
    o1 = orders.add(wang, "billing.query", at(10, 30, 10), resolved_at_first_contact=True)
    o2 = orders.add(
        wang,
        "broadband.down",
        at(10, 31, 23, 30),
        resolved_at_first_contact=False,
        department=maintenance,
        satisfied=True,
        reopen_count=1,
        round=2,
        urge_count=2,
        root_cause="光猫故障",
    )
    o3 = orders.add(
        liu,
        "service.attitude",
        at(10, 31, 12),
        resolved_at_first_contact=False,
        department=complaints,
        satisfied=True,
        urge_count=1,
        root_cause="  服务态度  ",
    )
    o4 = orders.add(liu, "billing.query", at(10, 30, 9))
    o5 = orders.add(
        wang,
        "broadband.down",
        at(11, 1, 0, 30),
        resolved_at_first_contact=False,
        department=maintenance,
        repeat_of=o2,
        urge_count=1,
        root_cause="光猫故障",
    )
    o6 = orders.add(wang, "billing.query", at(11, 2, 9), resolved_at_first_contact=True)
    orders.add(wang, "billing.query", at(10, 29, 23, 59), resolved_at_first_contact=False)
    orders.add(wang, "service.delay", at(11, 3, 0), resolved_at_first_contact=False)

    orders.clock(o2, "respond", due_at=at(11, 1, 0), met_at=at(10, 31, 23, 45))
    orders.clock(o2, "on_site", due_at=at(11, 1, 1), met_at=at(11, 1, 3))
    orders.clock(o2, "solve", due_at=at(11, 1, 2), round=2)
    orders.clock(o2, "callback", due_at=at(11, 2, 0), met_at=at(11, 1, 20))
    orders.clock(o3, "respond", due_at=at(10, 31, 14), met_at=at(10, 31, 13))
    orders.clock(o3, "solve", due_at=at(11, 3, 12), met_at=at(11, 2, 12))
    orders.clock(o4, "solve", due_at=at(11, 10, 17))
    orders.clock(o5, "respond", due_at=at(11, 1, 1), met_at=at(11, 1, 2))
    orders.clock(o6, "solve", due_at=at(11, 3, 9), met_at=at(11, 2, 9, 5))
    return {"o1": o1, "o2": o2, "o3": o3, "o4": o4, "o5": o5, "o6": o6}


def monthly(user):
    return order_report(user, OCTOBER_30, NOVEMBER_2, "month", NOW)


def desk(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# The periods


def test_an_order_belongs_to_the_month_of_its_creation_in_beijing_time(cast, reported):
    october, november = monthly(cast["zhaomgr"]).periods
    assert (october.label, october.start, october.counts.orders) == (
        "2026-10",
        date(2026, 10, 1),
        4,
    )
    assert (november.label, november.start, november.counts.orders) == (
        "2026-11",
        date(2026, 11, 1),
        2,
    )


def test_days_and_iso_weeks_are_cut_at_beijing_midnight(cast, reported):
    manager = cast["zhaomgr"]
    by_day = order_report(manager, OCTOBER_30, NOVEMBER_2, "day", NOW).periods
    by_week = order_report(manager, OCTOBER_30, NOVEMBER_2, "week", NOW).periods
    assert [(row.label, row.counts.orders) for row in by_day] == [
        ("2026-10-30", 2),
        ("2026-10-31", 2),
        ("2026-11-01", 1),
        ("2026-11-02", 1),
    ]
    assert [(row.label, row.start, row.counts.orders) for row in by_week] == [
        ("2026-W44", date(2026, 10, 26), 5),
        ("2026-W45", date(2026, 11, 2), 1),
    ]


def test_a_period_without_orders_is_listed_with_no_rates(cast, reported):
    report = order_report(cast["zhaomgr"], date(2026, 11, 4), date(2026, 11, 5), "day", NOW)
    assert [row.label for row in report.periods] == ["2026-11-04", "2026-11-05"]
    assert all(row.counts.orders == 0 for row in report.periods)
    assert report.total.figures.first_line_rate is None
    assert report.total.figures.first_line_target_met is None


# Each figure


def test_first_line_resolution_counts_the_orders_the_first_line_decided(cast, reported):
    october, november = monthly(cast["zhaomgr"]).periods
    assert (october.counts.first_line_resolved, october.counts.first_line_decided) == (1, 3)
    assert october.figures.first_line_rate == pytest.approx(1 / 3)
    assert (november.counts.first_line_resolved, november.counts.first_line_decided) == (1, 2)


def test_the_first_line_target_is_met_or_missed_per_period(cast, reported, settings):
    settings.HOTLINE_FIRST_LINE_TARGET = 0.5
    report = monthly(cast["zhaomgr"])
    october, november = report.periods
    assert report.first_line_target == 0.5
    assert october.figures.first_line_target_met is False
    assert november.figures.first_line_target_met is True


def test_the_reopen_rate_is_over_the_orders_called_back(cast, reported):
    total = monthly(cast["zhaomgr"]).total
    assert (total.counts.reopened, total.counts.called_back) == (1, 2)
    assert total.figures.reopen_rate == 0.5


def test_the_repeat_fault_rate_is_over_fault_orders(cast, reported):
    october, november = monthly(cast["zhaomgr"]).periods
    assert (october.counts.repeat_faults, october.counts.faults) == (0, 1)
    assert (november.counts.repeat_faults, november.counts.faults) == (1, 1)
    assert october.figures.repeat_fault_rate == 0
    assert november.figures.repeat_fault_rate == 1


def test_complaints_are_counted_per_ten_thousand_customers_of_the_readers_scope(cast, reported):
    report = monthly(cast["zhaomgr"])
    assert report.customers == 2
    assert report.total.counts.complaints == 1
    assert report.total.figures.complaints_per_10k == 5000


def test_urges_are_counted_and_so_are_the_orders_urged(cast, reported):
    october, november = monthly(cast["zhaomgr"]).periods
    assert (october.counts.urges, october.counts.urged_orders) == (3, 2)
    assert (november.counts.urges, november.counts.urged_orders) == (1, 1)


def test_a_clock_running_past_due_is_late_and_one_not_yet_due_is_not_judged(cast, reported):
    october, november = monthly(cast["zhaomgr"]).periods
    assert (october.counts.clocks_on_time, october.counts.clocks_late) == (4, 2)
    assert (november.counts.clocks_on_time, november.counts.clocks_late) == (1, 1)
    assert october.figures.on_time_rate == pytest.approx(4 / 6)


def test_a_suspended_clock_is_not_judged(cast, reported):
    StageClock.objects.filter(order=reported["o2"], stage="solve").update(
        due_at=None, paused_since=at(11, 1, 1)
    )
    october, _november = monthly(cast["zhaomgr"]).periods
    assert (october.counts.clocks_on_time, october.counts.clocks_late) == (4, 1)


def test_the_on_time_rate_per_stage(cast, reported):
    report = monthly(cast["zhaomgr"])
    stages = {row.stage: (row.clocks.on_time, row.clocks.late) for row in report.on_time_by_stage}
    assert stages == {"respond": (2, 1), "on_site": (0, 1), "solve": (2, 1), "callback": (1, 0)}
    assert (report.on_time_all_stages.on_time, report.on_time_all_stages.late) == (5, 3)


def test_the_on_time_rate_per_department_puts_undispatched_orders_under_the_first_line(
    cast, reported
):
    departments = monthly(cast["zhaomgr"]).on_time_by_department
    assert [(row.department, row.clocks.on_time, row.clocks.late) for row in departments] == [
        ("一线/未派单", 1, 0),
        ("投诉处理中心", 2, 0),
        ("网络维护部", 2, 3),
    ]
    maintenance = departments[2]
    assert maintenance.stages["respond"].on_time == 1 and maintenance.stages["respond"].late == 1
    assert "callback" in maintenance.stages and "on_site" in maintenance.stages


def test_the_top_categories_by_order_count(cast, reported):
    top = monthly(cast["zhaomgr"]).top_categories
    assert [(row.label, row.orders) for row in top] == [
        ("账务 / 话费查询", 3),
        ("宽带业务 / 宽带无法上网", 2),
        ("服务质量 / 服务态度投诉", 1),
    ]
    assert top[0].share == 0.5


def test_the_top_root_causes_ignore_blanks_and_surrounding_spaces(cast, reported):
    top = monthly(cast["zhaomgr"]).top_root_causes
    assert [(row.label, row.orders) for row in top] == [("光猫故障", 2), ("服务态度", 1)]


def test_the_total_adds_up_the_periods(cast, reported):
    report = monthly(cast["zhaomgr"])
    assert report.total.counts.orders == 6
    assert report.total.figures.first_line_rate == 0.4
    assert report.total.figures.on_time_rate == 5 / 8


def test_the_report_counts_in_the_database_whatever_the_number_of_orders(cast, reported):
    manager = cast["zhaomgr"]
    monthly(manager)  # the user's permissions and regions are cached from here on
    with CaptureQueriesContext(connection) as few:
        monthly(manager)
    orders = Orders(manager)
    for day in range(1, 21):
        order = orders.add(reported["o1"].customer, "billing.query", at(11, 1, day))
        orders.clock(order, "solve", due_at=at(11, 2, 0), met_at=at(11, 1, day, 30))
    with CaptureQueriesContext(connection) as many:
        report = monthly(manager)
    assert report.total.counts.orders == 26
    assert len(many) == len(few) <= 8


def test_orders_solved_through_the_services_count_as_resolved_by_the_first_line(cast, customer):
    agent = cast["xiaowang"]
    opened = services.open_order(
        actor=agent,
        source="web",
        customer=customer,
        order_type="inquiry",
        category=Category.objects.get(code="billing.query"),
        description="话费怎么这么多",
        now=at(10, 30, 10),
    )
    services.close_at_first_contact(
        actor=agent, source="web", order=opened, reply="已解释", now=at(10, 30, 10, 5)
    )
    total = order_report(cast["zhaomgr"], OCTOBER_30, OCTOBER_30, "day", NOW).total
    assert (total.counts.first_line_resolved, total.counts.first_line_decided) == (1, 1)
    assert (total.counts.clocks_on_time, total.counts.clocks_late) == (1, 0)


# Scope


def test_a_team_lead_reports_on_the_orders_they_may_see(cast, reported):
    report = monthly(cast["laozhang"])
    assert report.total.counts.orders == 4  # 王建国's, of 玄武区; not 刘芳's, of 江宁区
    assert report.total.counts.complaints == 0
    assert report.customers == 1
    assert [row.label for row in report.top_categories] == [
        "宽带业务 / 宽带无法上网",
        "账务 / 话费查询",
    ]


# The target and the query


def test_a_first_line_target_that_is_not_a_fraction_stops_the_start(tmp_path):
    result = start(tmp_path, HOTLINE_FIRST_LINE_TARGET="98")
    assert result.returncode != 0
    assert "HOTLINE_FIRST_LINE_TARGET must be between 0 and 1" in result.stderr


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"to": "2026-11-02"}, "from"),
        ({"from": "2026/10/30", "to": "2026-11-02"}, "from"),
        ({"from": "2026-02-30", "to": "2026-11-02"}, "from"),
        ({"from": "1999-12-31", "to": "2026-11-02"}, "from"),
        ({"from": "2026-10-30", "to": "2026-10-29"}, "to"),
        ({"from": "2026-10-30", "to": "2026-11-02", "by": "year"}, "by"),
        ({"from": "2020-01-01", "to": "2026-11-02", "by": "day"}, "by"),
    ],
)
def test_a_bad_query_names_its_field(params, field):
    with pytest.raises(ValidationError) as raised:
        read_query(params)
    assert list(raised.value.message_dict) == [field]


def test_a_long_range_may_be_asked_for_by_month(db):
    query = read_query({"from": "2020-01-01", "to": "2026-11-02", "by": "month"})
    assert (query.start, query.end, query.by) == (date(2020, 1, 1), date(2026, 11, 2), "month")


# The API


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


REPORT_URL = "/api/reports/orders?from=2026-10-30&to=2026-11-02&by=month"


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def test_the_api_gives_the_report_as_json(cast, reported, frozen):
    body = api(cast["zhaomgr"]).get(REPORT_URL).json()
    assert [(row["period"], row["orders"]) for row in body["periods"]] == [
        ("2026-10", 4),
        ("2026-11", 2),
    ]
    assert body["total"]["first_line_rate"] == 0.4
    assert body["total"]["first_line_target_met"] is False
    assert body["first_line_target"] == 0.98
    assert body["on_time_all_stages"] == {"on_time": 5, "late": 3, "rate": 0.625}
    assert body["on_time_by_department"][0]["department_id"] is None
    assert body["top_root_causes"][0] == {"label": "光猫故障", "orders": 2, "share": 2 / 6}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("to=2026-11-02", "from"),
        ("from=2026-10-30&to=20261102x", "to"),
        ("from=2026-10-30&to=2026-11-02&by=quarter", "by"),
        ("from=2026-10-30&to=2026-11-02&format=pdf", "format"),
    ],
)
def test_a_bad_query_is_answered_400_naming_the_field(cast, query, field):
    response = api(cast["zhaomgr"]).get(f"/api/reports/orders?{query}")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_the_csv_file_opens_in_excel_with_chinese_headers(cast, reported, frozen):
    response = api(cast["zhaomgr"]).get(REPORT_URL + "&format=csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="order-report-2026-10-30-2026-11-02-month.csv"'
    )
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    start = rows.index(["分周期指标"])
    header, october, november, total = rows[start + 1 : start + 5]
    assert header[:6] == [
        "统计周期",
        "开始日期",
        "工单量",
        "一线解决量",
        "一线已判定量",
        "一线解决率",
    ]
    assert october[:7] == ["2026-10", "2026-10-01", "4", "1", "3", "33.33%", "未达标"]
    assert november[0] == "2026-11" and total[0] == "合计" and total[2] == "6"
    assert ["光猫故障", "2"] == rows[rows.index(["根因Top10"]) + 2][1:3]


def test_the_xlsx_file_has_a_sheet_per_table_with_numbers_kept_as_numbers(cast, reported, frozen):
    response = api(cast["zhaomgr"]).get(REPORT_URL + "&format=xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "报表信息",
        "分周期指标",
        "环节按时率",
        "部门按时率",
        "业务分类Top10",
        "根因Top10",
    ]
    periods = list(book["分周期指标"].iter_rows(values_only=True))
    assert periods[0][:3] == ("统计周期", "开始日期", "工单量")
    assert periods[1][0] == "2026-10" and periods[1][2] == 4
    assert periods[1][5] == pytest.approx(1 / 3)
    assert book["分周期指标"]["F2"].number_format == "0.00%"
    assert periods[3][0] == "合计"
    departments = list(book["部门按时率"].iter_rows(values_only=True))
    assert ("网络维护部", "全部环节", 2, 3, 0.4) in departments


def test_a_root_cause_that_looks_like_a_formula_stays_text_in_both_files(cast, reported, frozen):
    WorkOrder.objects.filter(pk=reported["o3"].pk).update(root_cause="=1+1")
    client = api(cast["zhaomgr"])
    rows = list(csv.reader(io.StringIO(client.get(REPORT_URL + "&format=csv").content.decode())))
    assert ["2", "'=1+1", "1", "16.67%"] in rows
    book = load_workbook(io.BytesIO(client.get(REPORT_URL + "&format=xlsx").content))
    cause = book["根因Top10"]["B3"]
    assert (cause.value, cause.data_type) == ("=1+1", "s")


def test_an_agent_may_not_read_the_report(cast, reported):
    assert api(cast["xiaowang"]).get(REPORT_URL).status_code == 403


@pytest.mark.parametrize("username", ["ligong", "chenjie", "zhouqa", "wuwfm", "outsider"])
def test_roles_other_than_managers_and_team_leads_may_not_read_the_report(cast, username):
    assert api(cast[username]).get(REPORT_URL).status_code == 403


def test_an_anonymous_caller_may_not_read_the_report(db):
    assert APIClient().get(REPORT_URL).status_code in (401, 403)


@pytest.mark.parametrize(("username", "orders"), [("zhaomgr", 6), ("admin", 6), ("laozhang", 4)])
def test_managers_see_the_whole_center_and_a_team_lead_their_scope(
    cast, reported, frozen, username, orders
):
    response = api(cast[username]).get(REPORT_URL)
    assert response.status_code == 200
    assert response.json()["total"]["orders"] == orders


# The page


def test_the_page_shows_the_target_against_the_actual_in_red_when_missed(cast, reported, frozen):
    page = desk(cast["zhaomgr"]).get("/reports/orders/?from=2026-10-30&to=2026-11-02&by=month")
    assert page.status_code == 200
    html = page.content.decode()
    assert "目标 98.00% · 未达标" in html
    assert '<dd class="bad">40.00%</dd>' in html
    assert '<td class="num bad">33.33%</td>' in html
    assert "<svg" in html and "/api/reports/orders?from=2026-10-30" in html


def test_the_page_opens_on_this_month_by_day(cast, reported, frozen):
    html = desk(cast["zhaomgr"]).get("/reports/orders/").content.decode()
    assert 'value="2026-11-01"' in html and 'value="2026-11-05"' in html
    assert "2026-11-02" in html


def test_the_page_names_a_bad_field_in_chinese(cast):
    page = desk(cast["zhaomgr"]).get("/reports/orders/?from=2026-11-02&to=2026-10-30")
    assert page.status_code == 200
    assert "结束日期：结束日期不能早于开始日期。" in page.content.decode()


def test_htmx_asks_for_the_report_alone(cast, reported, frozen):
    page = desk(cast["laozhang"]).get(
        "/reports/orders/?from=2026-10-30&to=2026-11-02&by=week", HTTP_HX_REQUEST="true"
    )
    html = page.content.decode()
    assert "<html" not in html and "2026-W44" in html
    assert "统计范围：您可见的工单" in html


@pytest.mark.parametrize(
    ("username", "status"),
    [("xiaowang", 403), ("ligong", 403), ("outsider", 403), ("laozhang", 200), ("admin", 200)],
)
def test_the_page_is_for_managers_and_team_leads(cast, username, status):
    assert desk(cast[username]).get("/reports/orders/").status_code == status
