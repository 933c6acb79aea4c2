"""Rostering: named agents onto the week's shifts, and the reasons when that cannot be done.

The week, its rules and the explanation of conflicts are in `roster_rules`; this module holds
the CP-SAT model. Two days off in a row, preferences and fairness are weighed in the objective.
When the hard rules cannot all hold, the model is built again with one assumption literal per
rule and agent (or shift, or pair of days), without an objective, for `minimal_conflicts`.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from ortools.sat.python import cp_model

from hotline.staffing.roster_rules import (
    DAY_NAMES,
    DAYS_IN_WEEK,
    DEFAULT_RULES,
    MINUTES_PER_DAY,
    NIGHT_ENDS_AT,
    WEEKEND,
    Agent,
    Conflict,
    RosterRules,
    Rule,
    ShiftToStaff,
    StartPreference,
    can_take,
    coverage_message,
    hours,
    hours_message,
    minimal_conflicts,
    new_solver,
    obvious_conflicts,
    options_by_day,
)

__all__ = [
    "DAY_NAMES",
    "DAYS_IN_WEEK",
    "DEFAULT_RULES",
    "MINUTES_PER_DAY",
    "NIGHT_ENDS_AT",
    "WEEKEND",
    "Agent",
    "AgentSummary",
    "Conflict",
    "Roster",
    "RosterRules",
    "Rule",
    "ShiftToStaff",
    "StartPreference",
    "Status",
    "build_roster",
    "can_take",
    "matches_shift_preference",
]

Status = Literal["optimal", "feasible", "infeasible", "unknown"]


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
    conflicts = obvious_conflicts(shifts, agents, rules)
    if conflicts:
        return _roster_without_solution("infeasible", conflicts)
    model = _RosterModel(shifts, agents, rules, explain=False)
    model.minimize_soft_costs()
    solver = new_solver(time_limit_seconds)
    status = solver.solve(model.cp)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return _read_roster(model, solver, "optimal" if status == cp_model.OPTIMAL else "feasible")
    if status == cp_model.MODEL_INVALID:
        raise RuntimeError(model.cp.validate())
    if status == cp_model.INFEASIBLE:
        explaining = _RosterModel(shifts, agents, rules, explain=True)
        budget = time_limit_seconds - solver.wall_time
        explained = minimal_conflicts(explaining.cp, explaining.guards, budget)
        return _roster_without_solution("infeasible", explained)
    return _roster_without_solution("unknown", ())


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
        self.options = {agent.id: options_by_day(agent, shifts) for agent in agents}
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
                    f"{coverage_message(shift)}，无法排满",
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
                    f"须休息 {hours(rest)} 小时"
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
                    f"{agent.name}: 上周最后一班到{DAY_NAMES[day]}上班须休息 {hours(rest)} 小时"
                )
                ban = self.cp.add(cp_model.LinearExpr.sum(too_soon) == 0)
                self._guard(ban, Conflict("min_rest", message, agent.id, days=(day,)))

    def _add_contracted_hours(self, agent: Agent) -> None:
        low, high = self.rules.hours_bounds(agent)
        within = self.cp.add_linear_constraint(self.paid_minutes(agent), low, high)
        self._guard(
            within, Conflict("contracted_hours", hours_message(agent, self.rules), agent.id)
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
