"""Erlang A (Palm's M/M/N+M): Erlang C with callers who hang up after an exponential
patience, and the agents a target needs.

Arrays broadcast as in `erlang`, fractional agents included. The birth–death chain has
arrival rate λ and departure rate μ·min(n, N) + θ·max(n − N, 0), with μ = 1/AHT and
θ = 1/patience. In units of the patience, x = N·patience/AHT and y = A·patience/AHT;
relative to the chain's weight at n = N, the states below N weigh G = (1 − B)/B of
Erlang B and the states from N up weigh E = M(1, x + 1, y), Kummer's function (the
closed forms of Garnett, Mandelbaum and Reiman). Everything is computed from log G
and log E, so nothing overflows when the queue is huge.

Service level is over offered calls: a caller is counted when answered within the
threshold, so one who hangs up first is missed however soon they hang up. A caller who
finds k waiting would reach an agent after V, a sum of exponentials with rates Nμ,
Nμ + θ, …, Nμ + kθ, and is answered if their patience outlasts V, with probability
e^(−θV); summed over k this gives the closed forms of `_Chain`. With impatient callers
fewer agents than Erlangs can meet a target, so the search for agents goes down to none.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, cached_property

import numpy as np
from numpy.typing import ArrayLike
from scipy import special  # type: ignore[import-untyped]

from hotline.staffing.erlang import (
    BoolArray,
    FloatArray,
    IntArray,
    StaffingTarget,
    broadcast_floats,
    check_non_negative,
    check_positive,
    continuous_requirement,
    log_erlang_b_odds,
    reshaped,
    smallest_meeting,
)

Assess = Callable[[FloatArray, IntArray], tuple[BoolArray, FloatArray]]

# The wait integral is taken where its integrand is above e⁻⁶⁰ of its peak.
_NEGLIGIBLE_LOG = 60.0
_QUADRATURE_NODES = 64
# Rounds of secant steps before the search for agents is left to plain bisection.
_SECANT_ROUNDS = 6
# How much further than the line through two tries a step beyond them aims.
_OVERSHOOT = 0.05


@dataclass(frozen=True)
class ErlangA:
    """Erlang A figures per interval, shares over offered calls.

    With no calls nobody waits (`p_wait` 0, `service_level` 1, waits 0). With no agents
    every caller hangs up, and `asa_s` (of no answered calls) and `occupancy` are NaN.
    """

    p_wait: FloatArray  # share of calls that find every agent busy
    p_abandon: FloatArray
    service_level: FloatArray  # share answered within the threshold
    asa_s: FloatArray  # mean wait of answered calls
    mean_wait_s: FloatArray  # mean wait of all calls, until answered or hanging up
    occupancy: FloatArray  # carried load per agent


def erlang_a(
    agents: ArrayLike,
    load: ArrayLike,
    aht_s: ArrayLike,
    patience_s: ArrayLike,
    threshold_s: ArrayLike,
) -> ErlangA:
    """P(wait), P(abandon), service level within `threshold_s`, ASA, mean wait and occupancy."""
    n, a, aht, patience, threshold = broadcast_floats(agents, load, aht_s, patience_s, threshold_s)
    check_non_negative(agents=n, load=a, threshold_s=threshold)
    check_positive(aht_s=aht, patience_s=patience)
    shape = n.shape
    n, a, aht, patience, threshold = (v.ravel() for v in (n, a, aht, patience, threshold))
    chain = _Chain(n, a, patience / aht)
    figures = ErlangA(
        p_wait=chain.p_wait,
        p_abandon=chain.p_abandon,
        service_level=chain.service_level(threshold / patience),
        asa_s=chain.answered_wait_units() * patience,
        # Little's law: λ·mean wait = E[queue], and θ·E[queue] = λ·P(abandon)
        mean_wait_s=chain.p_abandon * patience,
        occupancy=chain.occupancy(),
    )
    return reshaped(figures, shape)


def required_agents(
    load: ArrayLike, aht_s: ArrayLike, patience_s: ArrayLike, target: StaffingTarget
) -> IntArray:
    """The smallest whole number of agents meeting `target` in each interval (0 with no load).

    The search goes down to no agents: impatient callers can let fewer agents than
    Erlangs meet a target.
    """
    assess, a = _erlang_a_assess(load, aht_s, patience_s, target)
    return _fewest_meeting(assess, _first_guess(a.ravel())).reshape(a.shape)


def fractional_agents(
    load: ArrayLike, aht_s: ArrayLike, patience_s: ArrayLike, target: StaffingTarget
) -> FloatArray:
    """The continuous requirement, in (whole − 1, whole] (see `erlang.fractional_agents`)."""
    assess, a = _erlang_a_assess(load, aht_s, patience_s, target)
    whole = _fewest_meeting(assess, _first_guess(a.ravel())).reshape(a.shape)
    return continuous_requirement(_verdicts_only(assess), whole, np.zeros(a.shape))


class _Chain:
    """The chain's stationary law for N agents and A Erlangs, as weights relative to n = N.

    Figures are computed on demand, so a search pays only for those its target needs.
    """

    def __init__(self, agents: FloatArray, load: FloatArray, patience_units: FloatArray) -> None:
        self.quiet = load == 0
        self.staffed = agents > 0
        self.agents = agents
        self.load = np.where(self.quiet, 1.0, load)
        self.x = agents * patience_units
        self.y = self.load * patience_units
        self.log_below = log_erlang_b_odds(agents, self.load)  # log G
        self.log_queue = _log_kummer(self.x, self.y)  # log E
        self.log_total = np.logaddexp(self.log_below, self.log_queue)

    @property
    def p_wait(self) -> FloatArray:
        return np.where(self.quiet, 0.0, np.exp(self.log_queue - self.log_total))

    @property
    def p_abandon(self) -> FloatArray:
        return self._outcomes[0]

    @property
    def p_answered(self) -> FloatArray:
        return self._outcomes[1]

    @cached_property
    def _outcomes(self) -> tuple[FloatArray, FloatArray]:
        """P(abandon) = θ·E[queue] ÷ λ = (dE/dy) ÷ (G + E), and 1 − P(abandon), each from
        the form that does not cancel.

        Beyond y = x, P(answered) = (G + (E − 1)·x/y) ÷ (G + E) adds positive terms (the
        queue is answered at rate Nμ while all agents are busy); up to y = x, E is
        moderate and dE/dy = M(2, x + 2, y)/(x + 1).
        """
        x, y, log_total = self.x, self.y, self.log_total
        over = y > x
        under = ~over
        answered = np.empty_like(x)
        answered[over] = np.exp(self.log_below[over] - log_total[over]) + x[over] / y[over] * (
            np.exp(self.log_queue[over] - log_total[over]) - np.exp(-log_total[over])
        )
        abandon = np.empty_like(x)
        abandon[under] = (
            special.hyp1f1(2.0, x[under] + 2, y[under]) / (x[under] + 1) * np.exp(-log_total[under])
        )
        answered[under] = 1 - abandon[under]
        abandon[over] = 1 - answered[over]
        return (
            np.where(self.quiet, 0.0, np.clip(abandon, 0.0, 1.0)),
            np.where(self.quiet, 1.0, np.clip(answered, 0.0, 1.0)),
        )

    def service_level(self, threshold_units: FloatArray) -> FloatArray:
        """(G + S) ÷ (G + E), S weighing the callers who find a queue, would reach an agent
        within the threshold τ (in units of the patience) and are still there then.

        S = x·eʸ·y^(−x−1)·[γ(x+1, y) − γ(x+1, z)] with z = y·e^(−τ). Up to y = x it is
        x/(x+1)·[M(1, x+2, y) − e^(−(x+1)τ + y − z)·M(1, x+2, z)]; beyond, the difference
        of regularised gammas keeps its precision when S is tiny.
        """
        z = self.y * np.exp(-threshold_units)
        reached = _piecewise(
            (self.y <= self.x) | (self.x == 0),
            _reached_near,
            _reached_far,
            self.x,
            self.y,
            z,
            threshold_units,
            self.log_total,
        )
        level = np.exp(self.log_below - self.log_total) + reached
        return np.where(self.quiet, 1.0, np.clip(level, 0.0, 1.0))

    def answered_wait_units(self) -> FloatArray:
        """The mean wait of answered calls in units of the patience (NaN with no agents).

        In s = θ·wait, a caller is answered after waiting s with probability e^(−s), and
        the offered wait's density, summed over the queue found, is x·e^(φ(s) + s) ÷ (G + E)
        with φ(s) = −(x + 1)·s − y·(e^(−s) − 1); so E[wait; answered] = x·∫ s·e^φ ds ÷ (G + E).
        """
        mean = self.x * self._wait_integral() / np.where(self.staffed, self.p_answered, 1.0)
        return np.where(self.quiet, 0.0, np.where(self.staffed, mean, np.nan))

    def occupancy(self) -> FloatArray:
        """Carried load per agent (NaN with no agents)."""
        carried = np.where(self.quiet, 0.0, self.load * self.p_answered)
        per_agent = np.minimum(carried / np.where(self.staffed, self.agents, 1.0), 1.0)
        return np.where(self.staffed, per_agent, np.nan)

    def _wait_integral(self) -> FloatArray:
        """∫ s·e^(φ(s)) ds ÷ (G + E) by Gauss–Legendre on both sides of φ's peak.

        With κ = x + 1, φ falls by κ·(d − 1 + e^(−d)) over a distance d right of an inner
        peak and by κ·(e^d − 1 − d) left of it; from a peak at 0 it falls at least as fast,
        and at least at rate κ − y. The integral stops where these bounds reach e⁻⁶⁰.
        """
        kappa = self.x + 1
        y = self.y
        inner = y > kappa
        peak = np.log(np.where(inner, y / kappa, 1.0))
        drop = _NEGLIGIBLE_LOG / kappa
        start = np.maximum(peak - np.sqrt(2 * drop), 0.0)
        reach = np.sqrt(2 * drop) + drop
        slope = np.where(inner, 0.0, kappa - y)
        end = peak + np.where(
            slope > 0, np.minimum(reach, _NEGLIGIBLE_LOG / np.where(slope > 0, slope, 1.0)), reach
        )
        nodes, weights = _gauss_legendre()
        total = np.zeros_like(kappa)
        for lower, upper in ((start, peak), (peak, end)):
            half = (upper - lower) / 2
            s = ((lower + upper) / 2)[..., None] + half[..., None] * nodes
            phi = -kappa[..., None] * s - y[..., None] * np.expm1(-s)
            total += half * (weights * s * np.exp(phi - self.log_total[..., None])).sum(axis=-1)
        return total


def _erlang_a_assess(
    load: ArrayLike, aht_s: ArrayLike, patience_s: ArrayLike, target: StaffingTarget
) -> tuple[Assess, FloatArray]:
    """Whether N agents meet the target at flat positions `where`, and by how much.

    The slack is the smallest, over the target's parts, of a figure's distance to its
    target on a scale where it moves about evenly with N (logit of shares, log of times
    and occupancy): 0 or above exactly where that part is met, NaN where undefined.
    """
    a, aht, patience = broadcast_floats(load, aht_s, patience_s)
    check_non_negative(load=a)
    check_positive(aht_s=aht, patience_s=patience)
    a_flat, patience_flat = a.ravel(), patience.ravel()
    units = (patience / aht).ravel()
    threshold_units = target.threshold_s / patience_flat

    def assess(agents: FloatArray, where: IntArray) -> tuple[BoolArray, FloatArray]:
        chain = _Chain(agents, a_flat[where], units[where])
        met = np.ones(agents.shape, dtype=np.bool_)
        slacks = []
        if target.service_level is not None:
            level = chain.service_level(threshold_units[where])
            met &= level >= target.service_level
            slacks.append(special.logit(level) - special.logit(target.service_level))
        if target.max_abandon is not None:
            abandon = chain.p_abandon
            met &= abandon <= target.max_abandon
            slacks.append(special.logit(target.max_abandon) - special.logit(abandon))
        with np.errstate(divide="ignore"):  # the log of no wait, or no occupancy: −∞
            if target.asa_s is not None:
                asa_s = chain.answered_wait_units() * patience_flat[where]
                met &= asa_s <= target.asa_s
                slacks.append(np.log(target.asa_s) - np.log(asa_s))
            if target.max_occupancy < 1:
                occupancy = chain.occupancy()
                met &= (occupancy <= target.max_occupancy) | chain.quiet
                spare = np.log(target.max_occupancy) - np.log(occupancy)
                slacks.append(np.where(chain.quiet, np.inf, spare))
        slack: FloatArray = slacks[0] if len(slacks) == 1 else np.minimum.reduce(slacks)
        return met, slack

    return assess, a


def _verdicts_only(assess: Assess) -> Callable[[FloatArray, IntArray], BoolArray]:
    """`assess` without the slack, as `smallest_meeting` and `continuous_requirement` ask."""
    return lambda agents, where: assess(agents, where)[0]


def _fewest_meeting(assess: Assess, guess: IntArray) -> IntArray:
    """The smallest N ≥ 0 that meets the target, per flat interval, by secant steps.

    The first try is the guess, the second its neighbour towards the answer: a guess
    within an agent settles there, N meeting and N − 1 not. Then each round tries a pair
    N − 1, N where the slack crosses 0 (`_secant_step`); it moves smoothly with N, so most
    intervals settle in a round or two. Intervals still open after `_SECANT_ROUNDS`, or
    whose answers contradict each other, are left to the plain search, `smallest_meeting`.
    """
    count = guess.size
    # Row 0: the largest N known to fail, row 1: the smallest known to meet; −1: none yet.
    known = np.full((2, count), -1)
    known_slack = np.full((2, count), np.nan)
    tried = np.zeros((2, count), dtype=np.int64)  # the last two N tried, the latest second
    tried_slack = np.full((2, count), np.nan)

    def record(where: IntArray, probes: IntArray, met: BoolArray, slack: FloatArray) -> None:
        row = met.astype(np.intp)
        known[row, where] = probes
        known_slack[row, where] = slack

    def try_one(where: IntArray, probes: IntArray) -> None:
        met, slack = assess(probes.astype(np.float64), where)
        record(where, probes, met, slack)
        tried[0, where], tried_slack[0, where] = tried[1, where], tried_slack[1, where]
        tried[1, where], tried_slack[1, where] = probes, slack

    def try_pair(where: IntArray, upper: IntArray) -> None:
        """Try N = `upper` and the N below it, unless that is the known failure (or −1)."""
        lower = upper - 1
        fresh = lower > known[0, where]
        lower_met = np.zeros(where.size, dtype=np.bool_)
        lower_slack = known_slack[0, where]  # the known failure's where not fresh
        met, slack = assess(
            np.concatenate([lower[fresh], upper]).astype(np.float64),
            np.concatenate([where[fresh], where]),
        )
        below = met.size - where.size
        lower_met[fresh], lower_slack[fresh] = met[:below], slack[:below]
        record(where[fresh], lower[fresh], met[:below], slack[:below])
        record(where, upper, met[below:], slack[below:])  # a failure above wins
        again = where[lower_met]  # a success below wins
        known[1, again], known_slack[1, again] = lower[lower_met], lower_slack[lower_met]
        tried[:, where], tried_slack[:, where] = (lower, upper), (lower_slack, slack[below:])

    failing, meeting = known
    met, slack = assess(guess.astype(np.float64), np.arange(count))
    known[:] = np.where(met, -1, guess), np.where(met, guess, -1)
    known_slack[:] = np.where(met, np.nan, slack), np.where(met, slack, np.nan)
    tried[1], tried_slack[1] = guess, slack
    neighbour = np.flatnonzero(~met | (guess > 0))
    try_one(neighbour, np.where(met, guess - 1, guess + 1)[neighbour])
    for _ in range(_SECANT_ROUNDS):
        open_ = np.flatnonzero((meeting < 0) | (meeting - failing > 1))
        if not open_.size:
            break
        try_pair(
            open_,
            _secant_step(
                known[:, open_], known_slack[:, open_], tried[:, open_], tried_slack[:, open_]
            ),
        )
    unsettled = np.flatnonzero((meeting < 0) | (meeting - failing != 1))
    if unsettled.size:
        start = np.where(meeting[unsettled] >= 0, meeting[unsettled], failing[unsettled] + 1)
        meeting[unsettled] = smallest_meeting(
            lambda agents, where: _verdicts_only(assess)(agents, unsettled[where]),
            np.zeros(unsettled.size, dtype=np.int64),
            start,
        )
    result: IntArray = meeting
    return result


def _secant_step(
    known: IntArray, known_slack: FloatArray, tried: IntArray, tried_slack: FloatArray
) -> IntArray:
    """The upper N of the next pair to try, strictly between the largest N known to fail and
    the smallest known to meet (rows of `known`, −1 for none, with their slacks).

    With both known, where the slack interpolated between them crosses 0 (regula falsi);
    with one, a little beyond where the line through the last two tries does, so that a
    miss brackets the answer, going at most to double the agents (or half). Bisect, or
    gallop, where the slacks give no rising line.
    """
    failing, meeting = known
    above, below = meeting < 0, failing < 0  # nothing meets yet / nothing fails yet
    one_sided = above | below
    n = np.where(one_sided, tried, known)
    slack = np.where(one_sided, tried_slack, known_slack)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # infinite slacks
        run, rise = n[1] - n[0], slack[1] - slack[0]
        cross = n[1] - np.where(one_sided, 1 + _OVERSHOOT, 1.0) * slack[1] * (run / rise)
        usable = np.isfinite(cross) & np.isfinite(rise) & (rise * run > 0)
    lowest = np.where(below, meeting // 2, failing + 1)
    highest = np.where(above, 2 * failing + 2, meeting - 1)
    blind = np.where(above, highest, np.where(below, lowest, (failing + meeting + 1) // 2))
    upper: IntArray = np.clip(np.ceil(np.where(usable, cross, blind)), lowest, highest).astype(
        np.int64
    )
    return upper


def _first_guess(load: FloatArray) -> IntArray:
    """One above the load (none without calls): patient callers need a little more, impatient
    ones can make do with less, and the secant steps find how much."""
    return (np.ceil(load) + (load > 0)).astype(np.int64)


def _reached_near(
    x: FloatArray, y: FloatArray, z: FloatArray, threshold_units: FloatArray, log_total: FloatArray
) -> FloatArray:
    """S ÷ (G + E) of `_Chain.service_level` up to y = x, from Kummer's functions."""
    b = x + 1
    reached: FloatArray = (
        x
        / b
        * (
            np.exp(_log_kummer(b, y) - log_total)
            - np.exp(-b * threshold_units + (y - z) + _log_kummer(b, z) - log_total)
        )
    )
    return reached


def _reached_far(
    x: FloatArray, y: FloatArray, z: FloatArray, threshold_units: FloatArray, log_total: FloatArray
) -> FloatArray:
    """S ÷ (G + E) of `_Chain.service_level` beyond y = x, from regularised gammas: both in
    the upper tail, the difference of the small upper parts."""
    b = x + 1
    gap = _piecewise(
        z > b,
        lambda b, y, z: special.gammaincc(b, z) - special.gammaincc(b, y),
        lambda b, y, z: special.gammainc(b, y) - special.gammainc(b, z),
        b,
        y,
        z,
    )
    log_scale = np.log(x) + y - b * np.log(y) + special.gammaln(b) - log_total
    reached: FloatArray = np.exp(log_scale) * gap
    return reached


def _log_kummer(b: FloatArray, z: FloatArray) -> FloatArray:
    """log M(1, b + 1, z) = log Σ_k zᵏ ÷ (b+1)(b+2)…(b+k), for b, z ≥ 0.

    Up to z = b the hypergeometric series is accurate and moderate; beyond, it grows like
    eᶻ and comes from the lower incomplete gamma: M = Γ(b+1)·eᶻ·z^(−b)·P(b, z).
    """
    return _piecewise(
        z <= b,
        lambda b, z: np.log(special.hyp1f1(1.0, b + 1, z)),
        lambda b, z: special.gammaln(b + 1) + z - b * np.log(z) + np.log(special.gammainc(b, z)),
        b,
        z,
    )


def _piecewise(
    inside: BoolArray,
    within: Callable[..., FloatArray],
    beyond: Callable[..., FloatArray],
    *arrays: FloatArray,
) -> FloatArray:
    """`within(*arrays)` where `inside` holds and `beyond(*arrays)` elsewhere, each computed on
    its own elements only (and not at all when it has none)."""
    if inside.all():
        return within(*arrays)
    if not inside.any():
        return beyond(*arrays)
    result = np.empty(inside.shape)
    result[inside] = within(*(array[inside] for array in arrays))
    outside = ~inside
    result[outside] = beyond(*(array[outside] for array in arrays))
    return result


@cache
def _gauss_legendre() -> tuple[FloatArray, FloatArray]:
    nodes, weights = np.polynomial.legendre.leggauss(_QUADRATURE_NODES)
    return nodes, weights
