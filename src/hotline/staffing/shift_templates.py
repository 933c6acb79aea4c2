"""Shift templates, the shifts they allow in a week, and the intervals an agent works.

Time is counted in minutes from Monday 00:00, Asia/Shanghai local time; Shanghai keeps
no daylight saving, so every week is 10 080 minutes long. The week is cyclic: a shift
that runs past Sunday 24:00 goes on into Monday 00:00 of the same week, as it does in a
schedule repeated week after week. Minutes past the week's end are kept as they are
(a Sunday 22:00 shift of 9 hours ends at minute 10 620) and folded onto Monday only when
intervals are counted.

A week is cut into intervals of 15, 30 or 60 minutes. Shift starts, shift and break
lengths and break windows must fall on that grid (`ShiftTemplate.check_grid`), so an
agent either works a whole interval or is on break for all of it.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

MINUTES_PER_DAY = 24 * 60
DAYS_PER_WEEK = 7
MINUTES_PER_WEEK = DAYS_PER_WEEK * MINUTES_PER_DAY
INTERVAL_LENGTHS = (15, 30, 60)
EVERY_DAY = frozenset(range(DAYS_PER_WEEK))


class CostBasis(StrEnum):
    """What a template's cost is counted per."""

    SHIFT = "shift"
    PAID_HOUR = "paid_hour"


@dataclass(frozen=True)
class Break:
    """A break of `length` minutes that starts `earliest` to `latest` minutes into the shift."""

    length: int
    earliest: int
    latest: int
    paid: bool

    def __post_init__(self) -> None:
        if self.length <= 0:
            raise ValueError(f"a break must last a positive number of minutes: {self.length}")
        if not 0 <= self.earliest <= self.latest:
            raise ValueError(f"a break window needs 0 <= earliest <= latest: {self}")


@dataclass(frozen=True)
class ShiftTemplate:
    """A kind of shift: when it may start, how long it lasts, its breaks and its cost.

    `starts` are minutes after midnight, `days` are weekdays (0 is Monday) on which it may
    start. Break windows must come in order and leave no room for two breaks to overlap,
    so each break can be placed anywhere in its window whatever the others do.
    """

    code: str
    length: int
    starts: tuple[int, ...]
    cost: float
    cost_basis: CostBasis = CostBasis.SHIFT
    breaks: tuple[Break, ...] = ()
    days: frozenset[int] = EVERY_DAY
    name: str = ""

    def __post_init__(self) -> None:
        if not 0 < self.length <= MINUTES_PER_DAY:
            raise ValueError(f"{self.code}: a shift lasts more than 0 and at most 24 hours")
        if not self.starts or not all(0 <= start < MINUTES_PER_DAY for start in self.starts):
            raise ValueError(f"{self.code}: starts must be minutes of the day, 0 to 1439")
        if not self.days or not self.days <= EVERY_DAY:
            raise ValueError(f"{self.code}: days must be weekdays 0 (Monday) to 6 (Sunday)")
        if self.cost < 0:
            raise ValueError(f"{self.code}: cost cannot be negative")
        free_from = 0
        for shift_break in self.breaks:
            if shift_break.earliest < free_from:
                raise ValueError(f"{self.code}: break windows overlap or are out of order")
            free_from = shift_break.latest + shift_break.length
        if free_from > self.length:
            raise ValueError(f"{self.code}: a break may run past the end of the shift")

    @property
    def paid_minutes(self) -> int:
        """The shift's length less its unpaid breaks."""
        return self.length - sum(b.length for b in self.breaks if not b.paid)

    @property
    def shift_cost(self) -> float:
        """The cost of one agent working one shift of this template."""
        if self.cost_basis is CostBasis.PAID_HOUR:
            return self.cost * self.paid_minutes / 60
        return self.cost

    def check_grid(self, interval: int) -> None:
        """Raise ValueError unless every time of the template falls on the interval grid."""
        times = [self.length, *self.starts]
        for shift_break in self.breaks:
            times += [shift_break.length, shift_break.earliest, shift_break.latest]
        if any(time % interval for time in times):
            raise ValueError(f"{self.code}: its times are not all multiples of {interval} minutes")


@dataclass(frozen=True)
class Shift:
    """A template worked on one day from one start time."""

    template: ShiftTemplate
    day: int
    start_of_day: int

    def __post_init__(self) -> None:
        if self.day not in self.template.days or self.start_of_day not in self.template.starts:
            raise ValueError(
                f"{self.template.code} does not start on day {self.day} at {self.start_of_day}"
            )

    @property
    def start(self) -> int:
        """Minutes from Monday 00:00 to the start."""
        return self.day * MINUTES_PER_DAY + self.start_of_day

    @property
    def end(self) -> int:
        """Minutes from Monday 00:00 to the end; past the week's end for a shift that wraps."""
        return self.start + self.template.length

    def intervals(self, interval: int) -> NDArray[np.int64]:
        """The intervals of the week the shift spans, breaks included."""
        return span(self.start, self.template.length, interval)


@dataclass(frozen=True)
class AgentShift:
    """One agent's shift with its breaks placed: `break_starts` are minutes from Monday 00:00,
    one per template break, in the template's order."""

    shift: Shift
    break_starts: tuple[int, ...]

    def __post_init__(self) -> None:
        breaks = self.shift.template.breaks
        if len(self.break_starts) != len(breaks):
            raise ValueError(f"{self.shift} has {len(breaks)} breaks: {self.break_starts}")
        for start, shift_break in zip(self.break_starts, breaks, strict=True):
            offset = start - self.shift.start
            if not shift_break.earliest <= offset <= shift_break.latest:
                raise ValueError(f"a break at minute {start} is outside its window: {self}")

    def working_intervals(self, interval: int) -> NDArray[np.int64]:
        """The intervals the agent covers: the shift's, less those spent on a break."""
        working = np.ones(self.shift.template.length // interval, dtype=bool)
        for start, shift_break in zip(self.break_starts, self.shift.template.breaks, strict=True):
            first = (start - self.shift.start) // interval
            working[first : first + shift_break.length // interval] = False
        return self.shift.intervals(interval)[working]


def span(start: int, length: int, interval: int) -> NDArray[np.int64]:
    """The intervals from minute `start` for `length` minutes, folded onto the cyclic week."""
    first = start // interval
    return (first + np.arange(length // interval)) % (MINUTES_PER_WEEK // interval)


def week_shifts(templates: Sequence[ShiftTemplate]) -> list[Shift]:
    """Every shift the templates allow in a week, in template, day and start order."""
    return [
        Shift(template, day, start)
        for template in templates
        for day in sorted(template.days)
        for start in sorted(set(template.starts))
    ]


def interval_length(requirement_length: int) -> int:
    """The interval length in minutes of a week's requirement with this many intervals."""
    for interval in INTERVAL_LENGTHS:
        if requirement_length * interval == MINUTES_PER_WEEK:
            return interval
    raise ValueError(
        f"a week's requirement has {MINUTES_PER_WEEK} / 15, 30 or 60 intervals, "
        f"not {requirement_length}"
    )


def coverage(agent_shifts: Sequence[AgentShift], interval: int) -> NDArray[np.int64]:
    """The number of agents working in each interval of the week."""
    agents = np.zeros(MINUTES_PER_WEEK // interval, dtype=np.int64)
    for agent_shift in agent_shifts:
        agents[agent_shift.working_intervals(interval)] += 1
    return agents
