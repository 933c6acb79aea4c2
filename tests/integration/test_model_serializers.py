"""Serializers whose fields are derived from the model once per class."""

from rest_framework import serializers as drf

from hotline.model_serializers import ModelSerializer
from hotline.workorders.models import WorkOrder
from hotline.workorders.serializers import WorkOrderDetailSerializer
from tests.orders import open_order


def test_each_serializer_answers_with_its_own_context(cast, customer):
    line = customer.lines.get(service_type="broadband")
    order = open_order(cast["xiaowang"], customer, "broadband.down", "宽带断网", line=line)
    order = WorkOrder.objects.select_related("customer", "category", "owner", "line").get(
        pk=order.pk
    )

    def line_number(unmasked: bool) -> str:
        return WorkOrderDetailSerializer(order, context={"unmasked": unmasked}).data["line_number"]

    masked = line_number(False)
    assert line_number(True) == line.number
    assert line_number(False) == masked != line.number


def test_the_model_is_read_once_per_class_and_each_instance_has_its_own_fields(monkeypatch):
    derived = []
    derive = drf.ModelSerializer.get_fields

    def counting(self):
        derived.append(type(self))
        return derive(self)

    monkeypatch.setattr(drf.ModelSerializer, "get_fields", counting)

    class OrderNumbers(ModelSerializer):
        class Meta:
            model = WorkOrder
            fields = ["id", "number", "state"]

    class OrderStates(OrderNumbers):
        class Meta(OrderNumbers.Meta):
            fields = ["id", "state"]

    first, second, third = OrderNumbers(), OrderNumbers(), OrderStates()
    assert list(first.fields) == list(second.fields) == ["id", "number", "state"]
    assert list(third.fields) == ["id", "state"]
    assert derived == [OrderNumbers, OrderStates]
    assert first.fields["number"] is not second.fields["number"]
    assert first.fields["number"].parent is first
    assert second.fields["number"].parent is second
