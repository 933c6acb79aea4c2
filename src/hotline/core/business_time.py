"""Business calendars: opening hours, statutory holidays and make-up working days (调休).

Every computation runs on real instants: an opening period is placed on its date in
the calendar's zone and converted to UTC, so business time is elapsed time, also on
a day when clocks change (Asia/Shanghai has none; other zones must not silently
break). A wall-clock time that does not exist or occurs twice on such a day is read
the way `zoneinfo` reads it with `fold=0`.

Datetimes taken must be timezone-aware (a naive one raises ValueError); datetimes
returned are in the calendar's zone. Compare them through `in_utc` where clocks change:
two datetimes of one zone compare by wall clock, and one in a repeated hour never
equals a datetime of another zone.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
MIDNIGHT = time(0)
ZERO = timedelta(0)
_DAY = timedelta(days=1)

MINUTES = "minutes"
HOURS = "hours"
DAYS = "days"
UNITS = (MINUTES, HOURS, DAYS)

Interval = tuple[datetime, datetime]


def in_utc(at: datetime) -> datetime:
    """`at` as a UTC instant, safe to compare and subtract. Raises ValueError if naive."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"a naive datetime is ambiguous here; give it a zone: {at}")
    return at.astimezone(UTC)


@dataclass(frozen=True)
class Period:
    """An opening period within one day, from `start` up to (not including) `end`.

    An `end` of 00:00 means midnight at the end of the day, so a period may run to
    midnight and `Period(MIDNIGHT, MIDNIGHT)` is the whole day.
    """

    start: time
    end: time

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("a period's times are wall-clock times, without a zone")
        if self.end != MIDNIGHT and self.end <= self.start:
            raise ValueError(f"a period must end after it starts: {self.start}–{self.end}")

    def bounds(self, day: date, tz: ZoneInfo) -> Interval:
        """The period on `day` as UTC instants."""
        end_day = day + _DAY if self.end == MIDNIGHT else day
        return (
            datetime.combine(day, self.start, tz).astimezone(UTC),
            datetime.combine(end_day, self.end, tz).astimezone(UTC),
        )


WHOLE_DAY = (Period(MIDNIGHT, MIDNIGHT),)


@dataclass(frozen=True)
class BusinessCalendar:
    """When a center is open: periods for each weekday, Monday first, and the exceptions.

    A date in `holidays` is closed whatever its weekday; a date in `workdays` (a make-up
    working day, usually a weekend day) is open during `makeup_periods`, which default
    to Monday's.
    """

    weekly: tuple[tuple[Period, ...], ...]
    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()
    makeup_periods: tuple[Period, ...] | None = None
    tz: ZoneInfo = SHANGHAI
    _always_open: bool = field(init=False, repr=False, compare=False)
    # None: the weekly periods open again forever. Otherwise no date after this one opens
    # (date.min when none ever does); it stops walks that would never find an opening.
    _last_open_day: date | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.weekly) != 7:
            raise ValueError(f"a week has 7 days, not {len(self.weekly)}")
        for periods in (*self.weekly, self._makeup()):
            for before, after in pairwise(periods):
                if before.end == MIDNIGHT or after.start < before.end:
                    raise ValueError(f"periods must be in order and not overlap: {periods}")
        if both := self.holidays & self.workdays:
            raise ValueError(f"a date cannot be a holiday and a working day: {sorted(both)}")
        always = not self.holidays and all(
            periods == WHOLE_DAY for periods in (*self.weekly, self._makeup())
        )
        object.__setattr__(self, "_always_open", always)
        last = None
        if not any(self.weekly):
            last = max(self.workdays, default=date.min) if self._makeup() else date.min
        object.__setattr__(self, "_last_open_day", last)

    @classmethod
    def always_open(cls, tz: ZoneInfo = SHANGHAI) -> "BusinessCalendar":
        """The 24×7 calendar: business time is elapsed time."""
        return cls(weekly=(WHOLE_DAY,) * 7, tz=tz)

    def is_open(self, at: datetime) -> bool:
        """Whether `at` falls in an opening period (a period's end is closed)."""
        instant = in_utc(at)
        for opens, _closes in self._intervals_from(instant):
            return opens == instant
        return False

    def next_opening(self, at: datetime) -> datetime:
        """The first open instant at or after `at`: `at` itself while open.

        Raises ValueError when the calendar never opens again.
        """
        instant = in_utc(at)
        for opens, _closes in self._intervals_from(instant):
            return self._local(opens)
        raise self._never_opens(at)

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The first instant by which `duration` of business time has elapsed since `start`.

        Counting begins at the next opening when `start` is closed. Being the first
        such instant, a zero duration gives `start` itself, and a duration used up
        exactly at a closing gives the closing, not the next opening. So
        `between(start, add(start, d)) == d` always holds.
        """
        if duration < ZERO:
            raise ValueError(f"cannot add a negative duration: {duration}")
        begin = in_utc(start)
        if duration == ZERO:
            return self._local(begin)
        if self._always_open:
            return self._local(begin + duration)
        left = duration
        for opens, closes in self._intervals_from(begin):
            if closes - opens >= left:
                return self._local(opens + left)
            left -= closes - opens
        raise self._never_opens(start)

    def between(self, start: datetime, end: datetime) -> timedelta:
        """The business time in [start, end); zero when `end` is not after `start`."""
        begin, finish = in_utc(start), in_utc(end)
        if finish <= begin:
            return ZERO
        if self._always_open:
            return finish - begin
        total = ZERO
        for opens, closes in self._intervals_from(begin):
            if opens >= finish:
                break
            total += min(closes, finish) - opens
        return total

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The deadline of a limit of `days` working days (「3个工作日」) counted from `start`.

        On the 24×7 calendar a day is 24 hours. Otherwise the deadline keeps the
        business position of `start` (or of the next opening, when `start` is closed)
        and moves it to the same time of day on the `days`-th following working day,
        into that day's open hours if the time falls outside them. Like `add`, it is
        the first instant at that position: opened on Friday evening, three working
        days are due at Wednesday's closing, not at Thursday's opening.
        """
        if days < 0:
            raise ValueError(f"cannot add a negative number of working days: {days}")
        if self._always_open:
            return self.add(start, days * _DAY)
        position = self.next_opening(start).astimezone(self.tz)
        target = position.date()
        for _count in range(days):
            target = self._next_working_day(target, start)
        same_time = self._into_open_hours(target, position.time())
        return self.add(start, self.between(start, same_time))

    def _makeup(self) -> tuple[Period, ...]:
        return self.weekly[0] if self.makeup_periods is None else self.makeup_periods

    def _periods_on(self, day: date) -> tuple[Period, ...]:
        if day in self.holidays:
            return ()
        if day in self.workdays:
            return self._makeup()
        return self.weekly[day.weekday()]

    def _intervals_from(self, instant: datetime) -> Iterator[Interval]:
        """The open intervals from `instant` on, in order, disjoint, the first cut at `instant`.

        Ends only when the calendar never opens again.
        """
        # A period of the day before may still be open: on a day when clocks go back at
        # midnight, local dates and instants overlap.
        day = instant.astimezone(self.tz).date() - _DAY
        cursor = instant
        while self._last_open_day is None or day <= self._last_open_day:
            for opens, closes in self._bounds_on(day):
                # Clamping to the previous end keeps intervals disjoint when a change of
                # clocks makes periods overlap as instants.
                opens = max(opens, cursor)
                if closes > opens:
                    yield opens, closes
                    cursor = closes
            day += _DAY

    def _bounds_on(self, day: date) -> list[Interval]:
        return [period.bounds(day, self.tz) for period in self._periods_on(day)]

    def _next_working_day(self, day: date, start: datetime) -> date:
        while self._last_open_day is None or day < self._last_open_day:
            day += _DAY
            if self._periods_on(day):
                return day
        raise self._never_opens(start)

    def _into_open_hours(self, day: date, at: time) -> datetime:
        """`at` on working day `day`, moved forward to an opening or back to the last closing."""
        instant = datetime.combine(day, at, self.tz).astimezone(UTC)
        bounds = self._bounds_on(day)
        for opens, closes in bounds:
            if instant < closes:
                return max(opens, instant)
        return bounds[-1][1]

    def _local(self, instant: datetime) -> datetime:
        return instant.astimezone(self.tz)

    def _never_opens(self, after: datetime) -> ValueError:
        return ValueError(f"the calendar never opens after {after}")


@dataclass(frozen=True)
class Limit:
    """A time limit as a policy states it: an amount of minutes, hours or working days."""

    amount: int
    unit: str

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"a limit's unit is one of {UNITS}, not {self.unit!r}")
        if self.amount < 0:
            raise ValueError(f"a limit cannot be negative: {self.amount}")

    def due(self, calendar: BusinessCalendar, start: datetime) -> datetime:
        """The deadline of the limit for something started at `start`."""
        if self.unit == DAYS:
            return calendar.add_working_days(start, self.amount)
        return calendar.add(start, self._duration())

    def business_time(self, calendar: BusinessCalendar, start: datetime) -> timedelta:
        """The business time the limit allows from `start` (working days differ in length)."""
        if self.unit == DAYS:
            return calendar.between(start, self.due(calendar, start))
        return self._duration()

    def _duration(self) -> timedelta:
        if self.unit == MINUTES:
            return timedelta(minutes=self.amount)
        return timedelta(hours=self.amount)
