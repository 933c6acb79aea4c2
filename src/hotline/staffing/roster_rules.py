"""The week a roster is built for, and the reasons when its hard rules cannot all hold.

Times are minutes from 00:00 on the Monday of the week being rostered. Skills and unavailable
days decide which shifts an agent can take at all. The hard rules are: at most one shift per
calendar day (the day a shift starts on), rest between shifts, contracted hours, days off, and,
unless `allow_unfilled`, every shift fully staffed.

Obvious conflicts are caught before any solving. Otherwise CP-SAT's sufficient assumptions for
infeasibility, one per rule and agent (or shift, or pair of days), are trimmed one by one to a
minimal set that names the conflicting rules; messages are for planners, in Chinese.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Literal

from ortools.sat.python import cp_model

MINUTES_PER_DAY = 24 * 60
DAYS_IN_WEEK = 7
WEEKEND = frozenset({5, 6})
# Small-hours work is the burden agents trade: a shift that crosses midnight or starts before
# 05:00 is a night shift; an evening that ends at midnight is not.
NIGHT_ENDS_AT = 5 * 60
DAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")

Rule = Literal["coverage", "min_rest", "contracted_hours", "days_off"]
StartPreference = Literal["early", "late"]


@dataclass(frozen=True)
class ShiftToStaff:
    """One shift of the week needing `count` agents; it may run past midnight into the next day.

    `paid_minutes` may be shorter than the span (unpaid breaks); `skill` None means anyone.
    """

    id: str
    start_minute: int
    end_minute: int
    paid_minutes: int
    skill: str | None = None
    count: int = 1

    def __post_init__(self) -> None:
        if not 0 <= self.start_minute < DAYS_IN_WEEK * MINUTES_PER_DAY:
            raise ValueError(f"shift {self.id} starts outside the week")
        if self.end_minute <= self.start_minute or self.paid_minutes < 0 or self.count < 1:
            raise ValueError(f"shift {self.id} needs end > start, paid >= 0 and count >= 1")

    @property
    def day(self) -> int:
        """The calendar day the shift starts on, 0 = Monday."""
        return self.start_minute // MINUTES_PER_DAY

    @property
    def is_night(self) -> bool:
        """Whether the shift works between 00:00 and 05:00, where fairness counts nights."""
        return (
            self.start_minute % MINUTES_PER_DAY < NIGHT_ENDS_AT
            or self.end_minute > (self.day + 1) * MINUTES_PER_DAY
        )


@dataclass(frozen=True)
class Agent:
    """A named agent; hours are `contracted_minutes` ± the rules' tolerance.

    `previous_shift_end` is when the agent's last shift of the week before ended, in this week's
    minutes (negative, or a little past 0 for a Sunday night shift), so rest holds across weeks.
    """

    id: str
    name: str
    skills: frozenset[str]
    contracted_minutes: int
    unavailable_days: frozenset[int] = frozenset()
    preferred_days_off: frozenset[int] = frozenset()
    preferred_shift_ids: frozenset[str] = frozenset()
    preferred_start: StartPreference | None = None
    previous_shift_end: int | None = None

    def __post_init__(self) -> None:
        if self.contracted_minutes < 0:
            raise ValueError(f"agent {self.id} has negative contracted minutes")
        if not self.unavailable_days | self.preferred_days_off <= set(range(DAYS_IN_WEEK)):
            raise ValueError(f"agent {self.id} names a day outside 0-6")

    @property
    def has_shift_preference(self) -> bool:
        return bool(self.preferred_shift_ids) or self.preferred_start is not None


@dataclass(frozen=True)
class RosterRules:
    """The week's rules, and what breaking a soft one costs in objective points.

    A day off is any day without a shift, unavailable days included. A shift is late when it
    starts at or after `late_start_minute` of its day. With `allow_unfilled` a slot nobody can
    take is reported as unfilled; without it, an unstaffed slot makes the roster infeasible.
    Without `guaranteed_hours` the contract caps an agent's week but does not floor it: a week
    with less work than the contracts rosters everyone short instead of failing.

    Points are per unfilled slot, per agent without two days off in a row, per preference
    missed (a preferred day worked, a shift not of the preferred id or start), per shift between
    the agents with most and fewest weekend days (and night shifts) among those who can take
    them, and per minute of the largest gap between an agent's paid time and contract. By
    default two days off in a row outweigh a second preferred day off.
    """

    min_rest_minutes: int = 11 * 60
    days_off_per_week: int = 2
    hours_tolerance_minutes: int = 4 * 60
    consecutive_days_off: bool = True
    allow_unfilled: bool = True
    guaranteed_hours: bool = True
    late_start_minute: int = 12 * 60
    unfilled_weight: int = 100_000
    split_days_off_weight: int = 600
    preference_weight: int = 120
    weekend_spread_weight: int = 240
    night_spread_weight: int = 240
    hours_spread_weight: int = 1

    def __post_init__(self) -> None:
        if not 0 <= self.days_off_per_week <= DAYS_IN_WEEK:
            raise ValueError("days_off_per_week must be between 0 and 7")
        if self.min_rest_minutes < 0 or self.hours_tolerance_minutes < 0:
            raise ValueError("rest and hours tolerance cannot be negative")

    def hours_bounds(self, agent: Agent) -> tuple[int, int]:
        """The agent's lowest and highest paid minutes for the week."""
        low = max(0, agent.contracted_minutes - self.hours_tolerance_minutes)
        if not self.guaranteed_hours:
            low = 0
        return low, agent.contracted_minutes + self.hours_tolerance_minutes


DEFAULT_RULES = RosterRules()


@dataclass(frozen=True)
class Conflict:
    """A hard rule that cannot hold, where, and a message for planners (Chinese first).

    `days` are the days concerned: for min_rest the earlier and later day, or only the later
    one when the rest runs from the previous week.
    """

    rule: Rule
    message: str
    agent_id: str | None = None
    shift_id: str | None = None
    days: tuple[int, ...] = ()


def can_take(agent: Agent, shift: ShiftToStaff) -> bool:
    """Whether the agent has the shift's skill and is available on its day."""
    has_skill = shift.skill is None or shift.skill in agent.skills
    return has_skill and shift.day not in agent.unavailable_days


def obvious_conflicts(
    shifts: Sequence[ShiftToStaff], agents: Sequence[Agent], rules: RosterRules
) -> tuple[Conflict, ...]:
    """Conflicts seen without solving: hours out of reach for one agent or for all together,
    and, when every slot must be filled, shifts that too few agents can take."""
    found = []
    shifts_needed = 0
    for agent in agents:
        by_day = options_by_day(agent, shifts)
        reachable = _reachable_minutes(by_day, rules)
        low = rules.hours_bounds(agent)[0]
        fewest = next((count for count, most in enumerate(reachable) if most >= low), None)
        if fewest is None:
            found.append(_hours_out_of_reach(agent, by_day, reachable[-1], rules))
        else:
            shifts_needed += fewest
    slots = sum(shift.count for shift in shifts)
    if shifts_needed > slots:
        message = f"全员合同工时合计至少需要 {shifts_needed} 个班次，本周只有 {slots} 个"
        found.append(Conflict("contracted_hours", message))
    if not rules.allow_unfilled:
        for shift in shifts:
            takers = sum(can_take(agent, shift) for agent in agents)
            if takers < shift.count:
                message = f"{coverage_message(shift)}：具备技能且当天可排班的只有 {takers} 人"
                found.append(Conflict("coverage", message, shift_id=shift.id, days=(shift.day,)))
    return tuple(found)


def _reachable_minutes(by_day: list[list[ShiftToStaff]], rules: RosterRules) -> list[int]:
    """The most paid minutes 0, 1, 2, … shifts can earn, one a day, within the working days."""
    longest = sorted((max(s.paid_minutes for s in day) for day in by_day if day), reverse=True)
    return list(accumulate(longest[: DAYS_IN_WEEK - rules.days_off_per_week], initial=0))


def _hours_out_of_reach(
    agent: Agent, by_day: list[list[ShiftToStaff]], reach: int, rules: RosterRules
) -> Conflict:
    days = tuple(day for day, options in enumerate(by_day) if options)
    message = (
        f"{hours_message(agent, rules)}：可排班的日子只有 {len(days)} 天，"
        f"每周至少休息 {rules.days_off_per_week} 天，最多 {hours(reach)} 小时"
    )
    return Conflict("contracted_hours", message, agent.id, days=days)


def options_by_day(agent: Agent, shifts: Sequence[ShiftToStaff]) -> list[list[ShiftToStaff]]:
    """The shifts the agent can take, by the day they start on."""
    by_day: list[list[ShiftToStaff]] = [[] for _ in range(DAYS_IN_WEEK)]
    for shift in shifts:
        if can_take(agent, shift):
            by_day[shift.day].append(shift)
    return by_day


def new_solver(time_limit_seconds: float) -> cp_model.CpSolver:
    """A CP-SAT solver with the settings shared by rostering and explaining."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.0, time_limit_seconds)
    solver.parameters.num_workers = 2
    return solver


def minimal_conflicts(
    cp: cp_model.CpModel, guards: Mapping[Conflict, cp_model.IntVar], time_limit_seconds: float
) -> tuple[Conflict, ...]:
    """A minimal set of rules that cannot hold together, as far as time allows.

    CP-SAT's sufficient assumptions are not always minimal, so each rule in them is dropped in
    turn and stays dropped when the others are still infeasible (a deletion filter).
    """
    literals = {literal.index: literal for literal in guards.values()}
    core, budget = _infeasible_core(cp, literals, set(literals), time_limit_seconds)
    if core is None:
        return ()
    for index in sorted(core):
        if budget > 0 and index in core:
            smaller, budget = _infeasible_core(cp, literals, core - {index}, budget)
            core = smaller or core
    return tuple(conflict for conflict, literal in guards.items() if literal.index in core)


def _infeasible_core(
    cp: cp_model.CpModel, literals: Mapping[int, cp_model.IntVar], assumed: set[int], budget: float
) -> tuple[set[int] | None, float]:
    """The assumed rules CP-SAT found enough for infeasibility (None when it found a roster or
    ran out of time), and the time left."""
    cp.clear_assumptions()
    cp.add_assumptions([literals[index] for index in sorted(assumed)])
    solver = new_solver(budget)
    # Rules guarded by assumption literals leave the default LP blind to them; at level 2 CP-SAT
    # relaxes enforced constraints too, and counting conflicts (too few shifts for everyone's
    # contracted hours) are proven in milliseconds instead of not at all.
    solver.parameters.linearization_level = 2
    status = solver.solve(cp)
    left = budget - solver.wall_time
    if status != cp_model.INFEASIBLE:
        return None, left
    sufficient = assumed & set(solver.sufficient_assumptions_for_infeasibility())
    return sufficient or assumed, left


def hours(minutes: int) -> str:
    return f"{minutes / 60:g}"


def hours_message(agent: Agent, rules: RosterRules) -> str:
    return (
        f"{agent.name}: 合同工时 {hours(agent.contracted_minutes)} 小时"
        f"（允许 ±{hours(rules.hours_tolerance_minutes)} 小时）无法满足"
    )


def coverage_message(shift: ShiftToStaff) -> str:
    start = shift.start_minute % MINUTES_PER_DAY
    end = shift.end_minute - shift.day * MINUTES_PER_DAY
    next_day = "次日 " if end > MINUTES_PER_DAY else ""
    return (
        f"班次 {shift.id}（{DAY_NAMES[shift.day]} {_clock(start)}–{next_day}"
        f"{_clock(end % MINUTES_PER_DAY)}）需要 {shift.count} 人"
    )


def _clock(minute_of_day: int) -> str:
    return f"{minute_of_day // 60:02d}:{minute_of_day % 60:02d}"
