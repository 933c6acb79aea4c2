"""The input tables of the contact KPIs: calls, agent states, orders, surveys, outages
and staff cost, as NumPy columns.

Strings are held as a `Column` (codes into the sorted distinct values), outcomes and
agent states as the fixed codes below, instants as epoch seconds (UTC). docs/kpis.md
describes every column.
"""

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from hotline.core.contact_records import AgentState, CallRecord, Outcome, StateInterval
from hotline.core.kpi_periods import Column, IntArray

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
CodeArray = NDArray[np.int8]
Strings = Sequence[str] | NDArray[Any] | Column

# The codes of the `outcome` and `state` columns, written out rather than taken from the
# enums' order, because codes stored or exported elsewhere must keep their meaning.
OUTCOME_CODES: Mapping[Outcome, int] = MappingProxyType(
    {
        Outcome.ANSWERED: 0,
        Outcome.ABANDONED: 1,
        Outcome.TIMEOUT: 2,
        Outcome.LEFT_WITH_KEY: 3,
        Outcome.NO_AGENTS: 4,
    }
)
STATE_CODES: Mapping[AgentState, int] = MappingProxyType(
    {
        AgentState.READY: 0,
        AgentState.ON_CONTACT: 1,
        AgentState.AFTER_CALL_WORK: 2,
        AgentState.NOT_READY: 3,
        AgentState.LOGGED_OUT: 4,
    }
)


class Grouping(StrEnum):
    QUEUE = "queue"
    SKILL_GROUP = "skill_group"
    TEAM = "team"
    AGENT = "agent"


def epoch(moment: datetime) -> int:
    """Whole epoch seconds of an aware datetime (naive ones are refused: whose clock?)."""
    if moment.tzinfo is None:
        raise ValueError(f"{moment} has no time zone")
    return math.floor(moment.timestamp())


def _encode(values: ArrayLike, codes_of: Mapping[Any, int], what: str) -> CodeArray:
    """Enum values as int8 codes; an integer array is taken as codes already."""
    array = np.asarray(values)
    if array.dtype.kind in "iu":
        if len(array) and (array.min() < 0 or array.max() >= len(codes_of)):
            raise ValueError(f"{what} codes run from 0 to {len(codes_of) - 1}")
        return array.astype(np.int8)
    column = Column.of(array.astype(str))
    by_name = {str(member): code for member, code in codes_of.items()}
    unknown = [name for name in column.names if name not in by_name]
    if unknown:
        raise ValueError(f"unknown {what}: {', '.join(unknown)}")
    return np.array([by_name[name] for name in column.names], dtype=np.int8)[column.codes]


def _column(values: Strings | None, length: int) -> Column:
    if values is None:
        return Column.blank(length)
    return values if isinstance(values, Column) else Column.of(values)


def _numbers(values: ArrayLike | None, length: int, dtype: type[Any]) -> NDArray[Any]:
    return np.zeros(length, dtype=dtype) if values is None else np.asarray(values, dtype=dtype)


def _labels(values: Sequence[str] | Sequence[int] | NDArray[Any] | None, length: int) -> IntArray:
    """Labels (strings or integers) as codes, equal where the labels are; each row its own
    label when there are none."""
    if values is None:
        return np.arange(length, dtype=np.int64)
    array = np.asarray(values)
    if array.dtype.kind in "iu":
        return np.unique(array, return_inverse=True)[1].astype(np.int64).reshape(-1)
    return Column.of(array.astype(str)).codes


def _ids(values: ArrayLike | None, length: int) -> IntArray:
    return np.arange(length, dtype=np.int64) if values is None else np.asarray(values, np.int64)


class _Table:
    """Checks shared by the tables: equal column lengths."""

    ids: IntArray

    def __post_init__(self) -> None:
        lengths = {name: len(column) for name, column in vars(self).items()}
        if len(set(lengths.values())) > 1:
            raise ValueError(f"columns of unequal length: {lengths}")

    def __len__(self) -> int:
        return len(self.ids)

    def keys(self, group: Grouping) -> Column:
        """The column that names each record's group."""
        column: Column = getattr(self, group.value)
        return column


@dataclass(frozen=True, eq=False)
class CallTable(_Table):
    """One row per queue visit: a call transferred to another queue is two rows sharing
    `call_id`. `outcome` holds OUTCOME_CODES; `caller` is "" for a withheld number and
    `agent` "" when nobody answered; times are epoch seconds (UTC), durations seconds."""

    ids: IntArray
    entered_at: IntArray
    queue: Column
    skill_group: Column
    team: Column
    agent: Column
    outcome: CodeArray
    wait_s: FloatArray
    talk_s: FloatArray
    hold_s: FloatArray
    after_call_work_s: FloatArray
    transfers: IntArray
    caller: Column
    call_id: IntArray  # equal for the legs of one call, distinct otherwise

    @classmethod
    def from_columns(
        cls,
        *,
        entered_at: ArrayLike,
        queue: Strings,
        outcome: ArrayLike,
        wait_s: ArrayLike,
        ids: ArrayLike | None = None,
        skill_group: Strings | None = None,
        team: Strings | None = None,
        agent: Strings | None = None,
        talk_s: ArrayLike | None = None,
        hold_s: ArrayLike | None = None,
        after_call_work_s: ArrayLike | None = None,
        transfers: ArrayLike | None = None,
        caller: Strings | None = None,
        call_id: Sequence[str] | Sequence[int] | NDArray[Any] | None = None,
    ) -> "CallTable":
        """A table from plain sequences or arrays, as `values_list` columns give them.

        `outcome` is Outcome values or OUTCOME_CODES; without `call_id` every row is its own
        call. Columns left out are "" or 0.
        """
        entered = np.asarray(entered_at, dtype=np.int64)
        length = len(entered)
        return cls(
            ids=_ids(ids, length),
            entered_at=entered,
            queue=_column(queue, length),
            skill_group=_column(skill_group, length),
            team=_column(team, length),
            agent=_column(agent, length),
            outcome=_encode(outcome, OUTCOME_CODES, "outcome"),
            wait_s=np.asarray(wait_s, dtype=np.float64),
            talk_s=_numbers(talk_s, length, np.float64),
            hold_s=_numbers(hold_s, length, np.float64),
            after_call_work_s=_numbers(after_call_work_s, length, np.float64),
            transfers=_numbers(transfers, length, np.int64),
            caller=_column(caller, length),
            call_id=_labels(call_id, length),
        )

    @classmethod
    def from_records(
        cls,
        records: Iterable[CallRecord],
        ids: Sequence[int] | None = None,
        *,
        skill_group_of: Mapping[str, str] | None = None,
        team_of: Mapping[str, str] | None = None,
    ) -> "CallTable":
        """A table of CallRecords; skill groups looked up by queue, teams by agent."""
        rows = list(records)
        skill_groups, teams = skill_group_of or {}, team_of or {}
        return cls.from_columns(
            ids=ids,
            entered_at=[epoch(row.entered_at) for row in rows],
            queue=[row.queue for row in rows],
            skill_group=[skill_groups.get(row.queue, "") for row in rows],
            team=[teams.get(row.agent, "") if row.agent else "" for row in rows],
            agent=[row.agent for row in rows],
            outcome=[row.outcome.value for row in rows],
            wait_s=[row.wait_s for row in rows],
            talk_s=[row.talk_s for row in rows],
            hold_s=[row.hold_s for row in rows],
            after_call_work_s=[row.after_call_work_s for row in rows],
            transfers=[row.transfers for row in rows],
            caller=[row.caller for row in rows],
            call_id=[row.call_id for row in rows],
        )

    def take(self, index: IntArray) -> "CallTable":
        """The rows at `index`: a subset, or the same rows in another order."""
        changes: dict[str, Any] = {}
        for column in fields(self):
            value = getattr(self, column.name)
            changes[column.name] = value.take(index) if isinstance(value, Column) else value[index]
        return replace(self, **changes)


@dataclass(frozen=True, eq=False)
class StateTable(_Table):
    """One row per agent-state interval [started_at, ended_at); `state` holds STATE_CODES,
    `reason` the not-ready reason code (置忙原因, "" for other states)."""

    ids: IntArray
    agent: Column
    team: Column
    skill_group: Column
    state: CodeArray
    reason: Column
    started_at: IntArray
    ended_at: IntArray

    def __post_init__(self) -> None:
        super().__post_init__()
        if np.any(self.ended_at < self.started_at):
            raise ValueError("a state interval cannot end before it starts")

    @classmethod
    def from_columns(
        cls,
        *,
        agent: Strings,
        state: ArrayLike,
        started_at: ArrayLike,
        ended_at: ArrayLike,
        ids: ArrayLike | None = None,
        team: Strings | None = None,
        skill_group: Strings | None = None,
        reason: Strings | None = None,
    ) -> "StateTable":
        """A table from plain sequences; `state` is AgentState values or STATE_CODES."""
        started = np.asarray(started_at, dtype=np.int64)
        length = len(started)
        return cls(
            ids=_ids(ids, length),
            agent=_column(agent, length),
            team=_column(team, length),
            skill_group=_column(skill_group, length),
            state=_encode(state, STATE_CODES, "agent state"),
            reason=_column(reason, length),
            started_at=started,
            ended_at=np.asarray(ended_at, dtype=np.int64),
        )

    @classmethod
    def from_intervals(
        cls,
        intervals: Iterable[StateInterval],
        ids: Sequence[int] | None = None,
        *,
        team_of: Mapping[str, str] | None = None,
        skill_group_of: Mapping[str, str] | None = None,
    ) -> "StateTable":
        """A table of StateIntervals; each agent's team and skill group looked up by agent."""
        rows = list(intervals)
        teams, skill_groups = team_of or {}, skill_group_of or {}
        return cls.from_columns(
            ids=ids,
            agent=[row.agent for row in rows],
            team=[teams.get(row.agent, "") for row in rows],
            skill_group=[skill_groups.get(row.agent, "") for row in rows],
            state=[row.state.value for row in rows],
            reason=[row.reason for row in rows],
            started_at=[epoch(row.started_at) for row in rows],
            ended_at=[epoch(row.ended_at) for row in rows],
        )


@dataclass(frozen=True, eq=False)
class OrderTable(_Table):
    """One row per work order, keyed like the contact that created it. `resolved_first` is
    1 if resolved at first contact (首问解决), 0 if escalated, -1 while undecided."""

    ids: IntArray
    created_at: IntArray
    queue: Column
    skill_group: Column
    team: Column
    agent: Column
    resolved_first: CodeArray
    complaint: BoolArray

    @classmethod
    def from_columns(
        cls,
        *,
        created_at: ArrayLike,
        resolved_first: Sequence[bool | None],
        complaint: ArrayLike,
        ids: ArrayLike | None = None,
        queue: Strings | None = None,
        skill_group: Strings | None = None,
        team: Strings | None = None,
        agent: Strings | None = None,
    ) -> "OrderTable":
        created = np.asarray(created_at, dtype=np.int64)
        length = len(created)
        return cls(
            ids=_ids(ids, length),
            created_at=created,
            queue=_column(queue, length),
            skill_group=_column(skill_group, length),
            team=_column(team, length),
            agent=_column(agent, length),
            resolved_first=np.array(
                [-1 if value is None else int(value) for value in resolved_first], dtype=np.int8
            ),
            complaint=np.asarray(complaint, dtype=np.bool_),
        )


@dataclass(frozen=True, eq=False)
class SurveyTable(_Table):
    """One row per answered survey (满意度回访), keyed and timed like the contact it judges;
    `score` runs from 1 (very dissatisfied) to 5 (very satisfied)."""

    ids: IntArray
    contact_at: IntArray
    queue: Column
    skill_group: Column
    team: Column
    agent: Column
    score: IntArray

    def __post_init__(self) -> None:
        super().__post_init__()
        if len(self.score) and (self.score.min() < 1 or self.score.max() > 5):
            raise ValueError("survey scores run from 1 to 5")

    @classmethod
    def from_columns(
        cls,
        *,
        contact_at: ArrayLike,
        score: ArrayLike,
        ids: ArrayLike | None = None,
        queue: Strings | None = None,
        skill_group: Strings | None = None,
        team: Strings | None = None,
        agent: Strings | None = None,
    ) -> "SurveyTable":
        at = np.asarray(contact_at, dtype=np.int64)
        length = len(at)
        return cls(
            ids=_ids(ids, length),
            contact_at=at,
            queue=_column(queue, length),
            skill_group=_column(skill_group, length),
            team=_column(team, length),
            agent=_column(agent, length),
            score=np.asarray(score, dtype=np.int64),
        )


@dataclass(frozen=True, eq=False)
class Outages:
    """Spans [start, end) of epoch seconds in which the system was unavailable; they may
    overlap."""

    start: IntArray
    end: IntArray

    def __post_init__(self) -> None:
        if len(self.start) != len(self.end) or np.any(self.end < self.start):
            raise ValueError("every outage needs a start and an end no earlier than it")

    @classmethod
    def of(cls, spans: Iterable[tuple[int, int]]) -> "Outages":
        pairs = list(spans)
        return cls(
            np.array([start for start, _ in pairs], dtype=np.int64),
            np.array([end for _, end in pairs], dtype=np.int64),
        )


@dataclass(frozen=True)
class StaffCost:
    """What a logged-in hour costs: `per_hour`, or `per_team` for the teams it names."""

    per_hour: float
    per_team: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class KpiExtras:
    """The optional inputs; a KPI that needs one that is absent is None."""

    orders: OrderTable | None = None
    surveys: SurveyTable | None = None
    outages: Outages | None = None
    staff_cost: StaffCost | None = None
