"""Telephony files read in a child process ahead of the writer (contacts.read_ahead)."""

import contextlib
import multiprocessing
import os
import pickle
import signal
import time
from pathlib import Path

import pytest

from hotline.contacts import read_ahead

# No Django here: a spawned process imports this module to run `batches_read_ahead`.
QUEUE_LOG = Path(__file__).parent.parent / "fixtures" / "queue_log"
FILES = [QUEUE_LOG / "asterisk13.log", QUEUE_LOG / "corrupted.log", QUEUE_LOG / "asterisk14.log"]


def test_batches_read_ahead_are_those_read_in_place():
    ahead = list(read_ahead.read_ahead("queue_log", "Asia/Shanghai", [], FILES, 7))
    in_place = list(read_ahead.read_batches("queue_log", "Asia/Shanghai", [], FILES, 7))
    assert ahead == in_place
    # Each file's batches in turn, none spanning two; what is still open comes last.
    assert [batch.file for batch in ahead] == [0, 0, 0, 1, 1, 2, 2, None]
    assert max(len(batch.calls) + len(batch.states) + len(batch.others) for batch in ahead) == 7


def batches_read_ahead(paths: list[Path], result) -> None:
    result.put(list(read_ahead.read_ahead("queue_log", "Asia/Shanghai", [], paths, 7)))


def test_a_daemonic_process_such_as_a_celery_worker_reads_ahead_too():
    context = multiprocessing.get_context("spawn")
    result = context.Queue()
    worker = context.Process(target=batches_read_ahead, args=(FILES, result), daemon=True)
    worker.start()
    batches = result.get(timeout=30)
    worker.join()
    assert batches == list(read_ahead.read_batches("queue_log", "Asia/Shanghai", [], FILES, 7))


def test_an_error_in_the_reader_is_raised_as_it_was_raised_there(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing.log"):
        list(read_ahead.read_ahead("queue_log", "Asia/Shanghai", [], [tmp_path / "missing.log"], 7))


def children() -> list[int]:
    pid = os.getpid()
    return [
        int(child)
        for task in os.listdir(f"/proc/{pid}/task")
        for child in Path(f"/proc/{pid}/task/{task}/children").read_text().split()
    ]


def test_a_reader_that_dies_is_an_error_not_a_wait(tmp_path):
    log = tmp_path / "long.log"
    log.write_text(
        "".join(
            f"{1772413200 + n}|{n}.1|support|NONE|ENTERQUEUE||1380000{n:04d}|1|\n"
            f"{1772413201 + n}|{n}.1|support|NONE|ABANDON|1|1|1\n"
            for n in range(50_000)
        )
    )
    before = set(children())
    batches = read_ahead.read_ahead("queue_log", "Asia/Shanghai", [], [log], 10)
    first = next(batches)
    assert first.calls[0][:2] == ("0.1", "support")  # packed: call id and queue first
    (reader,) = set(children()) - before
    os.kill(reader, signal.SIGKILL)
    with pytest.raises(RuntimeError, match="reader stopped"):
        for _batch in batches:
            pass
    assert reader not in children()


@contextlib.contextmanager
def taker_holding(depth: int, messages: int):
    """A taker of `depth` on a pipe `messages` were written into, once it holds `depth`;
    and the pipe's writing end."""
    read_end, write_end = os.pipe()
    with open(read_end, "rb") as stream, open(write_end, "wb") as pipe:
        taker = read_ahead._Taker(stream, depth)
        taker.start()
        for number in range(messages):
            read_ahead._write_message(pipe, number)
        deadline = time.monotonic() + 10
        while not taker.messages.full() and time.monotonic() < deadline:
            time.sleep(0.01)
        yield taker, pipe


def test_the_writer_s_thread_takes_messages_off_the_pipe_ahead_of_it():
    with taker_holding(depth=2, messages=3) as (taker, pipe):
        # Two held while the writer takes none; the third waits on the pipe, not lost.
        assert taker.messages.qsize() == 2
        pipe.write(read_ahead._LENGTH.pack(100) + b"cut short")
        pipe.close()
        taken = [taker.messages.get(timeout=10) for _ in range(4)]
        assert [pickle.loads(message) for message in taken[:3]] == [0, 1, 2]
        assert taken[3] is None  # the end, the message cut short with it
        taker.stop()


def test_a_writer_that_stops_early_leaves_no_thread_waiting():
    with taker_holding(depth=1, messages=2) as (taker, pipe):
        pipe.close()
        taker.stop()  # with the queue full: the thread gives up its next message and ends
        assert not taker.is_alive()
