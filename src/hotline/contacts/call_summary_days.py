"""Which days' call summaries (CallDaySummary) a change to calls puts out of date, and
which days are still live.

A call's figures depend on the calls of the first-contact window after it, so a change
on day D touches the summaries of D and of the days whose window reaches into D. Every
write of finished calls marks those days in the transaction that writes them, so a
summary built from the calls before the write can never be stored as current after it. The days
live traffic may still change (today, and those whose window reaches today) are never
stored: reports summarise them from the calls each time, and writes to them mark
nothing, so live events never wait on a summary row.
"""

import datetime
import math

from django.conf import settings
from django.db import connection
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from hotline.contacts.models import CallDaySummary, Contact


def window_days() -> int:
    """How many days before a call its first-contact window can reach back."""
    return math.ceil(settings.HOTLINE_FCR_WINDOW_HOURS / 24)


def live_since() -> datetime.date:
    """The first day whose summary is never stored."""
    return timezone.localdate() - datetime.timedelta(days=window_days())


def mark_calls_changed(first: datetime.datetime, last: datetime.datetime) -> None:
    """Put out of date the summaries that calls entering the queue from `first` to
    `last` are part of, live days apart."""
    live = live_since()
    day = timezone.localtime(first).date() - datetime.timedelta(days=window_days())
    touched = []
    while day <= timezone.localtime(last).date() and day < live:
        touched.append(day)
        day += datetime.timedelta(days=1)
    if not touched:
        return
    table = connection.ops.quote_name(CallDaySummary._meta.db_table)
    values = ", ".join(["(%s, 1, -1, '', %s)"] * len(touched))
    params: list[object] = []
    for day in touched:
        params += [day, b""]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (day, changes, built_from, measures, cells) VALUES {values} "
            f"ON CONFLICT (day) DO UPDATE SET changes = {table}.changes + 1",
            params,
        )


@receiver([post_save, post_delete], sender=Contact)
def _contact_written(instance: Contact, **_kwargs: object) -> None:
    """A call saved or deleted one at a time (live events, the admin site, erasure)."""
    if instance.entered_queue_at is not None:
        mark_calls_changed(instance.entered_queue_at, instance.entered_queue_at)
