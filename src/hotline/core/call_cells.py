"""Calls summed per 15-minute interval and queue (话务汇总): the counts, totals and
longest waits that the call KPIs are made of, so that a long range is read as cells
rather than as every call again.

A cell holds the calls of one queue that entered it in one 15-minute interval on the
local clock: how many are in each named call set (kpi_facts.CALL_SETS, and within:T and
after:T for each threshold the settings report), the totals of each call value over the
answered calls and of the wait over the abandoned ones, and the longest wait of the
offered calls. Every report period is a run of whole 15-minute intervals, so a figure
made of counts, sums and maxima comes out of the cells as it comes out of the calls
(contact_kpis.compute_from_cells). A cell's calls are counted with the facts of every
call around them: whether a call was resolved at first contact depends on the calls of
the FCR window after it, which the summarised table must hold.
"""

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from hotline.core.contact_tables import FloatArray, Grouping
from hotline.core.kpi_facts import (
    CALL_SETS,
    CALL_VALUES,
    Facts,
    KpiSettings,
    MissingMeasure,
    after,
    within,
)
from hotline.core.kpi_periods import Column, IntArray, Period, clock_for, codes

CELL_S = 900
CELLS_PER_DAY = 86_400 // CELL_S
_FORMAT = 1  # bumped when the stored layout changes, so older summaries are rebuilt


def thresholds(settings: KpiSettings) -> tuple[float, ...]:
    return tuple(sorted({settings.service_level_s, *settings.reported_thresholds_s}))


# Not repeat contacts: a run of them reaches days before and after a summary's calls,
# which the summary of one day cannot see (repeat callers are counted from the calls).
SUMMED_SETS = tuple(name for name in CALL_SETS if name != "repeat_contact")


def counted_sets(settings: KpiSettings) -> tuple[str, ...]:
    """The call sets a cell counts under these settings."""
    limits = thresholds(settings)
    return (*SUMMED_SETS, *map(within, limits), *map(after, limits))


TOTALS = (*((value, "answered") for value in CALL_VALUES), ("wait_s", "abandoned"))
LONGEST = (("wait_s", "counted"),)


def settings_key(settings: KpiSettings) -> str:
    """What a stored summary depends on besides the calls: a summary made under another
    key is out of date. Variants and the repeat-caller rule are not in it: the cells hold
    what every variant needs, and repeat callers are counted from the calls."""
    return json.dumps(
        [
            _FORMAT,
            thresholds(settings),
            settings.short_abandon_s,
            settings.fcr_window_s,
            settings.time_zone,
        ]
    )


@dataclass(frozen=True, eq=False)
class CallCells:
    """Cells in any order: `slot` is each one's interval15 code on the local clock;
    `counts` / `totals` / `longest_of` hold one row per entry of `count_names` / TOTALS /
    LONGEST and one column per cell (longest is NaN in a cell without an offered call),
    so that each measure lies contiguous."""

    slot: IntArray
    queue: Column
    skill_group: Column
    count_names: tuple[str, ...]
    counts: NDArray[np.integer[Any]]
    totals: NDArray[np.floating[Any]]
    longest_of: NDArray[np.floating[Any]]

    def __len__(self) -> int:
        return len(self.slot)

    def keys(self, group: Grouping) -> Column:
        if group is Grouping.QUEUE:
            return self.queue
        if group is Grouping.SKILL_GROUP:
            return self.skill_group
        raise MissingMeasure(f"summaries are kept by queue, not by {group}")

    def count(self, call_set: str) -> FloatArray:
        if call_set not in self.count_names:
            raise MissingMeasure(f"summaries do not count {call_set!r}")
        row: NDArray[Any] = self.counts[self.count_names.index(call_set)]
        return row.astype(np.float64)

    def total(self, value: str, call_set: str) -> FloatArray:
        if (value, call_set) not in TOTALS:
            raise MissingMeasure(f"summaries do not total {value} over {call_set}")
        row: NDArray[Any] = self.totals[TOTALS.index((value, call_set))]
        return row.astype(np.float64, copy=False)

    def longest(self, value: str, call_set: str) -> FloatArray:
        if (value, call_set) not in LONGEST:
            raise MissingMeasure(f"summaries keep no longest {value} of {call_set}")
        row: NDArray[Any] = self.longest_of[LONGEST.index((value, call_set))]
        return row.astype(np.float64, copy=False)

    def with_skill_groups(self, skill_group_of: Mapping[str, str]) -> "CallCells":
        """The cells with each queue's skill group ("" for a queue in none)."""
        per_queue = Column.of([skill_group_of.get(queue, "") for queue in self.queue.names])
        return replace(self, skill_group=Column(per_queue.codes[self.queue.codes], per_queue.names))

    def days(self) -> Iterator[tuple[int, "CallCells"]]:
        """The cells of each local day (days since 1970 on the local clock), in order."""
        day = self.slot // CELLS_PER_DAY
        order = np.argsort(day, kind="stable")
        bounds = np.flatnonzero(np.diff(day[order])) + 1
        for part in np.split(order, bounds) if len(order) else []:
            yield int(day[part[0]]), self.take(part)

    def take(self, index: IntArray) -> "CallCells":
        return CallCells(
            self.slot[index],
            self.queue.take(index),
            self.skill_group.take(index),
            self.count_names,
            self.counts[:, index],
            self.totals[:, index],
            self.longest_of[:, index],
        )


def empty(settings: KpiSettings) -> CallCells:
    names = counted_sets(settings)
    return CallCells(
        slot=np.zeros(0, dtype=np.int64),
        queue=Column.blank(0),
        skill_group=Column.blank(0),
        count_names=names,
        counts=np.zeros((len(names), 0), dtype=np.int64),
        totals=np.zeros((len(TOTALS), 0)),
        longest_of=np.zeros((len(LONGEST), 0)),
    )


def summarise(facts: Facts) -> CallCells:
    """The cells of the facts' calls, by queue (the skill group left blank)."""
    calls, settings = facts.calls, facts.settings
    if not len(calls):
        return empty(settings)
    clock = clock_for(settings.time_zone, [calls.entered_at])
    slot = codes(clock.to_local(calls.entered_at), Period.INTERVAL15)
    queues = max(len(calls.queue.names), 1)
    cell_keys, cell_of = np.unique(slot * queues + calls.queue.codes, return_inverse=True)
    cell_of = cell_of.reshape(-1)
    size = len(cell_keys)
    names = counted_sets(settings)
    counts = np.vstack(
        [np.bincount(cell_of[facts.call_set(name)], minlength=size) for name in names]
    ).astype(np.int64)
    totals = np.vstack(
        [_totals(facts, cell_of, size, value, call_set) for value, call_set in TOTALS]
    )
    longest = np.full((len(LONGEST), size), -np.inf)
    for row, (value, call_set) in enumerate(LONGEST):
        mask = facts.call_set(call_set)
        np.maximum.at(longest[row], cell_of[mask], facts.call_values(value)[mask])
    longest[np.isneginf(longest)] = np.nan
    queue_names = calls.queue.names if calls.queue.names else ("",)
    return CallCells(
        slot=cell_keys // queues,
        queue=Column(cell_keys % queues, tuple(queue_names)),
        skill_group=Column.blank(size),
        count_names=names,
        counts=counts,
        totals=totals,
        longest_of=longest,
    )


def _totals(facts: Facts, cell_of: IntArray, size: int, value: str, call_set: str) -> FloatArray:
    """The named value summed over the calls of the set, per cell."""
    mask = facts.call_set(call_set)
    summed = np.bincount(cell_of[mask], weights=facts.call_values(value)[mask], minlength=size)
    return summed.astype(np.float64, copy=False)


def concat(parts: Sequence[CallCells], settings: KpiSettings) -> CallCells:
    """The cells of all the parts, their queues merged; every part is counted under
    `settings` (its `count_names` must be `counted_sets(settings)`)."""
    names = counted_sets(settings)
    kept = [part for part in parts if len(part)]
    if any(part.count_names != names for part in kept):
        raise ValueError("cells counted under other settings cannot be merged")
    if len(kept) < 2:
        return kept[0] if kept else empty(settings)
    return CallCells(
        slot=np.concatenate([part.slot for part in kept]),
        queue=_merged_queues(
            [part.queue.names for part in kept], [part.queue.codes for part in kept]
        ),
        skill_group=Column.blank(sum(len(part) for part in kept)),
        count_names=names,
        counts=np.concatenate([part.counts for part in kept], axis=1),
        totals=np.concatenate([part.totals for part in kept], axis=1),
        longest_of=np.concatenate([part.longest_of for part in kept], axis=1),
    )


def _merged_queues(names: Sequence[tuple[str, ...]], codes_of: Sequence[NDArray[Any]]) -> Column:
    """One queue column of several parts, each coded into its own names."""
    every = sorted(set().union(*names))
    position = {queue: code for code, queue in enumerate(every)}
    recoded = [
        np.array([position[name] for name in part_names], dtype=np.int64)[part_codes]
        for part_names, part_codes in zip(names, codes_of, strict=True)
    ]
    return Column(np.concatenate(recoded), tuple(every))


def _narrowest_int(values: NDArray[Any]) -> str:
    top = int(values.max()) if values.size else 0
    return "<u1" if top < 2**8 else "<u2" if top < 2**16 else "<i4"


def _narrowest_float(values: NDArray[Any]) -> str:
    """float32 when it holds every value exactly (whole seconds below 2**24, as telephony
    systems write them), else float64."""
    known = values[~np.isnan(values)]
    exact = np.all(known == np.round(known)) and np.all(np.abs(known) < 2**24)
    return "<f4" if exact else "<f8"


def to_bytes(cells: CallCells) -> bytes:
    """The cells as stored: a JSON header (its length first, 4 bytes), then the columns,
    each in the narrowest type that holds its values exactly (a day's summary is read
    whole by every report that covers it)."""
    first_slot = int(cells.slot.min()) if len(cells) else 0
    columns = {
        "slot": cells.slot - first_slot,
        "queue": cells.queue.codes,
        "counts": cells.counts,
        "totals": cells.totals,
        "longest": cells.longest_of,
    }
    types = {
        name: _narrowest_float(values) if values.dtype.kind == "f" else _narrowest_int(values)
        for name, values in columns.items()
    }
    header = json.dumps(
        {
            "queues": cells.queue.names,
            "counts": cells.count_names,
            "cells": len(cells),
            "first_slot": first_slot,
            "types": types,
        }
    ).encode()
    return b"".join(
        [
            len(header).to_bytes(4, "little"),
            header,
            *(values.astype(types[name]).tobytes() for name, values in columns.items()),
        ]
    )


def from_bytes(stored: Sequence[bytes | memoryview], settings: KpiSettings) -> CallCells:
    """The cells of summaries as `to_bytes` stored them, merged (as `concat` would, without
    making the cells of each first: a year is 365 of them)."""
    names = counted_sets(settings)
    widths = {"slot": 1, "queue": 1, "counts": len(names), "totals": len(TOTALS)}
    widths["longest"] = len(LONGEST)
    parts: dict[str, list[NDArray[Any]]] = {name: [] for name in widths}
    queues: list[tuple[str, ...]] = []
    for data in stored:
        length = int.from_bytes(data[:4], "little")
        header = json.loads(bytes(data[4 : 4 + length]))
        if tuple(header["counts"]) != names:
            raise ValueError("cells counted under other settings cannot be merged")
        size, offset = header["cells"], 4 + length
        for name, width in widths.items():
            array = np.frombuffer(data, header["types"][name], size * width, offset)
            offset += array.nbytes
            parts[name].append(array if name in ("slot", "queue") else array.reshape(width, size))
        parts["slot"][-1] = parts["slot"][-1].astype(np.int64) + header["first_slot"]
        queues.append(tuple(header["queues"]))
    if not queues:
        return empty(settings)
    slot = np.concatenate(parts["slot"])
    return CallCells(
        slot=slot,
        queue=_merged_queues(queues, parts["queue"]),
        skill_group=Column.blank(len(slot)),
        count_names=names,
        counts=np.concatenate(parts["counts"], axis=1),
        totals=np.concatenate(parts["totals"], axis=1),
        longest_of=np.concatenate(parts["longest"], axis=1),
    )
