"""One entry for every step by name, for the callers that take the step from a request
(the API and the desk pages): the values a step carries go to its use case."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hotline.workorders import services
from hotline.workorders.models import Step, WorkOrder

# Steps people take; the others (create, warn, breach) are not taken by name.
TAKEN_BY_NAME = [step for step in Step.values if step not in ("create", "warn", "breach")]


def _required(values: dict, name: str):
    if values.get(name) is None:
        raise ValidationError({name: _("此项为必填项。")})
    return values[name]


def take_step(*, actor, source: str, order: WorkOrder, step: str, values: dict) -> WorkOrder:
    """Take `step` with `values` (reason, department, text, satisfied, root_cause, fix)."""
    common = {"actor": actor, "source": source, "order": order}
    reason = values.get("reason") or ""
    text = values.get("text") or ""
    findings = {"root_cause": values.get("root_cause") or "", "fix": values.get("fix") or ""}
    if step == Step.CLOSE_AT_FIRST_CONTACT:
        return services.close_at_first_contact(**common, reply=text)
    if step == Step.SOLVE_AT_FIRST_CONTACT:
        return services.solve_at_first_contact(**common, reply=text)
    if step == Step.ESCALATE:
        return services.escalate_to_second_line(
            **common, department=values.get("department"), reason=reason
        )
    if step == Step.DISPATCH:
        return services.dispatch_to_department(**common, department=_required(values, "department"))
    if step == Step.TRANSFER:
        return services.transfer_to_department(
            **common, department=_required(values, "department"), reason=reason
        )
    if step == Step.ACCEPT:
        return services.accept(**common)
    if step == Step.START:
        return services.start_work(**common)
    if step == Step.ARRIVE_ON_SITE:
        return services.arrive_on_site(**common)
    if step == Step.REPLY:
        return services.reply(**common, text=text, **findings)
    if step == Step.SEND_BACK:
        return services.send_back(**common, reason=reason)
    if step == Step.SUSPEND:
        return services.suspend(**common, reason=reason)
    if step == Step.RESUME:
        return services.resume(**common)
    if step == Step.URGE:
        return services.urge(**common, reason=reason)
    if step == Step.SUPERVISE:
        return services.supervise(**common, reason=reason)
    if step == Step.CALLBACK:
        return services.record_callback(
            **common, satisfied=_required(values, "satisfied"), note=reason, **findings
        )
    raise ValueError(f"no step named {step!r}")
