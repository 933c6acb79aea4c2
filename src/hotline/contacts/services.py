"""Contacts and agent states from the telephony system's live events (CTI).

Call events are idempotent by the call and its queue: a repeated or late event
updates the one contact of that visit and never makes a second. An agent state
event closes the agent's previous state into an interval (the same record the
queue_log importer writes) and opens the new one.
"""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from hotline.accounts.models import User
from hotline.contacts.models import AgentPresence, AgentStateInterval, Contact
from hotline.core.contact_records import AgentState, Outcome
from hotline.customers.models import CustomerNumber

QUEUED = "queued"
RINGING = "ringing"
ANSWERED = "answered"
ABANDONED = "abandoned"
ENDED = "ended"
EVENTS = (QUEUED, RINGING, ANSWERED, ABANDONED, ENDED)
# A pop older than this is a call the agent has long finished: it is not shown any more.
POP_WINDOW_S = 120


def _customer_id_for(number: str) -> int | None:
    return (
        CustomerNumber.objects.filter(number=number)
        .order_by("kind", "id")
        .values_list("customer_id", flat=True)
        .first()
    )


def _visit(call_id: str, queue: str, caller_number: str, called_number: str, at) -> Contact:
    """The call's contact in the queue (the latest visit when the event names no queue),
    created on the call's first event."""
    if not queue:
        latest = Contact.objects.filter(call_id=call_id).order_by("-started_at", "-id").first()
        if latest is not None:
            return latest
    try:
        with transaction.atomic():
            contact, _created = Contact.objects.get_or_create(
                call_id=call_id,
                queue=queue,
                defaults={
                    "caller_number": caller_number,
                    "called_number": called_number,
                    "status": Contact.Status.QUEUED,
                    "started_at": at,
                    "entered_queue_at": at,
                    "customer_id": _customer_id_for(caller_number),
                },
            )
    except IntegrityError:
        # Two events of a new call at once: the other created it.
        contact = Contact.objects.get(call_id=call_id, queue=queue)
    return contact


def _seconds(later: datetime, earlier: datetime | None) -> float:
    return max((later - earlier).total_seconds(), 0.0) if earlier else 0.0


def _apply(contact: Contact, event: str, at: datetime) -> None:
    if event == ANSWERED and contact.answered_at is None:
        contact.answered_at = at
        contact.outcome = Outcome.ANSWERED
        contact.wait_s = _seconds(at, contact.entered_queue_at)
    if event in (ABANDONED, ENDED) and contact.ended_at is None:
        contact.ended_at = at
        if contact.answered_at is not None:
            contact.talk_s = _seconds(at, contact.answered_at)
        elif not contact.outcome:
            # Hung up before anyone answered: abandoned in the queue.
            contact.outcome = Outcome.ABANDONED
            contact.wait_s = _seconds(at, contact.entered_queue_at)


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
    contact = _visit(call_id, queue, caller_number, called_number, at)
    with transaction.atomic():
        contact = Contact.objects.select_for_update().get(pk=contact.pk)
        if agent is not None and contact.agent_id != agent.pk:
            contact.agent = agent
            contact.agent_name = agent.agent_id
            contact.popped_at = None
        _apply(contact, event, at)
        contact.status = _status(contact)
        contact.save()
    return contact


def _status(contact: Contact) -> str:
    if contact.ended_at is not None:
        return Contact.Status.ENDED
    if contact.answered_at is not None:
        return Contact.Status.ANSWERED
    if contact.agent_id is not None:
        return Contact.Status.RINGING
    return Contact.Status.QUEUED


def record_agent_state(
    *, agent: User, state: AgentState, reason: str = "", at: datetime | None = None
) -> AgentPresence:
    """The agent is now in `state`: the state they were in becomes an interval."""
    at = at or timezone.now()
    reason = reason if state == AgentState.NOT_READY else ""
    with transaction.atomic():
        presence, created = AgentPresence.objects.select_for_update().get_or_create(
            agent=agent, defaults={"state": state, "reason": reason, "since": at}
        )
        if created or at <= presence.since:
            return presence  # the first state we hear of, or an event older than the last
        if presence.state != AgentState.LOGGED_OUT:
            AgentStateInterval.objects.update_or_create(
                agent_name=agent.agent_id,
                started_at=presence.since,
                defaults={
                    "agent": agent,
                    "state": presence.state,
                    "reason": presence.reason,
                    "ended_at": at,
                    "source": "cti",
                },
            )
        presence.state, presence.reason, presence.since = state, reason, at
        presence.save()
    return presence


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
