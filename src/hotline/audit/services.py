"""Writing the audit history; every write to a customer or a line calls these."""

from hotline.audit.models import AuditEvent


def actor_label(user) -> str:
    if user is None:
        return "system"
    return f"{user.agent_id} {user.full_name}".strip()


def audit_event(
    *,
    actor,
    action: str,
    source: str,
    target,
    label: str,
    customer_id: int | None,
    changes: dict | None = None,
    note: str = "",
) -> AuditEvent:
    """An unsaved event about `target`; `label` names it in the history, in no language."""
    return AuditEvent(
        actor=actor,
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
    event = audit_event(**kwargs)
    event.save()
    return event
