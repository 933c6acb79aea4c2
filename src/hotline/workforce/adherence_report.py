"""Adherence of a day (or of today so far): published shifts against the agents' states."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from hotline.contacts.models import AgentStateInterval
from hotline.core.contact_records import AgentState, StateInterval
from hotline.staffing.adherence import (
    ActivityKind,
    AdherenceFigures,
    AdherenceReport,
    ScheduledActivity,
    by_team,
    measure_adherence,
)
from hotline.workforce.selectors import local_midnight, published_shifts_between


@dataclass(frozen=True)
class DayAdherence:
    day: date
    period: tuple[datetime, datetime]
    report: AdherenceReport
    teams: dict[str, AdherenceFigures]
    names: dict[str, str]  # agent ID → name
    team_of: dict[str, str]  # agent ID → team name


def shift_activities(shift) -> list[ScheduledActivity]:
    """A shift as work from start to end with its breaks, meals and sessions laid over it."""
    agent = shift.agent.agent_id
    activities = [ScheduledActivity(agent, ActivityKind.WORK, shift.starts_at, shift.ends_at)]
    for item in shift.activities:
        activities.append(
            ScheduledActivity(
                agent,
                ActivityKind(item["kind"]),
                datetime.fromisoformat(item["start"]),
                datetime.fromisoformat(item["end"]),
            )
        )
    return activities


def day_adherence(day: date, *, now: datetime, team=None) -> DayAdherence:
    """Adherence from the day's local midnight to the next, or to `now` if that is earlier."""
    start = local_midnight(day)
    end = min(local_midnight(day + timedelta(days=1)), now)
    shifts = list(published_shifts_between(start, end, team)) if end > start else []
    agents = {shift.agent_id: shift.agent for shift in shifts}
    schedule = [activity for shift in shifts for activity in shift_activities(shift)]
    rows = AgentStateInterval.objects.filter(
        agent_id__in=agents, started_at__lt=end, ended_at__gt=start
    ).values_list("agent_id", "state", "reason", "started_at", "ended_at")
    states = [
        StateInterval(agents[user_id].agent_id, AgentState(state), started, ended, reason)
        for user_id, state, reason, started, ended in rows
    ]
    report = measure_adherence(schedule, states, period=(start, end))
    team_of = {agent.agent_id: agent.team.name if agent.team else "" for agent in agents.values()}
    return DayAdherence(
        day=day,
        period=(start, end),
        report=report,
        teams=by_team(report.agents, {key: team for key, team in team_of.items() if team}),
        names={agent.agent_id: agent.full_name for agent in agents.values()},
        team_of=team_of,
    )
