"""Schedule adherence: how much of each agent's scheduled time went in the state the schedule
asked for, and the deviations (what WFM tools call adherence exceptions).

Times are timezone-aware datetimes, durations seconds. An agent with no state interval at a
moment is logged out: the telephony import records no interval for logged-out time.

    scheduled          in adherence while the agent is
    work               ready, on a contact or in after-call work (on the phones)
    break, meal        not ready with a break or meal reason, or logged out
    training, meeting  not ready with that activity's reason
    nothing            logged out; logged in counts (as out) only if the rules say so

`AdherenceRules.reasons` says which not-ready reason codes stand for which activity. A state
is also in adherence when it fits what is scheduled at any moment within `grace_s` of it: a
login, logout or break up to `grace_s` early or late costs nothing, a later one only the time
past the grace.

Activities may be laid over a shift's work (a break on top of a work block): where they
overlap, any other activity wins over work, then the later start. Overlapping state
intervals: the later start wins.
"""

import bisect
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from itertools import groupby, pairwise
from types import MappingProxyType
from typing import Generic, TypeVar

from hotline.core.contact_records import AgentState, StateInterval


class ActivityKind(StrEnum):
    WORK = "work"  # on the phones
    BREAK = "break"
    MEAL = "meal"
    TRAINING = "training"
    MEETING = "meeting"


class DeviationKind(StrEnum):
    LATE_LOGIN = "late_login"
    EARLY_LOGOUT = "early_logout"
    ABSENT = "absent"  # logged out from before the shift's start to after its end
    LOGGED_OUT = "logged_out"  # within the shift, neither at its start nor at its end
    NOT_READY = "not_ready"  # during work, or with a reason that does not fit the activity
    ON_PHONES = "on_phones"  # during a break, meal, training or meeting
    LOGGED_IN_OFF_SHIFT = "logged_in_off_shift"


ON_PHONES = frozenset({AgentState.READY, AgentState.ON_CONTACT, AgentState.AFTER_CALL_WORK})
AWAY = frozenset({ActivityKind.BREAK, ActivityKind.MEAL})

DEFAULT_REASONS: Mapping[str, ActivityKind] = MappingProxyType(
    {kind.value: kind for kind in ActivityKind if kind is not ActivityKind.WORK}
)


@dataclass(frozen=True)
class ScheduledActivity:
    agent: str
    kind: ActivityKind
    start: datetime
    end: datetime


@dataclass(frozen=True)
class AdherenceRules:
    grace_s: float = 60.0
    # Shorter deviations still count against adherence but are left out of the list, so
    # with the defaults a login under two minutes late is not listed.
    min_deviation_s: float = 60.0
    count_logged_in_off_shift: bool = False
    reasons: Mapping[str, ActivityKind] = field(default_factory=lambda: DEFAULT_REASONS)


DEFAULT_RULES = AdherenceRules()


@dataclass(frozen=True)
class AdherenceFigures:
    """Seconds for one agent or a sum of agents; in + out is the time measured."""

    scheduled_s: float = 0.0
    in_adherence_s: float = 0.0
    out_of_adherence_s: float = 0.0
    scheduled_work_s: float = 0.0
    on_phones_s: float = 0.0  # anywhere in the time looked at, for conformance

    @property
    def adherence(self) -> float | None:
        """In-adherence share of the time measured; None when nothing was."""
        measured = self.in_adherence_s + self.out_of_adherence_s
        return self.in_adherence_s / measured if measured else None

    @property
    def conformance(self) -> float | None:
        """Time on the phones over scheduled work time (above 1 with overtime)."""
        return self.on_phones_s / self.scheduled_work_s if self.scheduled_work_s else None

    def __add__(self, other: "AdherenceFigures") -> "AdherenceFigures":
        return AdherenceFigures(
            self.scheduled_s + other.scheduled_s,
            self.in_adherence_s + other.in_adherence_s,
            self.out_of_adherence_s + other.out_of_adherence_s,
            self.scheduled_work_s + other.scheduled_work_s,
            self.on_phones_s + other.on_phones_s,
        )


@dataclass(frozen=True)
class Deviation:
    """A stretch out of adherence under one scheduled activity (None: off shift)."""

    agent: str
    kind: DeviationKind
    start: datetime
    end: datetime
    scheduled: ActivityKind | None
    states: tuple[AgentState, ...]  # in the order they occurred
    reasons: tuple[str, ...]  # the not-ready reasons among them

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()


@dataclass(frozen=True)
class AdherenceReport:
    agents: Mapping[str, AdherenceFigures]
    deviations: tuple[Deviation, ...]  # by agent, then start


def in_adherence(
    scheduled: ActivityKind | None, state: AgentState, reason: ActivityKind | None
) -> bool:
    """Whether `state` (with the activity its not-ready reason stands for) fits `scheduled`."""
    if state in ON_PHONES:
        return scheduled is ActivityKind.WORK
    if state is AgentState.LOGGED_OUT:
        return scheduled is None or scheduled in AWAY
    if scheduled in AWAY:
        return reason in AWAY
    return scheduled in (ActivityKind.TRAINING, ActivityKind.MEETING) and reason is scheduled


def measure_adherence(
    schedule: Iterable[ScheduledActivity],
    states: Iterable[StateInterval],
    rules: AdherenceRules = DEFAULT_RULES,
    period: tuple[datetime, datetime] | None = None,
) -> AdherenceReport:
    """Adherence figures and deviations of every agent in the schedule or the states, looking
    only inside `period` when one is given (such as the day so far)."""
    activities = _by_agent(schedule, lambda activity: activity.agent)
    intervals = _by_agent(states, lambda interval: interval.agent)
    figures: dict[str, AdherenceFigures] = {}
    deviations: list[Deviation] = []
    for agent in sorted(activities.keys() | intervals.keys()):
        timeline = _timeline(activities.get(agent, []))
        pieces = _pieces(timeline, _state_line(intervals.get(agent, [])), rules, period)
        figures[agent] = _figures(pieces, rules)
        deviations.extend(_deviations(agent, pieces, _shifts(timeline), rules))
    return AdherenceReport(figures, tuple(deviations))


def by_team(
    agents: Mapping[str, AdherenceFigures], teams: Mapping[str, str]
) -> dict[str, AdherenceFigures]:
    """Each team's figures, summed over its agents; agents not in `teams` are in no sum."""
    sums: dict[str, AdherenceFigures] = {}
    for agent, figures in agents.items():
        if agent in teams:
            team = teams[agent]
            sums[team] = sums.get(team, AdherenceFigures()) + figures
    return sums


Item = TypeVar("Item")
Value = TypeVar("Value", bound=Hashable)
Stretch = tuple[datetime, datetime]


@dataclass(frozen=True)
class _Span(Generic[Value]):
    start: datetime
    end: datetime
    value: Value


@dataclass(frozen=True)
class _Piece:
    """A stretch of one agent's time with one schedule and one state throughout."""

    start: datetime
    end: datetime
    scheduled: ActivityKind | None
    fits: bool
    state: AgentState
    reason: str

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()


def _by_agent(items: Iterable[Item], agent_of: Callable[[Item], str]) -> dict[str, list[Item]]:
    grouped: dict[str, list[Item]] = {}
    for item in items:
        grouped.setdefault(agent_of(item), []).append(item)
    return grouped


def _layered(
    spans: Sequence[_Span[Value]], rank: Callable[[_Span[Value]], tuple[bool, datetime]]
) -> list[_Span[Value]]:
    """Overlapping spans flattened into disjoint ones, the highest rank on top; touching
    spans of equal value joined."""
    for span in spans:
        if span.end < span.start:
            raise ValueError(f"{span} ends before it starts")
    by_start = sorted(spans, key=lambda span: span.start)
    edges = sorted({span.start for span in spans} | {span.end for span in spans})
    flat: list[_Span[Value]] = []
    active: list[_Span[Value]] = []
    next_span = 0
    for start, end in pairwise(edges):
        while next_span < len(by_start) and by_start[next_span].start <= start:
            active.append(by_start[next_span])
            next_span += 1
        active = [span for span in active if span.end > start]
        if not active:
            continue
        value = max(active, key=rank).value
        if flat and flat[-1].end == start and flat[-1].value == value:
            flat[-1] = _Span(flat[-1].start, end, value)
        else:
            flat.append(_Span(start, end, value))
    return flat


def _timeline(activities: Sequence[ScheduledActivity]) -> list[_Span[ActivityKind]]:
    spans = [_Span(activity.start, activity.end, activity.kind) for activity in activities]
    return _layered(spans, lambda span: (span.value is not ActivityKind.WORK, span.start))


def _state_line(intervals: Sequence[StateInterval]) -> list[_Span[tuple[AgentState, str]]]:
    spans: list[_Span[tuple[AgentState, str]]] = [
        _Span(interval.started_at, interval.ended_at, (interval.state, interval.reason))
        for interval in intervals
        if interval.state is not AgentState.LOGGED_OUT
    ]
    return _layered(spans, lambda span: (False, span.start))


def _at(line: Sequence[_Span[Value]], starts: Sequence[datetime], moment: datetime) -> Value | None:
    index = bisect.bisect_right(starts, moment) - 1
    return line[index].value if index >= 0 and line[index].end > moment else None


def _kinds_near(
    timeline: Sequence[_Span[ActivityKind]],
    starts: Sequence[datetime],
    low: datetime,
    high: datetime,
) -> frozenset[ActivityKind | None]:
    """What is scheduled at some moment between `low` and `high` (None: nothing)."""
    kinds: set[ActivityKind | None] = set()
    cursor = low
    index = max(bisect.bisect_right(starts, low) - 1, 0)
    while index < len(timeline) and timeline[index].start < high:
        span = timeline[index]
        if span.end > low:
            if span.start > cursor:
                kinds.add(None)
            kinds.add(span.value)
            cursor = max(cursor, span.end)
        index += 1
    if cursor < high or not kinds:
        kinds.add(None)
    return frozenset(kinds)


def _pieces(
    timeline: Sequence[_Span[ActivityKind]],
    state_line: Sequence[_Span[tuple[AgentState, str]]],
    rules: AdherenceRules,
    period: tuple[datetime, datetime] | None,
) -> list[_Piece]:
    grace = timedelta(seconds=rules.grace_s)
    schedule_edges = {edge for span in timeline for edge in (span.start, span.end)}
    edges = {edge + shift for edge in schedule_edges for shift in (-grace, grace)}
    edges |= schedule_edges | {edge for span in state_line for edge in (span.start, span.end)}
    if not schedule_edges and not state_line:
        return []
    first = min(span.start for spans in (timeline, state_line) for span in spans)
    last = max(span.end for spans in (timeline, state_line) for span in spans)
    if period is not None:
        first, last = max(first, period[0]), min(last, period[1])
    inside = sorted(edge for edge in edges | {first, last} if first <= edge <= last)
    timeline_starts = [span.start for span in timeline]
    state_starts = [span.start for span in state_line]
    pieces = []
    for start, end in pairwise(inside):
        middle = start + (end - start) / 2
        state, reason = _at(state_line, state_starts, middle) or (AgentState.LOGGED_OUT, "")
        reason_kind = rules.reasons.get(reason) if state is AgentState.NOT_READY else None
        near = _kinds_near(timeline, timeline_starts, middle - grace, middle + grace)
        fits = any(in_adherence(kind, state, reason_kind) for kind in near)
        scheduled = _at(timeline, timeline_starts, middle)
        pieces.append(_Piece(start, end, scheduled, fits, state, reason))
    return pieces


def _measured(piece: _Piece, rules: AdherenceRules) -> bool:
    if piece.scheduled is not None:
        return True
    return rules.count_logged_in_off_shift and piece.state is not AgentState.LOGGED_OUT


def _figures(pieces: Sequence[_Piece], rules: AdherenceRules) -> AdherenceFigures:
    scheduled = in_adherence_s = out_of_adherence_s = scheduled_work = on_phones = 0.0
    for piece in pieces:
        if piece.scheduled is not None:
            scheduled += piece.seconds
        if piece.scheduled is ActivityKind.WORK:
            scheduled_work += piece.seconds
        if piece.state in ON_PHONES:
            on_phones += piece.seconds
        if _measured(piece, rules):
            if piece.fits:
                in_adherence_s += piece.seconds
            else:
                out_of_adherence_s += piece.seconds
    return AdherenceFigures(
        scheduled, in_adherence_s, out_of_adherence_s, scheduled_work, on_phones
    )


def _deviations(
    agent: str, pieces: Sequence[_Piece], shifts: Sequence[Stretch], rules: AdherenceRules
) -> list[Deviation]:
    logged_out = _logged_out_stretches(pieces)
    deviations: list[Deviation] = []
    for piece in pieces:
        if piece.fits or not _measured(piece, rules):
            continue
        kind = _deviation_kind(piece, shifts, logged_out)
        last = deviations[-1] if deviations else None
        if (
            last is not None
            and last.end == piece.start
            and (last.kind, last.scheduled) == (kind, piece.scheduled)
        ):
            deviations[-1] = Deviation(
                agent,
                kind,
                last.start,
                piece.end,
                piece.scheduled,
                _with(last.states, piece.state),
                _with(last.reasons, piece.reason) if piece.reason else last.reasons,
            )
        else:
            reasons = (piece.reason,) if piece.reason else ()
            deviations.append(
                Deviation(
                    agent, kind, piece.start, piece.end, piece.scheduled, (piece.state,), reasons
                )
            )
    return [deviation for deviation in deviations if deviation.seconds >= rules.min_deviation_s]


def _with(values: tuple[Value, ...], value: Value) -> tuple[Value, ...]:
    return values if value in values else (*values, value)


def _shifts(timeline: Sequence[_Span[ActivityKind]]) -> list[Stretch]:
    """The schedule's unbroken stretches of activities."""
    shifts: list[Stretch] = []
    for span in timeline:
        if shifts and shifts[-1][1] == span.start:
            shifts[-1] = (shifts[-1][0], span.end)
        else:
            shifts.append((span.start, span.end))
    return shifts


def _logged_out_stretches(pieces: Sequence[_Piece]) -> list[Stretch]:
    stretches = []
    for logged_out, group in groupby(pieces, key=lambda p: p.state is AgentState.LOGGED_OUT):
        run = list(group)
        if logged_out:
            stretches.append((run[0].start, run[-1].end))
    return stretches


def _around(stretches: Sequence[Stretch], piece: _Piece) -> Stretch:
    return stretches[bisect.bisect_right(stretches, piece.start, key=lambda s: s[0]) - 1]


def _deviation_kind(
    piece: _Piece, shifts: Sequence[Stretch], logged_out: Sequence[Stretch]
) -> DeviationKind:
    if piece.scheduled is None:
        return DeviationKind.LOGGED_IN_OFF_SHIFT
    if piece.state in ON_PHONES:
        return DeviationKind.ON_PHONES
    if piece.state is AgentState.NOT_READY:
        return DeviationKind.NOT_READY
    (shift_start, shift_end), (away_start, away_end) = (
        _around(shifts, piece),
        _around(logged_out, piece),
    )
    from_start, to_end = away_start <= shift_start, away_end >= shift_end
    if from_start and to_end:
        return DeviationKind.ABSENT
    if from_start:
        return DeviationKind.LATE_LOGIN
    return DeviationKind.EARLY_LOGOUT if to_end else DeviationKind.LOGGED_OUT
