"""Call KPIs for a range of days, by period and group, with the records behind each figure.

The formulas are hotline.core.contact_kpis; this module reads the center's choices from
the settings, loads the tables of the range and asks for the rows. A range is whole
local days, `start` to `end` inclusive.
"""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hotline.core.contact_kpis import (
    KPIS,
    KpiRow,
    computable_from_cells,
    compute,
    compute_from_cells,
    definition_of,
    kpi_names,
    records_behind,
)
from hotline.core.contact_tables import CallTable, Grouping, KpiExtras, StaffCost
from hotline.core.kpi_facts import KpiSettings
from hotline.core.kpi_periods import Period
from hotline.core.kpi_targets import Target, parse_targets
from hotline.reports import tables
from hotline.reports.call_summaries import call_cells_for

VIEW_CONTACT_REPORTS = "reports.view_contact_reports"
# Interval rows of a long range would be more than a page (or a person) can take in.
LONGEST_INTERVAL_RANGE_DAYS = 31
LONGEST_RANGE_DAYS = 3 * 366


def kpi_settings() -> KpiSettings:
    """The center's KPI choices from the settings (HOTLINE_SERVICE_LEVEL_S …)."""
    variants = dict(pair.split("=", 1) for pair in settings.HOTLINE_KPI_VARIANTS)
    return KpiSettings(
        service_level_s=settings.HOTLINE_SERVICE_LEVEL_S,
        reported_thresholds_s=tuple(
            float(value) for value in settings.HOTLINE_SERVICE_LEVEL_THRESHOLDS_S
        ),
        short_abandon_s=settings.HOTLINE_SHORT_ABANDON_S,
        fcr_window_s=settings.HOTLINE_FCR_WINDOW_HOURS * 3600,
        repeat_caller_contacts=settings.HOTLINE_REPEAT_CALLER_CONTACTS,
        repeat_caller_window_s=settings.HOTLINE_REPEAT_CALLER_DAYS * 86400,
        time_zone=settings.TIME_ZONE,
        variants=variants,
    )


def kpi_targets() -> dict[str, Target]:
    return parse_targets(settings.HOTLINE_KPI_TARGETS)


@dataclass(frozen=True)
class CallReportQuery:
    start: datetime.date
    end: datetime.date  # inclusive
    by: Period
    group: Grouping
    kpis: tuple[str, ...] | None = None  # every KPI when None

    def local_range(self) -> tuple[datetime.datetime, datetime.datetime]:
        zone = ZoneInfo(settings.TIME_ZONE)
        after = self.end + datetime.timedelta(days=1)
        return (
            datetime.datetime.combine(self.start, datetime.time(), zone),
            datetime.datetime.combine(after, datetime.time(), zone),
        )


def read_query(params: Mapping[str, str], today: datetime.date) -> CallReportQuery:
    """A query from request parameters (from, to, by, group, kpis); ValidationError names
    each bad field."""
    errors: dict[str, list[str]] = {}

    def day(name: str, default: datetime.date) -> datetime.date:
        text = params.get(name) or ""
        if not text:
            return default
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            errors[name] = [_("日期格式应为 YYYY-MM-DD。")]
            return default

    start = day("from", today.replace(day=1))
    end = day("to", today)
    by = params.get("by") or Period.DAY.value
    group = params.get("group") or Grouping.QUEUE.value
    if by not in Period.__members__.values():
        errors["by"] = [_("应为以下之一：%(choices)s") % {"choices": ", ".join(Period)}]
    if group not in Grouping.__members__.values():
        errors["group"] = [_("应为以下之一：%(choices)s") % {"choices": ", ".join(Grouping)}]
    kpis = tuple(name for name in (params.get("kpis") or "").split(",") if name)
    unknown = [name for name in kpis if name not in kpi_names()]
    if unknown:
        errors["kpis"] = [_("没有这些指标：%(names)s") % {"names": ", ".join(unknown)}]
    if "from" not in errors and "to" not in errors:
        longest = LONGEST_INTERVAL_RANGE_DAYS if by.startswith("interval") else LONGEST_RANGE_DAYS
        if end < start:
            errors["to"] = [_("结束日期不能早于开始日期。")]
        elif (end - start).days + 1 > longest:
            errors["to"] = [_("此统计周期最多查询 %(days)s 天。") % {"days": longest}]
    if errors:
        raise ValidationError(errors)
    return CallReportQuery(start, end, Period(by), Grouping(group), kpis or None)


def _others(query: CallReportQuery, kpis: tuple[str, ...] | None, calls: CallTable | None = None):
    """The tables besides the calls that the KPIs need: agent states (most of the reading)
    only when a KPI made of them is asked for, and not by queue, where those are None by
    definition. The agents' talk is taken from `calls` where they have been read."""
    start, end = query.local_range()
    needs = set().union(*(KPIS[name].needs for name in (kpis or KPIS)))
    states = (
        tables.state_table(start, end, calls)
        if "states" in needs and query.group is not Grouping.QUEUE
        else None
    )
    extras = KpiExtras(
        orders=tables.order_table(start, end) if "orders" in needs else None,
        outages=tables.outages(start, end) if "outages" in needs else None,
        staff_cost=StaffCost(per_hour=settings.HOTLINE_STAFF_COST_PER_HOUR),
    )
    return states, extras


def _inputs(query: CallReportQuery, kpi_settings_: KpiSettings, kpis: tuple[str, ...] | None):
    start, end = query.local_range()
    # Calls after the range are read too: whether a call was resolved at first contact
    # depends on the calls of the next FCR window.
    calls = tables.call_table(start, end + datetime.timedelta(seconds=kpi_settings_.fcr_window_s))
    states, extras = _others(query, kpis, calls)
    return calls, states, extras, int(end.timestamp())


def call_report(query: CallReportQuery) -> Sequence[KpiRow]:
    """The KPI rows of the query, sorted by period and group key: from the days' call
    summaries when every KPI asked for comes out of them, else from the calls."""
    chosen = kpi_settings()
    if query.group in (Grouping.QUEUE, Grouping.SKILL_GROUP) and computable_from_cells(
        query.kpis, chosen
    ):
        cells = call_cells_for(query.start, query.end, chosen)
        states, extras = _others(query, query.kpis)
        return compute_from_cells(
            cells,
            states,
            extras,
            by=query.by,
            group=query.group,
            kpis=query.kpis,
            settings=chosen,
        )
    calls, states, extras, until = _inputs(query, chosen, query.kpis)
    return compute(
        calls,
        states,
        extras,
        by=query.by,
        group=query.group,
        kpis=query.kpis,
        settings=chosen,
        counted_until=until,
    )


def ids_behind(query: CallReportQuery, column: str, period: str, group_key: str) -> list[int]:
    """The ids of the records that make one figure (calls for call KPIs, state intervals or
    orders for theirs)."""
    chosen = kpi_settings()
    calls, states, extras, until = _inputs(query, chosen, (definition_of(column).name,))
    ids = records_behind(
        calls,
        column,
        by=query.by,
        group=query.group,
        period=period,
        group_key=group_key,
        settings=chosen,
        states=states,
        extras=extras,
        counted_until=until,
    )
    return [int(record_id) for record_id in ids]


def column_label(column: str) -> str:
    """The Chinese name of a report column; a family's column adds its own part
    (服务水平 · 15s, 置忙时长 · meal)."""
    definition = definition_of(column)
    if column == definition.name or definition.column_prefix is None:
        return definition.label_zh
    part = column.removeprefix(definition.column_prefix)
    if definition.name == "service_level_at":
        return f"{part.removesuffix('s')}秒服务水平"
    return f"{definition.label_zh.split('（')[0]} · {part}"
