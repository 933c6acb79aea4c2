"""GET /api/reports/calls: call KPIs by period and group; /records: the ids behind a figure."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from hotline.customers.api import HasPermissions
from hotline.reports.call_reports import (
    VIEW_CONTACT_REPORTS,
    CallReportQuery,
    call_report,
    ids_behind,
    read_query,
)

QUERY_PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="first day (this month's first)"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="last day, inclusive (today)"),
    OpenApiParameter("by", str, description="interval15 … year (day)"),
    OpenApiParameter("group", str, description="queue, skill_group, team or agent (queue)"),
    OpenApiParameter("kpis", str, description="comma-separated KPI names (all)"),
]


def _query(request) -> CallReportQuery:
    try:
        return read_query(request.query_params, timezone.localdate())
    except DjangoValidationError as error:
        raise ValidationError(error.message_dict) from None


class CallReportView(APIView):
    """One row per period and group key: `period`, `group` and one field per KPI under its
    registered name (docs/kpis.md); a KPI without a figure is null."""

    permission_classes = [HasPermissions]
    required_permissions = [VIEW_CONTACT_REPORTS]

    @extend_schema(parameters=QUERY_PARAMETERS, responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        query = _query(request)
        rows = [
            {"period": row.period, "group": row.group_key, **row.values}
            for row in call_report(query)
        ]
        return Response(
            {
                "from": query.start,
                "to": query.end,
                "by": query.by.value,
                "group": query.group.value,
                "rows": rows,
            }
        )


class CallReportRecordsView(APIView):
    """The ids of the records behind one figure: `kpi`, `period` and `key` name the cell."""

    permission_classes = [HasPermissions]
    required_permissions = [VIEW_CONTACT_REPORTS, "contacts.view_contact"]

    @extend_schema(
        parameters=[
            *QUERY_PARAMETERS,
            OpenApiParameter("kpi", str, required=True),
            OpenApiParameter("period", str, required=True, description="as the report names it"),
            OpenApiParameter("key", str, required=True, description="the group key"),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        query = _query(request)
        params = request.query_params
        required = [_("此项为必填项。")]
        missing = {name: required for name in ("kpi", "period") if not params.get(name)}
        if "key" not in params:  # an empty key is a group: calls no agent took
            missing["key"] = required
        if missing:
            raise ValidationError(missing)
        try:
            ids = ids_behind(query, params["kpi"], params["period"], params["key"])
        except ValueError as error:
            raise ValidationError({"kpi": [str(error)]}) from None
        return Response({"kpi": params["kpi"], "count": len(ids), "ids": ids})
