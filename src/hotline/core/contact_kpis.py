"""Contact-centre KPIs (话务指标): the registry of named definitions, and the reports
computed with them over columns of records.

Each KPI is a registered `KpiDefinition` (kpi_facts; the built-in ones are in
kpi_definitions) that turns the records of every report row (one period × one queue,
skill group, team or agent) of the tables (contact_tables) into one figure per row,
with NumPy over whole columns. docs/kpis.md defines every figure: its formula, the
records it counts and those it leaves out, its variants and its edge cases.

The rules every definition keeps:
- a call counts in the period in which it entered the queue, whenever it ended;
- a ratio whose denominator is 0 has no value (None, never 0), and lies in [0, 1];
- a figure whose records were not given (no agent states, no surveys …) is None;
- agent-state figures need agents, so grouped by queue, or for a group key with no
  state interval at all, they are None.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import overload

import numpy as np

from hotline.core import call_cells
from hotline.core.call_cells import CallCells
from hotline.core.contact_tables import (
    BoolArray,
    CallTable,
    FloatArray,
    Grouping,
    KpiExtras,
    OrderTable,
    Outages,
    StaffCost,
    StateTable,
    SurveyTable,
)
from hotline.core.kpi_definitions import BUILT_IN
from hotline.core.kpi_facts import Facts, KpiDefinition, KpiInput, KpiSettings, MissingMeasure
from hotline.core.kpi_periods import (
    Column,
    IntArray,
    Period,
    assign_rows,
    clock_for,
    codes,
    ids_by_row,
    labels,
    parse_label,
    shared_keys,
)

# ---------------------------------------------------------------- the registry


KPIS: dict[str, KpiDefinition] = {}


def register(definition: KpiDefinition) -> KpiDefinition:
    """Add a KPI to the registry; its name must be new."""
    if definition.name in KPIS:
        raise ValueError(f"a KPI named {definition.name!r} is registered already")
    KPIS[definition.name] = definition
    return definition


def kpi_names() -> list[str]:
    """Every registered KPI's name, in the order registered."""
    return list(KPIS)


def definition_of(column: str) -> KpiDefinition:
    """The definition that makes a column: a KPI's name, or one of a family's columns."""
    if column in KPIS:
        return KPIS[column]
    for definition in KPIS.values():
        if definition.makes(column):
            return definition
    raise ValueError(f"no KPI makes a column {column!r}")


for _built_in in BUILT_IN:
    register(_built_in)


def chosen_variants(settings: KpiSettings) -> dict[str, str]:
    """The variant of every registered KPI that has variants: the one the settings
    choose, else its first. ValueError for a variant chosen for no KPI, or one the KPI
    does not have."""
    for name, variant in settings.variants.items():
        if name not in KPIS:
            raise ValueError(f"a variant is chosen for {name!r}, which is no KPI")
        if variant not in KPIS[name].variants:
            choices = ", ".join(KPIS[name].variants) or "none"
            raise ValueError(f"{name} has no variant {variant!r} (it has: {choices})")
    return {
        name: settings.variants.get(name, definition.variants[0])
        for name, definition in KPIS.items()
        if definition.variants
    }


# ---------------------------------------------------------------- computing a report


@dataclass(frozen=True, eq=False)
class _Report:
    """What the rows of one report share: every figure in one matrix, the labels and the
    call ids."""

    columns: tuple[str, ...]
    whole: tuple[bool, ...]  # counts, given as int
    figures: FloatArray  # rows × columns, NaN for None
    by: Period
    period_codes: IntArray  # the distinct periods, and each row's among them
    row_period: IntArray
    keys: tuple[str, ...]  # the group keys, and each row's among them
    row_key: IntArray
    ids: IntArray | None  # the call ids sorted by row, then id (None from summaries)
    starts: IntArray  # where each row's ids start

    @cached_property
    def periods(self) -> list[str]:
        """The distinct periods' labels, made when a row's period is first asked for."""
        return labels(self.period_codes, self.by)


class KpiRow:
    """One period of one group: its figures by column name (None where there is none) and
    the ids of its calls, ascending. A row reads its report's shared arrays when asked, so
    a report of many rows costs little until its rows are looked at."""

    __slots__ = ("_report", "_index", "_values")

    def __init__(self, report: _Report, index: int) -> None:
        self._report, self._index = report, index
        self._values: dict[str, float | None] | None = None

    @property
    def period(self) -> str:
        return self._report.periods[int(self._report.row_period[self._index])]

    @property
    def group_key(self) -> str:
        return self._report.keys[int(self._report.row_key[self._index])]

    @property
    def values(self) -> dict[str, float | None]:
        if self._values is None:
            report = self._report
            self._values = {
                name: None if math.isnan(value) else int(value) if whole else value
                for name, whole, value in zip(
                    report.columns, report.whole, report.figures[self._index].tolist(), strict=True
                )
            }
        return self._values

    @property
    def call_ids(self) -> IntArray:
        """The ids of the row's calls; ValueError for a report computed from summaries,
        which hold none (records_behind finds them)."""
        if self._report.ids is None:
            raise ValueError("a report computed from summaries holds no call ids")
        starts = self._report.starts
        return self._report.ids[starts[self._index] : starts[self._index + 1]]

    def __repr__(self) -> str:
        return f"KpiRow({self.period!r}, {self.group_key!r}, {self.values!r})"


class KpiRows(Sequence[KpiRow]):
    """A report's rows, each made when it is looked at: a year of 30-minute rows is two
    hundred thousand of them, and the figures are already in one matrix."""

    __slots__ = ("_report", "_count")

    def __init__(self, report: _Report, count: int) -> None:
        self._report, self._count = report, count

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> KpiRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[KpiRow]: ...

    def __getitem__(self, index: int | slice) -> KpiRow | list[KpiRow]:
        if isinstance(index, slice):
            return [KpiRow(self._report, n) for n in range(*index.indices(self._count))]
        if not -self._count <= index < self._count:
            raise IndexError("report row out of range")
        return KpiRow(self._report, index % self._count)

    def __repr__(self) -> str:
        return f"KpiRows({self._count} rows)"


def compute(
    table: CallTable,
    states: StateTable | None = None,
    extras: KpiExtras | None = None,
    *,
    by: Period | str,
    group: Grouping | str,
    kpis: Sequence[str] | None = None,
    settings: KpiSettings,
    counted_until: int | None = None,
) -> KpiRows:
    """The KPIs (every registered one unless named) per period and group, sorted by both.

    A row exists for each period and group key holding a call, a logged-in state
    interval, an order or a survey. With `counted_until` (epoch seconds), only the calls
    entering before it are reported; the later ones decide first-contact resolution and
    repeat contacts (Facts.entering_before). ValueError for an unknown KPI, or a variant
    that `chosen_variants` refuses.
    """
    period, grouping = Period(by), Grouping(group)
    definitions = _definitions(kpis)
    facts = _facts(table, states, extras, settings, counted_until)
    rows = _rows(facts, period, grouping, chosen_variants(settings))
    return _report(rows, definitions, period, facts.calls.ids)


def compute_from_cells(
    cells: CallCells,
    states: StateTable | None = None,
    extras: KpiExtras | None = None,
    *,
    by: Period | str,
    group: Grouping | str,
    kpis: Sequence[str] | None = None,
    settings: KpiSettings,
) -> KpiRows:
    """As `compute`, from the calls' 15-minute summaries (call_cells) instead of the calls:
    the same rows and figures, without call ids. MissingMeasure when a KPI asked for is
    made of the calls themselves (distinct callers, a mask of its own) or the grouping is
    by team or agent, which the summaries do not keep."""
    period, grouping = Period(by), Grouping(group)
    definitions = _definitions(kpis)
    no_calls = CallTable.from_columns(entered_at=[], queue=[], outcome=[], wait_s=[])
    facts = Facts(no_calls, states, extras or KpiExtras(), settings)
    rows = _rows(facts, period, grouping, chosen_variants(settings), cells)
    return _report(rows, definitions, period, None)


# What computable_from_cells found, by KPIs asked for, summary settings and registry.
_FROM_CELLS: dict[tuple[object, ...], bool] = {}


def computable_from_cells(kpis: Sequence[str] | None, settings: KpiSettings) -> bool:
    """Whether every KPI named (every registered one when None) comes out of summaries:
    each is computed on no records, with every input present so that none is skipped."""
    key = (
        None if kpis is None else tuple(kpis),
        call_cells.settings_key(settings),
        tuple(KPIS.values()),
    )
    if key not in _FROM_CELLS:
        _FROM_CELLS[key] = _computes_from_cells(kpis, settings)
    return _FROM_CELLS[key]


def _computes_from_cells(kpis: Sequence[str] | None, settings: KpiSettings) -> bool:
    every_input = KpiExtras(
        orders=OrderTable.from_columns(created_at=[], resolved_first=[], complaint=[]),
        surveys=SurveyTable.from_columns(contact_at=[], score=[]),
        outages=Outages.of([]),
        staff_cost=StaffCost(per_hour=0.0),
    )
    no_states = StateTable.from_columns(agent=[], state=[], started_at=[], ended_at=[])
    try:
        compute_from_cells(
            call_cells.empty(settings),
            no_states,
            every_input,
            by=Period.DAY,
            group=Grouping.SKILL_GROUP,
            kpis=kpis,
            settings=settings,
        )
    except MissingMeasure:
        return False
    return True


def _definitions(kpis: Sequence[str] | None) -> list[KpiDefinition]:
    unknown = [name for name in kpis or () if name not in KPIS]
    if unknown:
        raise ValueError(f"unknown KPIs: {', '.join(unknown)}")
    return [KPIS[name] for name in (kpis or KPIS)]


def _report(
    rows: tuple[KpiInput, IntArray, IntArray, tuple[str, ...]],
    definitions: Sequence[KpiDefinition],
    period: Period,
    call_ids: IntArray | None,
) -> KpiRows:
    k, row_codes, row_keys, key_names = rows
    facts = k.facts
    have = {"calls"} | {
        name
        for name, present in [
            ("states", k.piece_row is not None),
            ("orders", k.order_row is not None),
            ("surveys", k.survey_row is not None),
            ("outages", facts.extras.outages is not None),
            ("staff_cost", facts.extras.staff_cost is not None),
        ]
        if present
    }
    columns: dict[str, FloatArray] = {}
    whole: list[bool] = []
    for definition in definitions:
        made = definition.compute(k) if definition.needs <= have else {}
        for name in definition.column_names(facts):
            columns[name] = made.get(name, np.full(k.rows, np.nan))
            whole.append(definition.unit == "count")
    # The rows come sorted by period: each new code starts the next distinct period.
    new_period = np.ones(len(row_codes), dtype=np.bool_)
    new_period[1:] = row_codes[1:] != row_codes[:-1]
    distinct, row_period = row_codes[new_period], np.cumsum(new_period) - 1
    ids, starts = (
        ids_by_row(k.call_row, call_ids, k.rows)
        if call_ids is not None
        else (None, np.zeros(k.rows + 1, dtype=np.int64))
    )
    report = _Report(
        columns=tuple(columns),
        whole=tuple(whole),
        figures=np.column_stack([*columns.values(), np.zeros(k.rows)])[:, :-1],
        by=period,
        period_codes=distinct,
        row_period=row_period,
        keys=key_names,
        row_key=row_keys,
        ids=ids,
        starts=starts,
    )
    return KpiRows(report, k.rows)


def _facts(
    table: CallTable,
    states: StateTable | None,
    extras: KpiExtras | None,
    settings: KpiSettings,
    counted_until: int | None,
) -> Facts:
    if counted_until is None:
        return Facts(table, states, extras or KpiExtras(), settings)
    return Facts.entering_before(table, counted_until, states, extras or KpiExtras(), settings)


def _rows(
    facts: Facts,
    by: Period,
    group: Grouping,
    variants: dict[str, str],
    cells: CallCells | None = None,
) -> tuple[KpiInput, IntArray, IntArray, tuple[str, ...]]:
    """Each record's report row (each cell's instead of each call's, when given), and each
    row's period code and key."""
    calls, states, extras = facts.calls, facts.states, facts.extras
    tables: list[tuple[str, IntArray, Column]] = []
    if cells is None:
        tables.append(("calls", calls.entered_at, calls.keys(group)))
    if extras.orders is not None:
        tables.append(("orders", extras.orders.created_at, extras.orders.keys(group)))
    if extras.surveys is not None:
        tables.append(("surveys", extras.surveys.contact_at, extras.surveys.keys(group)))
    instants = [instant for _, instant, _ in tables]
    if states is not None:
        instants += [states.started_at, states.ended_at]
    if cells is not None:  # local times, near enough for a clock that spans years
        instants.append(cells.slot * call_cells.CELL_S)
    clock = clock_for(facts.settings.time_zone, instants)
    period_codes = [codes(clock.to_local(instant), by) for _, instant, _ in tables]
    keys = [column for _, _, column in tables]
    if cells is not None:
        tables.insert(0, ("calls", cells.slot, cells.keys(group)))
        period_codes.insert(0, codes(cells.slot * call_cells.CELL_S, by))
        keys.insert(0, cells.keys(group))
    pieces = None
    if states is not None and group is not Grouping.QUEUE:
        logged_in = np.flatnonzero(facts.logged_in).astype(np.int64)
        owner, piece_code, seconds = clock.split(
            states.started_at[logged_in], states.ended_at[logged_in], by
        )
        pieces = (logged_in[owner], seconds.astype(np.float64))
        period_codes.append(piece_code)
        keys.append(states.keys(group).take(pieces[0]))
    key_names, recoded = shared_keys(keys)
    row_codes, row_keys, rows = assign_rows(period_codes, recoded, max(len(key_names), 1))
    row_of = dict(zip([name for name, _, _ in tables], rows, strict=False))
    row_start, row_end = clock.bounds(row_codes, by)
    has_states = None
    if states is not None and pieces is not None:
        has_states = _held(states.keys(group), key_names)[row_keys]
    k = KpiInput(
        facts=facts,
        rows=len(row_codes),
        call_row=row_of["calls"],
        piece_owner=None if pieces is None else pieces[0],
        piece_row=None if pieces is None else rows[-1],
        piece_seconds=None if pieces is None else pieces[1],
        has_states=has_states,
        order_row=row_of.get("orders"),
        survey_row=row_of.get("surveys"),
        row_start=row_start,
        row_end=row_end,
        variants=variants,
        cells=cells,
    )
    return k, row_codes, row_keys, key_names


def _held(column: Column, names: tuple[str, ...]) -> BoolArray:
    """Which of the names some record of the column holds (a column may name values that
    none of its records hold)."""
    held = {column.names[code] for code in np.unique(column.codes).tolist()}
    return np.array([name in held for name in names], dtype=np.bool_)


def records_behind(
    table: CallTable,
    column: str,
    *,
    by: Period | str,
    group: Grouping | str,
    period: str,
    group_key: str,
    settings: KpiSettings,
    states: StateTable | None = None,
    extras: KpiExtras | None = None,
    counted_until: int | None = None,
) -> IntArray:
    """The ids of the records behind one cell, ascending: of the table named by the KPI's
    `records` (calls, states, orders or surveys); `counted_until` as for `compute`.
    ValueError for a figure made of no records, when the table it needs is absent, or for
    a variant that `chosen_variants` refuses.
    """
    definition, by, group = definition_of(column), Period(by), Grouping(group)
    chosen_variants(settings)
    facts = _facts(table, states, extras, settings, counted_until)
    source: CallTable | StateTable | OrderTable | SurveyTable | None = {
        "calls": facts.calls,
        "states": None if group is Grouping.QUEUE else states,
        "orders": facts.extras.orders,
        "surveys": facts.extras.surveys,
    }.get(definition.records or "")
    if definition.behind is None or source is None:
        raise ValueError(f"no {definition.records or 'records'} behind {column} by {group}")
    code, keys = parse_label(period, by), source.keys(group)
    in_cell = keys.codes == keys.code_of(group_key)
    if isinstance(source, StateTable):
        clock = clock_for(settings.time_zone, [source.started_at, source.ended_at])
        owner, piece_code, _ = clock.split(source.started_at, source.ended_at, by)
        in_period = np.zeros(len(source), dtype=np.bool_)
        in_period[owner[piece_code == code]] = True
    else:
        instant = {CallTable: "entered_at", OrderTable: "created_at", SurveyTable: "contact_at"}
        at: IntArray = getattr(source, instant[type(source)])
        in_period = codes(clock_for(settings.time_zone, [at]).to_local(at), by) == code
    return np.sort(source.ids[definition.behind(facts, column) & in_cell & in_period])
