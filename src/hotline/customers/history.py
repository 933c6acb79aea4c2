"""What of a customer or a line the audit history records, as plain comparable values."""

from hotline.customers import pii
from hotline.customers.models import Customer, Line, ServiceType


def history_label(target: Customer | Line) -> str:
    """What the history calls a record, in no language: the page words it for its reader."""
    if isinstance(target, Line):
        return f"{target.service_type} {target.number}"
    return str(target)


def shown_label(target_type: str, label: str, unmasked: bool) -> str:
    """A history label for the reader: a line's service type in their language, its number
    masked unless they may see it."""
    if target_type != "line" or " " not in label:
        return label
    service_type, number = label.split(" ", 1)
    service = (
        ServiceType(service_type).label if service_type in ServiceType.values else service_type
    )
    return f"{service} {pii.shown('number', number, unmasked)}"


def customer_snapshot(
    customer: Customer, contact_numbers: list[str], region_name: str | None = None
) -> dict:
    return {
        "kind": customer.kind,
        "name": customer.name,
        "tier": customer.tier,
        "enterprise_grade": customer.enterprise_grade,
        "region": region_name if region_name is not None else customer.region.name,
        "id_type": customer.id_type,
        "id_number": customer.id_number,
        "address": customer.address,
        "contact_numbers": sorted(contact_numbers),
    }


def line_snapshot(line: Line, product_codes: list[str]) -> dict:
    return {
        "service_type": line.service_type,
        "number": line.number,
        "status": line.status,
        "install_address": line.install_address,
        "opened_on": line.opened_on.isoformat() if line.opened_on else None,
        "products": sorted(product_codes),
    }
