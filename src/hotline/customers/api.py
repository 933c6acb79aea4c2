"""REST endpoints of the customer base; each translates HTTP and calls a selector or service."""

import django_filters
from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from hotline.accounts.models import Region
from hotline.accounts.roles import ROLE_LABELS
from hotline.audit.models import AuditEvent
from hotline.customers import pii, selectors, services
from hotline.customers.import_batches import queue_customer_import
from hotline.customers.import_rows import clean_phone
from hotline.customers.models import (
    Customer,
    CustomerKind,
    CustomerNumber,
    ImportBatch,
    Line,
    Product,
    Tier,
)
from hotline.customers.scope import visible_region_ids
from hotline.customers.serializers import (
    AuditEventSerializer,
    CustomerDetailSerializer,
    CustomerSerializer,
    CustomerWriteSerializer,
    ImportBatchSerializer,
    ImportUploadSerializer,
    LineSerializer,
    LineWriteSerializer,
    ProductSerializer,
    RegionSerializer,
)


class RolePermissions(permissions.DjangoModelPermissions):
    """Model permissions of the user's role, reading included (Django's default lets GET by)."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }

    def _queryset(self, view):
        # Only the model is needed; DRF would build the view's real queryset for it, and a
        # list that reads ids first (the overdue work list) would read them twice.
        return view.queryset


class HasPermissions(permissions.BasePermission):
    """Requires every permission listed in the view's `required_permissions`."""

    def has_permission(self, request, view):
        return request.user.is_authenticated and request.user.has_perms(view.required_permissions)


class CustomerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_noop", label="search text")
    tier = django_filters.ChoiceFilter(choices=Tier.choices, method="filter_noop")
    kind = django_filters.ChoiceFilter(choices=CustomerKind.choices, method="filter_noop")
    region = django_filters.NumberFilter(method="filter_noop")
    is_vip = django_filters.BooleanFilter(method="filter_noop")

    class Meta:
        model = Customer
        fields = ["q", "tier", "kind", "region", "is_vip"]

    def filter_noop(self, queryset, name, value):
        return queryset  # the whole search runs in filter_queryset, through the selector

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return selectors.search_customers(
            self.request.user,
            data.get("q") or "",
            tier=data.get("tier") or None,
            region_id=data.get("region") or None,
            kind=data.get("kind") or None,
            vip=data.get("is_vip"),
        )


def _with_numbers(customers):
    return customers.prefetch_related(
        Prefetch(
            "numbers", queryset=CustomerNumber.objects.filter(kind=CustomerNumber.Kind.CONTACT)
        )
    )


class CustomerViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Customers in the caller's data scope. Lists are always masked; a single customer is
    shown whole to roles that may see personal data, and that viewing is recorded."""

    permission_classes = [RolePermissions]
    required_permissions: list[str] = []  # set per action, for HasPermissions
    filterset_class = CustomerFilter
    queryset = Customer.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self):
        customers = selectors.visible_customers(self.request.user)
        if self.action == "retrieve":
            customers = customers.prefetch_related("lines__products")
        return _with_numbers(customers)

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return CustomerWriteSerializer
        if self.action == "retrieve":
            return CustomerDetailSerializer
        return CustomerSerializer

    def retrieve(self, request, *args, **kwargs):
        customer = self.get_object()
        unmasked = pii.may_see_unmasked(request.user)
        if unmasked:
            services.record_personal_data_viewed(
                actor=request.user, source=AuditEvent.Source.API, customer=customer
            )
        serializer = CustomerDetailSerializer(
            customer, context={**self.get_serializer_context(), "unmasked": unmasked}
        )
        return Response(serializer.data)

    @extend_schema(request=CustomerWriteSerializer, responses=CustomerSerializer)
    def create(self, request, *args, **kwargs):
        serializer = CustomerWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        region = serializer.validated_data["region"]
        if not _region_visible(request.user, region):
            raise ValidationError({"region": ["outside your data scope"]})
        customer = services.create_customer(
            actor=request.user, source=AuditEvent.Source.API, values=serializer.validated_data
        )
        return Response(self._read(customer), status=status.HTTP_201_CREATED)

    @extend_schema(request=CustomerWriteSerializer, responses=CustomerSerializer)
    def update(self, request, *args, **kwargs):
        customer = self.get_object()
        serializer = CustomerWriteSerializer(
            customer, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        region = serializer.validated_data.get("region")
        if region is not None and not _region_visible(request.user, region):
            raise ValidationError({"region": ["outside your data scope"]})
        customer = services.update_customer(
            actor=request.user,
            source=AuditEvent.Source.API,
            customer=customer,
            values=serializer.validated_data,
        )
        return Response(self._read(customer))

    def _read(self, customer):
        customer = _with_numbers(Customer.objects.select_related("region")).get(pk=customer.pk)
        return CustomerSerializer(customer, context=self.get_serializer_context()).data

    @extend_schema(responses=AuditEventSerializer(many=True))
    @action(
        detail=True,
        methods=["get"],
        permission_classes=[HasPermissions],
        required_permissions=["customers.view_customer", "audit.view_auditevent"],
    )
    def history(self, request, pk=None):
        """The audit history of the customer and its lines, newest first; read-only."""
        customer = self.get_object()
        page = self.paginate_queryset(selectors.customer_history(customer))
        serializer = AuditEventSerializer(
            page, many=True, context={"unmasked": pii.may_see_unmasked(request.user)}
        )
        return self.get_paginated_response(serializer.data)

    @extend_schema(
        parameters=[
            OpenApiParameter("number", str, required=True, description="the calling number")
        ],
        responses=CustomerSerializer(many=True),
    )
    @action(detail=False, methods=["get"])
    def lookup(self, request):
        """Who is calling: the customers a number belongs to (screen-pop)."""
        raw = request.query_params.get("number", "")
        try:
            number = clean_phone(raw) if raw.strip() else ""
        except ValueError as error:
            raise ValidationError({"number": [str(error)]}) from None
        if not number:
            raise ValidationError({"number": ["This field is required."]})
        found = selectors.find_by_caller_number(request.user, number)
        customers = _with_numbers(Customer.objects.select_related("region")).filter(
            pk__in=[customer.pk for customer in found]
        )
        return Response(CustomerSerializer(customers, many=True).data)


def _region_visible(user, region) -> bool:
    regions = visible_region_ids(user)
    return regions is None or region.pk in regions


class LineViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [RolePermissions]
    filterset_fields = ["customer", "service_type", "status", "number"]
    queryset = Line.objects.none()

    def get_queryset(self):
        lines = Line.objects.select_related("customer").prefetch_related("products")
        regions = visible_region_ids(self.request.user)
        return lines if regions is None else lines.filter(customer__region_id__in=regions)

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return LineWriteSerializer
        return LineSerializer

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "unmasked": pii.may_see_unmasked(self.request.user),
        }

    @extend_schema(request=LineWriteSerializer, responses=LineSerializer)
    def create(self, request, *args, **kwargs):
        serializer = LineWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        customer = values.pop("customer")
        if not _region_visible(request.user, customer.region):
            raise ValidationError({"customer": ["outside your data scope"]})
        line = services.create_line(
            actor=request.user, source=AuditEvent.Source.API, customer=customer, values=values
        )
        return Response(
            LineSerializer(line, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=LineWriteSerializer, responses=LineSerializer)
    def update(self, request, *args, **kwargs):
        line = self.get_object()
        serializer = LineWriteSerializer(
            line, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        if values.pop("customer", line.customer) != line.customer:
            raise ValidationError({"customer": ["a line cannot move to another customer here"]})
        line = services.update_line(
            actor=request.user, source=AuditEvent.Source.API, line=line, values=values
        )
        return Response(LineSerializer(line, context=self.get_serializer_context()).data)


class ProductViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [RolePermissions]
    serializer_class = ProductSerializer
    queryset = Product.objects.all()
    filterset_fields = ["service_type"]


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """Regions (districts); every signed-in user may list them."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = RegionSerializer
    queryset = Region.objects.all()


class ImportBatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [HasPermissions]
    required_permissions = ["customers.import_customers"]
    serializer_class = ImportBatchSerializer
    queryset = ImportBatch.objects.all()

    @extend_schema(
        request={"multipart/form-data": ImportUploadSerializer},
        responses={202: ImportBatchSerializer},
    )
    def create(self, request):
        """Upload a CSV or XLSX file of customers; the import runs in the background."""
        upload = ImportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        batch = queue_customer_import(actor=request.user, upload=upload.validated_data["file"])
        return Response(ImportBatchSerializer(batch).data, status=status.HTTP_202_ACCEPTED)


class MeView(APIView):
    """Who the caller is: agent ID, role, regions."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: dict})
    def get(self, request):
        user = request.user
        return Response(
            {
                "username": user.username,
                "agent_id": user.agent_id,
                "full_name": user.full_name,
                "role": user.role,
                "role_label": str(ROLE_LABELS.get(user.role, "")),
                "regions": list(user.regions.values_list("name", flat=True)),
                "all_regions": visible_region_ids(user) is None,
                "sees_unmasked_personal_data": pii.may_see_unmasked(user),
            }
        )
