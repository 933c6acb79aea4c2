"""Telephony files read in a child process ahead of the writer (contacts.read_ahead)."""

import multiprocessing
import os
import signal
from types import SimpleNamespace

import pytest

from hotline.contacts import read_ahead
from hotline.contacts.models import AgentStateInterval, Contact
from hotline.contacts.telephony_import import import_telephony_files
from hotline.core.contact_records import CallRecord

from .test_telephony_import import QUEUE_LOG, contacts, states

FILES = [QUEUE_LOG / "asterisk13.log", QUEUE_LOG / "corrupted.log", QUEUE_LOG / "asterisk14.log"]


def test_batches_read_ahead_are_those_read_in_place():
    ahead = list(read_ahead.read_ahead("queue_log", "Asia/Shanghai", [], FILES, 7))
    in_place = list(read_ahead.read_batches("queue_log", "Asia/Shanghai", [], FILES, 7))
    assert ahead == in_place
    assert [(batch.file, batch.last_of_file) for batch in ahead if batch.last_of_file] == [
        (0, True),
        (1, True),
        (2, True),
        (None, True),
    ]
    assert max(len(batch.items) for batch in ahead) == 7


def test_a_daemon_process_reads_in_place_and_stores_the_same(db, monkeypatch):
    import_telephony_files(FILES, "queue_log")
    expected = contacts(), states()
    Contact.objects.all().delete()
    AgentStateInterval.objects.all().delete()
    daemon = SimpleNamespace(daemon=True)
    monkeypatch.setattr(read_ahead.multiprocessing, "current_process", lambda: daemon)
    monkeypatch.setattr(read_ahead.multiprocessing, "get_context", no_children)
    import_telephony_files(FILES, "queue_log")
    assert (contacts(), states()) == expected


def no_children(*_arguments):
    raise AssertionError("a daemonic process may not have children")


def test_a_reader_that_dies_is_an_error_not_a_wait(tmp_path):
    log = tmp_path / "long.log"
    log.write_text(
        "".join(
            f"{1772413200 + n}|{n}.1|support|NONE|ENTERQUEUE||1380000{n:04d}|1|\n"
            f"{1772413201 + n}|{n}.1|support|NONE|ABANDON|1|1|1\n"
            for n in range(5000)
        )
    )
    batches = read_ahead.read_ahead("queue_log", "Asia/Shanghai", [], [log], 10)
    first = next(batches)
    assert isinstance(first.items[0], CallRecord)
    (reader,) = multiprocessing.active_children()
    os.kill(reader.pid, signal.SIGKILL)
    with pytest.raises(RuntimeError, match="reader stopped"):
        for _batch in batches:
            pass
    assert not multiprocessing.active_children()
