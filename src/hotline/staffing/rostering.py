"""Rostering: named agents onto the week's shifts, and the reasons when that cannot be done.

Times are minutes from 00:00 on the Monday of the week being rostered. Skills and unavailable
days decide which shifts an agent can take at all. The hard rules are: at most one shift per
calendar day (the day a shift starts on), rest between shifts, contracted hours, days off, and,
unless `allow_unfilled`, every shift fully staffed. Two days off in a row, preferences and
fairness are weighed in the objective.

When the hard rules cannot all hold, the model is built again with one assumption literal per
rule and agent (or shift, or pair of days), without an objective; CP-SAT's sufficient
assumptions for infeasibility, trimmed one by one to a minimal set, name the conflicting rules.
Obvious conflicts are caught before any solving.
"""

from collections.abc import Iterable, Mapping, Sequence
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

Status = Literal["optimal", "feasible", "infeasible", "unknown"]
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


@dataclass(frozen=True)
class AgentSummary:
    """One agent's week as rostered; preferences count each preferred day off and, for an
    agent with a shift preference, each shift worked."""

    agent_id: str
    paid_minutes: int
    days_worked: tuple[int, ...]
    days_off: tuple[int, ...]
    consecutive_days_off: bool
    preference_hits: int
    preference_misses: int


@dataclass(frozen=True)
class Roster:
    """The week's roster; `conflicts` is filled only when the status is infeasible (and may
    stay empty if the time ran out before the conflict was explained).

    `assignments` maps every shift id to its agent ids; `unfilled` maps shift ids to missing
    agents; `objective` is None when no roster was found.
    """

    status: Status
    assignments: Mapping[str, tuple[str, ...]]
    summaries: Mapping[str, AgentSummary]
    unfilled: Mapping[str, int]
    objective: float | None
    conflicts: tuple[Conflict, ...] = ()


def build_roster(
    shifts: Sequence[ShiftToStaff],
    agents: Sequence[Agent],
    rules: RosterRules = DEFAULT_RULES,
    time_limit_seconds: float = 60.0,
) -> Roster:
    """Assign agents to the week's shifts, or explain which hard rules conflict.

    The time limit covers solving and explaining, not building the model (a few seconds for
    hundreds of agents); at the limit the best roster found so far comes back as "feasible",
    or none as "unknown".
    """
    _require_unique_ids(shifts, agents)
    conflicts = _obvious_conflicts(shifts, agents, rules)
    if conflicts:
        return _roster_without_solution("infeasible", conflicts)
    model = _RosterModel(shifts, agents, rules, explain=False)
    model.minimize_soft_costs()
    solver = _solver(time_limit_seconds)
    status = solver.solve(model.cp)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return _read_roster(model, solver, "optimal" if status == cp_model.OPTIMAL else "feasible")
    if status == cp_model.MODEL_INVALID:
        raise RuntimeError(model.cp.validate())
    if status == cp_model.INFEASIBLE:
        explained = _explain(shifts, agents, rules, time_limit_seconds - solver.wall_time)
        return _roster_without_solution("infeasible", explained)
    return _roster_without_solution("unknown", ())


def can_take(agent: Agent, shift: ShiftToStaff) -> bool:
    """Whether the agent has the shift's skill and is available on its day."""
    has_skill = shift.skill is None or shift.skill in agent.skills
    return has_skill and shift.day not in agent.unavailable_days


def matches_shift_preference(agent: Agent, shift: ShiftToStaff, rules: RosterRules) -> bool:
    """Whether the shift is one the agent asked for, by id or by early/late start."""
    if shift.id in agent.preferred_shift_ids:
        return True
    is_late = shift.start_minute % MINUTES_PER_DAY >= rules.late_start_minute
    return agent.preferred_start == ("late" if is_late else "early")


def _require_unique_ids(shifts: Sequence[ShiftToStaff], agents: Sequence[Agent]) -> None:
    if len({shift.id for shift in shifts}) < len(shifts):
        raise ValueError("shift ids must be unique")
    if len({agent.id for agent in agents}) < len(agents):
        raise ValueError("agent ids must be unique")


def _obvious_conflicts(
    shifts: Sequence[ShiftToStaff], agents: Sequence[Agent], rules: RosterRules
) -> tuple[Conflict, ...]:
    """Conflicts seen without solving: hours out of reach for one agent or for all together,
    and, when every slot must be filled, shifts that too few agents can take."""
    found = []
    shifts_needed = 0
    for agent in agents:
        by_day = _options_by_day(agent, shifts)
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
                message = f"{_coverage_message(shift)}：具备技能且当天可排班的只有 {takers} 人"
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
        f"{_hours_message(agent, rules)}：可排班的日子只有 {len(days)} 天，"
        f"每周至少休息 {rules.days_off_per_week} 天，最多 {_hours(reach)} 小时"
    )
    return Conflict("contracted_hours", message, agent.id, days=days)


class _RosterModel:
    """The CP-SAT model of one week; with `explain` each hard rule hangs on an assumption."""

    def __init__(
        self,
        shifts: Sequence[ShiftToStaff],
        agents: Sequence[Agent],
        rules: RosterRules,
        *,
        explain: bool,
    ) -> None:
        self.cp = cp_model.CpModel()
        self.shifts = shifts
        self.agents = agents
        self.rules = rules
        self.explain = explain
        self.guards: dict[Conflict, cp_model.IntVar] = {}
        self.options = {agent.id: _options_by_day(agent, shifts) for agent in agents}
        self.assign = {
            (agent.id, shift.id): self.cp.new_bool_var(f"{agent.id}@{shift.id}")
            for agent in agents
            for shift in self.shifts_of(agent)
        }
        self.works = {
            (agent.id, day): self._works_on(agent, day)
            for agent in agents
            for day in range(DAYS_IN_WEEK)
        }
        self.unfilled: dict[str, cp_model.IntVar] = {}
        self._add_coverage()
        for agent in agents:
            self._add_min_rest(agent)
            self._add_rest_from_previous_week(agent)
            self._add_contracted_hours(agent)
            self._add_days_off(agent)

    def shifts_of(self, agent: Agent, day: int | None = None) -> list[ShiftToStaff]:
        """The shifts the agent can take, that day or all week."""
        by_day = self.options[agent.id]
        return by_day[day] if day is not None else [shift for taken in by_day for shift in taken]

    def paid_minutes(self, agent: Agent) -> cp_model.LinearExpr:
        shifts = self.shifts_of(agent)
        return cp_model.LinearExpr.weighted_sum(
            [self.assign[agent.id, shift.id] for shift in shifts],
            [shift.paid_minutes for shift in shifts],
        )

    def _works_on(self, agent: Agent, day: int) -> cp_model.IntVar:
        """A literal for working that day; one shift per day holds by construction."""
        works = self.cp.new_bool_var(f"{agent.id}@day{day}")
        taken = [self.assign[agent.id, shift.id] for shift in self.shifts_of(agent, day)]
        self.cp.add(works == cp_model.LinearExpr.sum(taken))
        return works

    def _guard(self, constraint: cp_model.Constraint, conflict: Conflict) -> None:
        if not self.explain:
            return
        if conflict not in self.guards:
            self.guards[conflict] = self.cp.new_bool_var(conflict.rule)
        constraint.only_enforce_if(self.guards[conflict])

    def _add_coverage(self) -> None:
        takers: dict[str, list[cp_model.IntVar]] = {shift.id: [] for shift in self.shifts}
        for (_, shift_id), literal in self.assign.items():
            takers[shift_id].append(literal)
        for shift in self.shifts:
            staffed = cp_model.LinearExpr.sum(takers[shift.id])
            self.cp.add(staffed <= shift.count)
            if self.rules.allow_unfilled:
                missing = self.cp.new_int_var(0, shift.count, f"unfilled@{shift.id}")
                self.cp.add(staffed + missing == shift.count)
                self.unfilled[shift.id] = missing
            else:
                conflict = Conflict(
                    "coverage",
                    f"{_coverage_message(shift)}，无法排满",
                    shift_id=shift.id,
                    days=(shift.day,),
                )
                self._guard(self.cp.add(staffed >= shift.count), conflict)

    def _add_min_rest(self, agent: Agent) -> None:
        """Rest between shifts on different days, as cliques of shifts no two of which fit.

        For a start time on the later day, every shift there starting by then clashes with every
        earlier-day shift ending less than the rest before it; one clique per start time covers
        every clash, and a clique whose clashing shifts the next later start also has is
        contained in that start's clique.
        """
        rest = self.rules.min_rest_minutes
        for later in range(DAYS_IN_WEEK):
            later_shifts = self.shifts_of(agent, later)
            starts = sorted({shift.start_minute for shift in later_shifts}, reverse=True)
            for earlier in range(later):
                message = (
                    f"{agent.name}: {DAY_NAMES[earlier]}下班到{DAY_NAMES[later]}上班"
                    f"须休息 {_hours(rest)} 小时"
                )
                conflict = Conflict("min_rest", message, agent.id, days=(earlier, later))
                contained = 0
                for start in starts:
                    clashing = [
                        shift
                        for shift in self.shifts_of(agent, earlier)
                        if shift.end_minute > start - rest
                    ]
                    if len(clashing) > contained:
                        starting_by = [s for s in later_shifts if s.start_minute <= start]
                        self._guard(self._at_most_one(agent, clashing + starting_by), conflict)
                        contained = len(clashing)

    def _at_most_one(self, agent: Agent, shifts: list[ShiftToStaff]) -> cp_model.Constraint:
        taken = [self.assign[agent.id, shift.id] for shift in shifts]
        return self.cp.add(cp_model.LinearExpr.sum(taken) <= 1)

    def _add_rest_from_previous_week(self, agent: Agent) -> None:
        if agent.previous_shift_end is None:
            return
        rest = self.rules.min_rest_minutes
        for day in range(DAYS_IN_WEEK):
            too_soon = [
                self.assign[agent.id, shift.id]
                for shift in self.shifts_of(agent, day)
                if shift.start_minute - agent.previous_shift_end < rest
            ]
            if too_soon:
                message = (
                    f"{agent.name}: 上周最后一班到{DAY_NAMES[day]}上班须休息 {_hours(rest)} 小时"
                )
                ban = self.cp.add(cp_model.LinearExpr.sum(too_soon) == 0)
                self._guard(ban, Conflict("min_rest", message, agent.id, days=(day,)))

    def _add_contracted_hours(self, agent: Agent) -> None:
        low, high = self.rules.hours_bounds(agent)
        within = self.cp.add_linear_constraint(self.paid_minutes(agent), low, high)
        self._guard(
            within, Conflict("contracted_hours", _hours_message(agent, self.rules), agent.id)
        )

    def _add_days_off(self, agent: Agent) -> None:
        days_off = self.rules.days_off_per_week
        worked = cp_model.LinearExpr.sum([self.works[agent.id, day] for day in range(DAYS_IN_WEEK)])
        limit = self.cp.add(worked <= DAYS_IN_WEEK - days_off)
        message = f"{agent.name}: 每周至少休息 {days_off} 天无法满足"
        self._guard(limit, Conflict("days_off", message, agent.id))

    def minimize_soft_costs(self) -> None:
        rules = self.rules
        costs = [
            rules.unfilled_weight * cp_model.LinearExpr.sum(list(self.unfilled.values())),
            rules.split_days_off_weight * cp_model.LinearExpr.sum(self._split_days_off()),
            rules.preference_weight * cp_model.LinearExpr.sum(self._preference_misses()),
            rules.weekend_spread_weight * self._spread(self._weekend_counts()),
            rules.night_spread_weight * self._spread(self._night_counts()),
            rules.hours_spread_weight * self._largest_hours_gap(),
        ]
        self.cp.minimize(cp_model.LinearExpr.sum(costs))

    def _split_days_off(self) -> list[cp_model.IntVar]:
        """One literal per agent that is true when no two days off fall next to each other."""
        if not self.rules.consecutive_days_off or self.rules.days_off_per_week < 2:
            return []
        split = []
        for agent in self.agents:
            pairs = []
            for day in range(DAYS_IN_WEEK - 1):
                pair = self.cp.new_bool_var(f"{agent.id}@off{day}")
                self.cp.add_implication(pair, ~self.works[agent.id, day])
                self.cp.add_implication(pair, ~self.works[agent.id, day + 1])
                pairs.append(pair)
            no_pair = self.cp.new_bool_var(f"{agent.id}@split")
            self.cp.add_bool_or([*pairs, no_pair])
            split.append(no_pair)
        return split

    def _preference_misses(self) -> list[cp_model.IntVar]:
        misses = [
            self.works[agent.id, day] for agent in self.agents for day in agent.preferred_days_off
        ]
        for agent in self.agents:
            if agent.has_shift_preference:
                misses.extend(
                    self.assign[agent.id, shift.id]
                    for shift in self.shifts_of(agent)
                    if not matches_shift_preference(agent, shift, self.rules)
                )
        return misses

    def _weekend_counts(self) -> list[cp_model.LinearExpr]:
        return [
            cp_model.LinearExpr.sum([self.works[agent.id, day] for day in sorted(WEEKEND)])
            for agent in self.agents
            if any(shift.day in WEEKEND for shift in self.shifts_of(agent))
        ]

    def _night_counts(self) -> list[cp_model.LinearExpr]:
        counts = []
        for agent in self.agents:
            nights = [s for s in self.shifts_of(agent) if s.is_night]
            if nights:
                counts.append(
                    cp_model.LinearExpr.sum([self.assign[agent.id, s.id] for s in nights])
                )
        return counts

    def _spread(self, counts: list[cp_model.LinearExpr]) -> cp_model.LinearExpr | int:
        """Most minus fewest among agents who could take such shifts at all."""
        if len(counts) < 2:
            return 0
        most = self.cp.new_int_var(0, DAYS_IN_WEEK, "most")
        fewest = self.cp.new_int_var(0, DAYS_IN_WEEK, "fewest")
        for count in counts:
            self.cp.add(most >= count)
            self.cp.add(fewest <= count)
        return most - fewest

    def _largest_hours_gap(self) -> cp_model.IntVar:
        """The largest distance, in minutes, of any agent's paid time from the contract."""
        week = DAYS_IN_WEEK * MINUTES_PER_DAY
        largest = self.cp.new_int_var(0, week, "largest_hours_gap")
        for agent in self.agents:
            gap = self.paid_minutes(agent) - agent.contracted_minutes
            self.cp.add(largest >= gap)
            self.cp.add(largest >= -gap)
        return largest


def _options_by_day(agent: Agent, shifts: Sequence[ShiftToStaff]) -> list[list[ShiftToStaff]]:
    by_day: list[list[ShiftToStaff]] = [[] for _ in range(DAYS_IN_WEEK)]
    for shift in shifts:
        if can_take(agent, shift):
            by_day[shift.day].append(shift)
    return by_day


def _solver(time_limit_seconds: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.0, time_limit_seconds)
    solver.parameters.num_workers = 2
    return solver


def _explain(
    shifts: Sequence[ShiftToStaff],
    agents: Sequence[Agent],
    rules: RosterRules,
    time_limit_seconds: float,
) -> tuple[Conflict, ...]:
    """A minimal set of rules that cannot hold together, as far as time allows.

    CP-SAT's sufficient assumptions are not always minimal, so each rule in them is dropped in
    turn and stays dropped when the others are still infeasible (a deletion filter).
    """
    model = _RosterModel(shifts, agents, rules, explain=True)
    literals = {literal.index: literal for literal in model.guards.values()}
    core, budget = _infeasible_core(model.cp, literals, set(literals), time_limit_seconds)
    if core is None:
        return ()
    for index in sorted(core):
        if budget > 0 and index in core:
            smaller, budget = _infeasible_core(model.cp, literals, core - {index}, budget)
            core = smaller or core
    return tuple(conflict for conflict, literal in model.guards.items() if literal.index in core)


def _infeasible_core(
    cp: cp_model.CpModel, literals: Mapping[int, cp_model.IntVar], assumed: set[int], budget: float
) -> tuple[set[int] | None, float]:
    """The assumed rules CP-SAT found enough for infeasibility (None when it found a roster or
    ran out of time), and the time left."""
    cp.clear_assumptions()
    cp.add_assumptions([literals[index] for index in sorted(assumed)])
    solver = _solver(budget)
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


def _read_roster(model: _RosterModel, solver: cp_model.CpSolver, status: Status) -> Roster:
    taken = {key for key, literal in model.assign.items() if solver.boolean_value(literal)}
    assignments = {
        shift.id: tuple(agent.id for agent in model.agents if (agent.id, shift.id) in taken)
        for shift in model.shifts
    }
    worked = {
        agent.id: [shift for shift in model.shifts if (agent.id, shift.id) in taken]
        for agent in model.agents
    }
    summaries = {
        agent.id: _summarize(agent, worked[agent.id], model.rules) for agent in model.agents
    }
    unfilled = {
        shift_id: missing
        for shift_id, variable in model.unfilled.items()
        if (missing := solver.value(variable)) > 0
    }
    return Roster(status, assignments, summaries, unfilled, solver.objective_value)


def _summarize(agent: Agent, worked: list[ShiftToStaff], rules: RosterRules) -> AgentSummary:
    days_worked = tuple(sorted(shift.day for shift in worked))
    days_off = tuple(day for day in range(DAYS_IN_WEEK) if day not in days_worked)
    shift_hits = [matches_shift_preference(agent, shift, rules) for shift in worked]
    if not agent.has_shift_preference:
        shift_hits = []
    day_hits = [day in days_off for day in agent.preferred_days_off]
    hits = [*shift_hits, *day_hits]
    return AgentSummary(
        agent_id=agent.id,
        paid_minutes=sum(shift.paid_minutes for shift in worked),
        days_worked=days_worked,
        days_off=days_off,
        consecutive_days_off=any(day + 1 in days_off for day in days_off),
        preference_hits=sum(hits),
        preference_misses=len(hits) - sum(hits),
    )


def _roster_without_solution(status: Status, conflicts: Iterable[Conflict]) -> Roster:
    return Roster(status, {}, {}, {}, None, tuple(conflicts))


def _hours(minutes: int) -> str:
    return f"{minutes / 60:g}"


def _hours_message(agent: Agent, rules: RosterRules) -> str:
    return (
        f"{agent.name}: 合同工时 {_hours(agent.contracted_minutes)} 小时"
        f"（允许 ±{_hours(rules.hours_tolerance_minutes)} 小时）无法满足"
    )


def _coverage_message(shift: ShiftToStaff) -> str:
    start = shift.start_minute % MINUTES_PER_DAY
    end = shift.end_minute - shift.day * MINUTES_PER_DAY
    next_day = "次日 " if end > MINUTES_PER_DAY else ""
    return (
        f"班次 {shift.id}（{DAY_NAMES[shift.day]} {_clock(start)}–{next_day}"
        f"{_clock(end % MINUTES_PER_DAY)}）需要 {shift.count} 人"
    )


def _clock(minute_of_day: int) -> str:
    return f"{minute_of_day // 60:02d}:{minute_of_day % 60:02d}"
