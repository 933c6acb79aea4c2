"""The documented CSV of calls, read row by row."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from hotline.core.call_csv import HeaderError, read_call_csv
from hotline.core.contact_records import BadLine, CallRecord, Outcome

SHANGHAI = ZoneInfo("Asia/Shanghai")
HEADER = "call_id,queue,entered_at,outcome,wait_s,talk_s,agent,shoe_size\n"


def read(text: str) -> list:
    return list(read_call_csv(text.splitlines(keepends=True), SHANGHAI))


def test_a_row_becomes_a_call_and_unknown_columns_are_ignored():
    (call,) = read(HEADER + "7.1,GEN,2026-11-02T09:00:00+08:00,answered,12.5,230,SIP/10231,42\n")
    assert call == CallRecord(
        call_id="7.1",
        queue="GEN",
        entered_at=datetime.datetime(2026, 11, 2, 9, tzinfo=SHANGHAI),
        outcome=Outcome.ANSWERED,
        wait_s=12.5,
        talk_s=230.0,
        agent="SIP/10231",
    )


def test_a_time_without_an_offset_is_in_the_centers_zone():
    (call,) = read(HEADER + "7.1,GEN,2026-11-02 09:00:00,abandoned,40,,,\n")
    assert call.entered_at.utcoffset() == datetime.timedelta(hours=8)


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("7.1,GEN,2026-11-02T09:00:00,hung_up,4,0,,", "outcome 'hung_up'"),
        ("7.1,GEN,soon,answered,4,0,,", "ISO 8601"),
        ("7.1,GEN,2026-11-02T09:00:00,answered,four,0,,", "wait_s 'four'"),
        ("7.1,GEN,2026-11-02T09:00:00,answered,-1,0,,", "wait_s is negative"),
        (",GEN,2026-11-02T09:00:00,answered,1,0,,", "call_id is empty"),
        ("7.1,GEN", "2 fields, the header has 8"),
    ],
)
def test_a_bad_row_is_reported_with_its_line_and_the_rest_kept(row, reason):
    good = "7.2,GEN,2026-11-02T09:00:00,answered,3,60,,\n"
    first, bad, last = read(HEADER + good + row + "\n" + good)
    assert isinstance(first, CallRecord) and isinstance(last, CallRecord)
    assert isinstance(bad, BadLine) and bad.line_number == 3
    assert reason in bad.reason


def test_a_header_without_a_required_column_is_refused():
    with pytest.raises(HeaderError, match="outcome, wait_s"):
        read("call_id,queue,entered_at\n")
