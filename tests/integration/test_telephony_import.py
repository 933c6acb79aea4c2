"""Importing telephony files: calls and agent states stored once, bad lines reported."""

import datetime
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from hotline.contacts import telephony_import
from hotline.contacts.call_store import (
    Resolver,
    keep_open_states,
    open_states,
    store_state_intervals,
)
from hotline.contacts.importers import IMPORTERS
from hotline.contacts.models import (
    AgentStateInterval,
    BadTelephonyLine,
    Contact,
    Queue,
    TelephonyImport,
    UnknownTelephonyEvent,
)
from hotline.contacts.telephony_import import import_telephony_files
from hotline.core.contact_records import AgentState, OpenState, StateInterval

FIXTURES = Path(__file__).parent.parent / "fixtures"
CALLS_CSV = FIXTURES / "calls" / "calls.csv"
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def test_a_calls_csv_keeps_the_good_rows_and_reports_each_bad_one(cast, customer):
    run = import_telephony_files([CALLS_CSV], "calls_csv")[0]
    assert (run.lines_read, run.calls, run.bad_lines) == (9, 4, 4)
    bad = {line.line_number: line.reason for line in BadTelephonyLine.objects.all()}
    assert set(bad) == {5, 6, 7, 8}
    assert "outcome 'exploded'" in bad[5]
    assert "ISO 8601" in bad[6]
    assert "negative" in bad[7]
    assert "fields" in bad[8]
    answered = Contact.objects.get(call_id="1762045200.1")
    assert answered.entered_queue_at == datetime.datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI)
    assert (answered.outcome, answered.wait_s, answered.talk_s, answered.hold_s) == (
        "answered",
        12,
        230,
        10,
    )
    assert answered.after_call_work_s == 25 and answered.ivr_path == "1>2"
    assert answered.agent == cast["xiaowang"]  # SIP/10001 is agent ID 10001
    assert answered.customer == customer  # by the caller's number
    # A time without an offset is the center's local time.
    local = Contact.objects.get(call_id="1762045320.3").entered_queue_at
    assert local == datetime.datetime(2026, 11, 2, 9, 2, tzinfo=SHANGHAI)
    assert set(Queue.objects.values_list("code", flat=True)) == {"GEN", "BB"}


def test_importing_the_same_file_twice_adds_nothing(cast, customer):
    import_telephony_files([CALLS_CSV], "calls_csv")[0]
    before = list(Contact.objects.order_by("call_id").values())
    import_telephony_files([CALLS_CSV], "calls_csv")[0]
    assert list(Contact.objects.order_by("call_id").values()) == before
    assert TelephonyImport.objects.count() == 2


def test_a_later_record_of_a_call_fills_in_without_erasing_what_was_known(cast, tmp_path):
    first = tmp_path / "first.csv"
    first.write_text(
        "call_id,queue,entered_at,outcome,wait_s,caller\n"
        "1.1,GEN,2026-11-02T09:00:00+08:00,answered,12,13812345678\n"
    )
    second = tmp_path / "second.csv"
    second.write_text(
        "call_id,queue,entered_at,outcome,wait_s,caller,talk_s\n"
        "1.1,GEN,2026-11-02T09:00:00+08:00,answered,12,,300\n"
    )
    import_telephony_files([first], "calls_csv")[0]
    import_telephony_files([second], "calls_csv")[0]
    contact = Contact.objects.get()
    assert (contact.caller_number, contact.talk_s) == ("13812345678", 300)


def test_a_file_part_stored_before_is_merged_where_it_overlaps_and_whole_elsewhere(
    cast, tmp_path, monkeypatch
):
    # Batches of two: the first is new (on PostgreSQL copied straight in), the second meets
    # the calls stored before and is merged, and so is the new one after it.
    monkeypatch.setattr(telephony_import, "BATCH", 2)
    header = "call_id,queue,entered_at,outcome,wait_s,caller,talk_s\n"
    earlier = tmp_path / "earlier.csv"
    earlier.write_text(
        header
        + "3.1,GEN,2026-11-02T09:03:00+08:00,answered,5,13800000003,\n"
        + "4.1,GEN,2026-11-02T09:04:00+08:00,abandoned,40,13800000004,\n"
    )
    later = tmp_path / "later.csv"
    later.write_text(
        header
        + "".join(
            f"{n}.1,GEN,2026-11-02T09:0{n}:00+08:00,answered,{n},{'' if n == 3 else n},{n}0\n"
            for n in range(1, 7)
        )
    )
    import_telephony_files([earlier], "calls_csv")
    import_telephony_files([later], "calls_csv")
    stored = {
        call_id: (outcome, caller, talk)
        for call_id, outcome, caller, talk in Contact.objects.values_list(
            "call_id", "outcome", "caller_number", "talk_s"
        )
    }
    assert Contact.objects.count() == 6
    assert stored["3.1"] == ("answered", "13800000003", 30)  # the empty caller kept the stored one
    assert stored["4.1"] == ("answered", "4", 40)
    assert stored["1.1"] == ("answered", "1", 10) and stored["6.1"] == ("answered", "6", 60)


def test_a_stored_state_that_began_long_before_a_batch_still_cuts_the_batch(db):
    # A meeting recorded live from 08:00 to 12:00; a log read later says the agent was
    # ready at 10:00–10:30 and 11:50–12:10. The meeting wins where they overlap, however
    # long before the batch it began.
    def at(hour, minute=0):
        return datetime.datetime(2026, 11, 2, hour, minute, tzinfo=SHANGHAI)

    agent = "PJSIP/10001"
    meeting = StateInterval(agent, AgentState.NOT_READY, at(8), at(12), "meeting")
    store_state_intervals([meeting], "cti", Resolver())
    store_state_intervals(
        [
            StateInterval(agent, AgentState.READY, at(10), at(10, 30)),
            StateInterval(agent, AgentState.READY, at(11, 50), at(12, 10)),
        ],
        "queue_log",
        Resolver(),
    )
    assert states() == [
        (agent, "not_ready", "meeting", at(8), at(12)),
        (agent, "ready", "", at(12), at(12, 10)),
    ]


def test_callers_are_found_by_their_exact_numbers_whatever_they_hold(customer):
    found = Resolver().customer_ids(
        {"13812345678", "KD02500000001", "1381234567", "13812345678\nKD02500000001", "", "'"}
    )
    assert found == {"13812345678": customer.pk, "KD02500000001": customer.pk}


def test_an_agents_open_state_is_kept_until_a_later_one_replaces_it(db):
    def at(hour):
        return datetime.datetime(2026, 11, 2, hour, tzinfo=SHANGHAI)

    ready, paused = AgentState.READY, AgentState.NOT_READY
    keep_open_states(
        [
            OpenState("PJSIP/1", ready, at(8), ""),
            OpenState("PJSIP/1", paused, at(9), "meal"),  # later in the same import: it wins
            OpenState("PJSIP/2", ready, at(9), ""),
        ]
    )
    keep_open_states(
        [
            OpenState("PJSIP/1", ready, at(10), ""),  # a later log: replaces
            OpenState("PJSIP/2", paused, at(8), "break"),  # an earlier log read again: does not
            OpenState("PJSIP/3", ready, at(8), ""),
        ]
    )
    assert sorted(open_states(), key=lambda state: state.agent) == [
        OpenState("PJSIP/1", ready, at(10), ""),
        OpenState("PJSIP/2", ready, at(9), ""),
        OpenState("PJSIP/3", ready, at(8), ""),
    ]


def test_a_batch_of_states_stored_time_covers_wholly_stores_nothing(db):
    def at(hour, minute=0):
        return datetime.datetime(2026, 11, 2, hour, minute, tzinfo=SHANGHAI)

    agent = "PJSIP/10001"
    meeting = StateInterval(agent, AgentState.NOT_READY, at(8), at(12), "meeting")
    store_state_intervals([meeting], "cti", Resolver())
    store_state_intervals(
        [StateInterval(agent, AgentState.READY, at(10), at(10, 30))], "queue_log", Resolver()
    )
    assert states() == [(agent, "not_ready", "meeting", at(8), at(12))]


def test_a_csv_without_the_required_columns_is_refused_by_name(db, tmp_path):
    path = tmp_path / "calls.csv"
    path.write_text("call_id,queue\n1,GEN\n")
    with pytest.raises(CommandError, match="wait_s"):
        call_command("import-calls", str(path), verbosity=0)


def test_the_command_reports_what_it_read(cast, tmp_path, capsys):
    path = tmp_path / "calls.csv"
    shutil.copy(CALLS_CSV, path)
    call_command("import-calls", "--importer", "calls_csv", str(path), verbosity=0)
    out, err = capsys.readouterr()
    assert "9 lines: 4 calls" in out and "4 lines not used" in out
    assert f"{path}:5: outcome 'exploded'" in err


QUEUE_LOG = FIXTURES / "queue_log"


def contacts() -> list[tuple]:
    return list(
        Contact.objects.order_by("call_id", "queue").values_list(
            "call_id",
            "queue",
            "entered_queue_at",
            "outcome",
            "wait_s",
            "talk_s",
            "transfers",
            "agent_name",
            "caller_number",
        )
    )


def states() -> list[tuple]:
    return list(
        AgentStateInterval.objects.order_by("agent_name", "started_at").values_list(
            "agent_name", "state", "reason", "started_at", "ended_at"
        )
    )


def test_a_queue_log_becomes_calls_and_agent_states(db):
    (run,) = import_telephony_files([QUEUE_LOG / "asterisk13.log"], "queue_log")
    assert run.bad_lines == 0 and run.lines_read == 41
    first = Contact.objects.get(call_id="1772413299.101")
    assert (first.outcome, first.wait_s, first.talk_s) == ("answered", 20, 120)
    assert (first.caller_number, first.called_number, first.agent_name) == (
        "13800001111",
        "4008001000",
        "PJSIP/1002",
    )
    assert Contact.objects.get(call_id="1772413499.102").outcome == "abandoned"
    assert Contact.objects.get(call_id="1772413639.105").transfers == 1
    assert Contact.objects.get(call_id="1772413699.103").outcome == "timeout"
    assert Contact.objects.get(call_id="1772414099.104").outcome == "left_with_key"
    breaks = AgentStateInterval.objects.filter(agent_name="PJSIP/1001", state="not_ready")
    assert {interval.reason for interval in breaks} >= {"break", "training"}


def test_an_imported_agents_time_on_calls_is_cut_from_their_states_by_the_calls(db, capsys):
    import_telephony_files([QUEUE_LOG / "asterisk13.log"], "queue_log")
    # Stored: one interval each time PJSIP/1001 paused or unpaused, none per call.
    assert [state[1:3] for state in states() if state[0] == "PJSIP/1001"] == [
        ("ready", ""),
        ("not_ready", "break"),
        ("ready", ""),
        ("not_ready", "training"),
        ("ready", ""),
    ]
    call_command(
        "kpi",
        *("--from", "2026-03-02", "--to", "2026-03-02", "--group", "agent"),
        *("--format", "json", "--kpis", "occupancy"),
    )
    occupancy = {row["group"]: row["occupancy"] for row in json.loads(capsys.readouterr().out)}
    # PJSIP/1001 talked 452-547 s (paused for training from 520 on) and 1110-1140 s of the
    # file; staffed: ready 10-130, 430-520, 1000-1800 and the 27 paused seconds on the call.
    assert occupancy["PJSIP/1001"] == pytest.approx((95 + 30) / (120 + 90 + 800 + 27))
    # PJSIP/1002: ready 12-700 s, on calls 120-240 and 467-677.
    assert occupancy["PJSIP/1002"] == pytest.approx((120 + 210) / 688)


def test_a_corrupted_queue_log_keeps_the_good_lines_and_each_unknown_event(db):
    (run,) = import_telephony_files([QUEUE_LOG / "corrupted.log"], "queue_log")
    bad = dict(BadTelephonyLine.objects.values_list("line_number", "reason"))
    assert run.bad_lines == len(bad) > 0
    assert all(reason for reason in bad.values())
    answered = Contact.objects.get(call_id="1772499699.301")
    assert (answered.outcome, answered.talk_s) == ("answered", 120)
    assert Contact.objects.get(call_id="1772499759.303").outcome == "abandoned"
    assert UnknownTelephonyEvent.objects.get().text.startswith("1772499730|NONE|support")
    import_telephony_files([QUEUE_LOG / "corrupted.log"], "queue_log")
    assert UnknownTelephonyEvent.objects.count() == 1


def test_overlapping_queue_logs_give_the_records_of_the_whole_log(db, tmp_path):
    whole = tmp_path / "whole.log"
    part1 = (QUEUE_LOG / "overlap_part1.log").read_text()
    part2 = (QUEUE_LOG / "overlap_part2.log").read_text()
    lines = part1.splitlines(keepends=True)
    whole.write_text(
        part1 + "".join(line for line in part2.splitlines(keepends=True) if line not in lines)
    )
    import_telephony_files([whole], "queue_log")
    expected_calls, expected_states = contacts(), states()
    Contact.objects.all().delete()
    AgentStateInterval.objects.all().delete()

    import_telephony_files([QUEUE_LOG / "overlap_part1.log"], "queue_log")
    import_telephony_files([QUEUE_LOG / "overlap_part2.log"], "queue_log")
    assert [call[:8] for call in contacts()] == [call[:8] for call in expected_calls]
    # The second file alone does not know the callers whose calls began in the first.
    assert {call[8] for call in contacts()} >= {call[8] for call in expected_calls} - {""}

    import_telephony_files(
        [QUEUE_LOG / "overlap_part1.log", QUEUE_LOG / "overlap_part2.log"], "queue_log"
    )
    assert contacts() == expected_calls
    assert states() == expected_states


def test_importing_a_queue_log_twice_changes_nothing(db):
    files = [QUEUE_LOG / "asterisk13.log", QUEUE_LOG / "asterisk14.log"]
    import_telephony_files(files, "queue_log")
    calls, intervals = contacts(), states()
    import_telephony_files(files, "queue_log")
    assert (contacts(), states()) == (calls, intervals)


def test_import_queue_log_reports_each_file(db, capsys):
    call_command("import-queue-log", str(QUEUE_LOG / "corrupted.log"), verbosity=0)
    out, err = capsys.readouterr()
    assert "corrupted.log: 17 lines" in out and "1 unknown events kept" in out
    assert "corrupted.log:" in err


def test_every_registered_importer_is_documented():
    documented = (Path(__file__).parents[2] / "docs" / "contacts.md").read_text()
    for name in IMPORTERS:
        assert f"`{name}`" in documented, name
