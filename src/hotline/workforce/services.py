"""Use cases of the workforce plan: forecast a week, build its schedule, publish it."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from hotline.accounts.models import SkillGroup
from hotline.contacts.models import Queue
from hotline.notifications.services import notify
from hotline.staffing.forecast import QueueForecast, forecast_queue
from hotline.staffing.rostering import Agent as RosterAgent
from hotline.staffing.rostering import Conflict, Roster, RosterRules, ShiftToStaff, build_roster
from hotline.staffing.scheduling import NoSchedule, Objective
from hotline.staffing.scheduling import schedule as solve_schedule
from hotline.staffing.shift_templates import AgentShift
from hotline.workforce import selectors
from hotline.workforce.models import (
    Forecast,
    Schedule,
    ScheduledShift,
    ShiftTemplate,
    WorkContract,
    activity,
)
from hotline.workforce.plans import SCHEDULE_INTERVAL_MINUTES, week_plan

# Contracts cap an agent's week; a week with less work than the contracts rosters people short
# (reported to the planner) rather than failing.
ROSTER_RULES = RosterRules(guaranteed_hours=False)
UNDERSTAFFING_WEIGHT = 4.0


class NoHistory(ValueError):
    """The skill group's queues have no calls to forecast from."""


def forecast_week(skill_group: SkillGroup, week_start: date, *, by, today: date) -> list[Forecast]:
    """Forecast each of the skill group's queues for the week from `week_start` (a Monday),
    from up to HOTLINE_FORECAST_HISTORY_WEEKS weeks of whole days before today; a second
    forecast of the same week replaces the first."""
    if week_start.weekday() != 0:
        raise ValueError(f"a week starts on a Monday, not {week_start:%A} {week_start}")
    queues = selectors.queues_of(skill_group)
    history_end = min(week_start, today)
    earliest = history_end - timedelta(weeks=settings.HOTLINE_FORECAST_HISTORY_WEEKS)
    first_day = selectors.first_contact_day(queues, earliest) if queues else None
    if first_day is None or first_day >= history_end:
        raise NoHistory(f"no calls of {skill_group.code} before {history_end} to forecast from")
    days = (history_end - first_day).days
    interval = settings.HOTLINE_FORECAST_INTERVAL_MINUTES
    calendar = selectors.holiday_calendar(first_day, week_start + timedelta(days=6))
    histories = selectors.interval_history(queues, first_day, days, interval)
    forecasts = [forecast_queue(history, week_start, 7, calendar) for history in histories.values()]
    with transaction.atomic():
        return [_keep(forecast, week_start, by) for forecast in forecasts]


def _keep(forecast: QueueForecast, week_start: date, by) -> Forecast:
    stored, _created = Forecast.objects.update_or_create(
        queue=Queue.objects.get(code=forecast.queue),
        week_start=week_start,
        defaults={
            "interval_minutes": forecast.interval_minutes,
            "volumes": [round(float(value), 3) for value in forecast.volume],
            "handle_times": [round(float(value), 1) for value in forecast.aht_seconds],
            "model": forecast.model,
            "backtest": [
                {"model": score.model, "wape": score.wape, "bias": score.bias}
                for score in forecast.backtest
            ],
            "created_by": by,
        },
    )
    return stored


class NoTemplates(ValueError):
    """No active shift template to build a schedule from."""


def build_schedule(
    skill_group: SkillGroup, week_start: date, *, by, time_limit_s: float = 60.0
) -> Schedule:
    """A draft schedule for the week: the cheapest shifts covering the plan's requirement
    (breaks placed), rostered onto the group's agents. Agents the week has no work for and
    shifts no one could take are recorded as the schedule's problems."""
    plan = week_plan(skill_group, week_start)
    templates = {template.code: template for template in ShiftTemplate.objects.filter(active=True)}
    if not templates:
        raise NoTemplates("no active shift template to schedule with")
    shapes = [template.to_staffing() for template in templates.values()]
    requirement = plan.per_quarter_hour()
    problems = []
    try:
        solved = solve_schedule(shapes, requirement, time_limit=time_limit_s)
    except NoSchedule:
        # The templates cannot cover every interval (a night with no night shift, say): the
        # least under- and over-staffing instead, a short interval weighing as four spare.
        solved = solve_schedule(
            shapes,
            requirement,
            objective=Objective.SHORTFALL,
            under_weight=UNDERSTAFFING_WEIGHT,
            time_limit=time_limit_s,
        )
        problems.append(
            {
                "rule": "coverage",
                "agent": "",
                "shift": "",
                "message": _("班次模板无法覆盖全部需求：缺口 %(short)s 人×15分钟")
                % {"short": f"{solved.understaffing.sum():g}"},
            }
        )
    slots = _slots(solved.agent_shifts, skill_group.code)
    agents = _contracts(list(selectors.rosterable_agents(skill_group, week_start)), week_start)
    roster = build_roster(
        [slot.shift for slot in slots.values()],
        agents,
        ROSTER_RULES,
        time_limit_seconds=time_limit_s,
    )
    problems += [_problem(conflict) for conflict in roster.conflicts]
    problems += _short_of_contract(agents, roster)
    with transaction.atomic():
        stored = Schedule.objects.create(
            skill_group=skill_group,
            week_start=week_start,
            interval_minutes=SCHEDULE_INTERVAL_MINUTES,
            required=[int(value) for value in plan.per_quarter_hour()],
            scheduled=[int(value) for value in solved.coverage],
            objective=solved.objective.value,
            total_cost=round(solved.total_cost, 2),
            lower_bound=solved.lp_bound,
            solver_status=f"{solved.status.value}/{roster.status}",
            roster_problems=problems,
            created_by=by,
        )
        _store_shifts(stored, slots, roster, templates)
    return stored


@dataclass(frozen=True)
class _Slot:
    """A shift of the week and the agent shifts (breaks placed) the scheduler made of it."""

    shift: ShiftToStaff
    agent_shifts: list[AgentShift]


def _slots(agent_shifts: Iterable[AgentShift], skill: str) -> dict[str, _Slot]:
    grouped: dict[str, list[AgentShift]] = {}
    for agent_shift in agent_shifts:
        shift = agent_shift.shift
        hours, minutes = divmod(shift.start_of_day, 60)
        key = f"{shift.template.code}-{shift.day}-{hours:02d}{minutes:02d}"
        grouped.setdefault(key, []).append(agent_shift)
    return {
        key: _Slot(
            ShiftToStaff(
                id=key,
                start_minute=members[0].shift.start,
                end_minute=members[0].shift.end,
                paid_minutes=members[0].shift.template.paid_minutes,
                skill=skill,
                count=len(members),
            ),
            members,
        )
        for key, members in grouped.items()
    }


def _contracts(users: list, week_start: date) -> list[RosterAgent]:
    week_begins = selectors.local_midnight(week_start)
    contracts = {
        contract.agent_id: contract
        for contract in WorkContract.objects.filter(agent__in=[user.pk for user in users])
    }
    last_ends = selectors.last_shift_ends(users, week_begins)
    agents = []
    for user in users:
        contract = contracts.get(user.pk) or WorkContract(agent=user)
        last_end = last_ends.get(user.pk)
        agents.append(
            RosterAgent(
                id=user.agent_id,
                name=user.full_name or user.agent_id,
                skills=frozenset(group.code for group in user.skill_groups.all()),
                contracted_minutes=int(contract.weekly_hours * 60),
                unavailable_days=frozenset(contract.unavailable_weekdays),
                preferred_days_off=frozenset(contract.preferred_days_off),
                preferred_start=contract.preferred_start or None,
                previous_shift_end=None
                if last_end is None
                else int((last_end - week_begins).total_seconds() // 60),
            )
        )
    return agents


def _short_of_contract(agents: list[RosterAgent], roster: Roster) -> list[dict]:
    """Agents the week gives less work than their contract less its tolerance."""
    problems = []
    for agent in agents:
        summary = roster.summaries.get(agent.id)
        worked = summary.paid_minutes if summary else 0
        if (
            roster.summaries
            and worked < agent.contracted_minutes - ROSTER_RULES.hours_tolerance_minutes
        ):
            problems.append(
                {
                    "rule": "short_of_contract",
                    "agent": agent.id,
                    "shift": "",
                    "message": _("%(name)s：本周排班 %(worked)s 小时，低于合同 %(contract)s 小时")
                    % {
                        "name": agent.name,
                        "worked": f"{worked / 60:g}",
                        "contract": f"{agent.contracted_minutes / 60:g}",
                    },
                }
            )
    return problems


def _problem(conflict: Conflict) -> dict:
    return {
        "rule": conflict.rule,
        "agent": conflict.agent_id or "",
        "shift": conflict.shift_id or "",
        "message": conflict.message,
    }


def _store_shifts(stored: Schedule, slots: dict[str, _Slot], roster: Roster, templates) -> None:
    users = {
        user.agent_id: user
        for user in get_user_model().objects.filter(
            agent_id__in={agent for agents in roster.assignments.values() for agent in agents}
        )
    }
    week_begins = selectors.local_midnight(stored.week_start)
    rows = []
    for key, slot in slots.items():
        assigned = roster.assignments.get(key, ())
        for index, agent_shift in enumerate(slot.agent_shifts):
            shift = agent_shift.shift
            template = shift.template
            rows.append(
                ScheduledShift(
                    schedule=stored,
                    agent=users[assigned[index]] if index < len(assigned) else None,
                    template=templates[template.code],
                    starts_at=week_begins + timedelta(minutes=shift.start),
                    ends_at=week_begins + timedelta(minutes=shift.end),
                    activities=[
                        activity(
                            item["kind"],
                            week_begins + timedelta(minutes=start),
                            item["minutes"],
                            item["paid"],
                        )
                        for start, item in zip(
                            agent_shift.break_starts, templates[template.code].breaks, strict=True
                        )
                    ],
                )
            )
    ScheduledShift.objects.bulk_create(rows)


class NotADraft(ValueError):
    """Only a draft schedule can be published."""


@transaction.atomic
def publish_schedule(schedule: Schedule, *, by, now: datetime) -> Schedule:
    """Publish the draft for its agents to see, replacing the week's earlier published one,
    and tell every agent on it."""
    # Every schedule of the group's week is locked, in one order, so that two drafts published
    # at once follow each other: the later supersedes the earlier.
    week = Schedule.objects.filter(
        skill_group_id=schedule.skill_group_id, week_start=schedule.week_start
    )
    locked = next(
        item for item in week.select_for_update().order_by("pk") if item.pk == schedule.pk
    )
    if locked.status != Schedule.Status.DRAFT:
        raise NotADraft(f"the schedule is {locked.get_status_display()}, not a draft")
    Schedule.objects.filter(
        skill_group=locked.skill_group,
        week_start=locked.week_start,
        status=Schedule.Status.PUBLISHED,
    ).update(status=Schedule.Status.SUPERSEDED)
    locked.status = Schedule.Status.PUBLISHED
    locked.published_at = now
    locked.published_by = by
    locked.save(update_fields=["status", "published_at", "published_by"])
    agents = get_user_model().objects.filter(shifts__schedule=locked).distinct()
    notify(
        recipients=agents,
        event="schedule.published",
        title=_("%(week)s 起一周的排班已发布") % {"week": locked.week_start.isoformat()},
        link=reverse("my-shifts"),
        payload={"schedule": locked.pk, "week_start": locked.week_start.isoformat()},
    )
    return locked
