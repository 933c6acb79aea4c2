"""Telephony files read in a process of their own, ahead of the database.

Reading and assembling a line costs the importer about as much CPU as storing what it
yields costs PostgreSQL, and in one process the two take turns: the reader waits while
a batch is written. `read_ahead` runs the registered importer (pure Python, no Django,
no database) in a child process, `python -m hotline.contacts.read_ahead`, which pickles
its batches to its standard output, so the next batches are assembled while the
database takes the last one. Calls and agent states cross packed as plain tuples
(hotline.core.packed_records): pickling records with their datetimes cost more than
reading them. The pipe holds at most about a megabyte, half a batch of 20,000 records
(about 1.9 MiB pickled): a reader a batch ahead waits, and memory stays flat. A plain
child process rather than multiprocessing's: it imports nothing of the caller's (no
copy of its database connections, no re-import of its main script) and may be started
from a daemonic process such as a Celery worker.
"""

import contextlib
import fcntl
import gc
import pickle
import subprocess
import sys
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


class _CountedLines:
    """The file's lines, counting them as they are read (for progress)."""

    def __init__(self, file) -> None:
        self._file = file
        self.count = 0

    def __iter__(self) -> Iterator[str]:
        for line in self._file:
            self.count += 1
            yield line


def read_batches(
    importer: str, zone: str, open_states: list[OpenState], paths: list[Path], size: int
) -> Iterator[Batch]:
    """The files' items, about `size` at a time (a batch never spans two files); then the
    leftovers. The files are read in order by one importer."""
    reader = importer_named(importer)(ZoneInfo(zone))
    reader.resume(open_states)
    for number, path in enumerate(paths):
        with open(path, encoding="utf-8", errors="replace", newline=reader.newline) as file:
            lines = _CountedLines(file)
            for calls, states, others in reader.read(lines, size):
                yield Batch(number, calls, states, others, lines.count)
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
    with child:  # on leaving: its pipes closed, its exit waited for
        try:
            arguments = (importer, zone, open_states, [str(path) for path in paths], size)
            pickle.dump(arguments, child.stdin)
            child.stdin.close()
            yield from _received(child.stdout, child)
        finally:
            if child.poll() is None:
                child.kill()


def _received(stream: BinaryIO, child: subprocess.Popen) -> Iterator[Batch]:
    while True:
        try:
            message = pickle.load(stream)
        except EOFError:
            raise RuntimeError(f"the telephony reader stopped (exit code {child.wait()})") from None
        if isinstance(message, _Failed):
            raise message.error
        yield message
        if message.file is None:
            return


def _read_to(stream: BinaryIO, importer, zone, open_states, paths, size) -> None:
    try:
        for batch in read_batches(importer, zone, open_states, [Path(p) for p in paths], size):
            pickle.dump(batch, stream, protocol=pickle.HIGHEST_PROTOCOL)
            stream.flush()
    except BaseException as error:  # whatever it was, the writer raises it
        pickle.dump(_Failed(_picklable(error)), stream)
        stream.flush()


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
