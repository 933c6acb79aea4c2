"""The demo's workforce plan: shift templates, agents' contracts, this week's forecasts, and
this week's schedule as the simulated center ran it (its rota), published."""

import datetime

import numpy as np
from django.db import transaction
from django.utils import timezone

from hotline.accounts.models import SkillGroup, User
from hotline.demo.call_simulation import SHIFTS, rota
from hotline.demo.calls import ensure_queues_and_agents
from hotline.workforce import selectors, services
from hotline.workforce.models import Schedule, ScheduledShift, ShiftTemplate, activity
from hotline.workforce.plans import SCHEDULE_INTERVAL_MINUTES, NoForecast, week_plan

_BREAK = {"kind": "break", "minutes": 15, "paid": True}
_MEAL = {"kind": "meal", "minutes": 60, "paid": False}
# code, name, earliest and latest start, step, length (minutes), cost (yuan), breaks. The
# part-time templates start inactive: the demo's agents all work full time (40 hours).
TEMPLATES = [
    ("D85", "白班 8.5 小时", "07:30", "11:00", 30, 510, 330,
     [{**_BREAK, "earliest": 120, "latest": 210}, {**_MEAL, "earliest": 240, "latest": 300},
      {**_BREAK, "earliest": 375, "latest": 435}]),
    ("L85", "晚班 8.5 小时", "12:00", "14:00", 30, 510, 350,
     [{**_MEAL, "earliest": 90, "latest": 150}, {**_BREAK, "earliest": 270, "latest": 360}]),
    ("N10", "夜班 10 小时", "22:00", "22:00", 30, 600, 480,
     [{**_BREAK, "earliest": 90, "latest": 150}, {**_MEAL, "earliest": 210, "latest": 330}]),
    ("P4", "兼职 4 小时", "08:00", "18:00", 60, 240, 150,
     [{**_BREAK, "earliest": 90, "latest": 135}]),
    ("P6", "兼职 6 小时", "08:00", "16:00", 60, 360, 220,
     [{**_BREAK, "earliest": 90, "latest": 150}, {**_BREAK, "earliest": 240, "latest": 300}]),
]  # fmt: skip
# The rota's shifts and the template each is an instance of.
ROTA_TEMPLATES = {"early": "D85", "day": "D85", "middle": "D85", "late": "L85", "night": "N10"}


def _clock(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


@transaction.atomic
def load_shift_templates() -> None:
    for code, name, earliest, latest, step, length, cost, breaks in TEMPLATES:
        template = ShiftTemplate(
            code=code,
            name=name,
            earliest_start=_clock(earliest),
            latest_start=_clock(latest),
            start_step_minutes=step,
            length_minutes=length,
            cost=cost,
            breaks=breaks,
            active=not code.startswith("P"),
        )
        template.full_clean(validate_unique=False)
        ShiftTemplate.objects.update_or_create(
            code=code,
            defaults={
                field: getattr(template, field)
                for field in (
                    "name",
                    "earliest_start",
                    "latest_start",
                    "start_step_minutes",
                    "length_minutes",
                    "cost",
                    "breaks",
                    "active",
                )
            },
        )


def load_workforce(now: datetime.datetime | None = None) -> int:
    """Templates, this week's forecasts and published rota; returns the shifts written.
    Needs the simulated calls (`load_calls`) for the forecasts."""
    now = now or timezone.now()
    load_shift_templates()
    week = selectors.monday_of(timezone.localdate(now))
    planner = User.objects.filter(groups__name="wfm_planner").order_by("agent_id").first()
    for group in selectors.skill_groups_with_queues():
        try:
            services.forecast_week(group, week, by=planner, today=timezone.localdate(now))
        except services.NoHistory:
            continue
    return _publish_rota(week, planner, now)


def _publish_rota(week: datetime.date, planner, now: datetime.datetime) -> int:
    """This week's rota as the simulation worked it, one published schedule per skill group
    (an agent in the group of their first skill); breaks in the middle of their windows."""
    templates = {template.code: template for template in ShiftTemplate.objects.all()}
    agents = {f"SIP/{user.agent_id}": user for user in User.objects.exclude(agent_id="")}
    by_group: dict[str, list] = {}
    for line in rota(ensure_queues_and_agents()):
        if line.skills and line.agent in agents:
            by_group.setdefault(line.skills[0], []).append(line)
    written = 0
    monday = selectors.local_midnight(week)
    for code, lines in sorted(by_group.items()):
        group = SkillGroup.objects.get(code=code)
        if Schedule.objects.filter(skill_group=group, week_start=week).exists():
            continue
        shifts, placed = [], []
        for line in lines:
            shift = SHIFTS[line.shift]
            template = templates[ROTA_TEMPLATES[line.shift]]
            for day in range(7):
                if day in line.days_off:
                    continue
                start = day * 24 * 60 + shift.start_min
                pauses = [
                    ("break", sum(shift.break_window) // 2 // 15 * 15, 15, True),
                    ("meal", sum(shift.meal_window) // 2 // 15 * 15, 60, False),
                ]
                shifts.append(
                    ScheduledShift(
                        agent=agents[line.agent],
                        template=template,
                        starts_at=monday + datetime.timedelta(minutes=start),
                        ends_at=monday + datetime.timedelta(minutes=start + shift.length_min),
                        activities=[
                            activity(
                                kind,
                                monday + datetime.timedelta(minutes=start + offset),
                                minutes,
                                paid,
                            )
                            for kind, offset, minutes, paid in sorted(pauses, key=lambda p: p[1])
                        ],
                    )
                )
                placed.append((start, shift.length_min, pauses))
        scheduled = _coverage(placed)
        try:
            required = [int(value) for value in week_plan(group, week).per_quarter_hour()]
        except NoForecast:
            required = [0] * len(scheduled)
        with transaction.atomic():
            schedule = Schedule.objects.create(
                skill_group=group,
                week_start=week,
                status=Schedule.Status.PUBLISHED,
                interval_minutes=SCHEDULE_INTERVAL_MINUTES,
                required=required,
                scheduled=scheduled,
                objective="imported",
                total_cost=sum(item.template.cost for item in shifts),
                lower_bound=None,
                solver_status="imported",
                created_by=planner,
                published_at=now,
                published_by=planner,
            )
            for item in shifts:
                item.schedule = schedule
            ScheduledShift.objects.bulk_create(shifts)
        written += len(shifts)
    return written


def _coverage(placed) -> list[int]:
    """Agents working per quarter-hour of the week, breaks left out."""
    agents = np.zeros(7 * 24 * 60 // SCHEDULE_INTERVAL_MINUTES, dtype=np.int64)
    step = SCHEDULE_INTERVAL_MINUTES
    for start, length, pauses in placed:
        on = np.ones(length // step, dtype=bool)
        for _kind, offset, minutes, _paid in pauses:
            on[offset // step : (offset + minutes) // step] = False
        slots = (start // step + np.arange(length // step)) % len(agents)
        agents[slots[on]] += 1
    return [int(value) for value in agents]
