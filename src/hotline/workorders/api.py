"""REST endpoints of work orders; each translates HTTP and calls one selector or service."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from hotline.api_errors import Conflict
from hotline.audit.models import AuditEvent
from hotline.contacts.models import Contact
from hotline.core.tiers import VIP_TIERS
from hotline.customers import pii
from hotline.customers.api import HasPermissions, RolePermissions
from hotline.customers.scope import may_see_region
from hotline.customers.serializers import AuditEventSerializer
from hotline.workorders import clocks, selectors, services
from hotline.workorders.access import OrderOutOfScope, visible_orders
from hotline.workorders.models import Category, Step, WorkOrder
from hotline.workorders.serializers import (
    CategorySerializer,
    OpenOrderSerializer,
    SlaPreviewSerializer,
    StepSerializer,
    WorkOrderDetailSerializer,
    WorkOrderSerializer,
)
from hotline.workorders.steps import TAKEN_BY_NAME, take_step

API = AuditEvent.Source.API


class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """The business category tree (业务分类), flat with parents."""

    permission_classes = [RolePermissions]
    serializer_class = CategorySerializer
    queryset = Category.objects.filter(active=True)
    filterset_fields = ["order_type", "parent"]


def _take_step(request, order_id: int, step: str, values: dict) -> WorkOrder:
    # The step locks the order within the user's scope; an order read before that would be
    # read twice.
    order = WorkOrder(pk=order_id)
    try:
        return take_step(actor=request.user, source=API, order=order, step=step, values=values)
    except OrderOutOfScope:
        raise NotFound() from None
    except services.StepConflict as conflict:
        raise Conflict(
            f"order {conflict.order.number} is {conflict.order.state}: {step} is no longer possible"
        ) from None


class WorkOrderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Work orders in the caller's scope; steps are POSTed to /api/orders/{id}/{step}/."""

    permission_classes = [RolePermissions]
    required_permissions: list[str] = []  # set per action, for HasPermissions
    queryset = WorkOrder.objects.none()
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if self.action == "list":
            params = self.request.query_params
            which = params.get("list", "all")
            if which not in selectors.LISTS:
                raise ValidationError({"list": [f"one of {', '.join(selectors.LISTS)}"]})
            department = params.get("department") or None
            if department is not None and not department.isdigit():
                raise ValidationError({"department": ["a department id"]})
            return selectors.order_list(
                self.request.user,
                which,
                timezone.now(),
                text=params.get("q", ""),
                order_type=params.get("order_type", ""),
                state=params.get("state", ""),
                department_id=int(department) if department else None,
            )
        return visible_orders(self.request.user).select_related(
            "customer", "category", "owner", "handler", "department", "line"
        )

    def get_serializer_class(self):
        return WorkOrderDetailSerializer if self.action == "retrieve" else WorkOrderSerializer

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "unmasked": pii.may_see_unmasked(self.request.user),
        }

    @extend_schema(
        parameters=[
            OpenApiParameter("list", str, enum=list(selectors.LISTS)),
            OpenApiParameter("q", str, description="words of the description"),
            OpenApiParameter("order_type", str),
            OpenApiParameter("state", str),
            OpenApiParameter("department", int),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=OpenOrderSerializer, responses={201: WorkOrderSerializer})
    def create(self, request):
        """Open an order; the caller becomes its first-contact owner."""
        serializer = OpenOrderSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        if not may_see_region(request.user, values["customer"].region_id):
            raise ValidationError({"customer": ["outside your data scope"]})
        contact_id = values.pop("contact", None)
        contact = Contact.objects.filter(pk=contact_id).first() if contact_id else None
        if contact_id and contact is None:
            raise ValidationError({"contact": ["no such contact"]})
        order = services.open_order(actor=request.user, source=API, contact=contact, **values)
        return Response(self._read(order), status=status.HTTP_201_CREATED)

    def _read(self, order: WorkOrder):
        """The order as a step or the opening left it (the service has checked its scope);
        its clocks are at GET /api/orders/{id}/."""
        return WorkOrderSerializer(order, context=self.get_serializer_context()).data

    @extend_schema(responses=AuditEventSerializer(many=True))
    @action(
        detail=True,
        methods=["get"],
        permission_classes=[HasPermissions],
        required_permissions=["workorders.view_workorder", "audit.view_auditevent"],
    )
    def history(self, request, pk=None):
        """Every step of the order, oldest first."""
        order = self.get_object()
        events = AuditEvent.objects.filter(target_type="workorder", target_id=order.pk).order_by(
            "at", "id"
        )
        page = self.paginate_queryset(events)
        serializer = AuditEventSerializer(
            page, many=True, context={"unmasked": pii.may_see_unmasked(request.user)}
        )
        return self.get_paginated_response(serializer.data)


def _step_view(step: str):
    @extend_schema(
        request=StepSerializer, responses=WorkOrderSerializer, operation_id=f"order_{step}"
    )
    def take(self, request, pk=None):
        serializer = StepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        order = _take_step(request, int(pk), step, serializer.validated_data)
        return Response(self._read(order))

    # Prefixed: a step named "dispatch" must not replace the view's own dispatch().
    take.__name__ = f"step_{step}"
    take.__doc__ = f"Take the step `{step}` ({Step(step).label})."
    # Whether this user may take this step on this order is the lifecycle's to say.
    return action(
        detail=True,
        methods=["post"],
        url_path=step,
        url_name=step.replace("_", "-"),
        permission_classes=[HasPermissions],
        required_permissions=["workorders.view_workorder"],
    )(take)


for _step in TAKEN_BY_NAME:
    setattr(WorkOrderViewSet, f"step_{_step}", _step_view(_step))


class SlaPreviewView(APIView):
    """When a customer may expect each stage: the due times for a type, grade or level,
    tier and start time (now if not given)."""

    permission_classes = [HasPermissions]
    required_permissions = ["workorders.view_workorder"]

    @extend_schema(request=SlaPreviewSerializer, responses={200: dict})
    def post(self, request):
        serializer = SlaPreviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        start = data.get("start") or timezone.now()
        tier = data["tier"]
        key = clocks.PolicyKey(
            data["order_type"],
            data.get("grade"),
            data.get("complaint_level") or "",
            tier == "vip" or tier in VIP_TIERS,
        )
        policy = clocks.policy_for(key)
        due = clocks.preview(key, start)
        return Response(
            {
                "policy": policy.name if policy else None,
                "start": start,
                "stages": {stage: due_at for stage, due_at in due.items()},
            }
        )
