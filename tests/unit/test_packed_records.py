"""Records packed into plain tuples (core.packed_records) unpack to the same records."""

import pickle
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from hotline.core.contact_records import AgentState, CallRecord, Outcome, StateInterval
from hotline.core.packed_records import (
    microseconds,
    moment,
    pack_call,
    pack_state,
    unpack_call,
    unpack_state,
)

moments = st.datetimes(
    min_value=datetime(1990, 1, 1),
    max_value=datetime(2100, 1, 1),
    timezones=st.sampled_from([UTC, ZoneInfo("Asia/Shanghai"), ZoneInfo("America/New_York")]),
)
seconds = st.floats(min_value=0, max_value=86_400, allow_nan=False)
text = st.text(max_size=12)

calls = st.builds(
    CallRecord,
    call_id=text,
    queue=text,
    entered_at=moments,
    outcome=st.sampled_from(Outcome),
    wait_s=seconds,
    ended_at=st.none() | moments,
    caller=text,
    called=text,
    agent=text,
    talk_s=seconds,
    hold_s=seconds,
    after_call_work_s=seconds,
    transfers=st.integers(0, 9),
    ivr_path=text,
    channel=st.sampled_from(["phone", "chat", "sms"]),
)


def in_utc(instant: datetime | None) -> datetime | None:
    # Compared in UTC: Python never finds a time a clock change makes ambiguous (New York's
    # 01:30 on the day it falls back) equal to one in another zone, though the instant is.
    return None if instant is None else instant.astimezone(UTC)


@given(calls)
def test_a_call_unpacks_to_the_same_record_with_its_times_as_the_same_instants(record):
    packed = pickle.loads(pickle.dumps(pack_call(record)))
    unpacked = unpack_call(packed)
    assert unpacked == record._replace(
        entered_at=in_utc(record.entered_at), ended_at=in_utc(record.ended_at)
    )
    assert type(unpacked.outcome) is Outcome


@given(text, st.sampled_from(AgentState), moments, moments, text)
def test_a_state_interval_unpacks_to_the_same_interval(agent, state, started, ended, reason):
    interval = StateInterval(agent, state, started, ended, reason)
    unpacked = unpack_state(pickle.loads(pickle.dumps(pack_state(interval))))
    assert unpacked == interval._replace(started_at=in_utc(started), ended_at=in_utc(ended))
    assert type(unpacked.state) is AgentState


@given(moments)
def test_microseconds_count_from_the_unix_epoch_exactly(instant):
    assert moment(microseconds(instant)) == in_utc(instant)
    assert microseconds(datetime(1970, 1, 1, 0, 0, 1, 5, tzinfo=UTC)) == 1_000_005


def test_a_packed_record_holds_only_plain_values():
    record = CallRecord(
        "1.1", "support", datetime(2025, 3, 1, 8, tzinfo=UTC), Outcome.ANSWERED, 4.5
    )
    assert {type(value) for value in pack_call(record)} <= {str, int, float, type(None)}
    assert pack_call(record)[2:4] == (1740816000000000, "answered")
