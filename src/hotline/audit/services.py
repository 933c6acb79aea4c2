"""Writing the audit history; every write to a customer or a line calls these."""

from django.utils import timezone

from hotline.audit.models import AuditEvent


def actor_label(user) -> str:
    if user is None:
        return "system"
    return f"{user.agent_id} {user.full_name}".strip()


def audit_event_values(
    *,
    actor,
    action: str,
    source: str,
    target,
    label: str,
    customer_id: int | None,
    changes: dict | None = None,
    note: str = "",
) -> dict:
    """The fields of an event about `target`; `label` names it in the history, in no language.

    As a dict, so that an import can insert thousands without building model instances.
    """
    return dict(
        at=timezone.now(),
        actor_id=actor.pk if actor is not None else None,
        actor_label=actor_label(actor),
        action=action,
        source=source,
        target_type=target._meta.model_name,
        target_id=target.pk,
        target_label=label[:120],
        customer_id=customer_id,
        changes=changes or {},
        note=note[:200],
    )


def record(**kwargs) -> AuditEvent:
    return AuditEvent.objects.create(**audit_event_values(**kwargs))
