"""API shapes of customers, lines, products and imports; personal data masked by role."""

from django.utils.translation import gettext as _
from rest_framework import serializers

from hotline.accounts.models import Region
from hotline.audit.models import AuditEvent
from hotline.core.tiers import ENTERPRISE
from hotline.customers import pii
from hotline.customers.history import shown_label
from hotline.customers.import_rows import clean_id_number, clean_phone
from hotline.customers.models import (
    Customer,
    CustomerNumber,
    ImportBatch,
    Line,
    LineStatus,
    Product,
    ServiceType,
)
from hotline.customers.services import CUSTOMER_VALUE_FIELDS
from hotline.model_serializers import ModelSerializer


class _MaskingMixin:
    """Masks the fields named in hotline.customers.pii unless the requester may see them."""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        unmasked = self.context.get("unmasked", False)
        return {field: pii.shown(field, value, unmasked) for field, value in data.items()}


class ProductSerializer(ModelSerializer):
    class Meta:
        model = Product
        fields = ["id", "code", "name", "service_type", "monthly_fee"]


class RegionSerializer(ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "code", "name"]


class LineSerializer(_MaskingMixin, ModelSerializer):
    products = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Line
        fields = [
            "id",
            "customer",
            "service_type",
            "number",
            "status",
            "install_address",
            "opened_on",
            "products",
        ]


class LineWriteSerializer(serializers.Serializer):
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.all())
    service_type = serializers.ChoiceField(choices=ServiceType.choices)
    number = serializers.CharField(max_length=40)
    status = serializers.ChoiceField(choices=LineStatus.choices, default=LineStatus.ACTIVE)
    install_address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    opened_on = serializers.DateField(required=False, allow_null=True)
    products = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=Product.objects.all(), required=False
    )

    def validate(self, attrs):
        service_type = attrs.get("service_type", getattr(self.instance, "service_type", None))
        if "number" in attrs:
            number = attrs["number"].strip().upper()
            if service_type in (ServiceType.MOBILE, ServiceType.FIXED):
                try:
                    number = clean_phone(number)
                except ValueError as error:
                    raise serializers.ValidationError({"number": [str(error)]}) from None
            taken = Line.objects.filter(number=number)
            if self.instance is not None:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                raise serializers.ValidationError({"number": [_("该号码/账号已存在")]})
            attrs["number"] = number
        return attrs


class CustomerSerializer(_MaskingMixin, ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)
    contact_numbers = serializers.SerializerMethodField()

    class Meta:
        model = Customer
        fields = [
            "id",
            "external_key",
            "kind",
            "name",
            "tier",
            "enterprise_grade",
            "is_vip",
            "region",
            "region_name",
            "id_type",
            "id_number",
            "address",
            "contact_numbers",
            "created_at",
            "updated_at",
        ]

    def get_contact_numbers(self, customer) -> list[str]:
        return [
            entry.number
            for entry in customer.numbers.all()
            if entry.kind == CustomerNumber.Kind.CONTACT
        ]


class CustomerDetailSerializer(CustomerSerializer):
    lines = serializers.SerializerMethodField()

    class Meta(CustomerSerializer.Meta):
        fields = [*CustomerSerializer.Meta.fields, "lines"]

    def get_lines(self, customer) -> list[dict]:
        return LineSerializer(customer.lines.all(), many=True, context=self.context).data


class CustomerWriteSerializer(ModelSerializer):
    external_key = serializers.CharField(max_length=40, required=False)
    contact_numbers = serializers.ListField(
        child=serializers.CharField(max_length=30), required=False, max_length=10
    )

    class Meta:
        model = Customer
        fields = ["external_key", *CUSTOMER_VALUE_FIELDS, "contact_numbers"]

    def validate_external_key(self, value):
        taken = Customer.objects.filter(external_key=value)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise serializers.ValidationError(_("该客户编号已存在"))
        return value

    def validate_contact_numbers(self, values):
        try:
            return sorted({clean_phone(value) for value in values})
        except ValueError as error:
            raise serializers.ValidationError(str(error)) from None

    def validate(self, attrs):
        kind = attrs.get("kind", getattr(self.instance, "kind", None))
        grade = attrs.get("enterprise_grade", getattr(self.instance, "enterprise_grade", ""))
        if grade and kind != ENTERPRISE:
            raise serializers.ValidationError({"enterprise_grade": [_("只有集团客户有集团等级")]})
        if "id_number" in attrs:
            id_type = attrs.get("id_type", getattr(self.instance, "id_type", "resident_id"))
            try:
                attrs["id_number"] = clean_id_number(id_type, attrs["id_number"])
            except ValueError as error:
                raise serializers.ValidationError({"id_number": [str(error)]}) from None
        return attrs


class AuditEventSerializer(ModelSerializer):
    changes = serializers.SerializerMethodField()
    target_label = serializers.SerializerMethodField()

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "at",
            "actor_label",
            "action",
            "source",
            "target_type",
            "target_id",
            "target_label",
            "changes",
            "note",
        ]
        read_only_fields = fields

    def get_changes(self, event) -> dict:
        return pii.shown_changes(event.changes, self.context.get("unmasked", False))

    def get_target_label(self, event) -> str:
        return shown_label(
            event.target_type, event.target_label, self.context.get("unmasked", False)
        )


class ImportBatchSerializer(ModelSerializer):
    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "original_name",
            "status",
            "created_at",
            "finished_at",
            "total_rows",
            "created_count",
            "updated_count",
            "unchanged_count",
            "error_count",
            "errors",
            "failure",
        ]
        read_only_fields = fields


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField()

    def validate_file(self, upload):
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise serializers.ValidationError(_("只能导入 .csv 或 .xlsx 文件"))
        return upload
