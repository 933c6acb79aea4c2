"""Reads of the customer base, always within the reader's data scope."""

from django.db import connection, models
from django.db.models import Q, QuerySet
from django.db.models.functions import Collate

from hotline.audit.models import AuditEvent
from hotline.core.search_text import Term, TermKind, parse_search_text
from hotline.customers.models import Customer, CustomerNumber
from hotline.customers.scope import visible_region_ids

SEARCH_LIMIT = 50
# The trigram index finds address words of three characters or more; a shorter word
# would read every address (a 2-character word has no trigram), so it matches names only.
_SHORTEST_ADDRESS_WORD = 3


def visible_customers(user) -> QuerySet[Customer]:
    customers = Customer.objects.select_related("region")
    regions = visible_region_ids(user)
    return customers if regions is None else customers.filter(region_id__in=regions)


def find_by_caller_number(user, number: str) -> list[Customer]:
    """The customers a calling number belongs to, in one indexed lookup (usually one customer)."""
    entries = CustomerNumber.objects.filter(number=number).select_related("customer__region")
    regions = visible_region_ids(user)
    if regions is not None:
        entries = entries.filter(customer__region_id__in=regions)
    found: dict[int, Customer] = {}
    for entry in entries:
        found.setdefault(entry.customer_id, entry.customer)
    return list(found.values())


def _customers_with_number_prefix(prefix: str) -> QuerySet[CustomerNumber]:
    # A subquery, not a list: the planner joins it with the other terms, so a short
    # prefix matching much of the base still finds the customer the name narrows to.
    return CustomerNumber.objects.filter(number__startswith=prefix).values("customer_id")


def _by_code_point(customers: QuerySet[Customer]) -> QuerySet[Customer]:
    """Give the customers a `sort_name` that orders and matches prefixes by code point.

    PostgreSQL's default collation cannot range-scan a LIKE prefix, so a common
    surname such as 王 walked the name index past hundreds of thousands of rows;
    under "C" the prefix and the order use one index (migration 0004). SQLite
    compares by code point already.
    """
    if connection.vendor == "postgresql":
        return customers.annotate(sort_name=Collate("name", "C"))
    return customers.alias(sort_name=models.F("name"))


def _term_filter(term: Term) -> Q:
    if term.kind is TermKind.NUMBER:
        return Q(pk__in=_customers_with_number_prefix(term.value))
    if term.kind is TermKind.ID_TAIL:
        return Q(id_tail=term.value)
    if term.kind is TermKind.NUMBER_OR_ID_TAIL:
        return Q(pk__in=_customers_with_number_prefix(term.value)) | Q(id_tail=term.value)
    if len(term.value) < _SHORTEST_ADDRESS_WORD:
        return Q(sort_name__startswith=term.value)
    return Q(sort_name__startswith=term.value) | Q(address__icontains=term.value)


def search_customers(
    user,
    text: str = "",
    *,
    tier: str | None = None,
    region_id: int | None = None,
    kind: str | None = None,
    vip: bool | None = None,
) -> QuerySet[Customer]:
    """Customers matching every term of `text` and every filter given, ordered by name.

    Numbers and accounts match by prefix, a four-digit term also as an ID tail,
    words as the start of the name or (from three characters) anywhere in the address.
    """
    customers = _by_code_point(visible_customers(user))
    for term in parse_search_text(text):
        customers = customers.filter(_term_filter(term))
    if tier:
        customers = customers.filter(tier=tier)
    if region_id:
        customers = customers.filter(region_id=region_id)
    if kind:
        customers = customers.filter(kind=kind)
    if vip is not None:
        customers = customers.filter(is_vip=vip)
    return customers.order_by("sort_name", "id")


def customer_history(customer: Customer) -> QuerySet[AuditEvent]:
    """Every recorded change and view of the customer and of its lines, newest first."""
    return AuditEvent.objects.filter(customer_id=customer.pk).select_related("actor")
