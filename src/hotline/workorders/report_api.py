"""GET /api/reports/orders: the work-order report as JSON, or as a CSV or XLSX download."""

from dataclasses import asdict

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from hotline.core.order_kpis import OnTime, Period
from hotline.workorders import report_export, reports
from hotline.workorders.reports import OrderReport, PeriodRow

FILES = {
    "csv": ("text/csv; charset=utf-8", report_export.to_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        report_export.to_xlsx,
    ),
}


class MaySeeOrderReports(BasePermission):
    def has_permission(self, request, view) -> bool:
        return reports.may_see_order_reports(request.user)


def _clocks(clocks: OnTime) -> dict:
    return {"on_time": clocks.on_time, "late": clocks.late, "rate": clocks.rate}


def _period(row: PeriodRow) -> dict:
    return {"period": row.label, "start": row.start, **asdict(row.counts), **asdict(row.figures)}


def report_json(report: OrderReport) -> dict:
    return {
        "from": report.start,
        "to": report.end,
        "by": report.by.value,
        "generated_at": report.generated_at,
        "customers": report.customers,
        "first_line_target": report.first_line_target,
        "periods": [_period(row) for row in report.periods],
        "total": _period(report.total),
        "on_time_by_stage": [
            {"stage": row.stage, "label": row.label, **_clocks(row.clocks)}
            for row in report.on_time_by_stage
        ],
        "on_time_all_stages": _clocks(report.on_time_all_stages),
        "on_time_by_department": [
            {
                "department_id": row.department_id,
                "department": row.department,
                **_clocks(row.clocks),
                "stages": {stage: _clocks(clocks) for stage, clocks in row.stages.items()},
            }
            for row in report.on_time_by_department
        ],
        "top_categories": [asdict(row) for row in report.top_categories],
        "top_root_causes": [asdict(row) for row in report.top_root_causes],
    }


class OrderReportView(APIView):
    """工单报表: first-line resolution, on-time stages, reopens, repeat faults, complaints per
    10,000 customers, urges and the top categories and root causes, per day, ISO week or
    month of creation (Asia/Shanghai). Managers see every order, team leads their scope."""

    permission_classes = [MaySeeOrderReports]
    renderer_classes = [JSONRenderer]

    def perform_content_negotiation(self, request, force=False):
        # `format` names the file to download here, not one of DRF's renderers: errors and
        # the report itself answer in JSON whatever it says.
        renderer = JSONRenderer()
        return renderer, renderer.media_type

    @extend_schema(
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, required=True, description="first day"),
            OpenApiParameter("to", OpenApiTypes.DATE, required=True, description="last day"),
            OpenApiParameter("by", str, enum=[period.value for period in Period]),
            OpenApiParameter("format", str, enum=["json", *FILES]),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        file_format = request.query_params.get("format", "json")
        if file_format != "json" and file_format not in FILES:
            raise ValidationError({"format": [_("导出格式须为 json、csv 或 xlsx。")]})
        query = reports.read_query(request.query_params)
        report = reports.order_report(
            request.user, query.start, query.end, query.by, timezone.now()
        )
        if file_format == "json":
            return Response(report_json(report))
        content_type, write = FILES[file_format]
        name = f"order-report-{query.start}-{query.end}-{query.by}.{file_format}"
        return HttpResponse(
            write(report),
            content_type=content_type,
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
