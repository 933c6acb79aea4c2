"""Use cases of work orders: open one, and take each step of its lifecycle.

Every step locks the order, asks the lifecycle table whether this user may take
it from this state, changes the order and its clocks, writes the step to the
audit history and tells the people concerned after the commit. A step the state
no longer allows (another handler was quicker) raises StepConflict: the API
answers 409.
"""

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hotline.audit.models import AuditEvent
from hotline.audit.services import actor_label, record
from hotline.core import grading, lifecycle
from hotline.core.text_words import searchable_words
from hotline.customers.models import Customer, Line
from hotline.customers.scope import require_permission, require_region
from hotline.query_plans import reuse_plans_in_this_transaction
from hotline.workorders import clocks, notices
from hotline.workorders.access import locked_visible_order, parties_of
from hotline.workorders.models import (
    Category,
    FaultGradingRule,
    OrderType,
    State,
    Step,
    WorkOrder,
)

Stage = clocks.Stage


class StepConflict(Exception):
    """The order is no longer in a state the step starts from."""

    def __init__(self, order: WorkOrder, step: str) -> None:
        super().__init__(f"{order.number} is {order.state}; {step} is not possible")
        self.order = order
        self.step = step


def _order_number(order: WorkOrder) -> str:
    local = timezone.localtime(order.created_at)
    return f"GD{local:%Y%m%d}{order.pk:08d}"


def _repeat_of(line: Line | None, service_type: str, now: datetime) -> WorkOrder | None:
    """The latest fault on the same line and service within the repeat window (重复障碍)."""
    if line is None:
        return None
    window = timedelta(days=settings.HOTLINE_REPEAT_FAULT_DAYS)
    return (
        WorkOrder.objects.filter(
            line=line,
            order_type=OrderType.FAULT,
            category__service_type=service_type,
            created_at__gte=now - window,
        )
        .order_by("-created_at")
        .first()
    )


def _grade(scope: str, service_type: str, vip: bool, repeat: bool) -> int:
    rules = [
        grading.GradingRule(rule.grade, rule.fault_scope, rule.service_type, rule.tier, rule.repeat)
        for rule in FaultGradingRule.objects.all()
    ]
    return grading.fault_grade(rules, grading.Fault(scope, service_type, vip, repeat))


def snapshot(order: WorkOrder) -> dict:
    return {
        "state": order.state,
        "department": order.department.name if order.department_id else None,
        "handler": actor_label(order.handler) if order.handler_id else None,
        "priority": order.priority,
        "grade": order.grade,
        "complaint_level": order.complaint_level,
        "urge_count": order.urge_count,
        "supervised": order.supervised,
        "reopen_count": order.reopen_count,
        "reply": order.reply,
        "root_cause": order.root_cause,
        "fix": order.fix,
        "satisfied": order.satisfied,
    }


def _stored_values(order: WorkOrder) -> dict:
    return {
        field.attname: getattr(order, field.attname)
        for field in WorkOrder._meta.concrete_fields
        if not field.primary_key
    }


def _record_step(actor, source: str, order: WorkOrder, step: str, before: dict, note: str):
    """One audit event per step: the step's name and every field it changed."""
    after = snapshot(order)
    changes = {key: [before.get(key), value] for key, value in after.items()}
    changes = {key: pair for key, pair in changes.items() if pair[0] != pair[1]}
    changes["step"] = [None, step]
    record(
        actor=actor,
        action=AuditEvent.Action.CREATE if step == Step.CREATE else AuditEvent.Action.STEP,
        source=source,
        target=order,
        label=order.number,
        customer_id=order.customer_id,
        changes=changes,
        note=note,
    )


def record_system_step(order: WorkOrder, step: str, before: dict, note: str) -> None:
    """A step the system took by itself (a time-limit warning or breach)."""
    _record_step(None, AuditEvent.Source.SYSTEM, order, step, before, note)


@transaction.atomic
def open_order(
    *,
    actor,
    source: str,
    customer: Customer,
    order_type: str,
    category: Category,
    description: str,
    line: Line | None = None,
    contact=None,
    fault_scope: str = "",
    complaint_level: str = "",
    promised_contact_at: datetime | None = None,
    now: datetime | None = None,
) -> WorkOrder:
    """Open an order owned by `actor` (首问负责人) for a customer in their data scope."""
    now = now or timezone.now()
    reuse_plans_in_this_transaction()
    require_permission(actor, "workorders.add_workorder")
    require_region(actor, customer.region_id)
    if category.order_type and category.order_type != order_type:
        raise ValidationError({"category": _("该分类不适用于此工单类型。")})
    if line is not None and line.customer_id != customer.pk:
        raise ValidationError({"line": _("号码/账号不属于该客户。")})
    if order_type == OrderType.COMPLAINT and not complaint_level:
        complaint_level = "general"
    order = WorkOrder(
        order_type=order_type,
        category=category,
        customer=customer,
        line=line,
        contact=contact,
        description=description,
        search_words=searchable_words(description),
        owner=actor,
        owner_team_id=actor.team_id,
        green_channel=customer.is_vip,
        customer_tier=customer.tier,
        complaint_level=complaint_level if order_type == OrderType.COMPLAINT else "",
        promised_contact_at=promised_contact_at,
        created_at=now,
        updated_at=now,
        # Unique until the real number, made from the id, replaces it below.
        number=uuid.uuid4().hex[:24],
    )
    if order_type == OrderType.FAULT:
        service_type = category.service_type or (line.service_type if line else "")
        order.repeat_of = _repeat_of(line, service_type, now)
        order.fault_scope = fault_scope or "single_user"
        order.grade = _grade(
            order.fault_scope, service_type, order.green_channel, order.repeat_of is not None
        )
    order.priority = grading.initial_priority(
        grade=order.grade, complaint_level=order.complaint_level, green_channel=order.green_channel
    )
    order.reported_up_to = grading.chain_level(order.complaint_level)
    order.save()
    order.number = _order_number(order)
    WorkOrder.objects.filter(pk=order.pk).update(number=order.number)
    clocks.start_clock(order, Stage.SOLVE, now)
    _record_step(actor, source, order, Step.CREATE, {}, "")
    notices.order_opened(order)
    return order


def _take(
    actor,
    source: str,
    order: WorkOrder,
    step: lifecycle.Step,
    change: Callable[[WorkOrder, datetime], None],
    *,
    reason: str = "",
    now: datetime | None = None,
    locked: bool = False,
) -> WorkOrder:
    """Take `step` on the order: lock it (unless this transaction has locked and read it
    already), check, apply `change`, move the state, record, notify.

    `change` sees the order in the state the step starts from; a step whose target
    depends on the order (resume, callback) sets the state itself.
    """
    if not locked:
        reuse_plans_in_this_transaction()
        order = locked_visible_order(actor, order.pk)
    now = now or timezone.now()
    try:
        transition = lifecycle.step_for(
            lifecycle.OrderType(order.order_type),
            lifecycle.State(order.state),
            step,
            parties_of(actor, order),
        )
    except lifecycle.StepRefused as refused:
        if refused.reason == "state":
            raise StepConflict(order, step) from refused
        raise PermissionDenied(f"{step}: {refused.reason}") from refused
    if transition.needs_reason and not reason.strip():
        raise ValidationError({"reason": _("请填写原因。")})
    before = snapshot(order)
    stored = _stored_values(order)
    change(order, now)
    if transition.target is not None and transition.target != lifecycle.RETURN:
        order.state = transition.target
    order.updated_at = now
    order.save(
        update_fields=[name for name, value in stored.items() if getattr(order, name) != value]
    )
    _record_step(actor, source, order, step, before, reason)
    notices.step_taken(order, step, actor, before["state"], reason)
    return order


@transaction.atomic
def close_at_first_contact(*, actor, source: str, order: WorkOrder, reply: str, now=None):
    """The agent answered it on the call; nothing is left to do or to call back about."""

    def change(order: WorkOrder, now: datetime) -> None:
        order.reply = reply
        order.resolved_at_first_contact = True
        order.archived_at = now
        clocks.meet_clocks(order, [Stage.SOLVE], now)

    return _take(actor, source, order, lifecycle.Step.CLOSE_AT_FIRST_CONTACT, change, now=now)


@transaction.atomic
def solve_at_first_contact(*, actor, source: str, order: WorkOrder, reply: str, now=None):
    """Solved by the first line; a callback confirms it with the customer."""

    def change(order: WorkOrder, now: datetime) -> None:
        order.reply = reply
        order.resolved_at_first_contact = True
        clocks.meet_clocks(order, [Stage.SOLVE], now)
        clocks.start_clock(order, Stage.CALLBACK, now)

    return _take(actor, source, order, lifecycle.Step.SOLVE_AT_FIRST_CONTACT, change, now=now)


def _dispatch_to(department) -> Callable[[WorkOrder, datetime], None]:
    def change(order: WorkOrder, now: datetime) -> None:
        order.department = department
        order.handler = None
        clocks.start_clock(order, Stage.RESPOND, now)

    return change


@transaction.atomic
def escalate_to_second_line(
    *, actor, source: str, order: WorkOrder, department=None, reason: str = "", now=None
):
    """自动转二线: hand the work to the second line; with a department, dispatch it at once
    (without one, to the category's default department, if it has one)."""

    def change(order: WorkOrder, now: datetime) -> None:
        order.was_escalated = True
        order.resolved_at_first_contact = False

    # The order as locked by the step: the one passed in may be just its id (the API's).
    order = _take(actor, source, order, lifecycle.Step.ESCALATE, change, reason=reason, now=now)
    department = department or order.category.default_department
    if department is not None:
        dispatch = _dispatch_to(department)
        order = _take(actor, source, order, lifecycle.Step.DISPATCH, dispatch, now=now, locked=True)
    return order


@transaction.atomic
def dispatch_to_department(*, actor, source: str, order: WorkOrder, department, now=None):
    """派单: give an escalated order to a department's queue."""
    return _take(actor, source, order, lifecycle.Step.DISPATCH, _dispatch_to(department), now=now)


@transaction.atomic
def transfer_to_department(
    *, actor, source: str, order: WorkOrder, department, reason: str, now=None
):
    """转派: the order belongs to another department."""
    return _take(
        actor,
        source,
        order,
        lifecycle.Step.TRANSFER,
        _dispatch_to(department),
        reason=reason,
        now=now,
    )


@transaction.atomic
def accept(*, actor, source: str, order: WorkOrder, now=None):
    """接单: a member of the department takes the order; the first of two wins."""

    def change(order: WorkOrder, now: datetime) -> None:
        order.handler = actor
        clocks.meet_clocks(order, [Stage.RESPOND], now)
        if order.order_type == OrderType.FAULT:
            clocks.start_clock(order, Stage.ON_SITE, now)

    return _take(actor, source, order, lifecycle.Step.ACCEPT, change, now=now)


@transaction.atomic
def start_work(*, actor, source: str, order: WorkOrder, now=None):
    return _take(actor, source, order, lifecycle.Step.START, lambda order, now: None, now=now)


@transaction.atomic
def arrive_on_site(*, actor, source: str, order: WorkOrder, now=None):
    """到场: the field engineer is at the customer's premises."""

    def change(order: WorkOrder, now: datetime) -> None:
        clocks.meet_clocks(order, [Stage.ON_SITE], now)

    return _take(actor, source, order, lifecycle.Step.ARRIVE_ON_SITE, change, now=now)


@transaction.atomic
def reply(
    *,
    actor,
    source: str,
    order: WorkOrder,
    text: str,
    root_cause: str = "",
    fix: str = "",
    now=None,
):
    """回单: the handler reports what was done; the owner calls the customer back."""
    if not text.strip():
        raise ValidationError({"text": _("请填写回单内容。")})

    def change(order: WorkOrder, now: datetime) -> None:
        order.reply = text
        order.root_cause = root_cause or order.root_cause
        order.fix = fix or order.fix
        clocks.meet_clocks(order, [Stage.ON_SITE, Stage.SOLVE], now)
        clocks.start_clock(order, Stage.CALLBACK, now)

    return _take(actor, source, order, lifecycle.Step.REPLY, change, now=now)


@transaction.atomic
def send_back(*, actor, source: str, order: WorkOrder, reason: str, now=None):
    """退单: the department returns the order to be dispatched again, saying why."""

    def change(order: WorkOrder, now: datetime) -> None:
        order.department = None
        order.handler = None

    return _take(actor, source, order, lifecycle.Step.SEND_BACK, change, reason=reason, now=now)


@transaction.atomic
def suspend(*, actor, source: str, order: WorkOrder, reason: str, now=None):
    """挂起: waiting on the customer or a third party; the clocks stop."""

    def change(order: WorkOrder, now: datetime) -> None:
        order.suspended_from = order.state
        order.suspend_reason = reason
        clocks.pause_clocks(order, now)

    return _take(actor, source, order, lifecycle.Step.SUSPEND, change, reason=reason, now=now)


@transaction.atomic
def resume(*, actor, source: str, order: WorkOrder, now=None):
    def change(order: WorkOrder, now: datetime) -> None:
        order.state = order.suspended_from
        order.suspended_from = ""
        order.suspend_reason = ""
        clocks.resume_clocks(order, now)

    return _take(actor, source, order, lifecycle.Step.RESUME, change, now=now)


@transaction.atomic
def urge(*, actor, source: str, order: WorkOrder, reason: str = "", now=None):
    """催单: counted; the handler (or the department) and the owner are told."""

    def change(order: WorkOrder, now: datetime) -> None:
        order.urge_count += 1

    return _take(actor, source, order, lifecycle.Step.URGE, change, reason=reason, now=now)


@transaction.atomic
def supervise(*, actor, source: str, order: WorkOrder, reason: str, now=None):
    """督办: a manager puts the order under supervision; it moves up one priority."""

    def change(order: WorkOrder, now: datetime) -> None:
        order.supervised = True
        order.priority = grading.raised_priority(order.priority)

    return _take(actor, source, order, lifecycle.Step.SUPERVISE, change, reason=reason, now=now)


@transaction.atomic
def record_callback(
    *,
    actor,
    source: str,
    order: WorkOrder,
    satisfied: bool,
    note: str = "",
    root_cause: str = "",
    fix: str = "",
    now=None,
):
    """回访: satisfied archives the order; not satisfied reopens it (返单), as often as it takes.

    A complaint is archived only with its root cause and fix recorded.
    """

    def change(order: WorkOrder, now: datetime) -> None:
        order.satisfied = satisfied
        order.root_cause = root_cause or order.root_cause
        order.fix = fix or order.fix
        clocks.meet_clocks(order, [Stage.CALLBACK], now)
        order.state = lifecycle.callback_target(
            satisfied, lifecycle.reopen_state(order.was_escalated)
        )
        if satisfied:
            if order.order_type == OrderType.COMPLAINT and not (
                order.root_cause.strip() and order.fix.strip()
            ):
                raise ValidationError({"root_cause": _("投诉归档前须填写根因和整改措施。")})
            order.archived_at = now
            return
        order.reopen_count += 1
        order.round += 1
        order.handler = None
        clocks.start_clock(order, Stage.SOLVE, now)
        if order.state == State.DISPATCHED:
            clocks.start_clock(order, Stage.RESPOND, now)

    return _take(actor, source, order, lifecycle.Step.CALLBACK, change, reason=note, now=now)
