"""The documented CSV of calls (docs/contacts.md): one row per visit of a call to a queue.

The header names the columns; `call_id`, `queue`, `entered_at`, `outcome` and `wait_s`
are required, the others optional, unknown ones ignored. Times are ISO 8601; a time
without an offset is local time in the zone the reader is given. A row that cannot be
used becomes a `BadLine` with its line number (the header is line 1) and the reason.
"""

import csv
from collections.abc import Iterable, Iterator
from datetime import datetime, tzinfo

from hotline.core.contact_records import BadLine, CallRecord, Outcome

REQUIRED = ("call_id", "queue", "entered_at", "outcome", "wait_s")
OPTIONAL = (
    "ended_at",
    "caller",
    "called",
    "agent",
    "talk_s",
    "hold_s",
    "after_call_work_s",
    "transfers",
    "ivr_path",
    "channel",
)
_SECONDS = ("wait_s", "talk_s", "hold_s", "after_call_work_s")


class HeaderError(ValueError):
    """The file's first line is not a header this reader can use."""


def _time(text: str, zone: tzinfo) -> datetime:
    value = datetime.fromisoformat(text)
    return value if value.tzinfo is not None else value.replace(tzinfo=zone)


def _record(row: dict[str, str], zone: tzinfo) -> CallRecord:
    for name in REQUIRED:
        if not row.get(name):
            raise ValueError(f"{name} is empty")
    try:
        outcome = Outcome(row["outcome"])
    except ValueError:
        raise ValueError(f"outcome {row['outcome']!r} is not one of {', '.join(Outcome)}") from None
    seconds = {}
    for name in _SECONDS:
        text = row.get(name) or "0"
        try:
            seconds[name] = float(text)
        except ValueError:
            raise ValueError(f"{name} {text!r} is not a number of seconds") from None
        if seconds[name] < 0:
            raise ValueError(f"{name} is negative")
    try:
        entered_at = _time(row["entered_at"], zone)
        ended_at = _time(row["ended_at"], zone) if row.get("ended_at") else None
    except ValueError:
        raise ValueError("a time is not ISO 8601 (2026-11-02T09:15:00+08:00)") from None
    transfers_text = row.get("transfers") or "0"
    if not transfers_text.isdigit():
        raise ValueError(f"transfers {transfers_text!r} is not a count")
    return CallRecord(
        call_id=row["call_id"],
        queue=row["queue"],
        entered_at=entered_at,
        outcome=outcome,
        wait_s=seconds["wait_s"],
        ended_at=ended_at,
        caller=row.get("caller") or "",
        called=row.get("called") or "",
        agent=row.get("agent") or "",
        talk_s=seconds["talk_s"],
        hold_s=seconds["hold_s"],
        after_call_work_s=seconds["after_call_work_s"],
        transfers=int(transfers_text),
        ivr_path=row.get("ivr_path") or "",
        channel=row.get("channel") or "phone",
    )


def read_call_csv(lines: Iterable[str], zone: tzinfo) -> Iterator[CallRecord | BadLine]:
    """The calls of the file, and each row it could not use; streams row by row."""
    rows = csv.reader(iter(lines))
    header = [name.strip() for name in next(rows, [])]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise HeaderError(f"the header lacks {', '.join(missing)}")
    for number, values in enumerate(rows, start=2):
        if not values or values == [""]:
            continue
        text = ",".join(values)
        if len(values) != len(header):
            yield BadLine(number, f"{len(values)} fields, the header has {len(header)}", text)
            continue
        try:
            yield _record(dict(zip(header, values, strict=True)), zone)
        except ValueError as problem:
            yield BadLine(number, str(problem), text)
