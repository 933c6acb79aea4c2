"""The integer program of shift scheduling: set covering with explicit break variables.

After Aykin (1996): `x[s]` agents work shift `s`, and for each break of `s` whose window
allows more than one start, `w[s, b, p]` of them take break `b` at place `p`, the
`w[s, b, ·]` summing to `x[s]`. A template's break windows cannot overlap, so any mix of
the per-break places can be handed out to individual agents: the coverage the model
counts is coverage that agents really give. Breaks with a single possible start are
folded into the shift.

`cover_model` builds the columns of every shift of the week once; `problem_over` turns
some of them into one solve, given a requirement, a pricing and what is already worked.
"""

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import (  # type: ignore[import-untyped]
    coo_array,
    csr_array,
    eye_array,
    hstack,
    vstack,
)

from hotline.staffing.shift_templates import DAYS_PER_WEEK, MINUTES_PER_WEEK, Shift


@dataclass(frozen=True)
class FlexibleBreak:
    """The columns `first_column`… of `w[shift, break_index, ·]`, one per place."""

    shift: int
    break_index: int
    first_column: int
    places: int


@dataclass(frozen=True)
class CoverModel:
    """The columns of every shift of the week: x, one per shift, then the w columns."""

    shifts: list[Shift]
    flexible_breaks: list[FlexibleBreak]
    covering: csr_array
    linking: csr_array
    daily: csr_array
    cost: NDArray[np.float64]

    @property
    def columns(self) -> int:
        return int(self.covering.shape[1])

    def columns_of(self, kept_shifts: NDArray[np.bool_]) -> NDArray[np.int64]:
        """The x and w columns of the kept shifts."""
        kept = np.zeros(self.columns, dtype=bool)
        kept[: len(self.shifts)] = kept_shifts
        for flexible in self.flexible_breaks:
            if kept_shifts[flexible.shift]:
                kept[flexible.first_column : flexible.first_column + flexible.places] = True
        return np.flatnonzero(kept)


@dataclass(frozen=True)
class Pricing:
    """What the objective counts: shift costs, and agent-intervals under and over the
    requirement at these prices; None means they are not allowed."""

    shifts: bool
    under: float | None
    over: float | None


@dataclass(frozen=True)
class Problem:
    """One solve: `lower <= rows @ v <= upper`, `v >= 0`, minimize `cost @ v`."""

    cost: NDArray[np.float64]
    rows: csr_array
    lower: NDArray[np.float64]
    upper: NDArray[np.float64]
    integrality: NDArray[np.int64]

    def at_most(self, most: float) -> "Problem":
        """The same problem with the objective kept to `most` or less (none if infinite)."""
        if not np.isfinite(most):
            return self
        return Problem(
            cost=self.cost,
            rows=vstack([self.rows, csr_array(self.cost[np.newaxis, :])], format="csr"),
            lower=np.append(self.lower, -np.inf),
            upper=np.append(self.upper, most),
            integrality=self.integrality,
        )


def cover_model(shifts: list[Shift], interval: int) -> CoverModel:
    """The x and w columns of every shift: coverage, linking and daily-start rows."""
    covering, flexible_breaks = _covering(shifts, interval)
    columns = covering.shape[1]
    return CoverModel(
        shifts=shifts,
        flexible_breaks=flexible_breaks,
        covering=covering,
        linking=_linking(flexible_breaks, columns),
        daily=_daily(shifts, columns),
        cost=np.concatenate(
            [[shift.template.shift_cost for shift in shifts], np.zeros(columns - len(shifts))]
        ),
    )


def _covering(shifts: list[Shift], interval: int) -> tuple[csr_array, list[FlexibleBreak]]:
    """Agents working each interval per unit of each x and w column, and the w columns."""
    rows: list[NDArray[np.int64]] = []
    columns: list[NDArray[np.int64]] = []
    values: list[NDArray[np.float64]] = []
    flexible_breaks: list[FlexibleBreak] = []
    next_column = len(shifts)
    for index, shift in enumerate(shifts):
        spanned = shift.intervals(interval)
        working = np.ones(len(spanned), dtype=bool)
        for break_index, shift_break in enumerate(shift.template.breaks):
            first = shift_break.earliest // interval
            length = shift_break.length // interval
            places = (shift_break.latest - shift_break.earliest) // interval + 1
            if places == 1:
                working[first : first + length] = False
                continue
            offsets = first + np.arange(places)[:, np.newaxis] + np.arange(length)[np.newaxis, :]
            rows.append(spanned[offsets.ravel()])
            columns.append(np.repeat(next_column + np.arange(places), length))
            values.append(np.full(places * length, -1.0))
            flexible_breaks.append(FlexibleBreak(index, break_index, next_column, places))
            next_column += places
        rows.append(spanned[working])
        columns.append(np.full(int(working.sum()), index))
        values.append(np.ones(int(working.sum())))
    shape = (MINUTES_PER_WEEK // interval, next_column)
    return _sparse(values, rows, columns, shape), flexible_breaks


def _linking(flexible_breaks: list[FlexibleBreak], columns: int) -> csr_array:
    """Rows Σ_p w[s, b, p] − x[s], to be 0: each agent on a shift takes each break once."""
    rows: list[NDArray[np.int64]] = []
    linked: list[NDArray[np.int64]] = []
    values: list[NDArray[np.float64]] = []
    for row, flexible in enumerate(flexible_breaks):
        rows.append(np.full(flexible.places + 1, row))
        places = flexible.first_column + np.arange(flexible.places)
        linked.append(np.append(places, flexible.shift))
        values.append(np.append(np.ones(flexible.places), -1.0))
    return _sparse(values, rows, linked, (len(flexible_breaks), columns))


def _daily(shifts: list[Shift], columns: int) -> csr_array:
    """Rows counting the shifts that start on each day of the week."""
    days = np.array([shift.day for shift in shifts], dtype=np.int64)
    starts = np.arange(len(shifts))
    return _sparse([np.ones(len(shifts))], [days], [starts], (DAYS_PER_WEEK, columns))


def _sparse(
    values: list[NDArray[np.float64]],
    rows: list[NDArray[np.int64]],
    columns: list[NDArray[np.int64]],
    shape: tuple[int, int],
) -> csr_array:
    """A sparse matrix from lists of (value, row, column) pieces, which may be empty."""
    entries = (
        np.concatenate([np.empty(0), *values]),
        (
            np.concatenate([np.empty(0, dtype=np.int64), *rows]),
            np.concatenate([np.empty(0, dtype=np.int64), *columns]),
        ),
    )
    return coo_array(entries, shape=shape).tocsr()


def problem_over(
    model: CoverModel,
    kept: NDArray[np.int64],
    target: NDArray[np.float64],
    pricing: Pricing,
    max_agents_per_day: int | None,
    worked: NDArray[np.float64] | None = None,
    whole_breaks: bool = False,
) -> Problem:
    """The model over the `kept` columns, with `worked` (by column) already scheduled.

    Columns are the kept x and w columns, then the under and over slacks that `pricing`
    allows, one per interval each.
    """
    done = np.zeros(model.columns) if worked is None else worked
    intervals = len(target)
    blocks = [model.covering[:, kept]]
    cost = [model.cost[kept] if pricing.shifts else np.zeros(len(kept))]
    for price, sign in ((pricing.under, 1.0), (pricing.over, -1.0)):
        if price is not None:
            blocks.append(sign * eye_array(intervals, format="csr"))
            cost.append(np.full(intervals, price))
    covered = hstack(blocks, format="csr")
    slacks = covered.shape[1] - len(kept)
    other_rows = vstack([model.linking[:, kept], model.daily[:, kept]], format="csr")
    rows = vstack(
        [covered, hstack([other_rows, csr_array((other_rows.shape[0], slacks))])], format="csr"
    )
    cover_lower = target - model.covering @ done
    cover_upper = cover_lower if pricing.over is not None else np.full(intervals, np.inf)
    link = -(model.linking @ done)
    cap = np.inf if max_agents_per_day is None else max_agents_per_day
    integrality = np.zeros(rows.shape[1], dtype=np.int64)
    integrality[: len(kept)] = (kept < len(model.shifts)) | whole_breaks
    return Problem(
        cost=np.concatenate(cost),
        rows=rows,
        lower=np.concatenate([cover_lower, link, np.full(DAYS_PER_WEEK, -np.inf)]),
        upper=np.concatenate([cover_upper, link, cap - model.daily @ done]),
        integrality=integrality,
    )
