"""The calls of a range of days as 15-minute summaries (hotline.core.call_cells): the
stored summary of each day that is current, the others summed from the calls now and
stored for the next report (live days apart, see contacts.call_summary_days).

A summary is stored only if no write to its calls came between reading its row and
reading the calls: the write bumped `changes`, and the UPDATE asks for the value read.
"""

import datetime
from collections.abc import Iterator, Sequence
from typing import NamedTuple
from zoneinfo import ZoneInfo

import psycopg
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from hotline.contacts.call_summary_days import live_since
from hotline.contacts.models import CallDaySummary, Queue
from hotline.core import call_cells
from hotline.core.call_cells import CallCells
from hotline.core.contact_tables import KpiExtras, epoch
from hotline.core.kpi_facts import Facts, KpiSettings
from hotline.reports import tables

_EPOCH_DAY = datetime.date(1970, 1, 1)
# Days summed from the calls at once: a month's calls sit in memory, not a year's.
_RUN_DAYS = 31


def call_cells_for(first: datetime.date, last: datetime.date, chosen: KpiSettings) -> CallCells:
    """The summaries of the local days first…last (inclusive), with each queue's skill
    group."""
    key = call_cells.settings_key(chosen)
    live = live_since()
    days = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
    stored = _stored(first, last)
    current = [
        day
        for day in days
        if day < live
        and (row := stored.get(day)) is not None
        and row.built_from == row.changes
        and row.measures == key
    ]
    parts = [call_cells.from_bytes([stored[day].cells for day in current], chosen)]
    for run in _runs(sorted(set(days) - set(current))):
        summed = _summarise(run[0], run[-1], chosen)
        for day in run:
            parts.append(summed.get(day) or call_cells.empty(chosen))
            if day < live:
                _store(day, parts[-1], stored.get(day), key)
    cells = call_cells.concat(parts, chosen)
    skill_groups = dict(
        Queue.objects.exclude(skill_group=None).values_list("code", "skill_group__code")
    )
    return cells.with_skill_groups(skill_groups)


class _Stored(NamedTuple):
    changes: int
    built_from: int
    measures: str
    cells: bytes


def _stored(first: datetime.date, last: datetime.date) -> dict[datetime.date, _Stored]:
    """The stored summaries of the days, read as bytes: PostgreSQL's text protocol would
    send every byte of the cells as two hex digits."""
    table = connection.ops.quote_name(CallDaySummary._meta.db_table)
    sql = (
        f"SELECT day, changes, built_from, measures, cells FROM {table} "
        "WHERE day >= %s AND day <= %s"
    )
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        with psycopg.Cursor(connection.connection) as cursor:  # binds on the server
            cursor.execute(sql, [first, last], binary=True)
            rows = cursor.fetchall()
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, [first, last])
            rows = cursor.fetchall()
    return {_as_date(day): _Stored(*rest) for day, *rest in rows}


def _as_date(value: datetime.date | str) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def _runs(days: Sequence[datetime.date]) -> Iterator[list[datetime.date]]:
    """The days in runs of consecutive days, each at most _RUN_DAYS long."""
    run: list[datetime.date] = []
    for day in days:
        if run and (day - run[-1]).days != 1 or len(run) == _RUN_DAYS:
            yield run
            run = []
        run.append(day)
    if run:
        yield run


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), ZoneInfo(settings.TIME_ZONE))


def _summarise(
    first: datetime.date, last: datetime.date, chosen: KpiSettings
) -> dict[datetime.date, CallCells]:
    """The summaries of the days first…last from their calls, and from the calls of the
    first-contact window after them."""
    start, end = _midnight(first), _midnight(last + datetime.timedelta(days=1))
    calls = tables.call_table(start, end + datetime.timedelta(seconds=chosen.fcr_window_s))
    facts = Facts.entering_before(calls, epoch(end), None, KpiExtras(), chosen)
    return {
        _EPOCH_DAY + datetime.timedelta(days=day): cells
        for day, cells in call_cells.summarise(facts).days()
    }


def _store(day: datetime.date, cells: CallCells, row: _Stored | None, key: str) -> None:
    content = call_cells.to_bytes(cells)
    now = timezone.now()
    with transaction.atomic():
        if row is None:  # a write since would have made the row: then this one is late
            CallDaySummary.objects.bulk_create(
                [
                    CallDaySummary(
                        day=day, changes=0, built_from=0, measures=key, cells=content, built_at=now
                    )
                ],
                ignore_conflicts=True,
            )
        else:
            CallDaySummary.objects.filter(day=day, changes=row.changes).update(
                built_from=row.changes, measures=key, cells=content, built_at=now
            )
