"""What the desk reads of contacts."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from hotline.contacts.models import Contact
from hotline.customers.models import Customer

# How many of a customer's contacts the 360 view lists, newest first.
CONTACTS_SHOWN = 10


@dataclass(frozen=True)
class ContactHistory:
    """A customer's latest contacts (each queue visit a row), and how many calls they made
    in the last 7 and 30 days: a customer calling again is what an agent must notice."""

    latest: list[Contact]
    calls_in_7_days: int
    calls_in_30_days: int


def contact_history(customer: Customer, now: datetime) -> ContactHistory:
    contacts = Contact.objects.filter(customer=customer)
    latest = list(contacts.select_related("agent").order_by("-started_at", "-id")[:CONTACTS_SHOWN])

    def calls_since(days: int) -> int:
        # A call transferred from one queue to another is one call, two visits. (No
        # ordering: the model's would make its time part of what is distinct.)
        since = contacts.filter(started_at__gte=now - timedelta(days=days)).order_by()
        return since.values("call_id").distinct().count()

    return ContactHistory(latest, calls_since(7), calls_since(30))
