"""Erlang C: how long callers who never hang up wait for a given number of agents, and
how many agents a target needs.

Every function takes numpy arrays or scalars broadcast together, so a week of
intervals for many queues is one call. Load is in Erlangs (`offered_load`). The
formulas work in log space on the regularised incomplete gamma function instead of
factorials, so they hold from 0.01 Erlangs to well past 20,000, and they accept
fractional agents: the continuous extension of Erlang B (Jagerman), which agrees with
the usual formulas at whole agents and moves smoothly between them.

Whole or fractional agents: an interval is staffed with whole agents
(`required_agents`, the smallest number that meets the target). Totals such as a day's
staff-hours or the headcount of several queues with agents of their own add
`fractional_agents` (the continuous requirement, ≤ the whole one and within one agent
of it) and round once, with `scheduled_agents`; rounding every interval up first adds
up to an agent per interval. Queues that one skill group answers together are not
added at all but pooled before the formula (`pooled_queues`): together they need fewer
agents than the sum of their separate requirements.

`required_agents` starts from a guess at whole agents that settles most intervals
without a search; the guess and the walk that settles it are in `erlang_c_guess`.
"""

from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from typing import Any, ClassVar, Protocol, TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special  # type: ignore[import-untyped]

from hotline.staffing.erlang_c_guess import halfin_whitt_beta, settled_near

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


class _Dataclass(Protocol):
    __dataclass_fields__: ClassVar[dict[str, Any]]


Figures = TypeVar("Figures", bound=_Dataclass)

# Below this a regularised incomplete gamma has lost its precision to underflow.
_UNDERFLOW = 1e-280
# Float error in a quotient such as 8 / 0.8 must not cost a whole agent.
_ROUNDING_SLACK = 1e-12
# Bisection steps for the continuous requirement: within 2⁻²⁴ (6e-8) of an agent.
_BISECTION_STEPS = 24
# The fast path takes intervals in blocks of this many: their arrays (64 KiB) stay under
# glibc's mmap threshold and are reused from the heap, while bigger temporaries are
# mapped afresh, and faulting in their pages took longer than the arithmetic (3,000 page
# faults a call for a week of 100 queues).
_BLOCK = 8192


@dataclass(frozen=True)
class StaffingTarget:
    """What an interval must achieve; unset parts do not constrain.

    `service_level` is the share of calls answered within `threshold_s` (0.8 for
    80/20); `asa_s` caps the average speed of answer of answered calls; `max_occupancy`
    caps the share of agents' time on calls; `max_abandon` caps the share of offered
    calls that hang up, and needs a model with abandonment (Erlang A).
    """

    service_level: float | None = None
    threshold_s: float = 20.0
    asa_s: float | None = None
    max_occupancy: float = 1.0
    max_abandon: float | None = None

    def __post_init__(self) -> None:
        if self.service_level is not None and not 0 < self.service_level < 1:
            raise ValueError("a service-level target is a share between 0 and 1")
        if self.threshold_s < 0:
            raise ValueError("the service-level threshold cannot be negative")
        if self.asa_s is not None and self.asa_s <= 0:
            raise ValueError("an ASA target must be positive")
        if not 0 < self.max_occupancy <= 1:
            raise ValueError("the maximum occupancy is a share in (0, 1]")
        if self.max_abandon is not None and not 0 < self.max_abandon < 1:
            raise ValueError("an abandonment target is a share between 0 and 1")
        if (
            self.service_level is None
            and self.asa_s is None
            and self.max_abandon is None
            and self.max_occupancy == 1
        ):
            raise ValueError(
                "a staffing target needs a service level, ASA, abandonment or occupancy"
            )


@dataclass(frozen=True)
class ErlangC:
    """Erlang C figures per interval.

    With no more agents than Erlangs the queue grows without end: every call waits
    (`p_wait` 1), none within the threshold (`service_level` 0), `asa_s` is inf and
    agents are always busy (`occupancy` 1). With no calls nobody waits (`p_wait` 0,
    `service_level` 1, `asa_s` 0). Occupancy is NaN with no agents.
    """

    p_wait: FloatArray
    service_level: FloatArray  # share of calls answered within the threshold
    asa_s: FloatArray  # every call is answered, so also the mean wait of all calls
    occupancy: FloatArray


def offered_load(calls: ArrayLike, interval_s: ArrayLike, aht_s: ArrayLike) -> FloatArray:
    """Erlangs offered: calls × AHT ÷ interval length (an interval of any length)."""
    count, interval, aht = broadcast_floats(calls, interval_s, aht_s)
    check_non_negative(calls=count, aht_s=aht)
    check_positive(interval_s=interval)
    load: FloatArray = count * aht
    load /= interval  # in place: one array of the intervals' size, not two
    return load


def pooled_queues(
    calls: ArrayLike, aht_s: ArrayLike, axis: int = 0
) -> tuple[FloatArray, FloatArray]:
    """The calls and AHT of queues answered by one skill group, pooled along `axis`.

    The AHT is the call-weighted mean, so the pooled workload is the sum of the queues'
    workloads. With no calls in an interval any AHT is right; the plain mean of the
    queues' AHTs keeps the formulas finite there.
    """
    count, aht = broadcast_floats(calls, aht_s)
    check_non_negative(calls=count, aht_s=aht)
    total = count.sum(axis=axis)
    workload = (count * aht).sum(axis=axis)
    quiet = total == 0
    mean_aht: FloatArray = np.where(
        quiet, aht.mean(axis=axis), workload / np.where(quiet, 1.0, total)
    )
    return total, mean_aht


def scheduled_agents(required: ArrayLike, shrinkage: float) -> IntArray:
    """Agents to schedule so that `required` remain on the phones: ⌈required ÷ (1 − shrinkage)⌉.

    `required` may be fractional (a sum of `fractional_agents`), rounded up only here.
    """
    if not 0 <= shrinkage < 1:
        raise ValueError("shrinkage is a share in [0, 1)")
    (agents,) = broadcast_floats(required)
    check_non_negative(required=agents)
    return _whole(agents / (1 - shrinkage))


def erlang_c(
    agents: ArrayLike, load: ArrayLike, aht_s: ArrayLike, threshold_s: ArrayLike
) -> ErlangC:
    """P(wait), service level within `threshold_s`, ASA and occupancy, for N agents and A Erlangs.

    P(wait) = C(N, A) = 1 / (1 + (1 − A/N)·(1 − B)/B) with B the Erlang B blocking;
    SL = 1 − C·e^(−(N − A)·T/AHT); ASA = C·AHT / (N − A).
    """
    n, a, aht, threshold = broadcast_floats(agents, load, aht_s, threshold_s)
    check_non_negative(agents=n, load=a, threshold_s=threshold)
    check_positive(aht_s=aht)
    figures = _erlang_c(n.ravel(), a.ravel(), aht.ravel(), threshold.ravel())
    return reshaped(figures, n.shape)


def required_agents(load: ArrayLike, aht_s: ArrayLike, target: StaffingTarget) -> IntArray:
    """The smallest whole number of agents meeting `target` in each interval (0 with no load).

    Always more agents than Erlangs: with no more, the queue never empties.
    """
    a, aht = broadcast_floats(load, aht_s)
    meets = _erlang_c_meets(a, aht, target)
    flat, flat_aht = a.ravel(), aht.ravel()
    lower = np.empty(flat.shape, dtype=np.int64)
    agents = np.empty_like(lower)
    settled = np.ones(flat.shape, dtype=np.bool_)
    beta = halfin_whitt_beta(flat, flat_aht, target)
    for start in range(0, flat.size, _BLOCK):
        block = slice(start, start + _BLOCK)
        load_b, aht_b = flat[block], flat_aht[block]
        lower[block] = floor = _floor(load_b, target.max_occupancy)
        if beta is None:  # an occupancy cap alone: every N from the floor meets
            agents[block] = floor
            continue
        root = np.sqrt(load_b)
        guess = np.ceil(load_b + beta(root, aht_b) * root).astype(np.int64)
        agents[block], settled[block] = settled_near(
            np.maximum(guess, floor), floor, load_b, aht_b, target
        )
    unsettled = np.flatnonzero(~settled)
    if unsettled.size:
        agents[unsettled] = smallest_meeting(
            lambda n, where: meets(n, unsettled[where]), lower[unsettled], agents[unsettled]
        )
    return agents.reshape(a.shape)


def fractional_agents(load: ArrayLike, aht_s: ArrayLike, target: StaffingTarget) -> FloatArray:
    """The continuous requirement: the fractional N at which the target is just met.

    Between the whole requirement less one and the whole requirement, and above the load.
    """
    a, aht = broadcast_floats(load, aht_s)
    meets = _erlang_c_meets(a, aht, target)
    whole = required_agents(a, aht, target)
    return continuous_requirement(meets, whole, a / target.max_occupancy)


def log_erlang_b_odds(agents: FloatArray, load: FloatArray) -> FloatArray:
    """log((1 − B)/B) of Erlang B's blocking B: log of Σ_{k<N} Aᵏ/k! ÷ A^N/N!.

    Flat arrays; −inf with no agents; needs load > 0. The sum over the Poisson pmf is
    Q(N, A) ÷ pmf(N; A) with Q the regularised upper incomplete gamma, except far
    below the load, where both underflow and their ratio comes from its series.
    """
    staffed = agents > 0
    everyone = bool(staffed.all())  # skips substitutions that would change nothing
    n = agents if everyone else np.where(staffed, agents, 1.0)
    below: FloatArray = special.gammaincc(n, load)
    direct = below > _UNDERFLOW
    log_full = n * np.log(load) - load - special.gammaln(n + 1)
    if direct.all():
        odds: FloatArray = np.log(below) - log_full
    else:
        odds = np.log(np.where(direct, below, 1.0)) - log_full
        far = staffed & ~direct
        if far.any():
            odds[far] = np.log(_erlang_b_odds_far_below(n[far], load[far]))
    return odds if everyone else np.where(staffed, odds, -np.inf)


def smallest_meeting(
    meets: Callable[[FloatArray, IntArray], BoolArray], lower: IntArray, start: IntArray
) -> IntArray:
    """The smallest whole N ≥ `lower` for which `meets` holds, per interval.

    `meets(agents, where)` answers for the intervals at flat positions `where`; once
    true it must stay true as agents are added. Each interval tries its `start` (a
    guess: the closer, the fewer calls), gallops away from it (steps 1, 2, 4, …) down
    while the target is met or up while it is not, then bisects; all intervals move
    in step together.
    """
    floor = lower.ravel()
    probe = np.maximum(start.ravel(), floor)
    met = meets(probe.astype(np.float64), np.arange(floor.size))
    failing = np.where(met, floor - 1, probe)  # largest N known to fail (or below the floor)
    meeting = np.where(met, probe, -1)  # smallest N known to meet; -1: none yet

    def try_(probe: IntArray, where: IntArray) -> BoolArray:
        met = meets(probe.astype(np.float64), where)
        meeting[where[met]] = probe[met]
        failing[where[~met]] = probe[~met]
        return met

    step = np.ones_like(floor)
    galloping = met & (probe > floor)
    while (open_ := np.flatnonzero(galloping)).size:
        probe = np.maximum(meeting[open_] - step[open_], floor[open_])
        galloping[open_] = try_(probe, open_) & (probe > floor[open_])
        step[open_] *= 2
    while (open_ := np.flatnonzero(meeting < 0)).size:
        try_(failing[open_] + step[open_], open_)
        step[open_] *= 2
    while (open_ := np.flatnonzero(meeting - failing > 1)).size:
        try_((failing[open_] + meeting[open_]) // 2, open_)
    return meeting.reshape(lower.shape)


def continuous_requirement(
    meets: Callable[[FloatArray, IntArray], BoolArray], whole: IntArray, lower: FloatArray
) -> FloatArray:
    """The fractional N in (max(whole − 1, lower), whole] where `meets` starts to hold.

    `whole` is the smallest whole N that meets; `meets` must accept fractional agents
    and stay true as they grow.
    """
    meeting = whole.ravel().astype(np.float64)
    failing = np.maximum(meeting - 1, np.broadcast_to(lower, whole.shape).ravel())
    open_ = np.flatnonzero(meeting > failing)
    for _ in range(_BISECTION_STEPS):
        probe = (failing[open_] + meeting[open_]) / 2
        met = meets(probe, open_)
        meeting[open_[met]] = probe[met]
        failing[open_[~met]] = probe[~met]
    return meeting.reshape(whole.shape)


def reshaped(figures: Figures, shape: tuple[int, ...]) -> Figures:
    """The figures, computed on flat arrays, in the shape their inputs came in."""
    return replace(
        figures, **{f.name: getattr(figures, f.name).reshape(shape) for f in fields(figures)}
    )


def broadcast_floats(*values: ArrayLike) -> list[FloatArray]:
    """The values as float arrays broadcast to one shape."""
    arrays = [np.asarray(value, dtype=np.float64) for value in values]
    return [np.asarray(array) for array in np.broadcast_arrays(*arrays)]


def check_non_negative(**values: FloatArray) -> None:
    """Raise ValueError naming the first argument with a negative, infinite or NaN value."""
    for name, array in values.items():
        if not np.all(np.isfinite(array) & (array >= 0)):
            raise ValueError(f"{name} must be a finite non-negative number")


def check_positive(**values: FloatArray) -> None:
    """Raise ValueError naming the first argument with a value not finite and above 0."""
    for name, array in values.items():
        if not np.all(np.isfinite(array) & (array > 0)):
            raise ValueError(f"{name} must be a finite positive number")


def _erlang_c(n: FloatArray, a: FloatArray, aht: FloatArray, threshold: FloatArray) -> ErlangC:
    quiet = a == 0
    stable = (n > a) & ~quiet
    n_ok = np.where(stable, n, 2.0)
    a_ok = np.where(stable, a, 1.0)
    # 1/C − 1 = (1 − A/N)·(1 − B)/B
    log_odds_no_wait = np.log1p(-a_ok / n_ok) + log_erlang_b_odds(n_ok, a_ok)
    p_wait: FloatArray = np.where(
        stable, special.expit(-log_odds_no_wait), np.where(quiet, 0.0, 1.0)
    )
    spare = np.where(stable, n - a, 1.0)
    service_level = np.where(
        stable, 1 - p_wait * np.exp(-spare * threshold / aht), np.where(quiet, 1.0, 0.0)
    )
    asa_s = np.where(stable, p_wait * aht / spare, np.where(quiet, 0.0, np.inf))
    occupancy = np.where(n > 0, np.minimum(a / np.where(n > 0, n, 1.0), 1.0), np.nan)
    return ErlangC(p_wait, service_level, asa_s, occupancy)


def _erlang_c_meets(
    load: FloatArray, aht: FloatArray, target: StaffingTarget
) -> Callable[[FloatArray, IntArray], BoolArray]:
    if target.max_abandon is not None:
        raise ValueError("Erlang C callers never hang up; an abandonment target needs Erlang A")
    check_non_negative(load=load)
    check_positive(aht_s=aht)
    a, aht_ = (values.ravel() for values in np.broadcast_arrays(load, aht))

    def meets(agents: FloatArray, where: IntArray) -> BoolArray:
        threshold = np.full(where.shape, target.threshold_s)
        figures = _erlang_c(agents, a[where], aht_[where], threshold)
        return _meets_target(figures.service_level, figures.asa_s, target)

    return meets


def _meets_target(
    service_level: FloatArray, asa_s: FloatArray, target: StaffingTarget
) -> BoolArray:
    met = np.ones(service_level.shape, dtype=np.bool_)
    if target.service_level is not None:
        met &= service_level >= target.service_level
    if target.asa_s is not None:
        met &= asa_s <= target.asa_s
    return met


def _floor(load: FloatArray, max_occupancy: float) -> IntArray:
    """The fewest agents worth trying: more than the load (or none without calls), and enough
    that the occupancy stays within its cap."""
    floor = (np.floor(load) + (load > 0)).astype(np.int64)
    return floor if max_occupancy == 1 else np.maximum(floor, _whole(load / max_occupancy))


def _erlang_b_odds_far_below(agents: FloatArray, load: FloatArray) -> FloatArray:
    """Σ_{j≥1} N(N−1)…(N−j+1) ÷ Aʲ, for N well below A: terms shrink at least like (N/A)ʲ.

    For fractional N it is the asymptotic series of the incomplete gamma, stopped long
    before its terms could grow again.
    """
    term = agents / load
    total = term.copy()
    j = 1
    while np.any(np.abs(term) > 1e-17 * total):
        term = term * (agents - j) / load
        total += term
        j += 1
    return total


def _whole(values: FloatArray) -> IntArray:
    """Round up to whole agents, forgiving float error of a few ulps."""
    return np.ceil(values * (1 - _ROUNDING_SLACK)).astype(np.int64)
