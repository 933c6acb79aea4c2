"""Opening the orders the tests talk about, as the desk opens them."""

from hotline.workorders import services
from hotline.workorders.models import Category


def open_order(actor, customer, category_code: str, description: str, **options):
    """An order of the category's type, opened by `actor` on the desk."""
    category = Category.objects.get(code=category_code)
    return services.open_order(
        actor=actor,
        source="web",
        customer=customer,
        order_type=category.order_type,
        category=category,
        description=description,
        **options,
    )


def open_broadband_fault(actor, customer, **options):
    """宽带无法上网 on the customer's broadband line (the fixture customer's is a VIP's)."""
    return open_order(
        actor,
        customer,
        "broadband.down",
        "宽带无法上网，光猫LOS灯红色闪烁",
        line=customer.lines.get(service_type="broadband"),
        **options,
    )


def open_billing_inquiry(actor, customer, **options):
    return open_order(actor, customer, "billing.query", "查询本月话费", **options)
