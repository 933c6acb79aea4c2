"""The time limits of orders in the database: which policy applies, and each stage's clock.

The arithmetic is hotline.core.business_time and hotline.core.sla_clock; this
module loads calendars and policies, and keeps each clock's due and warning
times stored so the sweep finds them by index.
"""

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from hotline.core import business_time, sla_clock
from hotline.workorders.models import (
    BusinessCalendar,
    OpeningPeriod,
    PublicHoliday,
    SlaPolicy,
    StageClock,
    WorkOrder,
)

Stage = StageClock.Stage
# Calendars and policies change rarely (an admin's edit): each process keeps a copy for
# up to a minute, which saves several queries on every step of every order.
_SETUP_TTL_S = 60.0
_calendars: dict[int, tuple[float, business_time.BusinessCalendar]] = {}
_policies: list[tuple[float, list[SlaPolicy]]] = []


def forget_cached_setup() -> None:
    """Drop this process's copies of calendars and policies (after an admin's edit)."""
    _calendars.clear()
    _policies.clear()


def calendar_for(calendar_id: int) -> business_time.BusinessCalendar:
    cached = _calendars.get(calendar_id)
    if cached and time.monotonic() - cached[0] < _SETUP_TTL_S:
        return cached[1]
    calendar = _load_calendar(BusinessCalendar.objects.get(pk=calendar_id))
    _calendars[calendar_id] = (time.monotonic(), calendar)
    return calendar


def _active_policies() -> list[SlaPolicy]:
    if _policies and time.monotonic() - _policies[0][0] < _SETUP_TTL_S:
        return _policies[0][1]
    policies = list(SlaPolicy.objects.filter(active=True).prefetch_related("limits"))
    _policies[:] = [(time.monotonic(), policies)]
    return policies


def _load_calendar(row: BusinessCalendar) -> business_time.BusinessCalendar:
    zone = ZoneInfo(settings.TIME_ZONE)
    if row.always_open:
        return business_time.BusinessCalendar.always_open(zone)
    weekly: list[list[business_time.Period]] = [[] for _day in range(7)]
    for period in OpeningPeriod.objects.filter(calendar=row):
        weekly[period.weekday].append(business_time.Period(period.starts, period.ends))
    holidays: frozenset = frozenset()
    workdays: frozenset = frozenset()
    if row.observe_public_holidays:
        days = list(PublicHoliday.objects.values_list("date", "is_workday"))
        holidays = frozenset(day for day, is_workday in days if not is_workday)
        workdays = frozenset(day for day, is_workday in days if is_workday)
    return business_time.BusinessCalendar(
        tz=zone,
        weekly=tuple(tuple(day) for day in weekly),
        holidays=holidays,
        workdays=workdays,
    )


@dataclass(frozen=True)
class PolicyKey:
    """What picks an order's policy."""

    order_type: str
    grade: int | None
    complaint_level: str
    vip: bool


def key_of(order: WorkOrder) -> PolicyKey:
    return PolicyKey(order.order_type, order.grade, order.complaint_level, order.green_channel)


def _specificity(policy: SlaPolicy, key: PolicyKey) -> int | None:
    """How closely the policy fits (higher is closer), or None when it does not apply."""
    score = 0
    if policy.grade is not None:
        if policy.grade != key.grade:
            return None
        score += 4
    if policy.complaint_level:
        if policy.complaint_level != key.complaint_level:
            return None
        score += 4
    if policy.tier:
        if policy.tier != ("vip" if key.vip else "regular"):
            return None
        score += 1
    return score


def policy_for(key: PolicyKey) -> SlaPolicy | None:
    """The most specific active policy for the key; None when the center set none."""
    best, best_score = None, -1
    for policy in _active_policies():
        if policy.order_type != key.order_type:
            continue
        score = _specificity(policy, key)
        if score is not None and score > best_score:
            best, best_score = policy, score
    return best


def _limit(amount: int, unit: str) -> business_time.Limit:
    return business_time.Limit(amount, unit)


def preview(key: PolicyKey, start: datetime) -> dict[str, datetime]:
    """The due time of each stage the policy limits, as if every stage started at `start`."""
    policy = policy_for(key)
    if policy is None:
        return {}
    calendar = calendar_for(policy.calendar_id)
    return {
        limit.stage: _limit(limit.amount, limit.unit).due(calendar, start)
        for limit in policy.limits.all()
    }


def _core(clock: StageClock) -> sla_clock.StageClock:
    return sla_clock.StageClock(
        started_at=clock.started_at,
        limit=_limit(clock.limit_amount, clock.limit_unit),
        paused_business=clock.paused_business,
        paused_since=clock.paused_since,
        met_at=clock.met_at,
    )


# What _store sets: a running clock's update writes these and nothing else.
_STORED_FIELDS = [
    "paused_business",
    "paused_since",
    "met_at",
    "due_at",
    "warning_at",
    "business_used",
    "met_in_time",
]


def _store(clock: StageClock, core: sla_clock.StageClock) -> None:
    calendar = calendar_for(clock.calendar_id)
    clock.paused_business = core.paused_business
    clock.paused_since = core.paused_since
    clock.met_at = core.met_at
    clock.due_at = sla_clock.due_at(core, calendar)
    clock.warning_at = sla_clock.warning_at(core, calendar, float(clock.warning_share))
    if core.met_at is not None:
        clock.business_used = sla_clock.used(core, calendar, core.met_at)
        clock.met_in_time = sla_clock.is_met_in_time(core, calendar)


def start_clock(order: WorkOrder, stage: str, now: datetime) -> None:
    """Start the stage's clock for the order's current round, once (a second start, as when
    an order is transferred before anyone accepted it, keeps the first); nothing without a
    limit."""
    policy = policy_for(key_of(order))
    limit = next((x for x in policy.limits.all() if x.stage == stage), None) if policy else None
    if limit is None:
        return
    clock = StageClock(
        order=order,
        stage=stage,
        round=order.round,
        calendar_id=policy.calendar_id,
        limit_amount=limit.amount,
        limit_unit=limit.unit,
        warning_share=policy.warning_share,
        started_at=now,
        paused_business=timedelta(0),
    )
    _store(clock, _core(clock))
    # The unique constraint on (order, stage, round) keeps the first start.
    StageClock.objects.bulk_create([clock], ignore_conflicts=True)


def meet_clocks(order: WorkOrder, stages: list[str], now: datetime) -> None:
    """The stages are done for this round: stop their clocks and record whether each was in
    time."""
    for clock in StageClock.objects.filter(
        order=order, stage__in=stages, round=order.round, met_at__isnull=True
    ):
        core = _core(clock)
        if core.paused_since is not None:
            core = sla_clock.resume(core, calendar_for(clock.calendar_id), now)
        _store(clock, sla_clock.meet(core, now))
        clock.save(update_fields=_STORED_FIELDS)


def pause_clocks(order: WorkOrder, now: datetime) -> None:
    """Suspension stops every running clock of the order."""
    for clock in StageClock.objects.filter(
        order=order, met_at__isnull=True, paused_since__isnull=True
    ):
        _store(clock, sla_clock.pause(_core(clock), calendar_for(clock.calendar_id), now))
        clock.save(update_fields=_STORED_FIELDS)


def resume_clocks(order: WorkOrder, now: datetime) -> None:
    for clock in StageClock.objects.filter(
        order=order, met_at__isnull=True, paused_since__isnull=False
    ):
        _store(clock, sla_clock.resume(_core(clock), calendar_for(clock.calendar_id), now))
        clock.save(update_fields=_STORED_FIELDS)


def used_now(clock: StageClock, now: datetime) -> timedelta:
    """Business time the stage has used so far (or in all, once met)."""
    return sla_clock.used(_core(clock), calendar_for(clock.calendar_id), now)
