"""Readers of the telephony system's records, registered by name.

An importer reads the lines of one file after another and yields, as it reads, call
records and agent state intervals (packed: hotline.core.packed_records), calls it saw
begin but not end, lines it could not use and events it does not know, a few thousand
at a time. One importer reads all the files of one import, in order, so a call or an
agent's state that runs on from one rotated file into the next is whole. `hotline
import-queue-log` uses `queue_log`; `hotline import-calls --importer NAME` any of them.
"""

from collections.abc import Iterable, Iterator
from datetime import tzinfo
from typing import ClassVar

from hotline.core import call_csv
from hotline.core.contact_records import CallRecord, OpenState, OtherItem, StateInterval
from hotline.core.packed_records import Packed, PackedCall, PackedState, pack_call, pack_state
from hotline.core.queue_log import QueueLogAssembler


class Importer:
    name: ClassVar[str]
    description: ClassVar[str]
    # How to open the file: "" lets the csv module see line ends inside quoted fields.
    newline: ClassVar[str | None] = None

    def __init__(self, zone: tzinfo) -> None:
        self.zone = zone

    def read(self, lines: Iterable[str], size: int) -> Iterator[Packed]:
        """What a file's lines hold, about `size` items at a time, each with how many
        lines were read; the last after the file's last line."""
        raise NotImplementedError

    def resume(self, states: Iterable[OpenState]) -> None:
        """Agents' states an earlier import left open (an importer without states ignores
        them)."""

    def finish(self) -> Iterable[OtherItem]:
        """What is left open after the last file."""
        return ()


class QueueLogImporter(Importer):
    name = "queue_log"
    description = "Asterisk queue_log: calls assembled across lines, agent states"
    newline = "\n"  # a stray carriage return spoils one line, not the line count

    def __init__(self, zone: tzinfo) -> None:
        super().__init__(zone)
        self._assembler = QueueLogAssembler()

    def read(self, lines: Iterable[str], size: int) -> Iterator[Packed]:
        return self._assembler.read(lines, size)

    def resume(self, states: Iterable[OpenState]) -> None:
        self._assembler.resume(states)

    def finish(self) -> Iterable[OtherItem]:
        leftovers = self._assembler.finish()
        return [*leftovers.calls, *leftovers.states]


class CallCsvImporter(Importer):
    name = "calls_csv"
    description = "The documented CSV of calls (docs/contacts.md)"
    newline = ""

    def read(self, lines: Iterable[str], size: int) -> Iterator[Packed]:
        counted = _CountedLines(lines)
        return _packed(call_csv.read_call_csv(counted, self.zone), size, counted)


class _CountedLines:
    """The lines, counting them as they are read (a record may span several)."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._lines = lines
        self.count = 0

    def __iter__(self) -> Iterator[str]:
        for line in self._lines:
            self.count += 1
            yield line


def _packed(
    items: Iterable[CallRecord | StateInterval | OtherItem], size: int, lines: _CountedLines
) -> Iterator[Packed]:
    """Records as they are read, packed `size` items at a time; the last, maybe empty, after
    the last item."""
    calls: list[PackedCall] = []
    states: list[PackedState] = []
    others: list[OtherItem] = []
    for item in items:
        if type(item) is CallRecord:
            calls.append(pack_call(item))
        elif type(item) is StateInterval:
            states.append(pack_state(item))
        else:
            others.append(item)  # type: ignore[arg-type]  # neither record
        if len(calls) + len(states) + len(others) >= size:
            yield Packed(calls, states, others, lines.count)
            calls, states, others = [], [], []
    yield Packed(calls, states, others, lines.count)


IMPORTERS: dict[str, type[Importer]] = {}


def register(importer: type[Importer]) -> type[Importer]:
    IMPORTERS[importer.name] = importer
    return importer


def importer_named(name: str) -> type[Importer]:
    try:
        return IMPORTERS[name]
    except KeyError:
        raise KeyError(f"no importer {name!r}; there are {', '.join(sorted(IMPORTERS))}") from None


register(QueueLogImporter)
register(CallCsvImporter)
