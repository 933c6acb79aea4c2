"""Telephony files read in a process of their own, ahead of the database.

Reading and assembling a line costs the importer about as much CPU as storing what it
yields costs PostgreSQL, and in one process the two take turns: the reader waits while
a batch is written. `read_ahead` runs the registered importer (pure Python, no Django,
no database) in a child process, `python -m hotline.contacts.read_ahead`, which pickles
its batches to its standard output, so the next batches are assembled while the
database takes the last one. Calls and agent states cross packed as plain tuples
(hotline.core.packed_records): pickling records with their datetimes cost more than
reading them. The pipe holds at most about a megabyte, half a batch of 20,000 records
(about 1.9 MiB pickled), so a thread of the caller's takes each batch off it as it comes
and holds up to BATCHES_AHEAD of them: the reader runs on while the writer waits for the
database, and memory stays flat (about 16 MiB of batches at most). A plain
child process rather than multiprocessing's: it imports nothing of the caller's (no
copy of its database connections, no re-import of its main script) and may be started
from a daemonic process such as a Celery worker.
"""

import contextlib
import fcntl
import gc
import pickle
import queue
import struct
import subprocess
import sys
import threading
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from zoneinfo import ZoneInfo

from hotline.contacts.importers import importer_named
from hotline.core.contact_records import OpenState, OtherItem
from hotline.core.packed_records import PackedCall, PackedState

PIPE_BYTES = 1 << 20
# With only the pipe between them the reader, a batch ahead, waited whenever the writer
# waited for PostgreSQL, and a core stood idle a tenth of the time (10M lines).
BATCHES_AHEAD = 8
# Each message crosses the pipe as its length, then its pickle, so that the thread taking
# it off reads bytes (without the GIL) and the writer unpickles it in one call.
_LENGTH = struct.Struct("<Q")


@dataclass(frozen=True)
class Batch:
    """What was read from file number `file` (an index into the paths; None for what was
    still open after the last file) — the calls and agent states packed, the other items
    (unfinished calls, open states, bad lines, unknown events) as they are — and how many
    of its lines have been read."""

    file: int | None
    calls: list[PackedCall]
    states: list[PackedState]
    others: list[OtherItem]
    lines: int


@dataclass(frozen=True)
class _Failed:
    error: BaseException


def read_batches(
    importer: str, zone: str, open_states: list[OpenState], paths: list[Path], size: int
) -> Iterator[Batch]:
    """The files' items, about `size` at a time (a batch never spans two files); then the
    leftovers. The files are read in order by one importer."""
    reader = importer_named(importer)(ZoneInfo(zone))
    reader.resume(open_states)
    for number, path in enumerate(paths):
        with open(path, encoding="utf-8", errors="replace", newline=reader.newline) as file:
            for calls, states, others, lines in reader.read(file, size):
                yield Batch(number, calls, states, others, lines)
    yield Batch(None, [], [], list(reader.finish()), 0)


def read_ahead(
    importer: str, zone: str, open_states: list[OpenState], paths: list[Path], size: int
) -> Iterator[Batch]:
    """`read_batches`, read by a child process while the caller stores each batch.

    An error in the child is raised here as it was raised there; a child that dies
    without a word is a RuntimeError.
    """
    child = subprocess.Popen(
        [sys.executable, "-m", __name__], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    assert child.stdin is not None and child.stdout is not None
    resize = getattr(fcntl, "F_SETPIPE_SZ", None)  # Linux only; elsewhere pipes keep theirs
    if resize is not None:
        with contextlib.suppress(OSError):  # over the system's limit: the default size
            fcntl.fcntl(child.stdout, resize, PIPE_BYTES)
    taker = _Taker(child.stdout, BATCHES_AHEAD)
    taker.start()
    with child:  # on leaving: its pipes closed, its exit waited for
        try:
            arguments = (importer, zone, open_states, [str(path) for path in paths], size)
            pickle.dump(arguments, child.stdin)
            child.stdin.close()
            yield from _received(taker, child)
        finally:
            if child.poll() is None:
                child.kill()
            taker.stop()


class _Taker(threading.Thread):
    """Takes the reader's messages off the pipe as they come and holds up to `depth` of
    them, pickled, for the writer; None after the last (or when the reader stopped)."""

    def __init__(self, stream: BinaryIO, depth: int) -> None:
        super().__init__(name="telephony reader's pipe", daemon=True)
        self._stream = stream
        self.messages: queue.Queue[bytes | None] = queue.Queue(depth)
        self._stopped = threading.Event()

    def run(self) -> None:
        try:
            while (message := _read_message(self._stream)) is not None:
                if not self._put(message):
                    return
        finally:
            self._put(None)

    def _put(self, message: bytes | None) -> bool:
        """Hand the message on once there is room; False if the writer has stopped."""
        while not self._stopped.is_set():
            try:
                self.messages.put(message, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def stop(self) -> None:
        self._stopped.set()
        self.join()


def _read_message(stream: BinaryIO) -> bytes | None:
    """The next message, or None at the end of the stream (a message cut short included)."""
    header = stream.read(_LENGTH.size)
    if len(header) < _LENGTH.size:
        return None
    (size,) = _LENGTH.unpack(header)
    message = stream.read(size)
    return message if len(message) == size else None


def _write_message(stream: BinaryIO, message: object) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(data)))
    stream.write(data)
    stream.flush()


def _received(taker: _Taker, child: subprocess.Popen) -> Iterator[Batch]:
    while True:
        data = taker.messages.get()
        if data is None:
            raise RuntimeError(f"the telephony reader stopped (exit code {child.wait()})")
        message = pickle.loads(data)
        if isinstance(message, _Failed):
            raise message.error
        yield message
        if message.file is None:
            return


def _read_to(stream: BinaryIO, importer, zone, open_states, paths, size) -> None:
    try:
        for batch in read_batches(importer, zone, open_states, [Path(p) for p in paths], size):
            _write_message(stream, batch)
    except BaseException as error:  # whatever it was, the writer raises it
        _write_message(stream, _Failed(_picklable(error)))


def _picklable(error: BaseException) -> BaseException:
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return RuntimeError("".join(traceback.format_exception(error)))
    return error


if __name__ == "__main__":
    # The reader makes millions of tuples and keeps none in a reference cycle; a collection
    # for cycles every 700 allocations cost it a tenth of its time (1M lines, alternating
    # runs: 3.54–4.46 s against 3.29–4.19 s collecting every 100,000).
    gc.set_threshold(100_000, 50, 100)
    # Run as the module by its name, so that what it pickles is read back as its classes.
    from hotline.contacts import read_ahead

    read_ahead._read_to(sys.stdout.buffer, *pickle.load(sys.stdin.buffer))
