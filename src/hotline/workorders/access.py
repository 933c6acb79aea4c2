"""Who a user is to an order (their parties), and which orders a user may see."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from hotline.core import lifecycle
from hotline.customers.scope import visible_region_ids, visible_region_ids_query
from hotline.workorders.models import WorkOrder

VIEW_ALL_ORDERS = "workorders.view_all_orders"


def department_id_of(user) -> int | None:
    """A user's department: their own, else their team's."""
    if user.department_id:
        return user.department_id
    return user.team.department_id if user.team_id else None


def parties_of(user, order: WorkOrder) -> frozenset[str]:
    """The user's parties to the order, and the order's facts the lifecycle asks about."""
    parties = set()
    if user.role:
        parties.add(f"role:{user.role}")
    if order.owner_id == user.pk:
        parties.add(lifecycle.OWNER)
    if order.handler_id is not None and order.handler_id == user.pk:
        parties.add(lifecycle.HANDLER)
    if order.department_id is not None and order.department_id == department_id_of(user):
        parties.add(lifecycle.DEPARTMENT)
    if order.category.first_line_may_close:
        parties.add(lifecycle.FIRST_LINE_MAY_CLOSE)
    return frozenset(parties)


def visible_orders(user) -> QuerySet[WorkOrder]:
    """Orders the user may see: their own, their department's, and those of customers in
    their regions; every order for roles that see the whole center."""
    return _orders_in_scope(user, visible_region_ids)


def _orders_in_scope(user, region_ids) -> QuerySet[WorkOrder]:
    orders = WorkOrder.objects.all()
    if user.has_perm(VIEW_ALL_ORDERS):
        return orders
    if not user.has_perm("workorders.view_workorder"):
        return orders.none()
    mine = Q(owner=user) | Q(handler=user)
    department_id = department_id_of(user)
    if department_id:
        mine |= Q(department_id=department_id)
    regions = region_ids(user)
    if regions is None:
        return orders
    return orders.filter(mine | Q(customer__region_id__in=regions))


class OrderOutOfScope(PermissionDenied):
    """No such order, or not one the user may see; the API answers 404 for both."""


def locked_visible_order(user, order_id: int) -> WorkOrder:
    """The order, locked for a step, if the user may see it; OrderOutOfScope if not."""
    try:
        # The regions as a subquery: a step reads them nowhere else.
        return (
            _orders_in_scope(user, visible_region_ids_query)
            .select_for_update(of=("self",))
            .select_related("category", "department", "handler", "owner", "customer")
            .get(pk=order_id)
        )
    except WorkOrder.DoesNotExist:
        raise OrderOutOfScope("order outside the user's scope") from None
