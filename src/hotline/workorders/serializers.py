"""API shapes of work orders, their steps and time limits."""

from rest_framework import serializers

from hotline.accounts.models import Department
from hotline.audit.services import actor_label
from hotline.customers import pii
from hotline.customers.models import Customer, Line, Tier
from hotline.model_serializers import ModelSerializer
from hotline.workorders.models import (
    Category,
    ComplaintLevel,
    FaultScope,
    OrderType,
    StageClock,
    WorkOrder,
)


class CategorySerializer(ModelSerializer):
    class Meta:
        model = Category
        fields = [
            "id",
            "parent",
            "code",
            "name",
            "order_type",
            "service_type",
            "first_line_may_close",
            "default_department",
        ]


class StageClockSerializer(ModelSerializer):
    class Meta:
        model = StageClock
        fields = [
            "stage",
            "round",
            "started_at",
            "limit_amount",
            "limit_unit",
            "due_at",
            "warning_at",
            "paused_since",
            "met_at",
            "business_used",
            "met_in_time",
            "warned_at",
            "breached_at",
        ]


class WorkOrderSerializer(ModelSerializer):
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    owner = serializers.SerializerMethodField()
    handler = serializers.SerializerMethodField()
    department_name = serializers.CharField(source="department.name", read_only=True, default=None)

    class Meta:
        model = WorkOrder
        fields = [
            "id",
            "number",
            "order_type",
            "category",
            "category_name",
            "customer",
            "customer_name",
            "line",
            "contact",
            "description",
            "state",
            "owner",
            "department",
            "department_name",
            "handler",
            "grade",
            "fault_scope",
            "complaint_level",
            "priority",
            "green_channel",
            "repeat_of",
            "promised_contact_at",
            "urge_count",
            "supervised",
            "reopen_count",
            "reply",
            "root_cause",
            "fix",
            "satisfied",
            "created_at",
            "updated_at",
            "archived_at",
        ]

    def get_owner(self, order) -> str:
        return actor_label(order.owner)

    def get_handler(self, order) -> str | None:
        return actor_label(order.handler) if order.handler_id else None


class WorkOrderDetailSerializer(WorkOrderSerializer):
    clocks = StageClockSerializer(many=True, read_only=True)
    line_number = serializers.SerializerMethodField()

    class Meta(WorkOrderSerializer.Meta):
        fields = [*WorkOrderSerializer.Meta.fields, "clocks", "line_number", "suspend_reason"]

    def get_line_number(self, order) -> str | None:
        if not order.line_id:
            return None
        return pii.shown("number", order.line.number, self.context.get("unmasked", False))


class OpenOrderSerializer(serializers.Serializer):
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.all())
    order_type = serializers.ChoiceField(choices=OrderType.choices)
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.filter(active=True))
    description = serializers.CharField(max_length=4000)
    line = serializers.PrimaryKeyRelatedField(
        queryset=Line.objects.all(), required=False, allow_null=True
    )
    fault_scope = serializers.ChoiceField(choices=FaultScope.choices, required=False)
    complaint_level = serializers.ChoiceField(choices=ComplaintLevel.choices, required=False)
    promised_contact_at = serializers.DateTimeField(required=False, allow_null=True)
    contact = serializers.IntegerField(required=False, allow_null=True)


class StepSerializer(serializers.Serializer):
    """What a step may carry; each step reads the fields it needs."""

    reason = serializers.CharField(required=False, allow_blank=True, max_length=200)
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), required=False, allow_null=True
    )
    text = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    satisfied = serializers.BooleanField(required=False, allow_null=True, default=None)
    root_cause = serializers.CharField(required=False, allow_blank=True, max_length=200)
    fix = serializers.CharField(required=False, allow_blank=True, max_length=4000)


# A customer tier, or "vip" for any VIP customer.
PREVIEW_TIERS = [*Tier.choices, ("vip", "VIP")]


class SlaPreviewSerializer(serializers.Serializer):
    order_type = serializers.ChoiceField(choices=OrderType.choices)
    grade = serializers.IntegerField(min_value=1, max_value=4, required=False, allow_null=True)
    complaint_level = serializers.ChoiceField(
        choices=ComplaintLevel.choices, required=False, allow_blank=True, default=""
    )
    tier = serializers.ChoiceField(choices=PREVIEW_TIERS, default="regular")
    start = serializers.DateTimeField(required=False)
