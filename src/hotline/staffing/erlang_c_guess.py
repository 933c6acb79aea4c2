"""The first guess at Erlang C's whole-agent requirement, and the walk that settles most
intervals near it without a search.

`required_agents` guesses N = A + β√A with β from Halfin and Whitt's square-root
staffing approximation (`halfin_whitt_beta`), then walks a few agents from the guess
with Erlang B's recurrence (`settled_near`); only intervals whose figures stay too
close to the target to decide are left to the exact search, `smallest_meeting`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

import numpy as np
from scipy import special  # type: ignore[import-untyped]

if TYPE_CHECKING:  # erlang imports this module: names for annotations only
    from hotline.staffing.erlang import BoolArray, FloatArray, IntArray, StaffingTarget

# The first guess at whole agents: β bisected to 8 ÷ 2¹², for more intervals than this on
# a grid of this many of their values.
_GUESS_STEPS = 12
_GUESS_GRID = 512
# Figures computed outside the exact search decide only this far (relatively) from their
# target: their rounding differs from the exact figures' by far less, even at 10⁸ Erlangs.
_DECISION_MARGIN = 1e-6
# Agents the first guess at whole agents may be off by and still settle without a search.
_WALK_STEPS = 4
# Up to this many agents Erlang B's odds are summed term by term.
_SUMMED_AGENTS = 16


def halfin_whitt_beta(
    load: FloatArray, aht: FloatArray, target: StaffingTarget
) -> Callable[[FloatArray, FloatArray], FloatArray] | None:
    """β of a first guess N = A + β√A for intervals like these, as a function of √A and AHT
    (None without a service-level or ASA target), from Halfin and Whitt's approximation.

    P(wait) ≈ p(β) = 1 / (1 + β·Φ(β)/φ(β)), SL ≈ 1 − p(β)·e^(−β·√A·T/AHT) and
    ASA ≈ p(β)·AHT / (β√A): β depends on an interval only through v = √A·T/AHT for a
    service level and v = √A·ASA/AHT for an ASA, the stricter of the two kept. For many
    intervals β is solved on a geometric grid of v spanning theirs and interpolated; for
    a few, for each interval.
    """
    parts: list[tuple[float, Callable[[FloatArray, FloatArray, FloatArray], BoolArray]]] = []
    if target.service_level is not None:
        goal = np.log1p(-target.service_level)
        parts.append((target.threshold_s, lambda b, log_p, v: log_p - b * v <= goal))
    if target.asa_s is not None:
        parts.append((target.asa_s, lambda b, log_p, v: np.exp(log_p) <= b * v))
    if not parts:
        return None
    if load.size <= _GUESS_GRID:
        return lambda root, aht: _smallest_beta(
            lambda b, log_p: np.logical_and.reduce(
                [met(b, log_p, root * (scale / aht)) for scale, met in parts]
            ),
            root.shape,
        )
    # The bounds of √A and of AHT bound v.
    root_low = np.sqrt(np.min(load, where=load > 0, initial=np.inf))
    root_high, aht_low, aht_high = np.sqrt(load.max()), aht.min(), aht.max()
    on_grids = [
        (scale, _beta_on_grid(scale * root_low / aht_high, scale * root_high / aht_low, met))
        for scale, met in parts
    ]
    return lambda root, aht: np.max(
        [on_grid(root * (scale / aht)) for scale, on_grid in on_grids], axis=0
    )


def _beta_on_grid(
    bottom: float, top: float, met: Callable[[FloatArray, FloatArray, FloatArray], BoolArray]
) -> Callable[[FloatArray], FloatArray]:
    """The smallest β with `met(β, log p(β), v)` as a function of v in [bottom, top] (or 0),
    solved on a geometric grid and interpolated linearly in log v: β moves slowly with v."""
    if not 0 < bottom < top:  # one value of v, or none but 0
        only = _smallest_beta(lambda b, log_p: met(b, log_p, np.full((), top)), ())[()]
        return lambda values: np.full(values.shape, only)
    grid = np.geomspace(bottom, top, _GUESS_GRID)
    beta = _smallest_beta(lambda b, log_p: met(b, log_p, grid), grid.shape)
    per_log = (grid.size - 1) / np.log(top / bottom)
    slope = np.append(np.diff(beta), 0.0)
    start = beta - slope * np.arange(grid.size)

    def interpolated(values: FloatArray) -> FloatArray:
        with np.errstate(divide="ignore"):  # v = 0, no calls, where β does not matter
            position = np.log(values) * per_log - np.log(bottom) * per_log
        np.clip(position, 0.0, grid.size - 1, out=position)
        at = position.astype(np.int64)
        result: FloatArray = start[at] + slope[at] * position
        return result

    return interpolated


def _smallest_beta(
    met: Callable[[FloatArray, FloatArray], BoolArray], shape: tuple[int, ...]
) -> FloatArray:
    """The smallest β of `_halfin_whitt_table` for which `met(β, log p(β))` holds, by bisection
    (8 where none does); β = 0, where p = 1, never meets a target."""
    beta, log_p = _halfin_whitt_table()
    failing = np.zeros(shape, dtype=np.intp)
    meeting = np.full(shape, beta.size - 1)
    for _ in range(_GUESS_STEPS):
        probe = (failing + meeting) // 2
        now = met(beta[probe], log_p[probe])
        meeting = np.where(now, probe, meeting)
        failing = np.where(now, failing, probe)
    smallest: FloatArray = beta[meeting]
    return smallest


@cache
def _halfin_whitt_table() -> tuple[FloatArray, FloatArray]:
    """β on a grid of [0, 8] and log p(β), Halfin and Whitt's P(wait), for `_smallest_beta`."""
    beta = np.linspace(0.0, 8.0, 2**_GUESS_STEPS + 1)
    log_p = -np.log1p(beta * special.ndtr(beta) * np.exp(beta**2 / 2) * np.sqrt(2 * np.pi))
    return beta, log_p


def settled_near(
    guess: IntArray, lower: IntArray, load: FloatArray, aht: FloatArray, target: StaffingTarget
) -> tuple[IntArray, BoolArray]:
    """Agents per flat interval, and where they are settled, from Erlang C at the guess and a
    walk of up to `_WALK_STEPS` agents from it: down while the target is met, up while not.

    Each step's Erlang B odds R = (1 − B)/B come from the last by the recurrence
    R(N − 1) = A·R(N)/N − 1 or R(N + 1) = (N + 1)·(1 + R(N)) / A, instead of another
    incomplete gamma. Figures near their target settle nothing (`_sure_verdicts`), so
    rounding never decides; unsettled intervals keep their best start for the exact
    search. Without calls every N meets: the floor is the answer.
    """
    quiet = load == 0
    if quiet.any():
        busy = np.flatnonzero(~quiet)
        agents, settled = lower.copy(), np.ones(load.shape, dtype=np.bool_)
        agents[busy], settled[busy] = settled_near(
            guess[busy], lower[busy], load[busy], aht[busy], target
        )
        return agents, settled
    n = guess.astype(np.float64)
    log_odds = _log_erlang_b_odds_above(guess, n, load)
    meets, fails = _sure_verdicts(n, load, aht, log_odds, target)
    agents = guess.copy()
    settled = meets & (guess == lower)
    for down, at in ((True, np.flatnonzero(meets & ~settled)), (False, np.flatnonzero(fails))):
        n_at, log_odds_at = n[at], log_odds[at]
        for _ in range(_WALK_STEPS):
            if not at.size:
                break
            a = load[at]
            if down:
                ratio = np.log(a / n_at) + log_odds_at  # log(1 + R(N − 1)), > log 2 above the floor
                log_odds_at = ratio + np.log1p(-np.exp(-ratio))
                n_at = n_at - 1
            else:
                log_odds_at = np.log((n_at + 1) / a) + log_odds_at + np.log1p(np.exp(-log_odds_at))
                n_at = n_at + 1
            meets, fails = _sure_verdicts(n_at, a, aht[at], log_odds_at, target)
            if down:  # settled where N fails, at N + 1, or where the floor meets
                at_floor = n_at == lower[at]
                agents[at] = n_at + fails
                settled[at] = fails | (meets & at_floor)
                on = meets & ~at_floor
            else:  # settled where N meets; else N is unsure or fails, so start above it
                agents[at] = n_at + ~meets
                settled[at] = meets
                on = fails
            at, n_at, log_odds_at = at[on], n_at[on], log_odds_at[on]
    return agents, settled


def _sure_verdicts(
    agents: FloatArray,
    load: FloatArray,
    aht: FloatArray,
    log_odds: FloatArray,
    target: StaffingTarget,
) -> tuple[BoolArray, BoolArray]:
    """Where N agents above the load surely meet the target and where they surely fail it, by
    `_DECISION_MARGIN`, given log R of Erlang B: the figures of `erlang_c`, as 1 − SL."""
    spare = agents - load
    with np.errstate(over="ignore", divide="ignore"):  # P(wait) rounding to 0, or to 1
        p_wait = 1 / (1 + np.exp(np.log(spare / agents) + log_odds))
    bounds = []
    if target.service_level is not None:
        late = p_wait * np.exp(spare * -target.threshold_s / aht)
        bounds.append((late, 1 - target.service_level))
    if target.asa_s is not None:
        bounds.append((p_wait * aht / spare, target.asa_s))
    figure, bound = bounds[0]
    meets = figure <= bound * (1 - _DECISION_MARGIN)
    fails = figure > bound * (1 + _DECISION_MARGIN)
    for figure, bound in bounds[1:]:
        meets &= figure <= bound * (1 - _DECISION_MARGIN)
        fails |= figure > bound * (1 + _DECISION_MARGIN)
    return meets, fails


def _log_erlang_b_odds_above(agents: IntArray, n: FloatArray, load: FloatArray) -> FloatArray:
    """`log_erlang_b_odds` for whole agents `n` above the load.

    For a few agents R = (1 − B)/B is a short sum of positive terms, Σ N(N−1)…(N−j+1) ÷ Aʲ
    for j = 1 … N, as exact as the incomplete gamma and cheaper (terms stay far below
    overflow from a millionth of an Erlang). Above the load Q(N, A) never underflows.
    """
    odds = np.empty(n.shape)
    few = (agents <= _SUMMED_AGENTS) & (load >= 1e-6)
    at = np.flatnonzero(few)
    n_few, per_load = n[at], 1 / load[at]
    term = n_few * per_load
    total = term.copy()
    for j in range(1, int(agents[at].max(initial=0))):
        term *= (n_few - j) * per_load  # 0 from j = N on
        total += term
    odds[at] = np.log(total)
    at = np.flatnonzero(~few)
    n_many, a_many = n[at], load[at]
    odds[at] = (
        np.log(special.gammaincc(n_many, a_many))
        - n_many * np.log(a_many)
        + a_many
        + special.gammaln(n_many + 1)
    )
    return odds
