"""What of a customer or a line the audit history records, as plain comparable values."""

from hotline.customers.models import Customer, Line

CUSTOMER_FIELDS = (
    "kind",
    "name",
    "tier",
    "enterprise_grade",
    "region",
    "id_type",
    "id_number",
    "address",
    "contact_numbers",
)
LINE_FIELDS = ("service_type", "number", "status", "install_address", "opened_on", "products")


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
