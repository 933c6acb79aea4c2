"""Break placement: move each agent's breaks within their windows to smooth coverage.

A placement is judged by the surplus of agents over the requirement in each interval.
Each break in turn is lifted out and put back where it adds the least under-staffing
and, among those places, where the surplus it takes from is largest. It moves only when
that is strictly better than where it was, so under-staffing never grows: a schedule
that met the requirement still meets it after smoothing.

Taking from the largest surplus is lowering the sum of squared surpluses the most, so
every move lowers (total under-staffing, sum of squared surpluses) and smoothing comes
to an end; MAX_PASSES only bounds the time it may take.
"""

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from hotline.staffing.shift_templates import MINUTES_PER_WEEK, AgentShift, coverage

MAX_PASSES = 10
# Surpluses are sums of floats; a move must win by more than rounding noise, or two
# equally good places could trade a break back and forth.
TOLERANCE = 1e-9


def smooth_breaks(
    agent_shifts: Sequence[AgentShift], requirement: NDArray[np.float64], interval: int
) -> list[AgentShift]:
    """The same shifts with breaks moved, within their windows, to where surplus is largest."""
    agents = coverage(agent_shifts, interval)
    break_starts = [list(agent_shift.break_starts) for agent_shift in agent_shifts]
    for _ in range(MAX_PASSES):
        moved = False
        for agent_shift, starts in zip(agent_shifts, break_starts, strict=True):
            for index in range(len(starts)):
                moved |= _move_break(agent_shift, index, starts, agents, requirement, interval)
        if not moved:
            break
    return [
        AgentShift(agent_shift.shift, tuple(starts))
        for agent_shift, starts in zip(agent_shifts, break_starts, strict=True)
    ]


def _move_break(
    agent_shift: AgentShift,
    index: int,
    starts: list[int],
    agents: NDArray[np.int64],
    requirement: NDArray[np.float64],
    interval: int,
) -> bool:
    """Put break `index` at its best place, updating `starts` and `agents`; True if it moved."""
    shift_break = agent_shift.shift.template.breaks[index]
    window_start = agent_shift.shift.start + shift_break.earliest
    places = (shift_break.latest - shift_break.earliest) // interval + 1
    if places == 1:
        return False
    candidates = (
        window_start // interval
        + np.arange(places)[:, np.newaxis]
        + np.arange(shift_break.length // interval)[np.newaxis, :]
    ) % (MINUTES_PER_WEEK // interval)
    current = (starts[index] - window_start) // interval
    agents[candidates[current]] += 1
    best = _best_place(agents[candidates] - requirement[candidates], current)
    agents[candidates[best]] -= 1
    starts[index] = window_start + best * interval
    return best != current


def _best_place(surplus: NDArray[np.float64], current: int) -> int:
    """The row of `surplus` (one per place, surplus without the break) to put the break in."""
    added_under = np.clip(1 - surplus, 0, 1).sum(axis=1)
    spare = surplus.sum(axis=1)
    best = int(np.lexsort((-spare, added_under))[0])
    less_under = added_under[best] < added_under[current] - TOLERANCE
    as_little_under = added_under[best] <= added_under[current] + TOLERANCE
    more_spare = spare[best] > spare[current] + TOLERANCE
    return best if less_under or (as_little_under and more_spare) else current
