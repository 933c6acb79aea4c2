"""Reports on work orders (工单报表): counts per period in SQL, rates from hotline.core.order_kpis.

Every figure describes the orders created in a period (in the center's time zone)
within the reader's scope; docs/work-order-reports.md defines each one. The
queries group and count in the database, the same SQL on SQLite and PostgreSQL:
a report reads a handful of aggregate rows, never the orders themselves.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, DateField, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, Trim, TruncDay, TruncMonth, TruncWeek
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from hotline.core import order_kpis
from hotline.core.order_kpis import OnTime, OrderCounts, OrderFigures, Period
from hotline.customers.selectors import visible_customers
from hotline.workorders.access import visible_orders
from hotline.workorders.models import OrderType, StageClock, WorkOrder

REPORTS_PERMISSION = "workorders.view_order_reports"
TOP = 10
# Dates a report may ask for: enough for any center's records, and far enough from the
# calendar's ends that the day after the range still exists.
EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)

PERIOD_LABELS = {Period.DAY: _lazy("按日"), Period.WEEK: _lazy("按周"), Period.MONTH: _lazy("按月")}
_TRUNC = {Period.DAY: TruncDay, Period.WEEK: TruncWeek, Period.MONTH: TruncMonth}
_ON_TIME = Q(met_at__isnull=False, met_in_time=True)


def may_see_order_reports(user) -> bool:
    """Team leads, managers and admins; each reads the orders in their own scope."""
    return user.is_authenticated and user.has_perm(REPORTS_PERMISSION)


@dataclass(frozen=True)
class ReportQuery:
    start: date
    end: date
    by: Period


def default_query(today: date) -> ReportQuery:
    """This month so far, by day: what a page opened without a query shows."""
    return ReportQuery(today.replace(day=1), today, Period.DAY)


def read_query(params: Mapping[str, str]) -> ReportQuery:
    """The report asked for by `from`, `to` (YYYY-MM-DD, both included) and `by` (day by
    default); ValidationError names each field that is missing or wrong."""
    errors: dict[str, list[str]] = {}
    days: dict[str, date] = {}
    for name in ("from", "to"):
        try:
            days[name] = _day((params.get(name) or "").strip())
        except ValueError as error:
            errors[name] = [str(error)]
    try:
        by = Period((params.get("by") or Period.DAY).strip())
    except ValueError:
        errors["by"] = [_("统计周期须为 day、week 或 month。")]
    if not errors:
        if days["to"] < days["from"]:
            errors["to"] = [_("结束日期不能早于开始日期。")]
        elif order_kpis.period_count(days["from"], days["to"], by) > order_kpis.MAX_PERIODS:
            errors["by"] = [
                _("时间段过多（最多 %(count)s 个），请缩短日期范围或按更长的周期统计。")
                % {"count": order_kpis.MAX_PERIODS}
            ]
    if errors:
        raise ValidationError(errors)
    return ReportQuery(days["from"], days["to"], by)


def _day(raw: str) -> date:
    """A YYYY-MM-DD day within the years reports cover; ValueError says what is wrong."""
    if not raw:
        raise ValueError(_("请填写日期。"))
    try:
        day = parse_date(raw)
    except ValueError:
        raise ValueError(_("没有这一天。")) from None  # the shape of a date: 2026-02-30
    if day is None:
        raise ValueError(_("日期格式应为 YYYY-MM-DD。"))
    if not EARLIEST <= day <= LATEST:
        raise ValueError(_("日期须在 2000-01-01 至 2099-12-31 之间。"))
    return day


@dataclass(frozen=True)
class PeriodRow:
    label: str
    start: date
    counts: OrderCounts
    figures: OrderFigures


@dataclass(frozen=True)
class StageOnTime:
    stage: str  # a StageClock.Stage value
    label: str
    clocks: OnTime


@dataclass(frozen=True)
class DepartmentOnTime:
    department_id: int | None  # None: the orders no department holds
    department: str
    clocks: OnTime  # every stage
    stages: dict[str, OnTime]  # by StageClock.Stage value; stages without clocks are left out


@dataclass(frozen=True)
class Ranked:
    label: str
    orders: int
    share: float | None  # of all the report's orders


@dataclass(frozen=True)
class OrderReport:
    start: date
    end: date
    by: Period
    generated_at: datetime
    customers: int  # the reader's customer base now: the complaint rate's denominator
    first_line_target: float
    periods: list[PeriodRow]
    total: PeriodRow
    on_time_by_stage: list[StageOnTime]
    on_time_all_stages: OnTime
    on_time_by_department: list[DepartmentOnTime]
    top_categories: list[Ranked]
    top_root_causes: list[Ranked]


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _period_of(field: str, by: Period):
    return _TRUNC[by](field, tzinfo=_zone(), output_field=DateField())


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=_zone())


def orders_in_range(user, start: date, end: date) -> QuerySet[WorkOrder]:
    """The orders created from `start` to `end` (both included, local days) that the user
    may see."""
    return visible_orders(user).filter(
        created_at__gte=_midnight(start), created_at__lt=_midnight(end + timedelta(days=1))
    )


def _order_counts(orders: QuerySet[WorkOrder], by: Period) -> dict[date, dict]:
    rows = (
        orders.annotate(period=_period_of("created_at", by))
        .values("period")
        .annotate(
            orders=Count("id"),
            first_line_resolved=Count("id", filter=Q(resolved_at_first_contact=True)),
            first_line_decided=Count("id", filter=Q(resolved_at_first_contact__isnull=False)),
            # Reopening happens only at a callback, so a reopened order was called back
            # even when its latest callback has not been recorded yet.
            called_back=Count("id", filter=Q(satisfied__isnull=False) | Q(reopen_count__gt=0)),
            reopened=Count("id", filter=Q(reopen_count__gt=0)),
            faults=Count("id", filter=Q(order_type=OrderType.FAULT)),
            repeat_faults=Count(
                "id", filter=Q(order_type=OrderType.FAULT, repeat_of__isnull=False)
            ),
            complaints=Count("id", filter=Q(order_type=OrderType.COMPLAINT)),
            urges=Coalesce(Sum("urge_count"), 0),
            urged_orders=Count("id", filter=Q(urge_count__gt=0)),
        )
        .order_by("period")
    )
    return {row.pop("period"): row for row in rows}


def _late(now: datetime) -> Q:
    # A clock still running past its due time is late already, whatever happens next; a
    # suspended clock has no due time while the suspension lasts.
    return Q(met_at__isnull=False, met_in_time=False) | Q(met_at__isnull=True, due_at__lt=now)


def _clock_counts(clocks: QuerySet[StageClock], now: datetime, *group: str) -> list[dict]:
    return list(
        clocks.values(*group)
        .annotate(on_time=Count("id", filter=_ON_TIME), late=Count("id", filter=_late(now)))
        .order_by(*group)
    )


def _periods(
    orders: QuerySet[WorkOrder],
    clocks: QuerySet[StageClock],
    query: ReportQuery,
    now: datetime,
    customers: int,
    target: float,
) -> list[PeriodRow]:
    counts = _order_counts(orders, query.by)
    judged = {
        row["period"]: row
        for row in _clock_counts(
            clocks.annotate(period=_period_of("order__created_at", query.by)), now, "period"
        )
    }
    rows = []
    for start in order_kpis.period_starts(query.start, query.end, query.by):
        clock_row = judged.get(start, {})
        period_counts = OrderCounts(
            **counts.get(start, {}),
            clocks_on_time=clock_row.get("on_time", 0),
            clocks_late=clock_row.get("late", 0),
        )
        rows.append(
            PeriodRow(
                label=order_kpis.period_label(start, query.by),
                start=start,
                counts=period_counts,
                figures=order_kpis.order_figures(period_counts, customers, target),
            )
        )
    return rows


def _on_time_by_department(clocks: QuerySet[StageClock], now: datetime) -> list[DepartmentOnTime]:
    names: dict[int | None, str] = {}
    stages: dict[int | None, dict[str, OnTime]] = {}
    for row in _clock_counts(
        clocks, now, "order__department_id", "order__department__name", "stage"
    ):
        counts = OnTime(row["on_time"], row["late"])
        if counts.judged == 0:
            continue
        department_id = row["order__department_id"]
        names[department_id] = row["order__department__name"] or _("一线/未派单")
        stages.setdefault(department_id, {})[row["stage"]] = counts
    departments = [
        DepartmentOnTime(key, name, sum(stages[key].values(), OnTime()), stages[key])
        for key, name in names.items()
    ]
    # The first line first, then the departments by name.
    return sorted(departments, key=lambda item: (item.department_id is not None, item.department))


def _top_categories(orders: QuerySet[WorkOrder], all_orders: int) -> list[Ranked]:
    rows = (
        orders.values("category_id", "category__name", "category__parent__name")
        .annotate(orders=Count("id"))
        .order_by("-orders", "category__name", "category_id")[:TOP]
    )
    return [
        Ranked(
            label=" / ".join(
                name for name in (row["category__parent__name"], row["category__name"]) if name
            ),
            orders=row["orders"],
            share=order_kpis.rate(row["orders"], all_orders),
        )
        for row in rows
    ]


def _top_root_causes(orders: QuerySet[WorkOrder], all_orders: int) -> list[Ranked]:
    rows = (
        orders.annotate(cause=Trim("root_cause"))
        .exclude(cause="")
        .values("cause")
        .annotate(orders=Count("id"))
        .order_by("-orders", "cause")[:TOP]
    )
    return [
        Ranked(row["cause"], row["orders"], order_kpis.rate(row["orders"], all_orders))
        for row in rows
    ]


def order_report(user, start: date, end: date, by: Period | str, now: datetime) -> OrderReport:
    """The work-order report of the orders `user` may see, created from `start` to `end`
    (local days, both included), by day, ISO week or month; `now` judges running clocks."""
    query = ReportQuery(start, end, Period(by))
    orders = orders_in_range(user, start, end)
    clocks = StageClock.objects.filter(order__in=orders.values("pk"))
    customers = visible_customers(user).count()
    target = settings.HOTLINE_FIRST_LINE_TARGET
    periods = _periods(orders, clocks, query, now, customers, target)
    total_counts = order_kpis.total(row.counts for row in periods)
    by_department = _on_time_by_department(clocks, now)
    stage_labels = dict(StageClock.Stage.choices)
    by_stage = [
        StageOnTime(
            stage,
            str(stage_labels[stage]),
            sum((item.stages.get(stage, OnTime()) for item in by_department), OnTime()),
        )
        for stage in StageClock.Stage.values
    ]
    return OrderReport(
        start=start,
        end=end,
        by=query.by,
        generated_at=now,
        customers=customers,
        first_line_target=target,
        periods=periods,
        total=PeriodRow(
            label=_("合计"),
            start=start,
            counts=total_counts,
            figures=order_kpis.order_figures(total_counts, customers, target),
        ),
        on_time_by_stage=by_stage,
        on_time_all_stages=sum((item.clocks for item in by_department), OnTime()),
        on_time_by_department=by_department,
        top_categories=_top_categories(orders, total_counts.orders),
        top_root_causes=_top_root_causes(orders, total_counts.orders),
    )
