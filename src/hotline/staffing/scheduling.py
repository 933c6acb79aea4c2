"""Shift scheduling: the shifts that cover a week's staff requirement at least cost.

The model is set covering with explicit break variables (after Aykin, 1996), built in
`cover_model`: `x[s]` agents work shift `s`, and `w[s, b, p]` of them take break `b`
at place `p`, so the coverage the model counts is coverage that agents really give.

Two objectives: `COST`, the least total cost that meets the requirement in every
interval (a fractional requirement needs the next whole agent), and `SHORTFALL`, the
least weighted sum of agent-intervals under and over the requirement, for when it
cannot or need not be met.

A branch-and-bound over every shift and every break place stalls on a week of 15-minute
intervals (HiGHS finds no good schedule in minutes), so the search goes in steps, each
solved by HiGHS through SciPy:

1. the LP relaxation over all shifts, by interior point. Its optimum is a lower bound
   on any schedule's objective (`lp_bound`); the shifts its solution uses are kept;
2. a MIP over the kept shifts with whole agents but fractional breaks: quick, and the
   relaxation seldom gains much from where breaks go;
3. a MIP giving those agents whole breaks, adding agents of the kept shifts where no
   placement meets the requirement;
4. unless that schedule is within `mip_gap` of the LP bound, a MIP with whole agents
   and breaks over every shift that could still do better, as the LP's reduced costs
   tell, with the objective capped below the schedule's. It finds a better schedule or
   proves there is none: small weeks are solved exactly. When too many shifts could do
   better, the schedule of step 3 stands unproven.

`gap` compares the schedule found with the LP bound, so it is an upper limit on how far
from optimal the schedule is. Breaks are then smoothed (`breaks.smooth_breaks`) and
coverage is counted again from the placed breaks.

Times are minutes from Monday 00:00 on a cyclic week (see `shift_templates`).
"""

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import (  # type: ignore[import-untyped]
    Bounds,
    LinearConstraint,
    OptimizeResult,
    linprog,
    milp,
)
from scipy.sparse import vstack  # type: ignore[import-untyped]

from hotline.staffing.breaks import smooth_breaks
from hotline.staffing.cover_model import CoverModel, Pricing, Problem, cover_model, problem_over
from hotline.staffing.shift_templates import (
    AgentShift,
    Shift,
    ShiftTemplate,
    coverage,
    interval_length,
    week_shifts,
)

# A requirement of 3.0000000001 agents, left by floating-point arithmetic upstream, is 3.
REQUIREMENT_TOLERANCE = 1e-9
# Interior point with crossover ends on a vertex; smaller values are rounding noise.
SUPPORT_TOLERANCE = 1e-6
# The whole-agent MIP may use this share of the time left after the LP; placing
# breaks, usually a second's work, gets the rest, and each MIP at least MIN_MIP_SECONDS.
WHOLE_AGENTS_SHARE = 0.8
MIN_MIP_SECONDS = 1.0
# Objective values closer than this are equal: a better schedule must win by more.
IMPROVEMENT = 1e-6
# Step 4 takes every shift that could do better; past this many, HiGHS's simplex may
# spend longer than the time limit on the root LP alone.
MAX_SHIFTS_TO_PROVE = 400
_SOLVE_ERROR = 4  # scipy's milp status for "other", which HiGHS's solve errors come back as


class Objective(StrEnum):
    """What the schedule minimizes."""

    COST = "cost"
    SHORTFALL = "shortfall"


class SolveStatus(StrEnum):
    """Whether the schedule is proven within `mip_gap` of the optimum, or only the best
    found: time ran out, or too many shifts could still do better to prove it."""

    GAP_REACHED = "gap_reached"
    BEST_FOUND = "best_found"


class NoSchedule(ValueError):
    """No schedule was found: the model is infeasible, or time ran out before a first one."""


@dataclass(frozen=True)
class ScheduledShift:
    """`count` agents working the same shift."""

    shift: Shift
    count: int


@dataclass(frozen=True)
class Schedule:
    """A week's schedule and how well it covers the requirement, interval by interval.

    `objective_value` is the total cost or the weighted shortfall, counted from the placed
    breaks; `lp_bound`, the LP relaxation's optimum, is a lower bound on the optimum, and
    `gap` is (objective_value − lp_bound) / objective_value, 0 when both are 0.
    `mip_bound` is the best lower bound proven: the LP bound, or more if step 4 proved it.
    """

    shifts: tuple[ScheduledShift, ...]
    agent_shifts: tuple[AgentShift, ...]
    interval: int
    coverage: NDArray[np.int64]
    understaffing: NDArray[np.float64]
    overstaffing: NDArray[np.float64]
    total_cost: float
    objective: Objective
    objective_value: float
    lp_bound: float
    mip_bound: float
    gap: float
    status: SolveStatus
    seconds: float


@dataclass(frozen=True)
class _Relaxation:
    """The LP relaxation's optimum, the shifts its solution uses, and per shift the least
    one more agent on it adds to the optimum (its reduced cost and its breaks' cheapest)."""

    bound: float
    support: NDArray[np.bool_]
    agent_reduced_cost: NDArray[np.float64]


@dataclass(frozen=True)
class _IntegerSolution:
    """The best schedule found, by model column; a proven lower bound on the optimum; and
    whether the schedule is proven within the gap asked for."""

    solution: NDArray[np.float64]
    bound: float
    within_gap: bool


def schedule(
    templates: Sequence[ShiftTemplate],
    requirement: ArrayLike,
    *,
    objective: Objective = Objective.COST,
    under_weight: float = 1.0,
    over_weight: float = 1.0,
    max_agents_per_day: int | None = None,
    time_limit: float = 60.0,
    mip_gap: float = 0.002,
) -> Schedule:
    """The shifts, and agents' breaks, that best cover a week's requirement.

    `requirement` holds agents needed per interval from Monday 00:00, 672, 336 or 168
    values for 15, 30 or 60 minute intervals. `under_weight` and `over_weight` price an
    agent-interval short of or beyond the requirement under `SHORTFALL`.
    `max_agents_per_day` caps the shifts starting on one day, as each agent works at most
    one a day. The search stops once the schedule is proven within `mip_gap` (relative)
    of the optimum, or after about `time_limit` seconds: HiGHS may overrun it a little,
    and placing breaks comes after. Raises NoSchedule if no schedule is found, or, for
    `COST`, none that meets the requirement.
    """
    started = time.perf_counter()
    needed = _requirement(requirement)
    interval = interval_length(len(needed))
    if not templates:
        raise ValueError("at least one shift template is needed")
    for template in templates:
        template.check_grid(interval)
    if objective is Objective.COST:
        target = np.ceil(needed)
        pricing = Pricing(shifts=True, under=None, over=None)
    else:
        target = needed
        pricing = Pricing(shifts=False, under=under_weight, over=over_weight)
    model = cover_model(week_shifts(templates), interval)

    def seconds_left() -> float:
        return time_limit - (time.perf_counter() - started)

    every_column = np.arange(model.columns)
    lp = problem_over(model, every_column, target, pricing, max_agents_per_day)
    relaxation = _relax(lp, model, seconds_left())
    found = _search(model, relaxation, target, pricing, max_agents_per_day, mip_gap, seconds_left)
    agent_shifts = smooth_breaks(_agent_shifts(model, found.solution, interval), needed, interval)
    agents = coverage(agent_shifts, interval)
    under = np.clip(needed - agents, 0, None)
    if objective is Objective.COST and under.any():
        raise NoSchedule("no schedule that meets the requirement was found in the time allowed")
    over = np.clip(agents - needed, 0, None)
    total_cost = sum(agent_shift.shift.template.shift_cost for agent_shift in agent_shifts)
    if objective is Objective.COST:
        value = total_cost
    else:
        value = float(under_weight * under.sum() + over_weight * over.sum())
    return Schedule(
        shifts=_scheduled_shifts(model.shifts, found.solution),
        agent_shifts=tuple(agent_shifts),
        interval=interval,
        coverage=agents,
        understaffing=under,
        overstaffing=over,
        total_cost=total_cost,
        objective=objective,
        objective_value=value,
        lp_bound=relaxation.bound,
        mip_bound=found.bound,
        gap=max(value - relaxation.bound, 0.0) / value if value > 0 else 0.0,
        status=SolveStatus.GAP_REACHED if found.within_gap else SolveStatus.BEST_FOUND,
        seconds=time.perf_counter() - started,
    )


def _requirement(requirement: ArrayLike) -> NDArray[np.float64]:
    """The requirement as floats, those within REQUIREMENT_TOLERANCE of a whole number made
    whole. Raises ValueError if one is negative or not finite."""
    needed = np.asarray(requirement, dtype=np.float64)
    if np.any(needed < 0) or not np.all(np.isfinite(needed)):
        raise ValueError("the requirement must be finite and not negative")
    whole = np.rint(needed)
    return np.where(np.abs(needed - whole) <= REQUIREMENT_TOLERANCE, whole, needed)


def _relax(problem: Problem, model: CoverModel, seconds: float) -> _Relaxation:
    """Solve the LP relaxation of `problem`, which has every column of `model`."""
    equal = np.flatnonzero(problem.lower == problem.upper)
    at_most = np.flatnonzero((problem.lower != problem.upper) & np.isfinite(problem.upper))
    at_least = np.flatnonzero((problem.lower != problem.upper) & np.isfinite(problem.lower))
    result = linprog(
        problem.cost,
        A_ub=vstack([problem.rows[at_most], -problem.rows[at_least]]),
        b_ub=np.concatenate([problem.upper[at_most], -problem.lower[at_least]]),
        A_eq=problem.rows[equal],
        b_eq=problem.lower[equal],
        method="highs-ipm",
        options={"time_limit": max(seconds, MIN_MIP_SECONDS)},
    )
    if result.status == 2:
        raise NoSchedule("no schedule, even with fractional agents, meets the requirement")
    if result.status != 0:
        raise NoSchedule(f"the LP relaxation was not solved: {result.message}")
    shifts = len(model.shifts)
    return _Relaxation(
        bound=float(result.fun),
        support=result.x[:shifts] > SUPPORT_TOLERANCE,
        agent_reduced_cost=_agent_reduced_costs(model, result.lower.marginals),
    )


def _agent_reduced_costs(
    model: CoverModel, reduced_costs: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Per shift, its reduced cost plus the least reduced cost of a place for each break."""
    per_shift = np.array(reduced_costs[: len(model.shifts)], dtype=np.float64)
    if model.flexible_breaks:
        firsts = [flexible.first_column for flexible in model.flexible_breaks]
        # w columns run on to the model's last column, one break's places after another.
        cheapest = np.minimum.reduceat(reduced_costs[: model.columns], firsts)
        np.add.at(per_shift, [flexible.shift for flexible in model.flexible_breaks], cheapest)
    return per_shift.clip(min=0)


def _search(
    model: CoverModel,
    relaxation: _Relaxation,
    target: NDArray[np.float64],
    pricing: Pricing,
    max_agents_per_day: int | None,
    mip_gap: float,
    seconds_left: Callable[[], float],
) -> _IntegerSolution:
    """A schedule within `mip_gap` of the optimum, or the best found in the time left."""
    incumbent = _first_schedule(
        model, relaxation.support, target, pricing, max_agents_per_day, mip_gap, seconds_left
    )
    cutoff = np.inf
    value = np.inf if incumbent is None else _objective_value(model, incumbent, target, pricing)
    if incumbent is not None and np.isfinite(value):
        if value - relaxation.bound <= mip_gap * value + IMPROVEMENT:
            return _IntegerSolution(incumbent, relaxation.bound, within_gap=True)
        cutoff = value - max(mip_gap * value, IMPROVEMENT)
    # A better schedule costs at most `cutoff`, so it has no agent on a shift whose agents
    # add more than the margin to the LP bound (reduced-cost fixing).
    candidates = relaxation.bound + relaxation.agent_reduced_cost < cutoff + IMPROVEMENT
    proven_bound = max(cutoff, relaxation.bound)
    if incumbent is not None and not candidates.any():
        return _IntegerSolution(incumbent, proven_bound, within_gap=True)
    too_many = candidates.sum() > MAX_SHIFTS_TO_PROVE
    if incumbent is not None and (too_many or seconds_left() < MIN_MIP_SECONDS):
        return _IntegerSolution(incumbent, relaxation.bound, within_gap=False)
    kept = model.columns_of(candidates)
    whole = problem_over(model, kept, target, pricing, max_agents_per_day, whole_breaks=True)
    result = _mip(whole.at_most(cutoff), mip_gap, max(seconds_left(), MIN_MIP_SECONDS))
    if result.status == _SOLVE_ERROR:
        # HiGHS now and then fails on a cutoff no schedule meets, where the same problem
        # without the cutoff solves: prove the incumbent's optimality that way instead.
        result = _mip(whole, mip_gap, max(seconds_left(), MIN_MIP_SECONDS))
    if result.x is None:
        if incumbent is None:
            raise NoSchedule(f"no schedule found: {result.message}")
        proven = result.status == 2
        return _IntegerSolution(incumbent, proven_bound if proven else relaxation.bound, proven)
    better = np.zeros(model.columns)
    better[kept] = np.rint(result.x[: len(kept)])
    bound = max(relaxation.bound, min(cutoff, float(result.mip_dual_bound)))
    return _IntegerSolution(better, bound, within_gap=result.status == 0)


def _first_schedule(
    model: CoverModel,
    support: NDArray[np.bool_],
    target: NDArray[np.float64],
    pricing: Pricing,
    max_agents_per_day: int | None,
    mip_gap: float,
    seconds_left: Callable[[], float],
) -> NDArray[np.float64] | None:
    """Whole agents, then whole breaks, on the shifts in `support`, by model column; None
    if the MIPs found none in time or none obeys the daily cap."""
    solution = np.zeros(model.columns)
    if not support.any():
        return solution
    kept = model.columns_of(support)
    shift_columns = kept < len(model.shifts)
    whole_agents = problem_over(model, kept, target, pricing, max_agents_per_day)
    seconds = max(seconds_left() * WHOLE_AGENTS_SHARE, MIN_MIP_SECONDS)
    first = _mip(whole_agents, mip_gap, seconds)
    if first.x is None:
        return None
    solution[kept[shift_columns]] = np.rint(first.x[: len(kept)][shift_columns])
    if pricing.under is None:
        # Dearer than any agent, so agents are added wherever one can close a shortfall.
        penalty = float(model.cost[: len(model.shifts)][support].max()) + 1.0
        pricing = Pricing(shifts=True, under=penalty, over=None)
    placing = problem_over(
        model, kept, target, pricing, max_agents_per_day, worked=solution, whole_breaks=True
    )
    # Exact: a gap relative to the whole objective could give back what step 2 won.
    second = _mip(placing, 0.0, max(seconds_left(), MIN_MIP_SECONDS))
    if second.x is None:
        return None
    solution[kept] += np.rint(second.x[: len(kept)])
    return solution


def _objective_value(
    model: CoverModel, solution: NDArray[np.float64], target: NDArray[np.float64], pricing: Pricing
) -> float:
    """What `pricing` makes of a solution, by model column; infinite if it falls short of
    a requirement that must be met."""
    covered = model.covering @ solution
    under = float(np.clip(target - covered, 0, None).sum())
    over = float(np.clip(covered - target, 0, None).sum())
    if pricing.under is None and under > 0:
        return np.inf
    value = float(model.cost @ solution) if pricing.shifts else 0.0
    return value + (pricing.under or 0.0) * under + (pricing.over or 0.0) * over


def _mip(problem: Problem, mip_gap: float, seconds: float) -> OptimizeResult:
    """HiGHS's result for `problem`, whose x may be None if it found no solution."""
    return milp(
        problem.cost,
        integrality=problem.integrality,
        bounds=Bounds(0, np.inf),
        constraints=LinearConstraint(problem.rows, problem.lower, problem.upper),
        options={"time_limit": seconds, "mip_rel_gap": mip_gap},
    )


def _agent_shifts(
    model: CoverModel, solution: NDArray[np.float64], interval: int
) -> list[AgentShift]:
    """One AgentShift per agent, breaks placed as the solution's w columns say."""
    counts = np.rint(solution).astype(np.int64)
    break_starts = [
        [np.full(counts[index], shift.start + b.earliest) for b in shift.template.breaks]
        for index, shift in enumerate(model.shifts)
    ]
    for flexible in model.flexible_breaks:
        shift = model.shifts[flexible.shift]
        window_start = shift.start + shift.template.breaks[flexible.break_index].earliest
        places = window_start + interval * np.arange(flexible.places)
        taken = counts[flexible.first_column : flexible.first_column + flexible.places]
        break_starts[flexible.shift][flexible.break_index] = np.repeat(places, taken)
    return [
        AgentShift(shift, tuple(int(starts[agent]) for starts in break_starts[index]))
        for index, shift in enumerate(model.shifts)
        for agent in range(counts[index])
    ]


def _scheduled_shifts(
    shifts: list[Shift], solution: NDArray[np.float64]
) -> tuple[ScheduledShift, ...]:
    """The shifts worked, with how many agents work each."""
    counts = np.rint(solution[: len(shifts)]).astype(np.int64)
    return tuple(
        ScheduledShift(shift, int(count))
        for shift, count in zip(shifts, counts, strict=True)
        if count > 0
    )
