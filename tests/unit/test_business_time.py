"""Business calendars, on the office hours of a center in 2026 around National Day.

The office is open 08:30–12:00 and 13:30–17:30 on weekdays; 1–7 October are
statutory holidays (国庆), and Sunday 20 September and Saturday 10 October are
make-up working days (调休).
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotline.core.business_time import (
    MIDNIGHT,
    SHANGHAI,
    WHOLE_DAY,
    BusinessCalendar,
    Limit,
    Period,
    in_utc,
)

OFFICE_DAY = (Period(time(8, 30), time(12)), Period(time(13, 30), time(17, 30)))
OFFICE = BusinessCalendar(
    weekly=(OFFICE_DAY,) * 5 + ((), ()),
    holidays=frozenset(date(2026, 10, day) for day in range(1, 8)),
    workdays=frozenset({date(2026, 9, 20), date(2026, 10, 10)}),
)
ALWAYS = BusinessCalendar.always_open()
BERLIN = ZoneInfo("Europe/Berlin")
ZONES = [SHANGHAI, BERLIN, ZoneInfo("America/New_York"), ZoneInfo("America/Santiago")]
WINDOW = (date(2026, 1, 1), date(2026, 12, 31))


def at(month, day, hour=0, minute=0):
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


def hours(count):
    return timedelta(hours=count)


def elapsed(start, end):
    return in_utc(end) - in_utc(start)


def test_an_order_opened_on_friday_evening_is_due_on_monday_morning():
    assert OFFICE.add(at(9, 11, 20), hours(2)) == at(9, 14, 10, 30)


def test_an_order_opened_during_lunch_starts_counting_at_half_past_one():
    assert OFFICE.add(at(9, 14, 12, 30), hours(1)) == at(9, 14, 14, 30)


def test_business_time_stops_over_lunch():
    assert OFFICE.add(at(9, 14, 11), hours(2)) == at(9, 14, 14, 30)


def test_a_duration_used_up_at_closing_is_due_at_closing_not_at_the_next_opening():
    assert OFFICE.add(at(9, 14, 11), hours(1)) == at(9, 14, 12)


def test_a_zero_duration_is_due_at_once_even_while_closed():
    assert OFFICE.add(at(9, 12, 10), timedelta(0)) == at(9, 12, 10)


def test_a_negative_duration_is_refused():
    with pytest.raises(ValueError, match="negative"):
        OFFICE.add(at(9, 14, 10), hours(-1))


def test_national_day_is_closed_although_it_falls_on_weekdays():
    assert OFFICE.add(at(9, 30, 17), hours(1)) == at(10, 8, 9)


def test_a_makeup_sunday_is_a_working_day():
    assert OFFICE.add(at(9, 18, 17), hours(1)) == at(9, 20, 9)


def test_a_makeup_saturday_counts_a_whole_office_day():
    assert OFFICE.between(at(10, 9, 18), at(10, 11, 23)) == hours(7.5)


def test_makeup_days_may_keep_their_own_hours():
    short = BusinessCalendar(
        weekly=OFFICE.weekly,
        workdays=OFFICE.workdays,
        makeup_periods=(Period(time(9), time(12)),),
    )
    assert short.between(at(9, 20), at(9, 21)) == hours(3)


def test_between_counts_only_open_hours():
    assert OFFICE.between(at(9, 14, 8), at(9, 14, 18)) == hours(7.5)


def test_a_working_week_has_thirty_seven_and_a_half_business_hours():
    assert OFFICE.between(at(9, 7), at(9, 14)) == hours(37.5)


def test_between_is_zero_when_the_end_is_not_after_the_start():
    assert OFFICE.between(at(9, 14, 10), at(9, 14, 9)) == timedelta(0)


def test_a_closing_instant_is_closed_and_an_opening_instant_is_open():
    assert not OFFICE.is_open(at(9, 14, 12))
    assert OFFICE.is_open(at(9, 14, 13, 30))


def test_the_next_opening_after_a_weekend_is_monday_morning():
    assert OFFICE.next_opening(at(9, 12, 10)) == at(9, 14, 8, 30)


def test_the_next_opening_of_an_open_instant_is_itself():
    assert OFFICE.next_opening(at(9, 14, 10)) == at(9, 14, 10)


def test_results_are_in_the_calendars_zone_whatever_zone_is_given():
    due = OFFICE.add(at(9, 14, 10).astimezone(UTC), hours(1))
    assert due.tzinfo is SHANGHAI
    assert due == at(9, 14, 11)


def test_a_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="naive"):
        OFFICE.add(datetime(2026, 9, 14, 10), hours(1))


def test_a_period_may_run_to_midnight():
    night = BusinessCalendar(
        weekly=((Period(time(0), time(2)), Period(time(22), MIDNIGHT)),) * 7,
        tz=SHANGHAI,
    )
    assert night.between(at(9, 14, 21), at(9, 15, 3)) == hours(4)
    assert night.add(at(9, 14, 23), hours(2)) == at(9, 15, 1)


def test_a_period_must_end_after_it_starts():
    with pytest.raises(ValueError, match="end after it starts"):
        Period(time(12), time(8, 30))


def test_overlapping_periods_are_refused():
    with pytest.raises(ValueError, match="overlap"):
        BusinessCalendar(weekly=((Period(time(8), time(12)), Period(time(11), time(14))),) * 7)


def test_a_week_has_seven_days():
    with pytest.raises(ValueError, match="7 days"):
        BusinessCalendar(weekly=(OFFICE_DAY,) * 5)


def test_a_date_cannot_be_both_a_holiday_and_a_makeup_day():
    with pytest.raises(ValueError, match="holiday and a working day"):
        BusinessCalendar(
            weekly=OFFICE.weekly,
            holidays=frozenset({date(2026, 9, 20)}),
            workdays=frozenset({date(2026, 9, 20)}),
        )


def test_a_calendar_that_never_opens_again_cannot_give_a_deadline():
    once = BusinessCalendar(
        weekly=((),) * 7, workdays=frozenset({date(2026, 9, 20)}), makeup_periods=OFFICE_DAY
    )
    assert once.add(at(9, 19), hours(7.5)) == at(9, 20, 17, 30)
    with pytest.raises(ValueError, match="never opens"):
        once.add(at(9, 19), hours(8))


def test_the_always_open_calendar_is_plain_arithmetic_even_over_ten_years():
    start = at(9, 14, 10)
    assert ALWAYS.add(start, timedelta(days=3650)) == start + timedelta(days=3650)
    assert ALWAYS.between(start, start + timedelta(days=3650)) == timedelta(days=3650)


def test_business_time_is_real_time_on_the_day_clocks_go_forward():
    # In Berlin clocks go from 02:00 to 03:00 on 29 March 2026.
    nights = BusinessCalendar(weekly=((Period(time(1), time(4)),),) * 7, tz=BERLIN)
    assert nights.between(
        datetime(2026, 3, 29, tzinfo=BERLIN), datetime(2026, 3, 30, tzinfo=BERLIN)
    ) == hours(2)


def test_a_whole_day_is_twenty_three_hours_long_when_clocks_go_forward():
    # A holiday outside the range keeps the calendar off the 24×7 shortcut.
    days = BusinessCalendar(
        weekly=(WHOLE_DAY,) * 7, holidays=frozenset({date(2000, 1, 1)}), tz=BERLIN
    )
    assert days.between(
        datetime(2026, 3, 29, tzinfo=BERLIN), datetime(2026, 3, 30, tzinfo=BERLIN)
    ) == hours(23)


def test_working_days_keep_the_time_of_day():
    assert OFFICE.add_working_days(at(9, 11, 10), 2) == at(9, 15, 10)


def test_three_working_days_from_friday_evening_are_due_at_wednesday_closing():
    assert OFFICE.add_working_days(at(9, 11, 20), 3) == at(9, 16, 17, 30)


def test_a_working_day_from_lunch_is_due_before_the_next_lunch():
    assert OFFICE.add_working_days(at(9, 14, 12, 30), 1) == at(9, 15, 12)


def test_working_days_skip_national_day_and_count_the_makeup_saturday():
    assert OFFICE.add_working_days(at(9, 30, 10), 3) == at(10, 10, 10)


def test_working_days_land_in_a_shorter_makeup_day_at_its_closing():
    short = BusinessCalendar(
        weekly=OFFICE.weekly,
        workdays=OFFICE.workdays,
        makeup_periods=(Period(time(9), time(12)),),
    )
    assert short.add_working_days(at(9, 18, 16), 1) == at(9, 20, 12)


def test_zero_working_days_are_due_at_once():
    assert OFFICE.add_working_days(at(9, 12, 10), 0) == at(9, 12, 10)


def test_working_days_on_the_always_open_calendar_are_days_of_24_hours():
    assert ALWAYS.add_working_days(at(9, 30, 10), 3) == at(10, 3, 10)


def test_a_limit_in_days_counts_working_days():
    assert Limit(2, "days").due(OFFICE, at(9, 11, 10)) == at(9, 15, 10)


def test_a_limit_in_minutes_or_hours_counts_business_time():
    assert Limit(30, "minutes").due(OFFICE, at(9, 14, 11, 45)) == at(9, 14, 13, 45)
    assert Limit(4, "hours").due(OFFICE, at(9, 14, 16)) == at(9, 15, 11)


def test_a_limit_in_days_allows_the_business_time_of_its_days():
    assert Limit(2, "days").business_time(OFFICE, at(9, 11, 10)) == hours(15)


def test_a_limit_has_a_known_unit():
    with pytest.raises(ValueError, match="unit"):
        Limit(3, "weeks")


# Properties, on calendars drawn at random: periods on quarter hours, and holidays and
# make-up days within 2026, in zones with and without changes of clocks. Instants are
# compared in UTC: in one zone datetimes compare by wall clock, wrong where clocks go back.


@st.composite
def day_periods(draw):
    cuts = sorted(draw(st.sets(st.integers(0, 96), max_size=6)))
    if len(cuts) % 2:
        cuts.pop()
    return tuple(
        Period(_quarter(first), _quarter(last))
        for first, last in zip(cuts[::2], cuts[1::2], strict=True)
    )


def _quarter(index):
    return MIDNIGHT if index == 96 else time(index // 4, index % 4 * 15)


@st.composite
def office_calendars(draw, zones=ZONES):
    weekly = [draw(day_periods()) for _weekday in range(7)]
    if not any(weekly):
        weekly[0] = OFFICE_DAY
    special = st.sets(st.dates(*WINDOW), max_size=12)
    holidays = draw(special)
    return BusinessCalendar(
        weekly=tuple(weekly),
        holidays=frozenset(holidays),
        workdays=frozenset(draw(special) - holidays),
        makeup_periods=draw(st.none() | day_periods()),
        tz=draw(st.sampled_from(zones)),
    )


calendars = office_calendars() | st.sampled_from(ZONES).map(BusinessCalendar.always_open)
# The days clocks change in 2026 in ZONES; Santiago's change at midnight moves dates too.
CHANGES = [date(2026, 3, 8), date(2026, 3, 29), date(2026, 4, 5)]
CHANGES += [date(2026, 9, 6), date(2026, 10, 25), date(2026, 11, 1)]


def _days_around(day):
    return st.datetimes(
        min_value=datetime.combine(day - timedelta(days=5), time()),
        max_value=datetime.combine(day + timedelta(days=1), time()),
        timezones=st.just(UTC),
    )


instants = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 31), timezones=st.just(UTC)
) | st.sampled_from(CHANGES).flatmap(_days_around)
durations = st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=120))


@given(calendars, instants, durations)
def test_measuring_the_business_time_added_gives_it_back(calendar, start, duration):
    assert calendar.between(start, calendar.add(start, duration)) == duration


@given(calendars, instants, durations, durations)
def test_adding_more_business_time_never_gives_an_earlier_instant(calendar, start, one, two):
    shorter, longer = sorted((one, two))
    assert in_utc(calendar.add(start, shorter)) <= in_utc(calendar.add(start, longer))


@given(calendars, instants, durations, durations)
def test_business_time_adds_up_over_consecutive_ranges(calendar, start, one, two):
    middle, end = start + one, start + one + two
    assert calendar.between(start, middle) + calendar.between(middle, end) == calendar.between(
        start, end
    )


@given(calendars, instants, durations)
def test_business_time_never_exceeds_real_time(calendar, start, duration):
    assert calendar.between(start, start + duration) <= duration


@given(calendars, instants, durations)
def test_adding_business_time_never_takes_less_real_time(calendar, start, duration):
    assert elapsed(start, calendar.add(start, duration)) >= duration


@given(st.sampled_from(ZONES), instants, durations)
def test_the_24x7_calendar_agrees_with_plain_arithmetic(zone, start, duration):
    calendar = BusinessCalendar.always_open(zone)
    assert in_utc(calendar.add(start, duration)) == start + duration
    assert calendar.between(start, start + duration) == duration


@given(st.sampled_from(ZONES), instants, durations)
def test_whole_days_walked_one_by_one_agree_with_plain_arithmetic(zone, start, duration):
    walked = BusinessCalendar(
        weekly=(WHOLE_DAY,) * 7, holidays=frozenset({date(2000, 1, 1)}), tz=zone
    )
    assert in_utc(walked.add(start, duration)) == start + duration
    assert walked.between(start, start + duration) == duration


@given(calendars, instants, st.integers(0, 30))
def test_working_days_are_due_at_the_first_instant_of_their_business_position(
    calendar, start, days
):
    due = calendar.add_working_days(start, days)
    assert in_utc(calendar.add(start, calendar.between(start, due))) == in_utc(due)


@given(calendars, instants, st.integers(0, 29))
def test_one_more_working_day_is_never_due_earlier(calendar, start, days):
    one_more = calendar.add_working_days(start, days + 1)
    assert in_utc(calendar.add_working_days(start, days)) <= in_utc(one_more)


def _opens_at(calendar, minute):
    """Whether the calendar is open during the minute starting at `minute`, from its rules alone."""
    local = minute.astimezone(calendar.tz)
    day = local.date()
    if day in calendar.holidays:
        periods = ()
    elif day in calendar.workdays:
        periods = calendar.weekly[0] if calendar.makeup_periods is None else calendar.makeup_periods
    else:
        periods = calendar.weekly[day.weekday()]
    wall = local.time()
    return any(p.start <= wall and (p.end == MIDNIGHT or wall < p.end) for p in periods)


@given(
    office_calendars(zones=[SHANGHAI]),
    instants.map(lambda instant: instant.replace(second=0, microsecond=0)),
    st.integers(0, 3 * 24 * 60),
)
def test_between_counts_the_open_minutes_one_by_one(calendar, start, minutes):
    open_minutes = sum(
        _opens_at(calendar, start + timedelta(minutes=minute)) for minute in range(minutes)
    )
    assert calendar.between(start, start + timedelta(minutes=minutes)) == timedelta(
        minutes=open_minutes
    )
