"""Call records and agent state intervals packed into plain tuples of str, int and float.

An import of a year's telephony log passes millions of records from the process that
reads the files to the one that writes them (contacts.read_ahead), and into PostgreSQL.
Making each record with its datetimes and enum members, pickling it and unpickling it
cost more than reading it from the file; a plain tuple costs a fraction of that, and the
writer makes its rows from the tuples without making a datetime again. A packed record
has its record's fields in their order, with each time as whole microseconds since the
Unix epoch and each enum member as its value: what the record held, its times as
instants. The queue_log reader packs its records as it assembles them; other importers
pack theirs with `pack_call` and `pack_state`.
"""

from datetime import UTC, datetime, timedelta
from typing import NamedTuple, TypeAlias

from hotline.core.contact_records import (
    AgentState,
    CallRecord,
    OtherItem,
    Outcome,
    StateInterval,
)

UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)

PackedCall: TypeAlias = tuple[
    str, str, int, str, float, int | None, str, str, str, float, float, float, int, str, str
]
PackedState: TypeAlias = tuple[str, str, int, int, str]


class Packed(NamedTuple):
    """Some of what an importer read: its calls and agent states packed, the rest as read;
    and how many of the file's lines it had read by then."""

    calls: list[PackedCall]
    states: list[PackedState]
    others: list[OtherItem]
    lines: int


def microseconds(moment: datetime) -> int:
    """A timezone-aware moment as whole microseconds since the Unix epoch."""
    return (moment - UNIX_EPOCH) // _MICROSECOND


def moment(count: int) -> datetime:
    """The moment `count` microseconds after the Unix epoch, in UTC."""
    return UNIX_EPOCH + timedelta(microseconds=count)


def pack_call(record: CallRecord) -> PackedCall:
    ended = record.ended_at
    return (
        record.call_id,
        record.queue,
        microseconds(record.entered_at),
        record.outcome.value,
        record.wait_s,
        None if ended is None else microseconds(ended),
        *record[6:],
    )


def pack_state(interval: StateInterval) -> PackedState:
    return (
        interval.agent,
        interval.state.value,
        microseconds(interval.started_at),
        microseconds(interval.ended_at),
        interval.reason,
    )


def unpack_call(packed: PackedCall) -> CallRecord:
    """The record `packed` holds, its times in UTC."""
    entered, outcome, ended = packed[2], packed[3], packed[5]
    return CallRecord._make(
        (
            *packed[:2],
            moment(entered),
            Outcome(outcome),
            packed[4],
            None if ended is None else moment(ended),
            *packed[6:],
        )
    )


def unpack_state(packed: PackedState) -> StateInterval:
    """The interval `packed` holds, its times in UTC."""
    agent, state, started, ended, reason = packed
    return StateInterval(agent, AgentState(state), moment(started), moment(ended), reason)
