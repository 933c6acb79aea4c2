"""Reads of the customer base, always within the reader's data scope."""

from django.db.models import Q, QuerySet

from hotline.audit.models import AuditEvent
from hotline.core.search_text import Term, TermKind, parse_search_text
from hotline.customers.models import Customer, CustomerNumber
from hotline.customers.scope import visible_region_ids

SEARCH_LIMIT = 50
# A short number prefix matches much of the base; past this many, the other terms narrow it.
_NUMBER_PREFIX_CANDIDATES = 2000
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


def _customers_with_number_prefix(prefix: str) -> list[int]:
    return list(
        CustomerNumber.objects.filter(number__startswith=prefix).values_list(
            "customer_id", flat=True
        )[:_NUMBER_PREFIX_CANDIDATES]
    )


def _term_filter(term: Term) -> Q:
    if term.kind is TermKind.NUMBER:
        return Q(pk__in=_customers_with_number_prefix(term.value))
    if term.kind is TermKind.ID_TAIL:
        return Q(id_tail=term.value)
    if term.kind is TermKind.NUMBER_OR_ID_TAIL:
        return Q(pk__in=_customers_with_number_prefix(term.value)) | Q(id_tail=term.value)
    if len(term.value) < _SHORTEST_ADDRESS_WORD:
        return Q(name__startswith=term.value)
    return Q(name__startswith=term.value) | Q(address__icontains=term.value)


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
    customers = visible_customers(user)
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
    return customers.order_by("name", "id")


def customer_history(customer: Customer) -> QuerySet[AuditEvent]:
    """Every recorded change and view of the customer and of its lines, newest first."""
    return AuditEvent.objects.filter(customer_id=customer.pk).select_related("actor")
