"""Work-order KPIs as arithmetic: rates from counts, target verdicts, and report periods.

The Django layer counts records in SQL (hotline.workorders.reports) and hands the
counts here; docs/work-order-reports.md defines each count. A rate whose denominator
is zero is None: with nothing to judge there is no rate, which is not 0 %, and a
target is then neither met nor missed.

Periods are calendar days, ISO weeks (Monday to Sunday) and calendar months, in the
center's time zone; a period is named by the day it starts.
"""

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date, timedelta
from enum import StrEnum

# A report longer than this many periods is refused: asked by day over years, it is
# neither readable nor cheap. 400 days covers a year by day with room for a leap year.
MAX_PERIODS = 400


class Period(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


def rate(part: int, whole: int) -> float | None:
    """part ÷ whole; None when whole is 0."""
    if part < 0 or whole < 0 or part > whole:
        raise ValueError(f"a rate needs 0 ≤ part ≤ whole, not {part}/{whole}")
    return part / whole if whole else None


def per_ten_thousand(count: int, population: int) -> float | None:
    """count per 10,000 of the population (万户投诉率); None for an empty population."""
    if count < 0 or population < 0:
        raise ValueError(f"counts cannot be negative: {count}, {population}")
    return count * 10_000 / population if population else None


def target_met(actual: float | None, target: float) -> bool | None:
    """Whether a rate reaches its target (a floor: 98 % met by 98 % and more); None without one."""
    return None if actual is None else actual >= target


def period_start(day: date, by: Period) -> date:
    """The first day of the period that holds `day`."""
    if by is Period.DAY:
        return day
    if by is Period.WEEK:
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def next_period(start: date, by: Period) -> date:
    """The first day of the period after the one starting on `start`."""
    if by is Period.DAY:
        return start + timedelta(days=1)
    if by is Period.WEEK:
        return start + timedelta(days=7)
    return date(start.year + start.month // 12, start.month % 12 + 1, 1)


def period_starts(first: date, last: date, by: Period) -> list[date]:
    """The first day of every period that overlaps the days first…last (both included)."""
    if last < first:
        raise ValueError(f"the range ends ({last}) before it starts ({first})")
    starts = [period_start(first, by)]
    while (following := next_period(starts[-1], by)) <= last:
        starts.append(following)
    return starts


def period_count(first: date, last: date, by: Period) -> int:
    """How many periods overlap first…last, without listing them."""
    if last < first:
        raise ValueError(f"the range ends ({last}) before it starts ({first})")
    start, end = period_start(first, by), period_start(last, by)
    if by is Period.DAY:
        return (end - start).days + 1
    if by is Period.WEEK:
        return (end - start).days // 7 + 1
    return (end.year - start.year) * 12 + end.month - start.month + 1


def period_label(start: date, by: Period) -> str:
    """2026-10-31 for a day, 2026-W44 for an ISO week, 2026-10 for a month."""
    if by is Period.DAY:
        return start.isoformat()
    if by is Period.WEEK:
        year, week, _weekday = start.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{start:%Y-%m}"


@dataclass(frozen=True)
class OrderCounts:
    """The counts one period's orders give; docs/work-order-reports.md says which orders each
    counts. Every count adds up across periods, so a total is the sum of its periods."""

    orders: int = 0
    first_line_resolved: int = 0
    first_line_decided: int = 0
    called_back: int = 0
    reopened: int = 0
    faults: int = 0
    repeat_faults: int = 0
    complaints: int = 0
    urges: int = 0
    urged_orders: int = 0
    clocks_on_time: int = 0
    clocks_late: int = 0


def total(counts: Iterable[OrderCounts]) -> OrderCounts:
    """The field-by-field sum of the counts."""
    rows = list(counts)
    return OrderCounts(
        **{
            field.name: sum(getattr(row, field.name) for row in rows)
            for field in fields(OrderCounts)
        }
    )


@dataclass(frozen=True)
class OrderFigures:
    """The rates made from one period's counts; None where the denominator is 0."""

    first_line_rate: float | None
    first_line_target_met: bool | None
    reopen_rate: float | None
    repeat_fault_rate: float | None
    complaints_per_10k: float | None
    on_time_rate: float | None


def order_figures(counts: OrderCounts, customers: int, first_line_target: float) -> OrderFigures:
    """The rates of a period, given the customer base and the first-line target (0.98)."""
    first_line = rate(counts.first_line_resolved, counts.first_line_decided)
    return OrderFigures(
        first_line_rate=first_line,
        first_line_target_met=target_met(first_line, first_line_target),
        reopen_rate=rate(counts.reopened, counts.called_back),
        repeat_fault_rate=rate(counts.repeat_faults, counts.faults),
        complaints_per_10k=per_ten_thousand(counts.complaints, customers),
        on_time_rate=rate(counts.clocks_on_time, counts.clocks_on_time + counts.clocks_late),
    )


@dataclass(frozen=True)
class OnTime:
    """Stage clocks judged: met in time, and late (met late, or still running past due)."""

    on_time: int = 0
    late: int = 0

    @property
    def judged(self) -> int:
        return self.on_time + self.late

    @property
    def rate(self) -> float | None:
        return rate(self.on_time, self.judged)

    def __add__(self, other: "OnTime") -> "OnTime":
        return OnTime(self.on_time + other.on_time, self.late + other.late)
