"""The call report page (话务报表), its export, and the records behind each figure."""

from collections.abc import Sequence
from dataclasses import replace
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy

from hotline.accounts.models import SkillGroup
from hotline.contacts.models import AgentStateInterval, Contact
from hotline.core.contact_kpis import KpiRow, definition_of
from hotline.core.contact_tables import Grouping
from hotline.core.kpi_periods import Period
from hotline.core.masking import mask_phone
from hotline.customers import pii
from hotline.reports import call_report_export
from hotline.reports.call_charts import service_level_chart
from hotline.reports.call_reports import (
    VIEW_CONTACT_REPORTS,
    CallReportQuery,
    call_report,
    column_label,
    ids_behind,
    kpi_targets,
    read_query,
)
from hotline.reports.wallboard import STATES, wallboard
from hotline.workorders.models import WorkOrder

# The page's columns; the export carries every KPI.
SHOWN = (
    "offered",
    "answered",
    "abandoned",
    "service_level",
    "service_level_15s",
    "answer_rate",
    "asa",
    "average_abandon_time",
    "longest_wait",
    "aht",
    "transfers",
    "fcr_calls",
    "occupancy",
    "not_ready_ratio",
)
PERIOD_LABELS = {
    Period.INTERVAL15: gettext_lazy("15分钟"),
    Period.INTERVAL30: gettext_lazy("30分钟"),
    Period.INTERVAL60: gettext_lazy("1小时"),
    Period.DAY: gettext_lazy("日"),
    Period.WEEK: gettext_lazy("周"),
    Period.MONTH: gettext_lazy("月"),
    Period.QUARTER: gettext_lazy("季度"),
    Period.YEAR: gettext_lazy("年"),
}
# The issue asks for at least every 5 s; the board is one small query set.
WALLBOARD_REFRESH_S = 3
STATE_LABELS = {
    "ready": gettext_lazy("就绪"),
    "on_contact": gettext_lazy("通话"),
    "after_call_work": gettext_lazy("话后处理"),
    "not_ready": gettext_lazy("置忙"),
}
# The not-ready reason codes the telephony systems commonly send; others are shown as sent.
REASON_LABELS = {
    "break": gettext_lazy("小休"),
    "meal": gettext_lazy("用餐"),
    "training": gettext_lazy("培训"),
    "meeting": gettext_lazy("会议"),
    "coaching": gettext_lazy("辅导"),
    "admin": gettext_lazy("事务处理"),
}
GROUP_LABELS = {
    Grouping.QUEUE: gettext_lazy("队列"),
    Grouping.SKILL_GROUP: gettext_lazy("技能组"),
    Grouping.TEAM: gettext_lazy("班组"),
    Grouping.AGENT: gettext_lazy("坐席"),
}


def as_text(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "ratio":
        return f"{value:.1%}"
    if unit == "seconds":
        return f"{value:,.1f}"
    if unit == "currency":
        return f"¥{value:,.2f}"
    if unit in ("per_10k", "score"):
        return f"{value:.2f}"
    return f"{value:,.0f}"


def _query_params(query: CallReportQuery) -> dict[str, str]:
    return {
        "from": query.start.isoformat(),
        "to": query.end.isoformat(),
        "by": query.by.value,
        "group": query.group.value,
    }


def _shown_kpis() -> tuple[str, ...]:
    return tuple(dict.fromkeys(definition_of(name).name for name in SHOWN))


def _columns() -> list[dict]:
    targets = kpi_targets()
    columns = []
    for name in SHOWN:
        definition = definition_of(name)
        target = targets.get(name)
        columns.append(
            {
                "name": name,
                "label": column_label(name),
                "unit": definition.unit,
                "target": target,
                "target_text": (
                    f"{target.symbol} {as_text(target.value, definition.unit)}" if target else ""
                ),
            }
        )
    return columns


def _shown_rows(rows: Sequence[KpiRow], columns: list[dict], query: CallReportQuery) -> list[dict]:
    base = _query_params(query)
    shown = []
    for row in rows:
        cells = []
        for column in columns:
            value = row.values.get(column["name"])
            target = column["target"]
            link = urlencode(
                {**base, "kpi": column["name"], "period": row.period, "key": row.group_key}
            )
            cells.append(
                {
                    "text": as_text(value, column["unit"]),
                    "missed": bool(target and target.missed(value)),
                    "link": link if value else "",
                }
            )
        shown.append({"period": row.period, "key": row.group_key or "—", "cells": cells})
    return shown


@login_required
@permission_required(VIEW_CONTACT_REPORTS, raise_exception=True)
def call_report_page(request):
    """Call KPIs by period and group against the center's targets; htmx asks for the report
    alone when a picker changes. Opened without a query: this month so far, by day and queue."""
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    try:
        query = read_query(request.GET, today)
    except ValidationError as error:
        errors = error.message_dict
        query = read_query({}, today)
    context: dict = {
        "picked": {**_query_params(query), **request.GET.dict()}
        if errors
        else _query_params(query),
        "periods": [(period.value, label) for period, label in PERIOD_LABELS.items()],
        "groups": [(group.value, label) for group, label in GROUP_LABELS.items()],
        "errors": [
            f"{field}：{message}" for field, messages in errors.items() for message in messages
        ],
    }
    if not errors:
        # Only the figures shown: by queue or skill group they come out of the day
        # summaries, where the export's repeat-caller rate needs every call.
        rows = call_report(replace(query, kpis=_shown_kpis()))
        columns = _columns()
        context.update(
            columns=columns,
            rows=_shown_rows(rows, columns, query),
            group_label=GROUP_LABELS[query.group],
            chart=service_level_chart(rows, kpi_targets().get("service_level")),
            export_query=urlencode(_query_params(query)),
        )
    template = "reports/_call_report.html" if request.htmx else "reports/call_report.html"
    return render(request, template, context)


@login_required
@permission_required(VIEW_CONTACT_REPORTS, raise_exception=True)
def call_report_download(request, file_format: str):
    if file_format not in ("csv", "xlsx"):
        raise Http404("csv or xlsx")
    try:
        query = read_query(request.GET, timezone.localdate())
    except ValidationError as error:
        return HttpResponse(str(error.message_dict), status=400, content_type="text/plain")
    rows = call_report(query)
    name = f"calls-{query.start}-{query.end}-{query.by.value}-{query.group.value}.{file_format}"
    if file_format == "xlsx":
        body = call_report_export.to_xlsx(rows, query)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = call_report_export.to_csv(rows, query).encode("utf-8-sig")
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@permission_required(VIEW_CONTACT_REPORTS, raise_exception=True)
@permission_required("contacts.view_contact", raise_exception=True)
def records_page(request):
    """The records one figure is made of: calls, agent state intervals or work orders."""
    try:
        query = read_query(request.GET, timezone.localdate())
    except ValidationError as error:
        return HttpResponse(str(error.message_dict), status=400, content_type="text/plain")
    kpi, period, key = (request.GET.get(name, "") for name in ("kpi", "period", "key"))
    try:
        definition = definition_of(kpi)
        ids = ids_behind(query, kpi, period, key)
    except (KeyError, ValueError) as error:
        return HttpResponse(str(error), status=400, content_type="text/plain")
    unmasked = pii.may_see_unmasked(request.user)
    if definition.records == "states":
        records = AgentStateInterval.objects.filter(pk__in=ids).select_related("agent")
        kind = "states"
    elif definition.records == "orders":
        records = WorkOrder.objects.filter(pk__in=ids).select_related("owner", "category")
        kind = "orders"
    else:
        records = (
            Contact.objects.filter(pk__in=ids)
            .select_related("agent")
            .order_by("entered_queue_at", "id")
        )
        kind = "calls"
    page = Paginator(records, 100).get_page(request.GET.get("page"))
    if kind == "calls":
        for contact in page:
            contact.shown_caller = (
                contact.caller_number if unmasked else mask_phone(contact.caller_number)
            )
    return render(
        request,
        "reports/records.html",
        {
            "definition": definition,
            "kpi": kpi,
            "period": period,
            "key": key or "—",
            "count": len(ids),
            "kind": kind,
            "page": page,
            "back": urlencode(_query_params(query)),
            "page_query": urlencode({**request.GET.dict(), "page": ""})[:-1],
        },
    )


@login_required
@permission_required(VIEW_CONTACT_REPORTS, raise_exception=True)
def wallboard_index(request):
    """The skill groups, each a link to its wallboard."""
    return render(request, "reports/wallboards.html", {"skill_groups": SkillGroup.objects.all()})


@login_required
@permission_required(VIEW_CONTACT_REPORTS, raise_exception=True)
def wallboard_page(request, code: str):
    """A wall screen for one skill group; htmx asks for the board alone every few seconds."""
    skill_group = get_object_or_404(SkillGroup, code=code)
    board = wallboard(skill_group, timezone.now())
    context = {
        "board": board,
        "states": [(state, STATE_LABELS[state], board.agents.get(state, 0)) for state in STATES],
        "reasons": [
            (REASON_LABELS.get(reason, reason), count)
            for reason, count in board.not_ready_reasons.items()
        ],
        "today": {
            name: as_text(value, definition_of(name).unit) for name, value in board.today.items()
        },
        "longest_wait": f"{board.longest_wait_s:.0f}" if board.longest_wait_s is not None else "—",
        "service_level_missed": bool(
            (target := kpi_targets().get("service_level"))
            and target.missed(board.today["service_level"])
        ),
        "refresh_s": WALLBOARD_REFRESH_S,
    }
    template = "reports/_wallboard.html" if request.htmx else "reports/wallboard.html"
    return render(request, template, context)
