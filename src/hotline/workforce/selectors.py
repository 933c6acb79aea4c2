"""Reads for the workforce plan: the contact history per queue and interval, the agents who can
be rostered, the shifts agents see."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from numpy.typing import NDArray

from hotline.accounts.models import SkillGroup
from hotline.contacts.models import AgentStateInterval, Contact, Queue
from hotline.core.contact_records import Outcome
from hotline.staffing.adherence import ON_PHONES
from hotline.staffing.forecast import QueueHistory
from hotline.staffing.holidays import DayCalendar
from hotline.workforce.models import Schedule, ScheduledShift
from hotline.workorders.models import PublicHoliday

MINUTES_PER_DAY = 24 * 60


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(settings.TIME_ZONE))


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def skill_groups_with_queues():
    """The skill groups answering at least one queue: the ones a plan is made for."""
    return SkillGroup.objects.filter(queues__isnull=False).distinct().order_by("code")


def queues_of(skill_group: SkillGroup) -> list[str]:
    return list(
        Queue.objects.filter(skill_group=skill_group)
        .order_by("code")
        .values_list("code", flat=True)
    )


def interval_history(
    queues: list[str], start: date, days: int, interval_minutes: int
) -> dict[str, QueueHistory]:
    """Each queue's calls from `start` for `days` whole local days, bucketed by the interval
    they entered the queue in: offered, answered, and the answered calls' handle time."""
    slots_per_day = MINUTES_PER_DAY // interval_minutes
    size = days * slots_per_day
    begin = local_midnight(start)
    end = local_midnight(start + timedelta(days=days))
    rows = Contact.objects.filter(
        queue__in=queues, entered_queue_at__gte=begin, entered_queue_at__lt=end
    ).values_list("queue", "entered_queue_at", "outcome", "talk_s", "hold_s", "after_call_work_s")
    columns: dict[str, tuple[list, list, list]] = {queue: ([], [], []) for queue in queues}
    for queue, entered, outcome, talk, hold, after_call_work in rows.iterator(chunk_size=5000):
        # The wall clock at the call, so a zone with summer time still gets its local slots.
        local = entered.astimezone(begin.tzinfo)
        slot = (local.date() - start).days * slots_per_day + (
            local.hour * 60 + local.minute
        ) // interval_minutes
        answered = outcome == Outcome.ANSWERED
        slots, handled, seconds = columns[queue]
        slots.append(slot)
        handled.append(1.0 if answered else 0.0)
        seconds.append(talk + hold + after_call_work if answered else 0.0)
    return {
        queue: QueueHistory(
            queue=queue,
            start=start,
            interval_minutes=interval_minutes,
            volume=_per_slot(slots, None, size),
            handled=_per_slot(slots, handled, size),
            handle_seconds=_per_slot(slots, seconds, size),
        )
        for queue, (slots, handled, seconds) in columns.items()
    }


def _per_slot(slots: list[int], weights: list[float] | None, size: int) -> NDArray[np.float64]:
    return np.bincount(
        np.asarray(slots, dtype=np.int64),
        weights=None if weights is None else np.asarray(weights, dtype=np.float64),
        minlength=size,
    ).astype(np.float64)


def first_contact_day(queues: list[str], since: date) -> date | None:
    """The first local day on or after `since` any of the queues had a call."""
    first = (
        Contact.objects.filter(queue__in=queues, entered_queue_at__gte=local_midnight(since))
        .order_by("entered_queue_at")
        .values_list("entered_queue_at", flat=True)
        .first()
    )
    return None if first is None else timezone.localdate(first)


def holiday_calendar(first: date, last: date) -> DayCalendar:
    """Public holidays and make-up working days as the admins keep them (法定节假日); a year with
    no entries is reported unknown, its days taken as plain weekdays."""
    rows = PublicHoliday.objects.filter(date__range=(first, last)).values_list("date", "is_workday")
    holidays = frozenset(day for day, is_workday in rows if not is_workday)
    makeup = frozenset(day for day, is_workday in rows if is_workday)
    known = set(
        PublicHoliday.objects.filter(date__year__range=(first.year, last.year)).dates(
            "date", "year"
        )
    )
    known_years = {day.year for day in known}
    unknown = frozenset(
        year for year in range(first.year, last.year + 1) if year not in known_years
    )
    return DayCalendar(holidays=holidays, makeup_workdays=makeup, unknown_years=unknown)


def rosterable_agents(skill_group: SkillGroup, week_start: date):
    """Active agents of the skill group not already on another group's published week."""
    busy = ScheduledShift.objects.filter(
        schedule__week_start=week_start, schedule__status=Schedule.Status.PUBLISHED
    ).exclude(schedule__skill_group=skill_group)
    return (
        get_user_model()
        .objects.filter(is_active=True, skill_groups=skill_group, groups__name="agent")
        .exclude(pk__in=busy.values("agent"))
        .select_related("team")
        .prefetch_related("skill_groups")
        .order_by("agent_id")
    )


def published_shifts_of(agent, start: datetime, end: datetime):
    return (
        ScheduledShift.objects.filter(
            agent=agent,
            schedule__status=Schedule.Status.PUBLISHED,
            starts_at__lt=end,
            ends_at__gt=start,
        )
        .select_related("template", "schedule__skill_group")
        .order_by("starts_at")
    )


def published_shifts_between(start: datetime, end: datetime, team=None):
    shifts = ScheduledShift.objects.filter(
        Q(schedule__status=Schedule.Status.PUBLISHED),
        agent__isnull=False,
        starts_at__lt=end,
        ends_at__gt=start,
    )
    if team is not None:
        shifts = shifts.filter(agent__team=team)
    return shifts.select_related("agent__team", "template").order_by("agent__agent_id", "starts_at")


def last_shift_ends(users: list, before: datetime) -> dict[int, datetime]:
    """Each user's latest published shift end in the day before `before`, for the rest rule
    across weeks."""
    ends: dict[int, datetime] = {}
    rows = ScheduledShift.objects.filter(
        agent__in=[user.pk for user in users],
        schedule__status=Schedule.Status.PUBLISHED,
        ends_at__gt=before - timedelta(days=1),
        starts_at__lt=before,
    ).values_list("agent_id", "ends_at")
    for agent_id, ends_at in rows:
        ends[agent_id] = max(ends_at, ends.get(agent_id, ends_at))
    return ends


def agents_on_phones(schedule: Schedule, now: datetime) -> list[float | None]:
    """The skill group's agents on the phones (ready, on a call or wrapping up) per interval of
    the schedule's week, averaged over each interval; None for intervals still to come."""
    begins = local_midnight(schedule.week_start)
    if now <= begins:
        return []
    step = schedule.interval_minutes * 60
    size = 7 * MINUTES_PER_DAY * 60 // step
    seconds = np.zeros(size)
    end = min(now, begins + timedelta(days=7))
    rows = AgentStateInterval.objects.filter(
        agent__skill_groups=schedule.skill_group,
        state__in=[state.value for state in ON_PHONES],
        started_at__lt=end,
        ended_at__gt=begins,
    ).values_list("started_at", "ended_at")
    for started, ended in rows.iterator(chunk_size=5000):
        first = max((started - begins).total_seconds(), 0.0)
        last = min((ended - begins).total_seconds(), (end - begins).total_seconds())
        slot = int(first // step)
        while first < last and slot < size:
            slot_end = min((slot + 1) * step, last)
            seconds[slot] += slot_end - first
            first, slot = slot_end, slot + 1
    elapsed = int((end - begins).total_seconds() // step)
    return [round(value / step, 2) for value in seconds[:elapsed]] + [None] * (size - elapsed)


def group_shifts_between(skill_group: SkillGroup, start: datetime, end: datetime):
    """The skill group's published, staffed shifts overlapping [start, end)."""
    return (
        ScheduledShift.objects.filter(
            schedule__skill_group=skill_group,
            schedule__status=Schedule.Status.PUBLISHED,
            agent__isnull=False,
            starts_at__lt=end,
            ends_at__gt=start,
        )
        .select_related("agent", "template")
        .order_by("starts_at")
    )


def offered_so_far(
    queues: list[str], week: date, interval_minutes: int, now: datetime
) -> list[float | None]:
    """The queues' calls offered per interval of the week up to `now`, None for the intervals
    still to come; [] before the week begins."""
    begins = local_midnight(week)
    if now < begins:
        return []
    days = min((timezone.localdate(now) - week).days + 1, 7)
    histories = interval_history(list(queues), week, days, interval_minutes)
    calls = np.sum([history.volume for history in histories.values()], axis=0)
    elapsed = int((now - begins).total_seconds() // (interval_minutes * 60))
    values: list[float | None] = [float(value) for value in calls[:elapsed]]
    return values + [None] * (7 * MINUTES_PER_DAY // interval_minutes - len(values))
