"""Telephony files read in a process of their own, a few batches ahead of the database.

Reading and assembling a line costs the importer about as much CPU as storing what it
yields costs PostgreSQL, and in one process the two take turns: the reader waits while
a batch is written. `read_ahead` runs the registered importer (pure Python, no Django,
no database) in a child process, which sends its items in batches through a bounded
queue, so the next batches are assembled while the database takes the last one and
memory stays flat. A process that may not start children (a daemon, such as a Celery
worker) reads in place: the batches are the same.
"""

import multiprocessing
import pickle
import queue
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from hotline.contacts.importers import Item, importer_named
from hotline.core.contact_records import OpenState

AHEAD = 4  # batches on their way: enough to cover a slow write, few enough to stay small
_POLL_S = 1.0  # how often a waiting writer checks that the reader is still alive


@dataclass(frozen=True)
class Batch:
    """Items read from file number `file` (an index into the paths; None for what was
    still open after the last file), and how many of its lines have been read."""

    file: int | None
    items: list[Item]
    lines: int
    last_of_file: bool = False


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
    """The files' items, `size` at a time (a batch never spans two files), each file's
    last batch marked; then the leftovers. The files are read in order by one importer."""
    reader = importer_named(importer)(ZoneInfo(zone))
    reader.resume(open_states)
    for number, path in enumerate(paths):
        with open(path, encoding="utf-8", errors="replace", newline=reader.newline) as file:
            lines = _CountedLines(file)
            items: list[Item] = []
            for item in reader.read(lines):
                items.append(item)
                if len(items) >= size:
                    yield Batch(number, items, lines.count)
                    items = []
            yield Batch(number, items, lines.count, last_of_file=True)
    yield Batch(None, list(reader.finish()), 0, last_of_file=True)


def read_ahead(
    importer: str, zone: str, open_states: list[OpenState], paths: list[Path], size: int
) -> Iterator[Batch]:
    """`read_batches`, read by a child process while the caller stores each batch.

    An error in the child is raised here as it was raised there.
    """
    if multiprocessing.current_process().daemon:
        yield from read_batches(importer, zone, open_states, paths, size)
        return
    context = multiprocessing.get_context("spawn")  # no copy of the caller's connections
    batches = context.Queue(maxsize=AHEAD)
    child = context.Process(
        target=_read_into,
        args=(batches, importer, zone, open_states, paths, size),
        name="telephony-reader",
        daemon=True,
    )
    child.start()
    try:
        yield from _received(batches, child)
    finally:
        if child.is_alive():
            child.terminate()
        child.join()


def _received(batches, child) -> Iterator[Batch]:
    while True:
        try:
            message = batches.get(timeout=_POLL_S)
        except queue.Empty:
            if not child.is_alive():
                raise RuntimeError(
                    f"the telephony reader stopped (exit code {child.exitcode})"
                ) from None
            continue
        if isinstance(message, _Failed):
            raise message.error
        yield message
        if message.file is None:
            return


def _read_into(batches, *arguments) -> None:
    try:
        for batch in read_batches(*arguments):
            batches.put(batch)
    except BaseException as error:  # whatever it was, the writer raises it
        batches.put(_Failed(_picklable(error)))


def _picklable(error: BaseException) -> BaseException:
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return RuntimeError("".join(traceback.format_exception(error)))
    return error
