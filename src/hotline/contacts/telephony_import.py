"""Importing files of telephony records: streamed, in batches, idempotent.

Each file is read line by line and written a batch at a time, each batch in its own
transaction, so a file of ten million lines never sits in memory and an interrupted
import keeps what it wrote (importing the file again completes it and adds nothing
twice). Every line that could not be used is kept with its number and reason;
unknown events are kept as written. The files of one import are read in the order
given by one importer, so calls running from one file into the next are whole; a call
that began but never ended is stored without an outcome, for a later file to finish.
"""

import hashlib
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hotline.bulk import relax_commit_durability
from hotline.contacts.call_store import (
    Resolver,
    keep_open_states,
    open_states,
    store_packed_calls,
    store_packed_states,
    store_unfinished_calls,
)
from hotline.contacts.importers import importer_named
from hotline.contacts.models import BadTelephonyLine, TelephonyImport, UnknownTelephonyEvent
from hotline.contacts.read_ahead import Batch, read_ahead
from hotline.core.contact_records import (
    BadLine,
    OpenState,
    OtherItem,
    UnfinishedCall,
    UnknownEvent,
)

# Items a transaction writes: each batch pays for its statements and commit, so fewer,
# larger ones import faster (2M lines: about 5 % more lines a second than at 5,000), and a
# batch's rows, a few tens of megabytes, still leave memory flat.
BATCH = 20_000


class _Others:
    """A batch's items other than calls and states, by kind."""

    def __init__(self, items: list[OtherItem]) -> None:
        self.bad: list[BadLine] = []
        self.unknown: list[UnknownEvent] = []
        self.unfinished: list[UnfinishedCall] = []
        self.open_states: list[OpenState] = []
        for item in items:
            if isinstance(item, OpenState):
                self.open_states.append(item)
            elif isinstance(item, UnfinishedCall):
                self.unfinished.append(item)
            elif isinstance(item, BadLine):
                self.bad.append(item)
            else:
                self.unknown.append(item)


def _storable(text: str) -> str:
    # A corrupt line may hold NUL bytes, which PostgreSQL's text cannot.
    return text.replace("\x00", "\ufffd")


def _write(batch: Batch, run: TelephonyImport, resolver: Resolver) -> None:
    others = _Others(batch.others)
    with transaction.atomic():
        relax_commit_durability()
        store_packed_calls(batch.calls, run.importer, resolver)
        others.bad += store_unfinished_calls(others.unfinished, run.importer, resolver)
        store_packed_states(batch.states, run.importer, resolver)
        keep_open_states(others.open_states)
        BadTelephonyLine.objects.bulk_create(
            BadTelephonyLine(
                telephony_import=run,
                line_number=bad.line_number,
                reason=_storable(bad.reason)[:200],
                text=_storable(bad.text),
            )
            for bad in others.bad
        )
        UnknownTelephonyEvent.objects.bulk_create(
            [
                UnknownTelephonyEvent(
                    digest=hashlib.sha1(event.text.encode()).hexdigest(),
                    text=_storable(event.text),
                    first_import=run,
                    line_number=event.line_number,
                )
                for event in others.unknown
            ],
            ignore_conflicts=True,
        )
    run.calls += len(batch.calls)
    run.state_intervals += len(batch.states)
    run.bad_lines += len(others.bad)
    run.unknown_events += len(others.unknown)


def import_telephony_files(
    paths: list[Path], importer: str, *, progress: Callable[[Path, int], None] | None = None
) -> list[TelephonyImport]:
    """Read the files in order with the named importer and store what they hold; one run
    per file. `progress` is told the file and how many of its lines have been read."""
    importer_named(importer)  # an unknown name fails here, before any reading
    resolver = Resolver()
    runs: list[TelephonyImport] = []
    for batch in read_ahead(importer, settings.TIME_ZONE, open_states(), paths, BATCH):
        if batch.file is None:  # what was still open after the last file
            if runs:
                _write(batch, runs[-1], resolver)
            continue
        if batch.file == len(runs):
            runs.append(
                TelephonyImport.objects.create(
                    importer=importer, file_name=str(paths[batch.file]), started_at=timezone.now()
                )
            )
        run = runs[batch.file]
        _write(batch, run, resolver)
        run.lines_read = batch.lines
        if progress:
            progress(paths[batch.file], batch.lines)
    for run in runs:
        run.finished_at = timezone.now()
        run.save()
    return runs
