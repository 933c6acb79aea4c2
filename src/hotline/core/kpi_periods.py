"""Report periods and group keys for the contact KPIs, as arrays on the centre's clock.

A period is an integer code, contiguous for each kind of period: the 15-, 30- or
60-minute interval, day, ISO week, month, quarter or year since 1970 on the local
clock. Codes sort like time, and a span of time covers a run of consecutive codes.

Local time comes from the zone's UTC offsets, sampled with zoneinfo at every UTC
midnight of the span and bisected to the second where two samples differ, so a zone
that changes its offset (Asia/Shanghai kept summer time in 1986-1991) is handled
exactly, provided it changes at most once a day, as every zone in tzdata does.
"""

import operator
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from numpy.typing import NDArray

IntArray = NDArray[np.int64]

DAY_S = 86_400
_EPOCH = datetime(1970, 1, 1)
# A segment boundary no instant reaches: the clock holds one offset before the first
# change it found and after the last.
_FAR = 2**62


class Period(StrEnum):
    INTERVAL15 = "interval15"
    INTERVAL30 = "interval30"
    INTERVAL60 = "interval60"
    DAY = "day"
    WEEK = "week"  # ISO: Monday to Sunday, named by ISO year and week
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


_INTERVAL_S = {Period.INTERVAL15: 900, Period.INTERVAL30: 1800, Period.INTERVAL60: 3600}


class Clock:
    """A time zone's UTC offsets over a span of instants, to convert arrays of epoch seconds.

    Instants outside `first`…`last` take the offset of the nearest end of the span.
    """

    def __init__(self, zone: str, first: int, last: int) -> None:
        tz = ZoneInfo(zone)

        def offset(instant: int) -> int:
            delta = datetime.fromtimestamp(instant, tz).utcoffset()
            assert delta is not None  # a ZoneInfo always has one
            return int(delta.total_seconds())

        samples = [day * DAY_S for day in range(first // DAY_S, last // DAY_S + 2)]
        offsets = [offset(instant) for instant in samples]
        starts, values = [-_FAR], [offsets[0]]
        for before, after, offset_after in zip(samples, samples[1:], offsets[1:], strict=False):
            if offset_after == values[-1]:
                continue
            low, high = before, after  # offset(low) is the old offset, offset(high) the new
            while high - low > 1:
                middle = (low + high) // 2
                if offset(middle) == offset_after:
                    high = middle
                else:
                    low = middle
            starts.append(high)
            values.append(offset_after)
        self._starts = np.array(starts, dtype=np.int64)
        self._offsets = np.array(values, dtype=np.int64)
        # Where each segment's local clock ends: with changes months apart, these rise.
        self._local_ends = np.append(self._starts[1:] + self._offsets[:-1], _FAR)
        if np.any(np.diff(self._local_ends) <= 0):
            raise ValueError(f"{zone} changes its offset too often to be read as segments")

    def to_local(self, instants: IntArray) -> IntArray:
        """Seconds since 1970-01-01 00:00 on the local clock, for epoch seconds."""
        if len(self._offsets) == 1:
            shift: IntArray = self._offsets[:1]
        else:
            shift = self._offsets[np.searchsorted(self._starts, instants, side="right") - 1]
        return instants + shift

    def to_utc(self, local: IntArray) -> IntArray:
        """The first instant at which the local clock shows `local` or later.

        A local time that occurs twice (clocks set back) gives its first occurrence; one
        that never occurs (clocks set forward) gives the instant of the change.
        """
        segment = np.searchsorted(self._local_ends, local, side="right")
        first: IntArray = np.maximum(self._starts[segment], local - self._offsets[segment])
        return first

    def split(
        self, starts: IntArray, ends: IntArray, by: Period
    ) -> tuple[IntArray, IntArray, IntArray]:
        """Cut spans [start, end) of epoch seconds at period boundaries.

        Returns, for each piece, the index of its span, its period code and its length in
        seconds. Empty spans give no piece.
        """
        owner = np.flatnonzero(ends > starts).astype(np.int64)
        low, high = starts[owner], ends[owner]
        if len(self._offsets) > 1:  # first at the zone's changes, so each piece has one offset
            first = np.searchsorted(self._starts, low, side="right") - 1
            last = np.searchsorted(self._starts, high - 1, side="right") - 1
            owner, segment = _expand(owner, first, last)
            low = np.maximum(starts[owner], self._starts[segment])
            high = np.minimum(ends[owner], np.append(self._starts[1:], _FAR)[segment])
            shift = self._offsets[segment]
        else:
            shift = np.full(len(owner), self._offsets[0], dtype=np.int64)
        low, high = low + shift, high + shift
        piece_owner, code = _expand(
            np.arange(len(owner), dtype=np.int64), codes(low, by), codes(high - 1, by)
        )
        seconds = np.minimum(high[piece_owner], local_start(code + 1, by)) - np.maximum(
            low[piece_owner], local_start(code, by)
        )
        return owner[piece_owner], code, seconds

    def bounds(self, code: IntArray, by: Period) -> tuple[IntArray, IntArray]:
        """The instants each period starts and ends (exclusive)."""
        return self.to_utc(local_start(code, by)), self.to_utc(local_start(code + 1, by))


def clock_for(zone: str, instants: Sequence[IntArray]) -> Clock:
    """A clock covering the instants given and the periods around them (a year either side)."""
    filled = [array for array in instants if len(array)]
    first = min((int(array.min()) for array in filled), default=0)
    last = max((int(array.max()) for array in filled), default=0)
    return Clock(zone, first - 367 * DAY_S, last + 367 * DAY_S)


def _expand(owner: IntArray, first: IntArray, last: IntArray) -> tuple[IntArray, IntArray]:
    """Each owner once per value first…last: the owners repeated, and the values counted up."""
    count = last - first + 1
    repeated = np.repeat(np.arange(len(owner)), count)
    step = np.arange(len(repeated)) - np.repeat(np.cumsum(count) - count, count)
    return owner[repeated], first[repeated] + step


def _months(days: IntArray) -> IntArray:
    return days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def _first_day(months: IntArray) -> IntArray:
    return months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def codes(local: IntArray, by: Period) -> IntArray:
    """The period code of each local time (seconds since 1970 on the local clock)."""
    if by in _INTERVAL_S:
        return local // _INTERVAL_S[by]
    days = local // DAY_S
    if by is Period.DAY:
        return days
    if by is Period.WEEK:
        return (days + 3) // 7  # 1970-01-01 was a Thursday: week 0 starts on 1969-12-29
    months = _months(days)
    if by is Period.MONTH:
        return months
    return months // (3 if by is Period.QUARTER else 12)


def local_start(code: IntArray, by: Period) -> IntArray:
    """The local time (seconds since 1970 on the local clock) at which each period starts."""
    if by in _INTERVAL_S:
        return code * _INTERVAL_S[by]
    if by is Period.DAY:
        return code * DAY_S
    if by is Period.WEEK:
        return (code * 7 - 3) * DAY_S
    months = code if by is Period.MONTH else code * (3 if by is Period.QUARTER else 12)
    return _first_day(months) * DAY_S


def label(code: int, by: Period) -> str:
    """2026-11-02 09:15, 2026-11-02, 2026-W45, 2026-11, 2026-Q4 or 2026."""
    if by in _INTERVAL_S:
        return f"{_EPOCH + timedelta(seconds=code * _INTERVAL_S[by]):%Y-%m-%d %H:%M}"
    if by is Period.DAY:
        return (_EPOCH + timedelta(days=code)).date().isoformat()
    if by is Period.WEEK:
        year, week, _weekday = (_EPOCH + timedelta(days=code * 7 - 3)).isocalendar()
        return f"{year}-W{week:02d}"
    if by is Period.MONTH:
        return f"{1970 + code // 12}-{code % 12 + 1:02d}"
    if by is Period.QUARTER:
        return f"{1970 + code // 4}-Q{code % 4 + 1}"
    return f"{1970 + code}"


def labels(code: IntArray, by: Period) -> list[str]:
    """The labels of many periods at once."""
    if by in _INTERVAL_S:
        minutes = (code * (_INTERVAL_S[by] // 60)).astype("datetime64[m]")
        return [text.replace("T", " ") for text in np.datetime_as_string(minutes).tolist()]
    if by is Period.DAY:
        days: list[str] = np.datetime_as_string(code.astype("datetime64[D]")).tolist()
        return days
    return [label(period, by) for period in code.tolist()]


def parse_label(text: str, by: Period) -> int:
    """The code of the period a label names; ValueError for a label of another kind."""
    try:
        if by in _INTERVAL_S:
            moment = datetime.strptime(text, "%Y-%m-%d %H:%M")
            seconds = int((moment - _EPOCH).total_seconds())
            if seconds % _INTERVAL_S[by]:
                raise ValueError(f"{text} does not start a {by}")
            return seconds // _INTERVAL_S[by]
        if by is Period.DAY:
            return (date.fromisoformat(text) - _EPOCH.date()).days
        if by is Period.WEEK:
            year, week = text.split("-W")
            monday = date.fromisocalendar(int(year), int(week), 1)
            return ((monday - _EPOCH.date()).days + 3) // 7
        if by is Period.MONTH:
            year, month = text.split("-")
            if not 1 <= int(month) <= 12:
                raise ValueError(f"no month {month}")
            return (int(year) - 1970) * 12 + int(month) - 1
        if by is Period.QUARTER:
            year, quarter = text.split("-Q")
            if not 1 <= int(quarter) <= 4:
                raise ValueError(f"no quarter {quarter}")
            return (int(year) - 1970) * 4 + int(quarter) - 1
        return int(text) - 1970
    except ValueError as error:
        raise ValueError(f"{text!r} is no {by} label: {error}") from None


@dataclass(frozen=True, eq=False)
class Column:
    """A column of strings as codes into its distinct values, sorted ("" for none is a value)."""

    codes: IntArray
    names: tuple[str, ...]

    def __post_init__(self) -> None:
        # Distinct and sorted is each name less than the next: one pass, where sorting a
        # set of a year's caller numbers again took longer than coding them.
        if not all(map(operator.lt, self.names, self.names[1:])):
            raise ValueError("a column's names must be distinct and sorted")
        if len(self.codes) and (self.codes.min() < 0 or self.codes.max() >= len(self.names)):
            raise ValueError("a column's codes must index its names")

    @classmethod
    def of(cls, values: Sequence[str] | NDArray[Any]) -> "Column":
        """The column of the strings given (a sequence, or a NumPy str or object array);
        None, as a database gives a missing value, is ""."""
        if isinstance(values, np.ndarray) and values.dtype.kind == "U":
            names, inverse = np.unique(values, return_inverse=True)
            return cls(inverse.astype(np.int64).reshape(-1), tuple(str(n) for n in names))
        seen: dict[str, int] = {}
        first = np.fromiter(
            (seen.setdefault("" if value is None else str(value), len(seen)) for value in values),
            dtype=np.int64,
            count=len(values),
        )
        in_order = sorted(seen)
        place = np.empty(len(in_order), dtype=np.int64)
        place[[seen[name] for name in in_order]] = np.arange(len(in_order))
        return cls(place[first], tuple(in_order))

    @classmethod
    def blank(cls, length: int) -> "Column":
        """A column of "" (no value) throughout."""
        return cls(np.zeros(length, dtype=np.int64), ("",) if length else ())

    def __len__(self) -> int:
        return len(self.codes)

    def code_of(self, name: str) -> int:
        """The code of `name`, or -1 when the column never holds it."""
        place = bisect_left(self.names, name)
        return place if place < len(self.names) and self.names[place] == name else -1

    def take(self, index: IntArray) -> "Column":
        """The column of the rows at `index`, with the same names."""
        return Column(self.codes[index], self.names)


def shared_keys(columns: Sequence[Column]) -> tuple[tuple[str, ...], list[IntArray]]:
    """The sorted union of the columns' names, and each column's codes into it."""
    names = sorted(set().union(*(column.names for column in columns)))
    union = np.array(names, dtype=str)
    recoded = [
        column.codes
        if list(column.names) == names  # already coded so: skip a gather of every record
        else np.searchsorted(union, np.array(column.names, dtype=str)).astype(np.int64)[
            column.codes
        ]
        if column.names
        else np.zeros(0, dtype=np.int64)
        for column in columns
    ]
    return tuple(names), recoded


def assign_rows(
    period_codes: Sequence[IntArray], keys: Sequence[IntArray], key_count: int
) -> tuple[IntArray, IntArray, list[IntArray]]:
    """The distinct (period, key) pairs of several tables, sorted, and each record's row.

    Returns the rows' period codes, the rows' keys, and per table the row of each record.
    """
    periods = np.concatenate([*period_codes, np.zeros(0, dtype=np.int64)])
    if not len(periods):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, [empty for _ in period_codes]
    lowest = int(periods.min())
    span = (int(periods.max()) - lowest + 1) * key_count
    pairs = [
        (code - lowest) * key_count + key for code, key in zip(period_codes, keys, strict=True)
    ]
    every = np.concatenate(pairs)
    if span <= 4 * len(every) + 1_000_000:  # dense enough to count instead of sorting
        present = np.bincount(every, minlength=span) > 0
        distinct = np.flatnonzero(present).astype(np.int64)
        row_of = np.cumsum(present, dtype=np.int64) - 1
        rows = [row_of[pair] for pair in pairs]
    else:
        distinct, inverse = np.unique(every, return_inverse=True)
        bounds = np.cumsum([0, *(len(pair) for pair in pairs)])
        rows = [inverse[a:b].astype(np.int64) for a, b in zip(bounds, bounds[1:], strict=False)]
    return distinct // key_count + lowest, distinct % key_count, rows


def covered_before(starts: IntArray, ends: IntArray, instants: IntArray) -> IntArray:
    """Seconds covered by the spans [start, end) before each instant, overlaps counted once."""
    if not len(starts):
        return np.zeros(len(instants), dtype=np.int64)
    order = np.argsort(starts, kind="stable")
    reached = np.maximum.accumulate(ends[order])
    # Merged, each span adds only the part the spans before it had not reached.
    begin = np.maximum(starts[order], np.concatenate([starts[order][:1], reached[:-1]]))
    length = np.maximum(reached - begin, 0)
    before = np.concatenate([[0], np.cumsum(length)])
    begun = np.searchsorted(begin, instants, side="right")  # the spans begun by each instant
    last = np.maximum(begun - 1, 0)
    partial = np.clip(instants - begin[last], 0, length[last])
    return np.where(begun > 0, before[last] + partial, 0).astype(np.int64)


def pack(high: IntArray, low: IntArray) -> tuple[IntArray, int] | None:
    """Non-negative pairs as one int64 that sorts like (high, low), and the width of low;
    None when they do not fit."""
    width = int(low.max()).bit_length() if len(low) else 0
    if (int(high.max()).bit_length() if len(high) else 0) + width > 63:
        return None
    return (high << width) | low, width


def order_by(key: IntArray, ids: IntArray) -> IntArray:
    """The order of records by a non-negative key, then by id among equal keys."""
    order = np.argsort(key).astype(np.int64)  # not stable: ties are ordered by id below
    ordered = key[order]
    tied = np.zeros(len(key), dtype=np.bool_)
    tied[1:] = ordered[1:] == ordered[:-1]
    tied[:-1] |= tied[1:]
    if tied.any():
        place = np.flatnonzero(tied)
        among = order[place]
        order[place] = among[np.lexsort((ids[among], ordered[place]))]
    return order


def ids_by_row(row: IntArray, ids: IntArray, rows: int) -> tuple[IntArray, IntArray]:
    """The ids sorted by row, then id, and where each row's ids start (one more than rows)."""
    packed = pack(row, ids - ids.min()) if len(ids) else None
    if packed is None:
        ordered = ids[np.lexsort((ids, row))]
    else:
        ordered = (np.sort(packed[0]) & ((1 << packed[1]) - 1)) + ids.min()
    starts = np.zeros(rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(row, minlength=rows), out=starts[1:])
    return ordered, starts


def distinct_pairs_per_row(row: IntArray, value: IntArray, rows: int) -> IntArray:
    """How many distinct values each row holds."""
    packed = pack(row, value)
    if packed is None:
        order = np.lexsort((value, row))
        row, value = row[order], value[order]
        first = np.ones(len(row), dtype=np.bool_)
        first[1:] = (row[1:] != row[:-1]) | (value[1:] != value[:-1])
        distinct_rows = row[first]
    else:  # np.unique would hash; sorting packed integers is several times faster
        pairs = np.sort(packed[0])
        first = np.ones(len(pairs), dtype=np.bool_)
        first[1:] = pairs[1:] != pairs[:-1]
        distinct_rows = pairs[first] >> packed[1]
    return np.bincount(distinct_rows, minlength=rows).astype(np.int64)
