"""Day types for forecasting: an ordinary weekday, a public holiday, or a make-up working day.

Around its public holidays China moves working days (调休): a weekend day becomes a working
day (调休上班) in exchange for a weekday off. Contact volume follows what the day is, not
its weekday, so the forecast types every date through a `DayCalendar`.

`chinese_public_calendar` reads the State Council's arrangement shipped with the
`chinesecalendar` package, which knows only the years published when it was released; a
year it does not know is listed in `unknown_years` and its dates are typed by weekday alone.
A caller holding its own list (say, one an administrator corrected) builds a `DayCalendar`
directly.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import IntEnum

import chinese_calendar  # type: ignore[import-untyped]


class DayType(IntEnum):
    """What a date is to the forecast; an ordinary day's value is its `date.weekday()`."""

    MONDAY = 0
    TUESDAY = 1
    WEDNESDAY = 2
    THURSDAY = 3
    FRIDAY = 4
    SATURDAY = 5
    SUNDAY = 6
    HOLIDAY = 7
    MAKEUP_WORKDAY = 8


WORKDAYS = frozenset(
    {DayType.MONDAY, DayType.TUESDAY, DayType.WEDNESDAY, DayType.THURSDAY, DayType.FRIDAY}
)


@dataclass(frozen=True)
class DayCalendar:
    """Public holidays and make-up working days; every other date is an ordinary weekday.

    `unknown_years` records years whose arrangement was not available when the calendar was
    built, so a caller can say that their holidays are missing.
    """

    holidays: frozenset[date] = frozenset()
    makeup_workdays: frozenset[date] = frozenset()
    unknown_years: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        both = self.holidays & self.makeup_workdays
        if both:
            raise ValueError(f"a day is either a holiday or a working day, not both: {min(both)}")

    def day_type(self, day: date) -> DayType:
        """The type of `day`."""
        if day in self.holidays:
            return DayType.HOLIDAY
        if day in self.makeup_workdays:
            return DayType.MAKEUP_WORKDAY
        return DayType(day.weekday())


def chinese_public_calendar(first: date, last: date) -> DayCalendar:
    """China's public holidays and make-up working days from `first` to `last`, both included.

    A day off in lieu (a weekday given off in exchange for a make-up day) counts as a holiday.
    """
    if last < first:
        raise ValueError(f"the calendar must not end before it starts: {first} – {last}")
    holidays: set[date] = set()
    makeup_workdays: set[date] = set()
    unknown_years: set[int] = set()
    for year in range(first.year, last.year + 1):
        days = _days(max(first, date(year, 1, 1)), min(last, date(year, 12, 31)))
        try:
            details = [(day, *chinese_calendar.get_holiday_detail(day)) for day in days]
        except NotImplementedError:
            unknown_years.add(year)
            continue
        for day, is_day_off, holiday_name in details:
            # Only days named after a holiday are special; ordinary weekends have no name.
            if holiday_name is None:
                continue
            (holidays if is_day_off else makeup_workdays).add(day)
    return DayCalendar(frozenset(holidays), frozenset(makeup_workdays), frozenset(unknown_years))


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]
