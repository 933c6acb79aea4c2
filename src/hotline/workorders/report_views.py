"""The work-order report page (工单报表): pickers, the target against the actual, the tables."""

import math
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from hotline.core.order_kpis import Period
from hotline.workorders.access import VIEW_ALL_ORDERS
from hotline.workorders.report_export import (
    COUNT,
    PER_10K,
    RATE,
    VERDICT,
    Table,
    as_text,
    tables,
)
from hotline.workorders.reports import (
    PERIOD_LABELS,
    OrderReport,
    PeriodRow,
    default_query,
    may_see_order_reports,
    order_report,
    read_query,
)

_NUMERIC = {COUNT, RATE, PER_10K}
# The chart's drawing area, in SVG user units; the page scales it to its width.
_BAR_STEP, _PLOT_HEIGHT, _TOP, _BOTTOM, _LEFT = 28, 140, 8, 22, 36
# A rate of 0 still draws a sliver, so that a missed period shows red.
_LEAST_BAR = 2
# Period names under the bars: a name is about 6 units a character at the chart's font
# size, and no more than this many are written, so that none overlap.
_CHAR_WIDTH, _CHART_LABELS = 6, 16


@login_required
def order_report_page(request):
    """The report of the orders the user may see; htmx asks for the report alone when a
    picker changes. A page opened without a query shows this month so far, by day."""
    if not may_see_order_reports(request.user):
        raise PermissionDenied
    now = timezone.now()
    query = default_query(timezone.localdate(now))
    errors: dict[str, list[str]] = {}
    if request.GET:
        try:
            query = read_query(request.GET)
        except ValidationError as error:
            errors = error.message_dict
    picked = {"from": query.start.isoformat(), "to": query.end.isoformat(), "by": query.by}
    labels = {"from": _("开始日期"), "to": _("结束日期"), "by": _("统计周期")}
    context: dict = {
        "picked": {**picked, **request.GET.dict()} if errors else picked,
        "periods": list(PERIOD_LABELS.items()),
        "errors": [
            f"{labels.get(field, field)}：{message}"
            for field, messages in errors.items()
            for message in messages
        ],
        "whole_center": request.user.has_perm(VIEW_ALL_ORDERS),
    }
    if not errors:
        report = order_report(request.user, query.start, query.end, query.by, now)
        context.update(
            report=report,
            headline=_headline(report),
            tables=[_shown(table, report) for table in tables(report)],
            chart=_first_line_chart(report),
            export_query=urlencode(picked),
        )
    template = "workorders/_order_report.html" if request.htmx else "workorders/order_report.html"
    return render(request, template, context)


def _headline(report: OrderReport) -> list[dict]:
    """The range's figures at a glance, the first-line rate against its target first."""
    counts, figures = report.total.counts, report.total.figures
    target = as_text(report.first_line_target, RATE)
    verdict = as_text(figures.first_line_target_met, VERDICT)
    return [
        {
            "label": _("一线解决率"),
            "value": as_text(figures.first_line_rate, RATE) or "—",
            "note": _("目标 %(target)s") % {"target": target}
            + (f" · {verdict}" if verdict else ""),
            "missed": figures.first_line_target_met is False,
        },
        {
            "label": _("环节按时率"),
            "value": as_text(figures.on_time_rate, RATE) or "—",
            "note": _("超时 %(count)s 个环节") % {"count": counts.clocks_late},
        },
        {
            "label": _("返单率"),
            "value": as_text(figures.reopen_rate, RATE) or "—",
            "note": _("回访 %(count)s 单") % {"count": counts.called_back},
        },
        {
            "label": _("重复障碍率"),
            "value": as_text(figures.repeat_fault_rate, RATE) or "—",
            "note": _("故障 %(count)s 单") % {"count": counts.faults},
        },
        {
            "label": _("万户投诉量"),
            "value": as_text(figures.complaints_per_10k, PER_10K) or "—",
            "note": _("投诉 %(count)s 单 / 客户 %(customers)s 户")
            % {"count": counts.complaints, "customers": report.customers},
        },
        {
            "label": _("催单次数"),
            "value": str(counts.urges),
            "note": _("被催工单 %(count)s 单") % {"count": counts.urged_orders},
        },
    ]


def _shown(table: Table, report: OrderReport) -> dict:
    """A table as the page writes it: each cell's text and its classes (numbers right-aligned,
    missed targets red, the total row set apart)."""
    rows = []
    for row, values in zip(table.rows, table.values(), strict=True):
        cells = []
        for column, value in zip(table.columns, values, strict=True):
            classes = ["num"] if column.kind in _NUMERIC else []
            if column.missed is not None and column.missed(row):
                classes.append("bad")
            cells.append((as_text(value, column.kind), " ".join(classes)))
        rows.append({"cells": cells, "total": row is report.total})
    return {
        "title": table.title,
        "header": [
            (column.label, "num" if column.kind in _NUMERIC else "") for column in table.columns
        ],
        "rows": rows,
    }


def _first_line_chart(report: OrderReport) -> dict:
    """Bars of the first-line resolution rate per period, and the target as a line, in SVG
    units; a period without a first-line decision has no bar."""

    def y(share: float) -> float:
        return round(_TOP + _PLOT_HEIGHT * (1 - share), 1)

    names = [_short_label(row, report.by) for row in report.periods]
    widest = max(len(name) for name in names) * _CHAR_WIDTH + 8
    every = max(math.ceil(widest / _BAR_STEP), math.ceil(len(names) / _CHART_LABELS))
    bars = []
    for index, (row, name) in enumerate(zip(report.periods, names, strict=True)):
        x = _LEFT + index * _BAR_STEP
        share = row.figures.first_line_rate
        height = max(round(_PLOT_HEIGHT * (share or 0), 1), _LEAST_BAR)
        bars.append(
            {
                "x": x + 3,
                "width": _BAR_STEP - 6,
                "y": y(0) - height,
                "height": height,
                "shown": share is not None,
                "missed": row.figures.first_line_target_met is False,
                "title": f"{row.label}: {as_text(share, RATE) or '—'}",
                "label": name if index % every == 0 else "",
                "label_x": x + _BAR_STEP / 2,
            }
        )
    width = _LEFT + _BAR_STEP * len(report.periods) + 4
    return {
        "width": width,
        "height": _TOP + _PLOT_HEIGHT + _BOTTOM,
        "bars": bars,
        "target_y": y(report.first_line_target),
        "target": as_text(report.first_line_target, RATE),
        "top_y": y(1),
        "base_y": y(0),
        "label_y": y(0) + 15,
        "left": _LEFT,
    }


def _short_label(row: PeriodRow, by: Period) -> str:
    """10-31 for a day, W44 for a week, 2026-10 for a month: short enough to sit under a bar."""
    if by is Period.DAY:
        return f"{row.start:%m-%d}"
    if by is Period.WEEK:
        return row.label.split("-")[-1]
    return row.label
