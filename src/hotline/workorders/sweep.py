"""The time-limit sweep: warnings (预警) and breaches (超时升级), each raised exactly once.

Each clock is claimed by a conditional UPDATE (`… WHERE warned_at IS NULL`) and
its row count: of two sweeps running at once, or a sweep run twice, only one
raises a given warning or breach. A paused clock has no due time and is skipped.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from hotline.core import grading
from hotline.workorders import clocks, notices
from hotline.workorders.models import OrderType, StageClock, State, Step, WorkOrder
from hotline.workorders.services import record_system_step, snapshot

_BATCH = 500


@dataclass
class SweepResult:
    warnings: int = 0
    breaches: int = 0


def sweep_time_limits(now: datetime) -> SweepResult:
    """Raise every warning and breach due by `now` that no sweep has raised yet."""
    result = SweepResult()
    while due := list(
        StageClock.objects.filter(
            met_at__isnull=True, warned_at__isnull=True, warning_at__lte=now
        ).values_list("pk", flat=True)[:_BATCH]
    ):
        result.warnings += sum(_warn(clock_id, now) for clock_id in due)
    while due := list(
        StageClock.objects.filter(
            met_at__isnull=True, breached_at__isnull=True, due_at__lte=now
        ).values_list("pk", flat=True)[:_BATCH]
    ):
        result.breaches += sum(_breach(clock_id, now) for clock_id in due)
    return result


@transaction.atomic
def _warn(clock_id: int, now: datetime) -> bool:
    claimed = StageClock.objects.filter(pk=clock_id, warned_at__isnull=True).update(warned_at=now)
    if not claimed:
        return False
    clock = StageClock.objects.select_related("order__owner", "order__handler").get(pk=clock_id)
    order = clock.order
    record_system_step(order, Step.WARN, snapshot(order), clock.get_stage_display())
    notices.time_limit_warning(order, clock.get_stage_display())
    return True


@transaction.atomic
def _breach(clock_id: int, now: datetime) -> bool:
    """Escalate: the order moves up a priority, the owner, handler and team lead are told,
    a complaint is reported one level higher, and a policy may send it back to the queue."""
    claimed = StageClock.objects.filter(pk=clock_id, breached_at__isnull=True).update(
        breached_at=now
    )
    if not claimed:
        return False
    clock = StageClock.objects.get(pk=clock_id)
    order = (
        WorkOrder.objects.select_for_update(of=("self",))
        .select_related("owner", "handler", "category", "department")
        .get(pk=clock.order_id)
    )
    before = snapshot(order)
    order.priority = grading.raised_priority(order.priority)
    chain_level = None
    if order.order_type == OrderType.COMPLAINT:
        chain_level = grading.next_chain_level(order.reported_up_to)
        order.reported_up_to = chain_level
    policy = clocks.policy_for(clocks.key_of(order))
    if (
        policy is not None
        and policy.reassign_on_breach
        and clock.stage == StageClock.Stage.SOLVE
        and order.state in (State.ACCEPTED, State.IN_PROGRESS)
    ):
        order.handler = None
        order.state = State.DISPATCHED
    order.updated_at = now
    order.save()
    record_system_step(order, Step.BREACH, before, clock.get_stage_display())
    notices.time_limit_breached(order, clock.get_stage_display(), chain_level)
    return True
