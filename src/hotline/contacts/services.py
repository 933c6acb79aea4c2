"""Contacts from the telephony system's live events (CTI): ringing, answered, ended.

Events are idempotent by the call's id: a repeated or late event updates the one
contact of the call and never makes a second.
"""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from hotline.accounts.models import User
from hotline.contacts.models import Contact
from hotline.customers.models import CustomerNumber

RINGING = "ringing"
ANSWERED = "answered"
ENDED = "ended"
EVENTS = (RINGING, ANSWERED, ENDED)
# A pop older than this is a call the agent has long finished: it is not shown any more.
POP_WINDOW_S = 120


def _customer_id_for(number: str) -> int | None:
    return (
        CustomerNumber.objects.filter(number=number)
        .order_by("kind", "id")
        .values_list("customer_id", flat=True)
        .first()
    )


def record_cti_event(
    *,
    event: str,
    call_id: str,
    caller_number: str,
    called_number: str = "",
    queue: str = "",
    agent_id: str = "",
    at: datetime | None = None,
) -> Contact:
    """Apply one telephony event to the call's contact, creating it on the first event."""
    at = at or timezone.now()
    agent = User.objects.filter(agent_id=agent_id).first() if agent_id else None
    try:
        with transaction.atomic():
            contact, _created = Contact.objects.select_for_update().get_or_create(
                call_id=call_id,
                defaults={
                    "caller_number": caller_number,
                    "called_number": called_number,
                    "queue": queue,
                    "status": Contact.Status.RINGING,
                    "started_at": at,
                    "customer_id": _customer_id_for(caller_number),
                },
            )
    except IntegrityError:
        # Two events of a new call at once: the other created it.
        contact = Contact.objects.get(call_id=call_id)
    with transaction.atomic():
        contact = Contact.objects.select_for_update().get(pk=contact.pk)
        if agent is not None and contact.agent_id != agent.pk:
            contact.agent = agent
            contact.popped_at = None
        if event == ANSWERED and contact.answered_at is None:
            contact.answered_at = at
        if event == ENDED and contact.ended_at is None:
            contact.ended_at = at
        contact.status = _status(contact)
        contact.save()
    return contact


def _status(contact: Contact) -> str:
    if contact.ended_at is not None:
        return Contact.Status.ENDED
    if contact.answered_at is not None:
        return Contact.Status.ANSWERED
    return Contact.Status.RINGING


def take_screen_pop(agent, now: datetime | None = None) -> Contact | None:
    """The newest call ringing or answered at the agent's seat that their desk has not
    shown yet; taking it marks it shown, so each call pops once."""
    now = now or timezone.now()
    since = now - timedelta(seconds=POP_WINDOW_S)
    with transaction.atomic():
        contact = (
            Contact.objects.select_for_update()
            .filter(agent=agent, popped_at__isnull=True, started_at__gte=since)
            .exclude(status=Contact.Status.ENDED)
            .order_by("-started_at")
            .first()
        )
        if contact is None:
            return None
        Contact.objects.filter(pk=contact.pk).update(popped_at=now)
    return contact
