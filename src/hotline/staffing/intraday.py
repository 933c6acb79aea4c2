"""Intraday re-planning for one queue (or skill group): re-forecast the rest of today from the
intervals already closed, and suggest moves that close the staffing gap.

Intervals are numbered 0 … n−1 over the day; `now` is the first open one. Staffing is agents
on the phones, breaks and sessions already taken out.

Re-forecast: every open interval's forecast is scaled by one ratio of actual to forecast,

    volume ratio = (Σ w·actual calls + prior) / (Σ w·forecast calls + prior)
    AHT ratio    = (Σ w·calls·(actual AHT ÷ forecast AHT) + prior) / (Σ w·calls + prior)

over the closed intervals, with w = 2^(−age / half-life) (age 0 for the last closed interval)
so the latest intervals weigh most, and `prior_calls` calls counted as having come exactly as
forecast, so that a few early calls barely move the day and a busy morning does.

Moves, cheapest first, each the one removing the most shortfall (agent-intervals) at the time:
move a break that has not started to other intervals inside its window; cancel (the rest of)
a training or meeting session; extend a shift before its start or after its end (overtime),
the extension that removes the most shortfall per interval paid. No move takes an agent from
an interval that would then be short, so no interval is made short; no move touches a closed
interval.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]
# Required agents on the phones per interval from its calls and AHT in seconds; the service
# target, interval length and any shrinkage are bound in by the caller.
Requirement = Callable[[FloatArray, FloatArray], NDArray[Any]]


@dataclass(frozen=True)
class Traffic:
    volume: FloatArray  # calls per interval
    aht: FloatArray  # seconds


@dataclass(frozen=True)
class Reforecast:
    traffic: Traffic  # actual in the closed intervals, the scaled forecast in the open ones
    volume_ratio: float
    aht_ratio: float


@dataclass(frozen=True)
class MovableBreak:
    """A break over intervals [start, end) that may start anywhere from `earliest` to `latest`."""

    agent: str
    start: int
    end: int
    earliest: int
    latest: int


@dataclass(frozen=True)
class Session:
    """A training or meeting session over intervals [start, end) that could be cancelled."""

    agent: str
    start: int
    end: int


@dataclass(frozen=True)
class OvertimeOption:
    """A shift over intervals [shift_start, shift_end) its agent could lengthen."""

    agent: str
    shift_start: int
    shift_end: int
    max_before: int
    max_after: int


class MoveKind(StrEnum):
    MOVE_BREAK = "move_break"
    CANCEL_SESSION = "cancel_session"
    ADD_OVERTIME = "add_overtime"


@dataclass(frozen=True)
class Move:
    """A suggestion and why: `helped` were short by `short_by` agents before it."""

    kind: MoveKind
    agent: str
    # The break's, session's or shift's intervals before and after the move; a cancelled
    # session keeps only the part already held.
    before: range
    after: range
    helped: tuple[int, ...]
    short_by: tuple[float, ...]
    shortfall_reduced: float  # agent-intervals


@dataclass(frozen=True)
class MovePlan:
    moves: tuple[Move, ...]
    gap_after: FloatArray  # agents on the phones minus required once every move is made


@dataclass(frozen=True)
class IntradayPlan:
    reforecast: Reforecast
    required: FloatArray
    gap: FloatArray  # agents on the phones minus required, as scheduled
    moves: MovePlan


def reforecast(
    forecast: Traffic, actual: Traffic, half_life: float = 4.0, prior_calls: float = 50.0
) -> Reforecast:
    """The day's traffic with the open intervals re-forecast; `actual` covers the closed ones."""
    now = len(actual.volume)
    days = {len(forecast.volume), len(forecast.aht)}
    if len(actual.aht) != now or len(days) > 1 or now > min(days):
        raise ValueError("actual traffic must cover the first intervals of the forecast")
    if half_life <= 0 or prior_calls <= 0:
        raise ValueError("the half-life and the prior must be positive")
    weights = 0.5 ** (np.arange(now - 1, -1, -1) / half_life)
    closed_volume, closed_aht = forecast.volume[:now], forecast.aht[:now]
    volume_ratio = (weights @ actual.volume + prior_calls) / (weights @ closed_volume + prior_calls)
    # An interval with no AHT forecast counts as on forecast.
    aht_ratios = np.divide(actual.aht, closed_aht, out=np.ones(now), where=closed_aht > 0)
    call_weights = weights * actual.volume
    aht_ratio = (call_weights @ aht_ratios + prior_calls) / (call_weights.sum() + prior_calls)
    traffic = Traffic(
        np.concatenate([actual.volume, forecast.volume[now:] * volume_ratio]),
        np.concatenate([actual.aht, forecast.aht[now:] * aht_ratio]),
    )
    return Reforecast(traffic, float(volume_ratio), float(aht_ratio))


def replan(
    forecast: Traffic,
    actual: Traffic,
    scheduled: ArrayLike,
    requirement: Requirement,
    breaks: Iterable[MovableBreak] = (),
    sessions: Iterable[Session] = (),
    overtime: Iterable[OvertimeOption] = (),
    half_life: float = 4.0,
    prior_calls: float = 50.0,
) -> IntradayPlan:
    """Re-forecast the day, the staffing gap per interval and the moves that close it."""
    on_phones = np.asarray(scheduled, dtype=np.float64)
    if on_phones.shape != forecast.volume.shape:
        raise ValueError("scheduled agents must cover every interval of the forecast")
    new = reforecast(forecast, actual, half_life, prior_calls)
    required = np.asarray(requirement(new.traffic.volume, new.traffic.aht), dtype=np.float64)
    gap = on_phones - required
    moves = suggest_moves(gap, len(actual.volume), breaks, sessions, overtime)
    return IntradayPlan(new, required, gap, moves)


def suggest_moves(
    gap: FloatArray,
    now: int,
    breaks: Iterable[MovableBreak] = (),
    sessions: Iterable[Session] = (),
    overtime: Iterable[OvertimeOption] = (),
) -> MovePlan:
    """Moves closing the shortfall where `gap` (on the phones minus required) is negative."""
    breaks, sessions, overtime = list(breaks), list(sessions), list(overtime)
    spans = [
        *((item.start, item.end) for item in breaks),
        *((item.start, item.end) for item in sessions),
        *((item.shift_start, item.shift_end) for item in overtime),
    ]
    if any(not 0 <= start < end <= len(gap) for start, end in spans) or not 0 <= now <= len(gap):
        raise ValueError("now, breaks, sessions and shifts must lie within the day's intervals")
    planner = _Planner(gap, now, breaks, sessions)
    moves = [
        *planner.move_breaks(),
        *planner.cancel_sessions(sessions),
        *planner.add_overtime(overtime),
    ]
    return MovePlan(tuple(moves), planner.current())


@dataclass(frozen=True)
class _Placement:
    """A break at new intervals, the shortfall it removes and the agents spare where it goes."""

    item: MovableBreak
    target: range
    gain: float
    spare: float


@dataclass(frozen=True)
class _Extension:
    option: OvertimeOption
    added: range

    @property
    def after_shift(self) -> bool:
        return self.added.start == self.option.shift_end

    @property
    def shift(self) -> range:
        if self.after_shift:
            return range(self.option.shift_start, self.added.stop)
        return range(self.added.start, self.option.shift_end)


class _Planner:
    """The gap as moves change it, and each agent's intervals off the phones."""

    def __init__(
        self,
        gap: FloatArray,
        now: int,
        breaks: Iterable[MovableBreak],
        sessions: Iterable[Session],
    ) -> None:
        self.gap = gap
        self.now = now
        # Whole agents moved, kept apart from the fractional gap so that a check that an
        # interval stays covered adds the same numbers as the gap reported at the end.
        self.delta = np.zeros(len(gap), dtype=np.int64)
        self.breaks = list(breaks)
        self.away: dict[str, set[int]] = {}
        activities: list[MovableBreak | Session] = [*self.breaks, *sessions]
        for activity in activities:
            self.away.setdefault(activity.agent, set()).update(range(activity.start, activity.end))

    def current(self) -> FloatArray:
        return self.gap + self.delta

    def move_breaks(self) -> list[Move]:
        movable = [item for item in self.breaks if item.start >= self.now]
        moves = []
        while movable:
            current = self.current()
            placements = [place for item in movable for place in self._placements(item, current)]
            if not placements:
                break
            best = max(placements, key=lambda place: (place.gain, place.spare))
            item, target = best.item, best.target
            old = range(item.start, item.end)
            moves.append(self._apply(MoveKind.MOVE_BREAK, item.agent, old, target, old, target))
            movable.remove(item)
            self.away[item.agent].difference_update(old)
            self.away[item.agent].update(target)
        return moves

    def _placements(self, item: MovableBreak, current: FloatArray) -> list[_Placement]:
        """Where the break could go: inside its window, clear of its agent's other activities,
        removing some shortfall and leaving every interval it enters covered."""
        old = range(item.start, item.end)
        elsewhere = self.away[item.agent].difference(old)
        placements = []
        for start in range(max(item.earliest, self.now), item.latest + 1):
            target = range(start, start + len(old))
            if start == item.start or target.stop > len(current) or elsewhere.intersection(target):
                continue
            entered = [index for index in target if index not in old]
            spare = min(
                (self.gap[index] + (self.delta[index] - 1) for index in entered), default=np.inf
            )
            gain = self._gain([index for index in old if index not in target], current)
            if spare >= 0 and gain > 0:
                placements.append(_Placement(item, target, gain, float(spare)))
        return placements

    def cancel_sessions(self, sessions: Sequence[Session]) -> list[Move]:
        remaining = [item for item in sessions if item.end > self.now]
        moves = []
        while remaining:
            current = self.current()
            gains = [self._gain(self._open(item), current) for item in remaining]
            best = int(np.argmax(gains))
            if gains[best] <= 0:
                break
            item = remaining.pop(best)
            freed = self._open(item)
            held = range(item.start, freed.start)
            session = range(item.start, item.end)
            moves.append(self._apply(MoveKind.CANCEL_SESSION, item.agent, session, held, freed, ()))
            self.away[item.agent].difference_update(freed)
        return moves

    def add_overtime(self, options: Sequence[OvertimeOption]) -> list[Move]:
        extensions = [extension for item in options for extension in self._extensions(item)]
        moves = []
        while extensions:
            current = self.current()
            gains = [self._gain(extension.added, current) for extension in extensions]
            best = max(
                range(len(extensions)),
                key=lambda index: (gains[index] / len(extensions[index].added), gains[index]),
            )
            if gains[best] <= 0:
                break
            chosen = extensions[best]
            option = chosen.option
            original = range(option.shift_start, option.shift_end)
            moves.append(
                self._apply(
                    MoveKind.ADD_OVERTIME, option.agent, original, chosen.shift, chosen.added, ()
                )
            )
            extensions = [
                extension
                for extension in extensions
                if (extension.option, extension.after_shift) != (option, chosen.after_shift)
            ]
        return moves

    def _extensions(self, option: OvertimeOption) -> list[_Extension]:
        """Every extension of the shift that lies in open intervals of the day."""
        before = [
            range(option.shift_start - length, option.shift_start)
            for length in range(1, option.max_before + 1)
            if option.shift_start - length >= self.now
        ]
        after = [
            range(option.shift_end, option.shift_end + length)
            for length in range(1, option.max_after + 1)
            if option.shift_end >= self.now and option.shift_end + length <= len(self.gap)
        ]
        return [_Extension(option, added) for added in [*before, *after]]

    def _open(self, session: Session) -> range:
        return range(max(session.start, self.now), max(session.end, self.now))

    @staticmethod
    def _gain(freed: Iterable[int], current: FloatArray) -> float:
        """Shortfall removed by one more agent in each of `freed`."""
        return float(sum(min(1.0, max(0.0, -current[index])) for index in freed))

    def _apply(
        self,
        kind: MoveKind,
        agent: str,
        before: range,
        after: range,
        on_phones: Sequence[int],
        off_phones: Sequence[int],
    ) -> Move:
        current = self.current()
        gained = [index for index in on_phones if index not in off_phones]
        for index in gained:
            self.delta[index] += 1
        for index in off_phones:
            if index not in on_phones:
                self.delta[index] -= 1
        helped = tuple(index for index in gained if current[index] < 0)
        short_by = tuple(float(-current[index]) for index in helped)
        return Move(kind, agent, before, after, helped, short_by, self._gain(gained, current))
