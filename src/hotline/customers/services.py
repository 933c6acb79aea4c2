"""Use cases that write customers and lines; each one checks, writes and records history."""

import uuid

from django.db import transaction

from hotline.audit.models import AuditEvent
from hotline.audit.services import record
from hotline.core.changes import field_changes
from hotline.core.identity import id_tail
from hotline.core.tiers import is_vip
from hotline.customers.history import customer_snapshot, history_label, line_snapshot
from hotline.customers.models import Customer, CustomerNumber, Line, Subscription
from hotline.customers.pii import UNMASKED_PERMISSION
from hotline.customers.scope import require_permission, require_region

CUSTOMER_VALUE_FIELDS = (
    "kind",
    "name",
    "tier",
    "enterprise_grade",
    "region",
    "id_type",
    "id_number",
    "address",
)
LINE_VALUE_FIELDS = ("service_type", "number", "status", "install_address", "opened_on")


def _record(actor, source: str, action: str, target, customer_id: int, **details) -> None:
    record(
        actor=actor,
        action=action,
        source=source,
        target=target,
        label=history_label(target),
        customer_id=customer_id,
        **details,
    )


def new_external_key() -> str:
    """A key for a customer entered by hand, distinct from the BSS keys imports carry."""
    return "HL" + uuid.uuid4().hex[:14].upper()


def refresh_derived_fields(customer: Customer) -> None:
    customer.is_vip = is_vip(customer.tier, customer.kind, customer.enterprise_grade)
    customer.id_tail = id_tail(customer.id_number) if customer.id_number else ""


def contact_numbers_of(customer: Customer) -> list[str]:
    return list(
        customer.numbers.filter(kind=CustomerNumber.Kind.CONTACT).values_list("number", flat=True)
    )


def _replace_contact_numbers(customer: Customer, numbers: list[str]) -> None:
    current = set(contact_numbers_of(customer))
    wanted = set(numbers)
    customer.numbers.filter(kind=CustomerNumber.Kind.CONTACT, number__in=current - wanted).delete()
    CustomerNumber.objects.bulk_create(
        CustomerNumber(customer=customer, number=number, kind=CustomerNumber.Kind.CONTACT)
        for number in sorted(wanted - current)
    )


@transaction.atomic
def create_customer(*, actor, source: str, values: dict) -> Customer:
    """Open a customer record by hand; `values` are cleaned fields plus `contact_numbers`."""
    require_permission(actor, "customers.add_customer")
    require_region(actor, values["region"].pk)
    customer = Customer(external_key=values.get("external_key") or new_external_key())
    for field in CUSTOMER_VALUE_FIELDS:
        if field in values:
            setattr(customer, field, values[field])
    refresh_derived_fields(customer)
    customer.save()
    numbers = list(values.get("contact_numbers", []))
    _replace_contact_numbers(customer, numbers)
    _record(
        actor,
        source,
        AuditEvent.Action.CREATE,
        customer,
        customer.pk,
        changes=field_changes({}, customer_snapshot(customer, numbers)),
    )
    return customer


@transaction.atomic
def update_customer(*, actor, source: str, customer: Customer, values: dict) -> Customer:
    """Change a customer's fields; only fields present in `values` are touched."""
    require_permission(actor, "customers.change_customer")
    customer = Customer.objects.select_for_update().select_related("region").get(pk=customer.pk)
    require_region(actor, customer.region_id)
    before = customer_snapshot(customer, contact_numbers_of(customer))
    for field in CUSTOMER_VALUE_FIELDS:
        if field in values:
            setattr(customer, field, values[field])
    require_region(actor, customer.region_id)
    refresh_derived_fields(customer)
    customer.save()
    numbers = before["contact_numbers"]
    if "contact_numbers" in values:
        numbers = list(values["contact_numbers"])
        _replace_contact_numbers(customer, numbers)
    changes = field_changes(before, customer_snapshot(customer, numbers))
    if changes:
        _record(actor, source, AuditEvent.Action.UPDATE, customer, customer.pk, changes=changes)
    return customer


def _product_codes(line: Line) -> list[str]:
    return list(line.subscriptions.values_list("product__code", flat=True))


def _replace_products(line: Line, products) -> None:
    wanted = {product.pk for product in products}
    line.subscriptions.exclude(product_id__in=wanted).delete()
    have = set(line.subscriptions.values_list("product_id", flat=True))
    Subscription.objects.bulk_create(
        Subscription(line=line, product_id=product_id) for product_id in sorted(wanted - have)
    )


@transaction.atomic
def create_line(*, actor, source: str, customer: Customer, values: dict) -> Line:
    """Add a number or account to a customer; its number joins the caller-number index."""
    require_permission(actor, "customers.add_line")
    require_region(actor, customer.region_id)
    line = Line(customer=customer)
    for field in LINE_VALUE_FIELDS:
        if field in values:
            setattr(line, field, values[field])
    line.save()
    CustomerNumber.objects.create(
        customer=customer, number=line.number, kind=CustomerNumber.Kind.LINE, line=line
    )
    _replace_products(line, values.get("products", []))
    _record(
        actor,
        source,
        AuditEvent.Action.CREATE,
        line,
        customer.pk,
        changes=field_changes({}, line_snapshot(line, _product_codes(line))),
    )
    return line


@transaction.atomic
def update_line(*, actor, source: str, line: Line, values: dict) -> Line:
    require_permission(actor, "customers.change_line")
    line = Line.objects.select_for_update().select_related("customer").get(pk=line.pk)
    require_region(actor, line.customer.region_id)
    before = line_snapshot(line, _product_codes(line))
    for field in LINE_VALUE_FIELDS:
        if field in values:
            setattr(line, field, values[field])
    line.save()
    if "number" in values:
        CustomerNumber.objects.filter(line=line).update(number=line.number)
    if "products" in values:
        _replace_products(line, values["products"])
    changes = field_changes(before, line_snapshot(line, _product_codes(line)))
    if changes:
        _record(actor, source, AuditEvent.Action.UPDATE, line, line.customer_id, changes=changes)
    return line


def record_personal_data_viewed(*, actor, source: str, customer: Customer) -> None:
    """Seeing a customer's personal data unmasked is itself on the record."""
    require_permission(actor, UNMASKED_PERMISSION)
    _record(
        actor,
        source,
        AuditEvent.Action.REVEAL,
        customer,
        customer.pk,
        note="id_number, address, contact numbers, line numbers",
    )
