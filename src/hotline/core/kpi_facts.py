"""What KPI definitions are made of: the settings, the definition itself, the facts
(masks over the records) and the report rows' input they compute from.

A definition reads `Facts` to choose records and `KpiInput` to sum them per report
row; `ratio` divides two such sums, leaving None (NaN) where the denominator is 0.

The call sets the definitions share have names (`CALL_SETS`, `within:20`, `after:20`),
and so do the call values summed over them (`CALL_VALUES`). A definition that counts and
sums by name (`KpiInput.count`, `mean`, `longest`) is computed alike from the calls and
from their 15-minute summaries (call_cells); one that needs the calls themselves
(`KpiInput.calls` with a mask of its own, `distinct_callers`) raises `MissingMeasure` on
summaries, and the report is computed from the calls instead.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
from numpy.typing import NDArray

from hotline.core.contact_records import AgentState, Outcome
from hotline.core.contact_tables import (
    OUTCOME_CODES,
    STATE_CODES,
    BoolArray,
    CallTable,
    FloatArray,
    KpiExtras,
    OrderTable,
    StateTable,
    SurveyTable,
)
from hotline.core.kpi_periods import IntArray, distinct_pairs_per_row, order_by, pack

if TYPE_CHECKING:
    from hotline.core.call_cells import CallCells

Unit = Literal["count", "ratio", "seconds", "score", "per_10k", "currency"]
Source = Literal["calls", "states", "orders", "surveys", "outages", "staff_cost"]


@dataclass(frozen=True)
class KpiSettings:
    """A centre's choices where standards differ; docs/kpis.md explains each.

    `variants` is checked when figures are asked for (`contact_kpis.chosen_variants`):
    only the registry knows each KPI's variants, and it is built of definitions that
    read these settings, so they cannot look it up.
    """

    service_level_s: float = 20.0  # T: answered within T means wait ≤ T
    reported_thresholds_s: tuple[float, ...] = (15.0, 20.0)
    short_abandon_s: float = 0.0  # abandons with a shorter wait are not offered; 0: none
    fcr_window_s: int = 24 * 3600
    repeat_caller_contacts: int = 4
    repeat_caller_window_s: int = 7 * 24 * 3600
    time_zone: str = "Asia/Shanghai"
    variants: Mapping[str, str] = field(default_factory=dict)  # KPI name → variant

    def __post_init__(self) -> None:
        if self.service_level_s < 0 or any(t < 0 for t in self.reported_thresholds_s):
            raise ValueError("service-level thresholds cannot be negative")
        if self.short_abandon_s < 0:
            raise ValueError("the short-abandon threshold cannot be negative")
        if self.fcr_window_s <= 0 or self.repeat_caller_window_s <= 0:
            raise ValueError("the FCR and repeat-caller windows must be positive")
        if self.repeat_caller_contacts < 2:
            raise ValueError("a repeat caller makes at least 2 contacts")
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {self.time_zone!r}") from None


# ---------------------------------------------------------------- facts per record

# The named call sets: these, and `within:T` (answered with a wait of at most T seconds)
# and `after:T` (abandoned after more than T seconds) for any threshold T.
CALL_SETS = (
    "counted",
    *(str(outcome) for outcome in Outcome),
    "short_abandoned",
    "transferred",
    "known_caller",
    "resolved_first",
    "repeat_contact",
)
CALL_VALUES = ("wait_s", "talk_s", "hold_s", "after_call_work_s", "handle_s")


class MissingMeasure(LookupError):
    """A figure needs what the records at hand do not hold (the calls themselves, when
    only their summaries were read)."""


def within(threshold: float) -> str:
    """The name of the set of calls answered within `threshold` seconds."""
    return f"within:{threshold:g}"


def after(threshold: float) -> str:
    """The name of the set of calls abandoned after more than `threshold` seconds."""
    return f"after:{threshold:g}"


class Facts:
    """Masks over the records that the definitions share, each computed once."""

    def __init__(
        self,
        calls: CallTable,
        states: StateTable | None,
        extras: KpiExtras,
        settings: KpiSettings,
    ) -> None:
        self.calls, self.states, self.extras, self.settings = calls, states, extras, settings
        self._masks: dict[tuple[object, ...], BoolArray] = {}

    @classmethod
    def entering_before(
        cls,
        calls: CallTable,
        until: int,
        states: StateTable | None,
        extras: KpiExtras,
        settings: KpiSettings,
    ) -> "Facts":
        """The facts of the calls entering before `until` (epoch seconds); the later calls
        of the table only tell whether those were resolved at first contact (a repeat may
        come the day after a report's last day) and whether they were repeat contacts."""
        whole = cls(calls, states, extras, settings)
        kept = np.flatnonzero(calls.entered_at < until).astype(np.int64)
        facts = cls(calls.take(kept), states, extras, settings)
        # Filled in as cached_property would: these two look across the whole table.
        facts.__dict__["resolved_first"] = whole.resolved_first[kept]
        facts.__dict__["repeat_contact"] = whole.repeat_contact[kept]
        return facts

    def _once(self, key: tuple[object, ...], make: Callable[[], BoolArray]) -> BoolArray:
        if key not in self._masks:
            self._masks[key] = make()
        return self._masks[key]

    @cached_property
    def short_abandoned(self) -> BoolArray:
        abandoned: BoolArray = self.calls.outcome == OUTCOME_CODES[Outcome.ABANDONED]
        return abandoned & (self.calls.wait_s < self.settings.short_abandon_s)

    @cached_property
    def counted(self) -> BoolArray:
        """The offered calls: all but the short abandons."""
        return ~self.short_abandoned

    def outcome(self, outcome: Outcome) -> BoolArray:
        """The offered calls with this outcome."""
        code = OUTCOME_CODES[outcome]
        return self._once(("outcome", code), lambda: self.counted & (self.calls.outcome == code))

    @property
    def answered(self) -> BoolArray:
        return self.outcome(Outcome.ANSWERED)

    @property
    def abandoned(self) -> BoolArray:
        return self.outcome(Outcome.ABANDONED)

    def answered_within(self, threshold: float) -> BoolArray:
        wait = self.calls.wait_s
        return self._once(("within", threshold), lambda: self.answered & (wait <= threshold))

    def abandoned_after(self, threshold: float) -> BoolArray:
        wait = self.calls.wait_s
        return self._once(("late", threshold), lambda: self.abandoned & (wait > threshold))

    def call_set(self, name: str) -> BoolArray:
        """The calls of a named set (CALL_SETS, within:T, after:T)."""
        kind, _, threshold = name.partition(":")
        if kind == "within" and threshold:
            return self.answered_within(float(threshold))
        if kind == "after" and threshold:
            return self.abandoned_after(float(threshold))
        if name in Outcome.__members__.values():
            return self.outcome(Outcome(name))
        if name not in CALL_SETS:
            raise ValueError(f"no call set named {name!r}")
        mask: BoolArray = getattr(self, name)
        return mask

    def call_values(self, name: str) -> FloatArray:
        """A named value of every call (CALL_VALUES)."""
        if name not in CALL_VALUES:
            raise ValueError(f"no call value named {name!r}")
        values: FloatArray = self.handle_s if name == "handle_s" else getattr(self.calls, name)
        return values

    @cached_property
    def transferred(self) -> BoolArray:
        return self.answered & (self.calls.transfers >= 1)

    @cached_property
    def handle_s(self) -> FloatArray:
        calls = self.calls
        return calls.talk_s + calls.hold_s + calls.after_call_work_s

    @cached_property
    def known_caller(self) -> BoolArray:
        """Answered calls from a number that was not withheld."""
        known: BoolArray = self.calls.caller.codes != self.calls.caller.code_of("")
        return self.answered & known

    @cached_property
    def _contacts(self) -> tuple[IntArray, IntArray, IntArray]:
        """The known-number answered calls by number, then time, then id, cut into contacts.

        Returns their positions in that order, the contact of each, and where each contact
        starts; the legs of one transferred call (one call_id) are one contact.
        """
        calls = self.calls
        chosen = np.flatnonzero(self.known_caller).astype(np.int64)
        caller, entered, ids = (
            calls.caller.codes[chosen],
            calls.entered_at[chosen],
            calls.ids[chosen],
        )
        packed = pack(caller, entered - entered.min()) if len(chosen) else None
        if packed is None:
            ordered = chosen[np.lexsort((ids, entered, caller))]
        else:
            ordered = chosen[order_by(packed[0], ids)]
        caller, leg = calls.caller.codes[ordered], calls.call_id[ordered]
        starts = np.ones(len(ordered), dtype=np.bool_)
        starts[1:] = (caller[1:] != caller[:-1]) | (leg[1:] != leg[:-1])
        return ordered, np.cumsum(starts, dtype=np.int64) - 1, np.flatnonzero(starts)

    @cached_property
    def resolved_first(self) -> BoolArray:
        """Known-number answered calls whose number has no other answered call entering at
        most the FCR window after them."""
        ordered, contact, starts = self._contacts
        caller, entered = self.calls.caller.codes[ordered], self.calls.entered_at[ordered]
        following = np.append(starts[1:], len(ordered))[contact]  # the next contact's first leg
        seen = np.minimum(following, max(len(ordered) - 1, 0))
        repeated = (
            (following < len(ordered))
            & (caller[seen] == caller)
            & (entered[seen] - entered <= self.settings.fcr_window_s)
        )
        resolved = np.zeros(len(self.calls), dtype=np.bool_)
        resolved[ordered[~repeated]] = True
        return resolved

    @cached_property
    def repeat_contact(self) -> BoolArray:
        """Known-number answered calls in a run of N contacts from their number whose last
        enters at most the repeat window after its first (N = repeat_caller_contacts)."""
        ordered, contact, starts = self._contacts
        need = self.settings.repeat_caller_contacts
        caller = self.calls.caller.codes[ordered[starts]]
        entered = self.calls.entered_at[ordered[starts]]
        last = np.arange(len(starts)) + need - 1
        seen = np.minimum(last, max(len(starts) - 1, 0))
        opens_run = (
            (last < len(starts))
            & (caller[seen] == caller)
            & (entered[seen] - entered <= self.settings.repeat_caller_window_s)
        )
        # A run covers the contact that opens it and the need - 1 after it.
        marks = np.bincount(np.flatnonzero(opens_run), minlength=len(starts) + need)
        marks -= np.bincount(np.flatnonzero(opens_run) + need, minlength=len(starts) + need)
        in_run = np.cumsum(marks)[: len(starts)] > 0
        flagged = np.zeros(len(self.calls), dtype=np.bool_)
        flagged[ordered[in_run[contact]]] = True
        return flagged

    def state_is(self, *states: AgentState) -> BoolArray:
        """The state intervals in any of these states."""
        assert self.states is not None
        codes, wanted = self.states.state, sorted(STATE_CODES[state] for state in states)
        return self._once(("states", *wanted), lambda: np.isin(codes, wanted))

    @property
    def logged_in(self) -> BoolArray:
        return self.state_is(*(s for s in AgentState if s is not AgentState.LOGGED_OUT))

    @property
    def working(self) -> BoolArray:
        return self.state_is(AgentState.ON_CONTACT, AgentState.AFTER_CALL_WORK)

    @property
    def staffed(self) -> BoolArray:
        """Ready, on a contact or in after-call work: occupancy's denominator."""
        return self.state_is(AgentState.READY, AgentState.ON_CONTACT, AgentState.AFTER_CALL_WORK)

    @property
    def not_ready(self) -> BoolArray:
        return self.state_is(AgentState.NOT_READY)

    @cached_property
    def reasons(self) -> tuple[str, ...]:
        """The not-ready reasons found in the states, as column suffixes."""
        if self.states is None:
            return ()
        found = np.unique(self.states.reason.codes[self.not_ready])
        return tuple(_reason_suffix(self.states.reason.names[code]) for code in found)

    def not_ready_for(self, suffix: str) -> BoolArray:
        assert self.states is not None
        reason = self.states.reason
        wanted = [code for code, name in enumerate(reason.names) if _reason_suffix(name) == suffix]
        return self.not_ready & np.isin(reason.codes, wanted)

    @property
    def orders(self) -> OrderTable:
        assert self.extras.orders is not None
        return self.extras.orders

    @property
    def surveys(self) -> SurveyTable:
        assert self.extras.surveys is not None
        return self.extras.surveys


def _reason_suffix(reason: str) -> str:
    return reason or "(none)"  # parentheses cannot clash with a reason code


# ---------------------------------------------------------------- figures per row


def ratio(part: FloatArray, whole: FloatArray) -> FloatArray:
    """part ÷ whole per row; NaN (None) where whole is 0."""
    out = np.full(len(whole), np.nan)
    np.divide(part, whole, out=out, where=whole > 0)
    return out


@dataclass(frozen=True, eq=False)
class KpiInput:
    """The facts, and the report row of every record, that definitions compute from.

    `call_row` is the report row of every call, or of every cell when the calls come as
    their summaries (`cells`). `piece_*` are the logged-in state intervals cut at period
    boundaries, and
    `has_states` tells the rows whose group key has any state interval at all (None
    without agent states, or grouped by queue); the other rows are None without their
    table. `variants` holds the variant of every KPI that has them.
    """

    facts: Facts
    rows: int
    call_row: IntArray
    piece_owner: IntArray | None
    piece_row: IntArray | None
    piece_seconds: FloatArray | None
    has_states: BoolArray | None
    order_row: IntArray | None
    survey_row: IntArray | None
    row_start: IntArray  # the instants each row's period starts and ends
    row_end: IntArray
    variants: Mapping[str, str]
    cells: "CallCells | None" = None
    _counts: dict[int, tuple[BoolArray, FloatArray]] = field(default_factory=dict)

    @property
    def settings(self) -> KpiSettings:
        return self.facts.settings

    def variant(self, name: str) -> str:
        """The variant of KPI `name`: the one chosen in the settings, else its first; ""
        for a KPI that has none."""
        return self.variants.get(name, "")

    def _sum(
        self, row: IntArray, mask: BoolArray | None, weights: NDArray[Any] | None
    ) -> FloatArray:
        """The weights (1 each if none) of the records of the mask (all if none), summed
        per report row."""
        if mask is not None:
            row, weights = row[mask], None if weights is None else weights[mask]
        return np.bincount(row, weights=weights, minlength=self.rows).astype(np.float64)

    def count(self, call_set: str) -> FloatArray:
        """How many calls of the named set each row holds."""
        if self.cells is None:
            return self.calls(self.facts.call_set(call_set))
        return self._sum(self.call_row, None, self.cells.count(call_set))

    def mean(self, value: str, call_set: str) -> FloatArray:
        """The mean of a named value over the calls of a named set, per row."""
        if self.cells is None:
            return self.call_mean(self.facts.call_values(value), self.facts.call_set(call_set))
        return ratio(
            self._sum(self.call_row, None, self.cells.total(value, call_set)),
            self.count(call_set),
        )

    def longest(self, value: str, call_set: str) -> FloatArray:
        """The largest named value among the calls of a named set, per row (NaN if none)."""
        if self.cells is None:
            return self.call_max(self.facts.call_values(value), self.facts.call_set(call_set))
        out = np.full(self.rows, -np.inf)
        np.fmax.at(out, self.call_row, self.cells.longest(value, call_set))  # NaN: no call
        return np.where(np.isneginf(out), np.nan, out)

    def calls(self, mask: BoolArray) -> FloatArray:
        """How many calls of the mask each row holds."""
        self._need_calls()
        cached = self._counts.get(id(mask))
        if cached is None or cached[0] is not mask:  # kept with its mask so the id stays its own
            cached = self._counts[id(mask)] = (mask, self._sum(self.call_row, mask, None))
        return cached[1]

    def _need_calls(self) -> None:
        if self.cells is not None:
            raise MissingMeasure("this figure is made of the calls themselves")

    def call_mean(self, values: FloatArray, mask: BoolArray) -> FloatArray:
        self._need_calls()
        return ratio(self._sum(self.call_row, mask, values), self.calls(mask))

    def call_max(self, values: FloatArray, mask: BoolArray) -> FloatArray:
        self._need_calls()
        out = np.full(self.rows, -np.inf)
        np.maximum.at(out, self.call_row[mask], values[mask])
        return np.where(np.isneginf(out), np.nan, out)

    def distinct_callers(self, mask: BoolArray) -> FloatArray:
        """How many distinct numbers the calls of the mask come from, per row."""
        self._need_calls()
        callers = self.facts.calls.caller.codes[mask]
        return distinct_pairs_per_row(self.call_row[mask], callers, self.rows).astype(np.float64)

    def state_seconds(self, mask: BoolArray, rate: FloatArray | None = None) -> FloatArray:
        """Seconds (times `rate` per interval, if given) of the state intervals of the mask;
        NaN for a row whose group key has no state interval at all."""
        assert self.piece_owner is not None and self.piece_row is not None
        assert self.piece_seconds is not None and self.has_states is not None
        weights = (
            self.piece_seconds if rate is None else self.piece_seconds * rate[self.piece_owner]
        )
        seconds = self._sum(self.piece_row, mask[self.piece_owner], weights)
        # Nothing is known of such a key's states (the agent "" of unanswered calls, an
        # agent whose states were not given), whereas a key with intervals in other
        # periods only was truly not logged in: 0 s.
        return np.where(self.has_states, seconds, np.nan)

    def orders(self, mask: BoolArray) -> FloatArray:
        assert self.order_row is not None
        return self._sum(self.order_row, mask, None)

    def surveys(self, mask: BoolArray, values: IntArray | None = None) -> FloatArray:
        assert self.survey_row is not None
        return self._sum(self.survey_row, mask, values)


# ---------------------------------------------------------------- definitions


@dataclass(frozen=True)
class KpiDefinition:
    """A KPI: its names, unit, what it needs, how it is computed and how it is traced.

    `compute` gives each column's value per report row (NaN for None): a plain KPI has
    one column, its name; a family (`columns` given) one per suffix, `column_prefix` +
    suffix. `behind` selects, for a column, the records of the table named by `records`
    that make the figure (a rate's numerator, an average's records); None when the figure
    is made of no records (availability).
    """

    name: str
    label_zh: str
    label_en: str
    unit: Unit
    needs: frozenset[Source]
    compute: Callable[[KpiInput], dict[str, FloatArray]]
    behind: Callable[[Facts, str], BoolArray] | None
    records: Source | None = "calls"
    variants: tuple[str, ...] = ()
    columns: Callable[[Facts], tuple[str, ...]] | None = None
    column_prefix: str | None = None

    def column_names(self, facts: Facts) -> tuple[str, ...]:
        return (self.name,) if self.columns is None else self.columns(facts)

    def makes(self, column: str) -> bool:
        if self.column_prefix is None:
            return column == self.name
        return column.startswith(self.column_prefix) and column != self.name


Mask = Callable[[Facts], BoolArray]  # the records a one-column KPI counts or traces
