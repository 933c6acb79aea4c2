"""Today for a skill group (动态排班): the rest of the day re-forecast from the calls so far,
the gap between agents scheduled and needed per quarter-hour, and moves that close it."""

from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from django.utils import timezone
from numpy.typing import NDArray

from hotline.accounts.models import SkillGroup
from hotline.staffing.erlang import offered_load, required_agents
from hotline.staffing.intraday import (
    IntradayPlan,
    MovableBreak,
    Move,
    OvertimeOption,
    Session,
    Traffic,
    replan,
)
from hotline.workforce import selectors
from hotline.workforce.plans import (
    SCHEDULE_INTERVAL_MINUTES,
    NoForecast,
    staffing_target,
    week_plan,
)

STEP = SCHEDULE_INTERVAL_MINUTES
PER_DAY = 24 * 60 // STEP
# How far a planner would ask an agent to stay longer or come in earlier.
MOST_OVERTIME_INTERVALS = 4
SESSIONS = ("training", "meeting")


def clock(minutes: int) -> str:
    hours, minute = divmod(minutes % (24 * 60), 60)
    return f"{hours:02d}:{minute:02d}"


@dataclass(frozen=True)
class TodayPlan:
    plan: IntradayPlan
    now: int  # the first open quarter-hour
    forecast: Traffic
    scheduled: NDArray[np.float64]
    moves: list[dict]

    def rows(self) -> list[dict]:
        traffic = self.plan.reforecast.traffic
        return [
            {
                "time": clock(n * STEP),
                "closed": n < self.now,
                "forecast": self.forecast.volume[n],
                "expected": traffic.volume[n],
                "aht": traffic.aht[n],
                "required": self.plan.required[n],
                "scheduled": self.scheduled[n],
                "gap": self.plan.gap[n],
                "gap_after": self.plan.moves.gap_after[n],
            }
            for n in range(PER_DAY)
        ]


def today_plan(skill_group: SkillGroup, *, now: datetime) -> TodayPlan | None:
    """None when this week has no forecast for the group."""
    today = timezone.localdate(now)
    week = selectors.monday_of(today)
    try:
        plan = week_plan(skill_group, week)
    except NoForecast:
        return None
    day = today.weekday()
    spread = plan.interval_minutes // STEP
    per_forecast_day = 24 * 60 // plan.interval_minutes
    window = slice(day * per_forecast_day, (day + 1) * per_forecast_day)
    forecast = Traffic(
        np.repeat(plan.calls[window], spread) / spread, np.repeat(plan.aht_s[window], spread)
    )
    midnight = selectors.local_midnight(today)
    closed = int((now - midnight).total_seconds() // (STEP * 60))
    actual = _actual(list(plan.queues), today, forecast, closed)
    shifts = list(selectors.group_shifts_between(skill_group, midnight, midnight + timedelta(1)))
    scheduled = _working(shifts, midnight)
    target = staffing_target()

    def requirement(volume, aht):
        return required_agents(offered_load(volume, STEP * 60, aht), aht, target)

    intraday = replan(
        forecast,
        actual,
        scheduled,
        requirement,
        breaks=_breaks(shifts, midnight, closed),
        sessions=_sessions(shifts, midnight, closed),
        overtime=_overtime(shifts, midnight),
    )
    names = {shift.agent.agent_id: shift.agent.full_name for shift in shifts}
    return TodayPlan(
        plan=intraday,
        now=closed,
        forecast=forecast,
        scheduled=scheduled,
        moves=[_described(move, names) for move in intraday.moves.moves],
    )


def _actual(queues: list[str], today, forecast: Traffic, closed: int) -> Traffic:
    histories = selectors.interval_history(queues, today, 1, STEP).values()
    volume = np.sum([history.volume for history in histories], axis=0)[:closed]
    handled = np.sum([history.handled for history in histories], axis=0)[:closed]
    seconds = np.sum([history.handle_seconds for history in histories], axis=0)[:closed]
    aht = np.divide(seconds, handled, out=forecast.aht[:closed].copy(), where=handled > 0)
    return Traffic(volume.astype(np.float64), aht)


def _index(moment: datetime, midnight: datetime) -> int:
    return int((moment - midnight).total_seconds() // (STEP * 60))


def _working(shifts, midnight: datetime) -> NDArray[np.float64]:
    agents = np.zeros(PER_DAY)
    for shift in shifts:
        on = np.zeros(PER_DAY, dtype=bool)
        on[max(_index(shift.starts_at, midnight), 0) : max(_index(shift.ends_at, midnight), 0)] = (
            True
        )
        for item in shift.activities:
            start = _index(datetime.fromisoformat(item["start"]), midnight)
            end = _index(datetime.fromisoformat(item["end"]), midnight)
            on[max(start, 0) : max(end, 0)] = False
        agents += on
    return agents


def _breaks(shifts, midnight: datetime, closed: int) -> list[MovableBreak]:
    """Breaks and meals still to come that sit in their template's window, movable within it."""
    movable = []
    for shift in shifts:
        begins = _index(shift.starts_at, midnight)
        for item in shift.activities:
            start = _index(datetime.fromisoformat(item["start"]), midnight)
            end = _index(datetime.fromisoformat(item["end"]), midnight)
            window = _window_of(shift.template.breaks, item["kind"], start - begins)
            if start < closed or window is None:
                continue
            earliest, latest = begins + window[0], begins + window[1]
            if 0 <= earliest and latest + (end - start) <= PER_DAY:
                movable.append(
                    MovableBreak(shift.agent.agent_id, start, end, max(earliest, closed), latest)
                )
    return movable


def _window_of(breaks: list[dict], kind: str, offset: int) -> tuple[int, int] | None:
    """The window, in intervals after the shift's start, of the template break of that kind
    the offset falls in."""
    for item in breaks:
        earliest, latest = item["earliest"] // STEP, item["latest"] // STEP
        if item["kind"] == kind and earliest <= offset <= latest:
            return earliest, latest
    return None


def _sessions(shifts, midnight: datetime, closed: int) -> list[Session]:
    return [
        Session(
            shift.agent.agent_id,
            _index(datetime.fromisoformat(item["start"]), midnight),
            _index(datetime.fromisoformat(item["end"]), midnight),
        )
        for shift in shifts
        for item in shift.activities
        if item["kind"] in SESSIONS
        and _index(datetime.fromisoformat(item["end"]), midnight) > closed
    ]


def _overtime(shifts, midnight: datetime) -> list[OvertimeOption]:
    options = []
    for shift in shifts:
        start = _index(shift.starts_at, midnight)
        end = _index(shift.ends_at, midnight)
        if 0 <= start and end <= PER_DAY:
            options.append(
                OvertimeOption(
                    shift.agent.agent_id,
                    start,
                    end,
                    min(MOST_OVERTIME_INTERVALS, start),
                    min(MOST_OVERTIME_INTERVALS, PER_DAY - end),
                )
            )
    return options


def _described(move: Move, names: dict[str, str]) -> dict:
    return {
        "kind": move.kind.value,
        "agent": move.agent,
        "name": names.get(move.agent, ""),
        "before": f"{clock(move.before.start * STEP)}–{clock(move.before.stop * STEP)}",
        "after": f"{clock(move.after.start * STEP)}–{clock(move.after.stop * STEP)}",
        "helped": ", ".join(clock(n * STEP) for n in move.helped),
        "shortfall_reduced": move.shortfall_reduced * STEP / 60,
    }
