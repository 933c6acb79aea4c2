"""Stage clocks, on the office calendar of test_business_time (weekdays 08:30–12:00 and
13:30–17:30, National Day 2026 off); 14 September 2026 is a Monday."""

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotline.core.business_time import UNITS, Limit, in_utc
from hotline.core.sla_clock import (
    StageClock,
    due_at,
    is_breached,
    is_met_in_time,
    meet,
    pause,
    resume,
    used,
    warning_at,
)
from tests.unit.test_business_time import OFFICE, at, calendars, hours, instants

MICROSECOND = timedelta(microseconds=1)
FOUR_HOURS = Limit(4, "hours")


def four_hours_from_monday_ten():
    """A four-hour limit started on Monday at 10:00: due at 15:30."""
    return StageClock(started_at=at(9, 14, 10), limit=FOUR_HOURS)


def test_a_running_clock_uses_only_business_time():
    assert used(four_hours_from_monday_ten(), OFFICE, at(9, 14, 14)) == hours(2.5)


def test_a_clock_without_pauses_is_due_when_its_limit_is_due():
    assert due_at(four_hours_from_monday_ten(), OFFICE) == at(9, 14, 15, 30)


def test_a_two_day_limit_opened_on_friday_evening_is_due_at_tuesday_closing():
    clock = StageClock(started_at=at(9, 11, 20), limit=Limit(2, "days"))
    assert due_at(clock, OFFICE) == at(9, 15, 17, 30)


def test_a_paused_clock_has_no_due_time_and_no_warning():
    paused = pause(four_hours_from_monday_ten(), OFFICE, at(9, 14, 11))
    assert due_at(paused, OFFICE) is None
    assert warning_at(paused, OFFICE, 0.8) is None


def test_a_paused_clock_stops_using_time():
    paused = pause(four_hours_from_monday_ten(), OFFICE, at(9, 14, 11))
    assert used(paused, OFFICE, at(9, 15, 11)) == hours(1)


def test_a_suspension_moves_the_deadline_by_the_business_time_it_lasted():
    paused = pause(four_hours_from_monday_ten(), OFFICE, at(9, 14, 11))
    resumed = resume(paused, OFFICE, at(9, 15, 9))
    assert resumed.paused_business == hours(5.5)
    assert due_at(resumed, OFFICE) == at(9, 15, 12)


def test_a_suspension_over_the_weekend_does_not_move_the_deadline():
    clock = StageClock(started_at=at(9, 11, 17), limit=FOUR_HOURS)
    resumed = resume(pause(clock, OFFICE, at(9, 11, 17, 45)), OFFICE, at(9, 14, 8))
    assert resumed.paused_business == timedelta(0)
    assert due_at(resumed, OFFICE) == at(9, 14, 12)


def test_the_warning_comes_when_eighty_percent_of_the_limit_is_used():
    clock = StageClock(started_at=at(9, 14, 8, 30), limit=Limit(5, "hours"))
    assert warning_at(clock, OFFICE, 0.8) == at(9, 14, 14)


def test_a_stage_met_at_its_due_instant_is_in_time():
    clock = meet(four_hours_from_monday_ten(), at(9, 14, 15, 30))
    assert is_met_in_time(clock, OFFICE) is True
    assert not is_breached(clock, OFFICE, at(9, 20))


def test_a_stage_met_a_minute_late_is_late_and_breached():
    clock = meet(four_hours_from_monday_ten(), at(9, 14, 15, 31))
    assert is_met_in_time(clock, OFFICE) is False
    assert is_breached(clock, OFFICE, at(9, 20))


def test_a_reply_after_closing_to_a_limit_due_at_closing_is_late():
    clock = StageClock(started_at=at(9, 14, 13, 30), limit=FOUR_HOURS)
    assert is_met_in_time(meet(clock, at(9, 14, 19)), OFFICE) is False


def test_whether_a_stage_is_in_time_is_unknown_until_it_is_met():
    assert is_met_in_time(four_hours_from_monday_ten(), OFFICE) is None


def test_a_clock_is_breached_just_after_its_due_instant():
    clock = four_hours_from_monday_ten()
    assert not is_breached(clock, OFFICE, at(9, 14, 15, 30))
    assert is_breached(clock, OFFICE, at(9, 14, 15, 30) + MICROSECOND)


def test_a_clock_paused_after_its_deadline_stays_breached():
    paused = pause(four_hours_from_monday_ten(), OFFICE, at(9, 14, 16))
    assert is_breached(paused, OFFICE, at(9, 30))


def test_a_clock_paused_before_its_deadline_is_not_breached_while_paused():
    paused = pause(four_hours_from_monday_ten(), OFFICE, at(9, 14, 11))
    assert not is_breached(paused, OFFICE, at(9, 30))


def test_a_met_clock_has_used_the_time_up_to_its_meeting():
    clock = meet(four_hours_from_monday_ten(), at(9, 14, 11))
    assert used(clock, OFFICE, at(9, 30)) == hours(1)


def test_pausing_a_paused_clock_is_refused():
    paused = pause(four_hours_from_monday_ten(), OFFICE, at(9, 14, 11))
    with pytest.raises(ValueError, match="cannot pause a paused clock"):
        pause(paused, OFFICE, at(9, 14, 12))


def test_resuming_a_running_clock_is_refused():
    with pytest.raises(ValueError, match="not paused"):
        resume(four_hours_from_monday_ten(), OFFICE, at(9, 14, 11))


def test_a_met_clock_can_be_neither_paused_nor_resumed_nor_met_again():
    clock = meet(four_hours_from_monday_ten(), at(9, 14, 11))
    with pytest.raises(ValueError, match="cannot pause a met clock"):
        pause(clock, OFFICE, at(9, 14, 12))
    with pytest.raises(ValueError, match="cannot resume a met clock"):
        resume(clock, OFFICE, at(9, 14, 12))
    with pytest.raises(ValueError, match="cannot meet a met clock"):
        meet(clock, at(9, 14, 12))


def test_a_paused_clock_must_be_resumed_before_it_is_met():
    paused = pause(four_hours_from_monday_ten(), OFFICE, at(9, 14, 11))
    with pytest.raises(ValueError, match="cannot meet a paused clock"):
        meet(paused, at(9, 14, 12))


def test_steps_cannot_go_back_in_time():
    clock = four_hours_from_monday_ten()
    with pytest.raises(ValueError, match="before the start"):
        pause(clock, OFFICE, at(9, 14, 9))
    with pytest.raises(ValueError, match="before the pause"):
        resume(pause(clock, OFFICE, at(9, 14, 11)), OFFICE, at(9, 14, 10))
    with pytest.raises(ValueError, match="before the clock's start"):
        used(clock, OFFICE, at(9, 14, 9))


# Properties: a clock on a random calendar, paused and resumed at random.

limits = st.builds(Limit, st.integers(0, 30), st.sampled_from(UNITS))
gaps = st.lists(st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=60)), max_size=7)
rests = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=30))


def _run(calendar, clock, steps):
    """The clock after pausing and resuming in turn after each gap, and the instants it did."""
    moments, moment = [], clock.started_at
    for number, gap in enumerate(steps):
        moment += gap
        step = resume if number % 2 else pause
        clock = step(clock, calendar, moment)
        moments.append(moment)
    return clock, moments


def _running(calendar, clock):
    """The clock, resumed at once if paused."""
    if clock.paused_since is None:
        return clock
    return resume(clock, calendar, clock.paused_since)


@given(calendars, instants, limits, gaps, rests)
def test_pausing_and_resuming_never_loses_or_adds_business_time(
    calendar, start, limit, steps, rest
):
    clock, moments = _run(calendar, StageClock(started_at=start, limit=limit), steps)
    now = (moments[-1] if moments else start) + rest
    # Pauses are [pause, resume) pairs; one still under way lasts until now.
    pauses = zip(moments[::2], [*moments[1::2], now], strict=False)
    paused = sum((calendar.between(begin, end) for begin, end in pauses), timedelta(0))
    assert used(clock, calendar, now) == calendar.between(start, now) - paused


@given(calendars, instants, limits, gaps)
def test_a_resumed_clock_is_due_later_by_exactly_the_business_time_paused(
    calendar, start, limit, steps
):
    clock, _moments = _run(calendar, StageClock(started_at=start, limit=limit), steps)
    clock = _running(calendar, clock)
    without_pauses = limit.due(calendar, start)
    assert in_utc(due_at(clock, calendar)) == in_utc(
        calendar.add(without_pauses, clock.paused_business)
    )


@given(calendars, instants, limits, gaps, rests)
def test_a_running_clock_is_breached_when_it_has_used_more_than_its_limit(
    calendar, start, limit, steps, rest
):
    clock, moments = _run(calendar, StageClock(started_at=start, limit=limit), steps)
    clock = _running(calendar, clock)
    now = (moments[-1] if moments else start) + rest
    allowed = limit.business_time(calendar, start)
    spent = used(clock, calendar, now)
    if spent > allowed:
        assert is_breached(clock, calendar, now)
    if is_breached(clock, calendar, now):
        assert spent >= allowed


@given(calendars, instants, limits, gaps, st.floats(0, 1))
def test_the_warning_never_comes_after_the_deadline(calendar, start, limit, steps, share):
    clock, _moments = _run(calendar, StageClock(started_at=start, limit=limit), steps)
    clock = _running(calendar, clock)
    assert in_utc(warning_at(clock, calendar, share)) <= in_utc(due_at(clock, calendar))
