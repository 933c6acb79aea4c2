"""Asterisk queue_log parsing and assembly, against fixture files written from Asterisk's
documentation and source (tests/fixtures/queue_log) and against generated logs.

Fixture times are given as offsets from the file's first second: asterisk13.log starts at
2026-03-02 01:00 UTC (09:00 in Beijing), asterisk14.log at 2008-06-02 01:00 UTC,
corrupted.log on 2026-03-03 and the overlap files on 2026-03-04, all at 01:00 UTC.
"""

import itertools
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple, TypeVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotline.core.contact_records import (
    AgentState,
    BadLine,
    CallRecord,
    OpenState,
    Outcome,
    StateInterval,
    UnfinishedCall,
    UnknownEvent,
)
from hotline.core.contact_tables import STATE_CODES, StateTable, epoch
from hotline.core.contact_time import with_time_on_contacts
from hotline.core.packed_records import unpack_call, unpack_state
from hotline.core.queue_log import (
    KNOWN_EVENTS,
    Event,
    Item,
    QueueLogAssembler,
    parse_line,
    read_queue_log,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "queue_log"
ASTERISK13 = 1772413200
ASTERISK14 = 1212368400
CORRUPTED = 1772499600
OVERLAP = 1772586000

READY, ON_CONTACT, NOT_READY = AgentState.READY, AgentState.ON_CONTACT, AgentState.NOT_READY
STATE_OF_CODE = {code: state for state, code in STATE_CODES.items()}


def utc(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def fixture_lines(name: str) -> list[str]:
    with open(FIXTURES / name, encoding="utf-8", errors="replace", newline="\n") as f:
        return f.readlines()


def read(name: str) -> list[Item]:
    return list(read_queue_log(fixture_lines(name)))


T = TypeVar("T")


def of_type(items: list[Item], kind: type[T]) -> list[T]:
    return [item for item in items if isinstance(item, kind)]


def records(items: list[Item]) -> list[CallRecord]:
    return of_type(items, CallRecord)


def the_record(items: list[Item], call_id: str, queue: str) -> CallRecord:
    (record,) = [r for r in records(items) if (r.call_id, r.queue) == (call_id, queue)]
    return record


def intervals(items: list[Item], agent: str, start: int) -> list[tuple[AgentState, int, int, str]]:
    """The agent's intervals as read, as (state, start offset, end offset, reason)."""
    return [
        (
            i.state,
            int(i.started_at.timestamp()) - start,
            int(i.ended_at.timestamp()) - start,
            i.reason,
        )
        for i in of_type(items, StateInterval)
        if i.agent == agent
    ]


def timeline(items: list[Item], agent: str, start: int) -> list[tuple[AgentState, int, int, str]]:
    """The agent's day as reports see it: the intervals read, with the time on the agent's
    answered calls cut into them (core.contact_time), a run of one state as one."""
    states = StateTable.from_intervals(i for i in of_type(items, StateInterval) if i.agent == agent)
    answered = [r for r in records(items) if r.agent == agent]
    talked_from = [epoch(r.entered_at) + round(r.wait_s) for r in answered]
    day = with_time_on_contacts(
        states,
        [agent] * len(answered),
        talked_from,
        [
            begun + round(r.talk_s + r.hold_s)
            for begun, r in zip(talked_from, answered, strict=True)
        ],
    )
    runs: list[tuple[AgentState, int, int, str]] = []
    for code, reason, begun, ended in zip(
        day.state, day.reason.codes, day.started_at - start, day.ended_at - start, strict=True
    ):
        state = STATE_OF_CODE[code]
        piece = (state, int(begun), int(ended), day.reason.names[reason])
        if runs and runs[-1][::3] == piece[::3] and runs[-1][2] == piece[1]:
            runs[-1] = (state, runs[-1][1], piece[2], piece[3])
        else:
            runs.append(piece)
    return runs


def events(*lines: str) -> list[Item]:
    return list(read_queue_log(lines))


# Parsing lines


def test_a_line_becomes_an_event_with_its_fields_as_written():
    line = "1772413440|1772413299.101|support|PJSIP/1002|COMPLETECALLER|20|120|1\n"
    assert parse_line(line, 11) == Event(
        epoch=1772413440.0,
        call_id="1772413299.101",
        queue="support",
        agent="PJSIP/1002",
        name="COMPLETECALLER",
        data=("20", "120", "1"),
        line_number=11,
        text=line.rstrip("\n"),
    )


def test_an_event_knows_its_time_as_an_aware_utc_datetime():
    event = parse_line("1772413200.25|NONE|NONE|NONE|QUEUESTART|", 1)
    assert isinstance(event, Event)
    assert event.at == datetime(2026, 3, 2, 1, 0, 0, 250000, tzinfo=UTC)


def test_a_line_without_data_fields_has_no_data():
    event = parse_line("1212368820|NONE|sales|Agent/2001|UNPAUSE", 14)
    assert isinstance(event, Event)
    assert event.data == ()


def test_a_windows_line_ending_is_not_part_of_the_last_field():
    event = parse_line("1772413330|NONE|support|PJSIP/1001|PAUSE|break\r\n", 9)
    assert isinstance(event, Event)
    assert event.data == ("break",)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("", "the line is empty"),
        ("  \t", "the line is empty"),
        ("1772499712|1772499699.301|supp", "3 of the 5 fields a line needs"),
        ("abc|1.1|q|NONE|ABANDON|1|1|5", "the time 'abc' is not a number of seconds since 1970"),
        ("2026-03-02 09:00:00|1.1|q|NONE|ABANDON", "is not a number of seconds since 1970"),
        ("-5|1.1|q|NONE|ABANDON|1|1|5", "the time '-5' is out of range"),
        ("nan|1.1|q|NONE|ABANDON|1|1|5", "the time 'nan' is out of range"),
        ("1e20|1.1|q|NONE|ABANDON|1|1|5", "the time '1e20' is out of range"),
        ("\x00\x00\x00\x00", "NUL bytes"),
        ("\x00\x001772499712|1.1|q|NONE|ABANDON|1|1|5", "NUL bytes"),
        ("1772499900|1772499899.304|support|NONE|", "no event name"),
        ("1772499900|1.1|support|NONE|\ufffd\ufffd|", "is not a word"),
        ("1772499900|1.1|support|NONE|ENTER QUEUE|", "is not a word"),
    ],
)
def test_a_line_that_cannot_be_used_is_a_bad_line_saying_why(line, reason):
    bad = parse_line(line, 7)
    assert isinstance(bad, BadLine)
    assert (bad.line_number, bad.text) == (7, line.rstrip("\r\n"))
    assert reason in bad.reason


@given(st.text())
def test_any_text_parses_to_an_event_or_a_bad_line(text):
    assert isinstance(parse_line(text, 1), Event | BadLine)


@given(
    st.integers(0, 4_000_000_000),
    st.lists(st.text(st.characters(exclude_characters="|\r\n"), max_size=12), max_size=6),
)
def test_a_well_formed_line_keeps_every_field(epoch, data):
    text = "|".join([str(epoch), "1772413299.101", "support", "PJSIP/1001", "CUSTOM", *data])
    event = parse_line(text, 1)
    assert isinstance(event, Event)
    assert (event.epoch, event.data, event.text) == (epoch, tuple(data), text)


# A log in Asterisk 13's layout


class Call(NamedTuple):
    """A call as computed by hand from a fixture; times in seconds from the file's start."""

    outcome: Outcome
    entered: int
    wait: int
    talk: int = 0
    agent: str = ""
    caller: str = ""
    called: str = ""
    transfers: int = 0

    def record(self, call_id: str, queue: str, start: int) -> CallRecord:
        return CallRecord(
            call_id=call_id,
            queue=queue,
            entered_at=utc(start + self.entered),
            outcome=self.outcome,
            wait_s=self.wait,
            ended_at=utc(start + self.entered + self.wait + self.talk),
            caller=self.caller,
            called=self.called,
            agent=self.agent,
            talk_s=self.talk,
            transfers=self.transfers,
        )


ANSWERED, ABANDONED, TIMEOUT = Outcome.ANSWERED, Outcome.ABANDONED, Outcome.TIMEOUT
LEFT_WITH_KEY, NO_AGENTS = Outcome.LEFT_WITH_KEY, Outcome.NO_AGENTS

ASTERISK13_CALLS = {
    ("1772413299.101", "support"): Call(
        ANSWERED, 100, 20, 120, "PJSIP/1002", "13800001111", "4008001000"
    ),
    ("1772413499.102", "support"): Call(ABANDONED, 300, 35, caller="13900002222"),
    # a blind transfer, then an attended one
    ("1772413639.105", "support"): Call(ANSWERED, 440, 12, 95, "PJSIP/1001", "13600006666", "", 1),
    ("1772413659.106", "support"): Call(ANSWERED, 460, 7, 210, "PJSIP/1002", "13500007777", "", 1),
    ("1772413699.103", "support"): Call(TIMEOUT, 500, 300, caller="13700003333"),
    ("1772414099.104", "support"): Call(LEFT_WITH_KEY, 900, 42, caller="13300004444"),
    # transferred from support into billing
    ("1772414299.108", "support"): Call(
        ANSWERED, 1100, 10, 30, "PJSIP/1001", "13200008888", "4008002000", 1
    ),
    ("1772414299.108", "billing"): Call(
        ANSWERED, 1141, 15, 200, "PJSIP/1003", "13200008888", "4008002000"
    ),
    ("1772414699.107", "billing"): Call(NO_AGENTS, 1500, 8, caller="13100005555"),
}


@pytest.mark.parametrize("key", ASTERISK13_CALLS, ids="@".join)
def test_each_call_of_the_asterisk13_log_is_as_computed_by_hand(key):
    expected = ASTERISK13_CALLS[key].record(*key, ASTERISK13)
    assert the_record(read("asterisk13.log"), *key) == expected


def test_the_asterisk13_log_has_one_record_per_queue_visit_and_nothing_else_left():
    items = read("asterisk13.log")
    assert len(records(items)) == len(ASTERISK13_CALLS)
    assert {type(item) for item in items} == {CallRecord, StateInterval}


def test_a_call_transferred_into_a_second_queue_is_counted_once_in_each():
    items = read("asterisk13.log")
    support = the_record(items, "1772414299.108", "support")
    billing = the_record(items, "1772414299.108", "billing")
    assert (support.outcome, support.transfers, billing.transfers) == (ANSWERED, 1, 0)
    assert support.ended_at is not None and support.ended_at < billing.entered_at


def test_records_come_out_as_their_calls_end_in_file_order():
    ended = [record.ended_at for record in records(read("asterisk13.log"))]
    assert ended == sorted(ended)


def test_an_agent_paused_with_a_reason_then_unpaused_and_logged_off():
    assert timeline(read("asterisk13.log"), "PJSIP/1001", ASTERISK13) == [
        (READY, 10, 130, ""),
        (NOT_READY, 130, 430, "break"),  # PAUSEALL and PAUSE in one second: one change
        (READY, 430, 452, ""),
        (ON_CONTACT, 452, 547, ""),  # paused for training at 520, during the call
        (NOT_READY, 547, 1000, "training"),
        (READY, 1000, 1110, ""),
        (ON_CONTACT, 1110, 1140, ""),
        (READY, 1140, 1800, ""),  # REMOVEMEMBER: logged out, which is no interval
    ]


def test_an_agents_intervals_change_with_their_pauses_not_with_their_calls():
    items = read("asterisk13.log")
    assert intervals(items, "PJSIP/1001", ASTERISK13) == [
        (READY, 10, 130, ""),
        (NOT_READY, 130, 430, "break"),
        (READY, 430, 520, ""),  # on a call from 452 to 547
        (NOT_READY, 520, 1000, "training"),
        (READY, 1000, 1800, ""),  # on a call from 1110 to 1140
    ]
    assert intervals(items, "PJSIP/1002", ASTERISK13) == [(READY, 12, 700, "")]


def test_agents_are_ready_between_calls_until_removed_from_their_queue():
    items = read("asterisk13.log")
    assert timeline(items, "PJSIP/1002", ASTERISK13) == [
        (READY, 12, 120, ""),
        (ON_CONTACT, 120, 240, ""),
        (READY, 240, 467, ""),
        (ON_CONTACT, 467, 677, ""),
        (READY, 677, 700, ""),
    ]
    assert timeline(items, "PJSIP/1003", ASTERISK13) == [
        (READY, 15, 1156, ""),
        (ON_CONTACT, 1156, 1356, ""),
        (READY, 1356, 1400, ""),
    ]


# A log in Asterisk 1.4's layout

ASTERISK14_CALLS = {
    "1212368499.11": Call(ANSWERED, 100, 18, 180, "Agent/2001", "13811112222"),
    "1212368709.13": Call(ANSWERED, 310, 20, 70, "Agent/2002", "13922223333", transfers=1),
    "1212368849.15": Call(TIMEOUT, 450, 30, caller="13733334444"),
    "1212368899.16": Call(LEFT_WITH_KEY, 500, 12, caller="13644445555"),
    "1212368919.17": Call(ABANDONED, 520, 25, caller="13555556666"),
}


@pytest.mark.parametrize("call_id", ASTERISK14_CALLS)
def test_each_call_of_the_asterisk14_log_is_as_computed_by_hand(call_id):
    expected = ASTERISK14_CALLS[call_id].record(call_id, "sales", ASTERISK14)
    assert the_record(read("asterisk14.log"), call_id, "sales") == expected


def test_old_exits_without_a_wait_field_wait_from_enterqueue():
    # EXITWITHTIMEOUT|1 and EXITWITHKEY|0|1: Asterisk 1.4 logged no wait time.
    items = read("asterisk14.log")
    assert the_record(items, "1212368849.15", "sales").wait_s == 30
    assert the_record(items, "1212368899.16", "sales").wait_s == 12


def test_chan_agent_logins_pauses_without_reason_and_logoffs():
    items = read("asterisk14.log")
    assert timeline(items, "Agent/2001", ASTERISK14) == [
        (READY, 20, 118, ""),
        (ON_CONTACT, 118, 298, ""),
        (READY, 298, 300, ""),
        (NOT_READY, 300, 420, ""),
        (READY, 420, 700, ""),
    ]
    assert timeline(items, "Agent/2002", ASTERISK14) == [
        (READY, 25, 330, ""),
        (ON_CONTACT, 330, 400, ""),
        (READY, 400, 710, ""),
    ]


def test_an_asterisk_1_2_transfer_takes_its_times_from_connect():
    items = events(
        "100|7.1|sales|NONE|ENTERQUEUE||13811112222",
        "105|7.1|sales|Agent/2001|CONNECT|5",
        "165|7.1|sales|Agent/2001|TRANSFER|8002|from-internal",
    )
    assert the_record(items, "7.1", "sales") == CallRecord(
        call_id="7.1",
        queue="sales",
        entered_at=utc(100),
        outcome=Outcome.ANSWERED,
        wait_s=5,
        ended_at=utc(165),
        caller="13811112222",
        agent="Agent/2001",
        talk_s=60,
        transfers=1,
    )


def test_an_attended_transfer_linking_two_bridges_reads_its_times_after_both_channels():
    items = events(
        "1000|9.1|support|PJSIP/1001|CONNECT|12|9.2|3",
        "1100|9.1|support|PJSIP/1001|ATTENDEDTRANSFER|LINK|Local/2001@x-1;1|Local/2001@x-1;2"
        "|12|100|1",
    )
    record = the_record(items, "9.1", "support")
    assert (record.wait_s, record.talk_s, record.transfers) == (12, 100, 1)
    assert record.entered_at == utc(988)


# Lines that cannot be used


def test_bad_lines_are_reported_with_their_numbers_and_reasons():
    bad = of_type(read("corrupted.log"), BadLine)
    assert [(line.line_number, line.reason) for line in bad] == [
        (4, "3 of the 5 fields a line needs (time|call id|queue|agent|event)"),
        (5, "the line is empty"),
        (6, "the time '17724997x5' is not a number of seconds since 1970"),
        (7, "the line holds NUL bytes, as a crash or a disk fault leaves"),
        (9, "the time '\ufffd\\x1f\ufffd' is not a number of seconds since 1970"),
        (14, "the line is empty"),
        (15, "no event name"),
        (16, "the time 'NONE' is not a number of seconds since 1970"),
    ]


def test_an_unknown_event_is_returned_with_its_line_never_dropped():
    assert of_type(read("corrupted.log"), UnknownEvent) == [
        UnknownEvent(10, "FROBNICATE", "1772499730|NONE|support|PJSIP/1001|FROBNICATE|x|y")
    ]


def test_the_good_lines_among_bad_ones_still_make_their_calls_and_states():
    items = read("corrupted.log")
    answered = the_record(items, "1772499699.301", "support")
    abandoned = the_record(items, "1772499759.303", "support")
    assert (answered.entered_at, answered.wait_s, answered.talk_s, answered.agent) == (
        utc(CORRUPTED + 100),
        18,
        120,
        "PJSIP/1001",
    )
    assert (abandoned.outcome, abandoned.wait_s, abandoned.caller) == (
        Outcome.ABANDONED,
        30,
        "13900006789",
    )
    assert timeline(items, "PJSIP/1001", CORRUPTED) == [
        (READY, 10, 118, ""),
        (ON_CONTACT, 118, 238, ""),
        (READY, 238, 400, ""),
    ]


def test_an_end_line_whose_call_and_times_are_unknown_is_a_bad_line():
    (bad,) = events("500|3.1|support|PJSIP/1001|TRANSFER|2001|from-internal")
    assert isinstance(bad, BadLine)
    assert bad.line_number == 1
    assert "no wait time" in bad.reason


# Overlapping and split files


def identity(record: CallRecord) -> tuple[str, str, datetime]:
    return record.call_id, record.queue, record.entered_at


def test_overlapping_files_give_the_same_records_alone_and_concatenated():
    first, second = fixture_lines("overlap_part1.log"), fixture_lines("overlap_part2.log")
    alone = records(list(read_queue_log(first))) + records(list(read_queue_log(second)))
    together = {identity(r): r for r in records(list(read_queue_log(first + second)))}
    assert {identity(r) for r in alone} == set(together)
    for record in alone:
        whole = together[identity(record)]
        # A file that begins mid-call never saw the ENTERQUEUE that names the caller.
        assert record._replace(caller=whole.caller) == whole


def test_a_file_beginning_mid_call_dates_the_call_from_its_end_line():
    items = read("overlap_part2.log")
    assert the_record(items, "1772586119.405", "support") == CallRecord(
        call_id="1772586119.405",
        queue="support",
        entered_at=utc(OVERLAP + 120),
        outcome=Outcome.ANSWERED,
        wait_s=15,
        ended_at=utc(OVERLAP + 350),
        agent="PJSIP/3003",
        talk_s=215,
    )
    assert the_record(items, "1772586149.402", "support").entered_at == utc(OVERLAP + 150)


def test_a_call_cut_off_by_the_end_of_the_file_is_unfinished_with_no_outcome():
    unfinished = of_type(read("overlap_part1.log"), UnfinishedCall)
    assert unfinished == [
        UnfinishedCall(
            call_id="1772586119.405",
            queue="support",
            entered_at=utc(OVERLAP + 120),
            caller="13800000005",
            called="",
            agent="PJSIP/3003",
            answered_at=utc(OVERLAP + 135),
            last_event="CONNECT",
            line_number=6,
        ),
        UnfinishedCall(
            call_id="1772586149.402",
            queue="support",
            entered_at=utc(OVERLAP + 150),
            caller="13800000002",
            called="",
            agent="PJSIP/3002",
            answered_at=utc(OVERLAP + 182),
            last_event="CONNECT",
            line_number=10,
        ),
    ]


def test_agent_states_still_running_at_the_end_of_the_file_are_open_not_closed():
    assert of_type(read("overlap_part1.log"), OpenState) == [
        OpenState("PJSIP/3001", READY, utc(OVERLAP)),
        OpenState("PJSIP/3002", READY, utc(OVERLAP)),  # on a call from 182
        OpenState("PJSIP/3003", READY, utc(OVERLAP + 135)),  # its CONNECT logged it in
    ]


def test_one_assembler_carries_open_calls_from_a_rotated_file_into_the_next():
    assembler = QueueLogAssembler()
    first = list(read_queue_log(fixture_lines("overlap_part1.log"), assembler))
    second = list(read_queue_log(fixture_lines("overlap_part2.log"), assembler))
    assert not of_type(first, UnfinishedCall)
    assert the_record(second, "1772586119.405", "support").caller == "13800000005"
    leftovers = assembler.finish()
    assert leftovers.calls == []
    assert leftovers.states == [
        OpenState("PJSIP/3002", READY, utc(OVERLAP)),
        OpenState("PJSIP/3003", READY, utc(OVERLAP + 135)),
    ]


# Behaviours shown with a few lines


def test_a_did_names_the_called_number_of_every_queue_the_call_visits():
    items = events(
        "100|5.1|support|NONE|DID|4008001000",
        "100|5.1|support|NONE|ENTERQUEUE||13800001111|1|",
        "130|5.1|support|NONE|EXITWITHTIMEOUT|1|1|30",
        "131|5.1|overflow|NONE|ENTERQUEUE||13800001111|1|",
        "140|5.1|overflow|NONE|ABANDON|1|1|9",
    )
    assert [record.called for record in records(items)] == ["4008001000", "4008001000"]


def test_withdraw_ends_the_visit_without_an_outcome():
    items = events(
        "100|5.1|support|NONE|ENTERQUEUE||13800001111|1|",
        "160|5.1|support|NONE|WITHDRAW|1|1|60|callback",
    )
    (unfinished,) = items
    assert isinstance(unfinished, UnfinishedCall)
    assert (unfinished.entered_at, unfinished.last_event, unfinished.line_number) == (
        utc(100),
        "WITHDRAW",
        2,
    )


def test_an_asterisk_restart_gives_up_the_calls_open_before_it():
    items = events(
        "90|MANAGER|support|PJSIP/1001|ADDMEMBER|",
        "100|5.1|support|NONE|ENTERQUEUE||13800001111|1|",
        "110|5.1|support|PJSIP/1001|CONNECT|10|5.2|1",
        "200|NONE|NONE|NONE|QUEUESTART|",
    )
    # The agent's state is the member's, which a restart does not end; the call given up
    # has no talk time to cut out of it.
    assert [type(item) for item in items] == [UnfinishedCall, OpenState]
    assert items[1] == OpenState("PJSIP/1001", READY, utc(90))


def test_a_visit_silent_for_longer_than_max_open_is_given_up():
    assembler = QueueLogAssembler(max_open_s=3600)
    lines = [
        "1000|5.1|support|NONE|ENTERQUEUE||13800001111|1|",
        "2000|6.1|support|NONE|ENTERQUEUE||13800002222|1|",
        "5000|6.1|support|NONE|ABANDON|1|1|3000",
        "9000|NONE|NONE|NONE|CONFIGRELOAD|",
    ]
    out = list(read_queue_log(lines, assembler))
    # Sweeps run as log time passes: 5.1 is given up before 6.1's end is read.
    assert [(type(item), getattr(item, "call_id", "")) for item in out] == [
        (UnfinishedCall, "5.1"),
        (CallRecord, "6.1"),
    ]
    assert assembler.finish().calls == []


def test_a_second_enterqueue_gives_up_the_visit_that_never_ended():
    items = events(
        "100|5.1|support|NONE|ENTERQUEUE||13800001111|1|",
        "300|5.1|support|NONE|ENTERQUEUE||13800001111|1|",
        "310|5.1|support|NONE|ABANDON|1|1|10",
    )
    assert [type(item) for item in items] == [UnfinishedCall, CallRecord]
    assert records(items)[0].entered_at == utc(300)


def test_the_same_enterqueue_twice_is_one_visit():
    line = "100|5.1|support|NONE|ENTERQUEUE||13800001111|1|"
    items = events(line, line, "110|5.1|support|NONE|ABANDON|1|1|10")
    assert [type(item) for item in items] == [CallRecord]


def test_a_state_that_lasts_no_time_makes_no_interval():
    items = events(
        "100|MANAGER|support|PJSIP/1001|ADDMEMBER|",
        "200|NONE|support|PJSIP/1001|PAUSE|break",
        "200|NONE|support|PJSIP/1001|UNPAUSE|",
        "300|MANAGER|support|PJSIP/1001|REMOVEMEMBER|",
    )
    assert of_type(items, StateInterval) == [
        StateInterval("PJSIP/1001", READY, utc(100), utc(200)),
        StateInterval("PJSIP/1001", READY, utc(200), utc(300)),
    ]


def test_an_agent_added_paused_starts_not_ready():
    items = events(
        "100|MANAGER|support|PJSIP/1001|ADDMEMBER|PAUSED",
        "160|NONE|support|PJSIP/1001|UNPAUSE|",
    )
    assert of_type(items, StateInterval) == [
        StateInterval("PJSIP/1001", NOT_READY, utc(100), utc(160))
    ]


def test_an_agent_removed_from_one_of_two_queues_stays_logged_in():
    items = events(
        "100|MANAGER|support|PJSIP/1001|ADDMEMBER|",
        "100|MANAGER|billing|PJSIP/1001|ADDMEMBER|",
        "200|MANAGER|support|PJSIP/1001|REMOVEMEMBER|",
        "300|MANAGER|billing|PJSIP/1001|REMOVEMEMBER|",
    )
    assert of_type(items, StateInterval) == [StateInterval("PJSIP/1001", READY, utc(100), utc(300))]
    assert not of_type(items, OpenState)


@pytest.mark.parametrize("name", sorted(KNOWN_EVENTS))
def test_every_known_event_is_read_not_returned_as_unknown(name):
    items = events(f"100|5.1|support|PJSIP/1001|{name}|1|2|3|4|5")
    assert not of_type(items, UnknownEvent)


def test_events_that_say_nothing_about_calls_or_states_are_consumed_silently():
    lines = [
        f"100|5.1|support|PJSIP/1001|{name}|15000"
        for name in ("CONFIGRELOAD", "INFO", "SYSCOMPAT", "RINGNOANSWER", "RINGCANCELED")
    ] + ["100|5.1|support|PJSIP/1001|AGENTDUMP|", "100|NONE|support|SIP/1|PENALTY|2"]
    assert events(*lines) == []


# Generated logs

PLAIN_ENDS = {
    Outcome.ABANDONED: "ABANDON|1|1|{wait}",
    Outcome.TIMEOUT: "EXITWITHTIMEOUT|1|1|{wait}",
    Outcome.LEFT_WITH_KEY: "EXITWITHKEY|0|1|1|{wait}",
    Outcome.NO_AGENTS: "EXITEMPTY|1|1|{wait}",
}
ANSWERED_ENDS = [
    "COMPLETEAGENT|{wait}|{talk}|1",
    "COMPLETECALLER|{wait}|{talk}|1",
    "TRANSFER|2001|from-internal|{wait}|{talk}|1",
    "BLINDTRANSFER|2001|from-internal|{wait}|{talk}|1",
    "ATTENDEDTRANSFER|BRIDGE|b-1|{wait}|{talk}|1",
]

calls = st.lists(
    st.tuples(
        st.integers(0, 3600),  # entered, seconds into the hour
        st.integers(0, 600),  # wait
        st.integers(0, 1800),  # talk
        st.sampled_from([*PLAIN_ENDS, *ANSWERED_ENDS]),
        st.sampled_from(["PJSIP/1001", "PJSIP/1002", "Agent/1003"]),
        st.sampled_from(["support", "billing"]),
    ),
    max_size=25,
)


def generated_log(calls) -> tuple[list[str], dict[str, tuple]]:
    """Lines for the calls in time order, and each call's expected (queue, outcome, ...)."""
    lines, expected = [], {}
    for n, (entered, wait, talk, end, agent, queue) in enumerate(calls):
        start = 1772413200 + entered
        call_id = f"{start}.{n}"
        head = f"{call_id}|{queue}"
        lines.append((start, 0, n, f"{start}|{head}|NONE|ENTERQUEUE||1380000{n:04}|1|"))
        if isinstance(end, Outcome):
            tail = PLAIN_ENDS[end].format(wait=wait)
            lines.append((start + wait, 2, n, f"{start + wait}|{head}|NONE|{tail}"))
            expected[call_id] = (queue, end, start, wait, 0, "")
        else:
            answered, ended = start + wait, start + wait + talk
            connect = f"{answered}|{head}|{agent}|CONNECT|{wait}|{answered}.9|2"
            lines.append((answered, 1, n, connect))
            lines.append(
                (ended, 2, n, f"{ended}|{head}|{agent}|{end.format(wait=wait, talk=talk)}")
            )
            expected[call_id] = (queue, Outcome.ANSWERED, start, wait, talk, agent)
    return [line for *_order, line in sorted(lines)], expected


def summary(record: CallRecord) -> tuple:
    return (
        record.queue,
        record.outcome,
        int(record.entered_at.timestamp()),
        record.wait_s,
        record.talk_s,
        record.agent,
    )


@given(calls)
def test_every_generated_call_with_an_end_makes_exactly_one_matching_record(calls):
    lines, expected = generated_log(calls)
    made = records(list(read_queue_log(lines)))
    assert sorted(record.call_id for record in made) == sorted(expected)
    for record in made:
        assert record.wait_s >= 0
        assert summary(record) == expected[record.call_id]


@given(calls, st.data())
def test_a_generated_log_cut_anywhere_gives_the_same_records_from_the_cut_on(calls, data):
    lines, _expected = generated_log(calls)
    cut = data.draw(st.integers(0, len(lines)))
    whole = {record.call_id: record for record in records(list(read_queue_log(lines)))}
    for record in records(list(read_queue_log(lines[cut:]))):
        assert record._replace(caller=whole[record.call_id].caller) == whole[record.call_id]


@given(calls)
def test_an_agents_intervals_follow_one_another_without_overlap(calls):
    lines, _expected = generated_log(calls)
    intervals = of_type(list(read_queue_log(lines)), StateInterval)
    for agent in {interval.agent for interval in intervals}:
        mine = [interval for interval in intervals if interval.agent == agent]
        assert all(interval.started_at < interval.ended_at for interval in mine)
        assert all(a.ended_at <= b.started_at for a, b in zip(mine, mine[1:], strict=False))


garbled = st.lists(
    st.tuples(
        st.integers(0, 4000),
        st.sampled_from(["5.1", "6.1", "NONE"]),
        st.sampled_from(["support", "billing", "NONE"]),
        st.sampled_from(["PJSIP/1001", "Agent/1002", "NONE"]),
        st.sampled_from(sorted(KNOWN_EVENTS | {"WITHDRAW", "CUSTOM"})),
        st.lists(st.sampled_from(["", "5", "-3", "nan", "inf", "1e300", "x", "PAUSED", "LINK"])),
    ),
    max_size=40,
)


@given(garbled)
def test_any_sequence_of_known_events_with_garbled_fields_is_assembled_without_error(lines):
    text = ["|".join([str(epoch), *fields, *data]) for epoch, *fields, data in lines]
    for item in read_queue_log(text):
        if isinstance(item, CallRecord):
            assert item.wait_s >= 0 and item.talk_s >= 0
            assert item.ended_at is not None and item.entered_at <= item.ended_at
        elif isinstance(item, StateInterval):
            assert item.started_at < item.ended_at


durations = st.floats(min_value=0, max_value=86_400 * 30, allow_nan=False)


@given(st.floats(min_value=0, max_value=4e9, allow_nan=False), durations, durations)
def test_a_record_and_an_interval_keep_their_lines_times_to_the_microsecond(end, wait, talk):
    # The reader packs times as microseconds; they must round as datetime.fromtimestamp does.
    items = list(
        read_queue_log(
            [
                f"{end - wait - talk!r}|MANAGER|support|PJSIP/1001|ADDMEMBER|",
                f"{end!r}|7.1|support|PJSIP/1001|COMPLETECALLER|{wait!r}|{talk!r}|1",
                f"{end!r}|MANAGER|support|PJSIP/1001|PAUSE|lunch",
            ]
        )
    )
    (record,) = records(items)
    assert record.ended_at == datetime.fromtimestamp(end, UTC)
    assert record.entered_at == datetime.fromtimestamp(end - talk - wait, UTC)
    for interval in of_type(items, StateInterval):
        assert interval.started_at == datetime.fromtimestamp(end - wait - talk, UTC)
        assert interval.ended_at == datetime.fromtimestamp(end, UTC)


@given(garbled, st.integers(1, 30))
def test_read_in_batches_of_any_size_hands_on_what_is_read_one_by_one(lines, size):
    text = ["|".join([str(epoch), *fields, *data]) for epoch, *fields, data in lines]
    one_by_one = list(read_queue_log(text))
    assembler = QueueLogAssembler()
    batches = list(assembler.read(text, size))
    leftovers = assembler.finish()
    assert [unpack_call(call) for batch in batches for call in batch.calls] == records(one_by_one)
    assert [unpack_state(state) for batch in batches for state in batch.states] == of_type(
        one_by_one, StateInterval
    )
    others = [item for item in one_by_one if not isinstance(item, CallRecord | StateInterval)]
    assert [other for batch in batches for other in batch.others] + [
        *leftovers.calls,
        *leftovers.states,
    ] == others
    # A batch is handed on at the first line that brings it to `size` items, and the last
    # holds what came after.
    sizes = [len(batch.calls) + len(batch.states) + len(batch.others) for batch in batches]
    assert all(held >= size for held in sizes[:-1]) and sizes[-1] < size
    # Each says how many lines had been read: those that completed it and the ones before.
    assert batches[-1].lines == len(text)
    for batch, held in zip(batches, itertools.accumulate(sizes), strict=True):
        (alone,) = QueueLogAssembler().read(text[: batch.lines], 10**9)
        assert len(alone.calls) + len(alone.states) + len(alone.others) == held
