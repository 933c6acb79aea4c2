"""Volume and handle-time forecasts on synthetic queues whose true pattern is known: a weekly
level per weekday, one intraday shape for working days and one for weekends, a fixed AHT per
interval, and Poisson noise. 3 November 2025 is a Monday; the eight weeks from it hold no
Chinese public holiday, and the week after them holds New Year 2026 (1–3 January off, Sunday
4 January worked)."""

from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotline.staffing.forecast import (
    DAILY_AVERAGE,
    DEFAULT_HOLIDAY_FACTOR,
    HOLT_WINTERS,
    SEASONAL_NAIVE,
    QueueHistory,
    aht_profiles,
    bias,
    forecast_queue,
    intraday_profiles,
    wape,
)
from hotline.staffing.holidays import DayCalendar, DayType, chinese_public_calendar

NOVEMBER_3 = date(2025, 11, 3)
NEW_YEAR_WEEK = date(2025, 12, 29)
EIGHT_WEEKS = 56
NO_HOLIDAYS = DayCalendar()

QUARTER_HOURS = 96
_HOURS = np.arange(QUARTER_HOURS) / 4
WEEKLY_LEVEL = np.array([1.25, 1.1, 1.0, 1.0, 0.95, 0.55, 0.45])  # Monday first
WORKDAY_SHAPE = (
    np.exp(-(((_HOURS - 10) / 2) ** 2)) + 0.8 * np.exp(-(((_HOURS - 15) / 2.5) ** 2)) + 0.02
)
WEEKEND_SHAPE = np.exp(-(((_HOURS - 13) / 4) ** 2)) + 0.02
WORKDAY_SHAPE /= WORKDAY_SHAPE.sum()
WEEKEND_SHAPE /= WEEKEND_SHAPE.sum()
AHT_BY_INTERVAL = np.where((_HOURS >= 8) & (_HOURS < 20), 240.0, 420.0)


def expected_volume(first, days, level, calendar=NO_HOLIDAYS, holiday_share=1.0, trend=0.0):
    """Contacts per day and quarter-hour: a holiday brings `holiday_share` of its weekday, a
    make-up working day a working day's level and shape."""
    rows = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        kind = calendar.day_type(day)
        weekday_level = WEEKLY_LEVEL[day.weekday()]
        if kind == DayType.MAKEUP_WORKDAY:
            weekday_level = WEEKLY_LEVEL[:5].mean()
        elif kind == DayType.HOLIDAY:
            weekday_level *= holiday_share
        weekend_like = day.weekday() >= 5 and kind != DayType.MAKEUP_WORKDAY
        shape = WEEKEND_SHAPE if weekend_like else WORKDAY_SHAPE
        rows.append(level * weekday_level * (1 + trend * offset) * shape)
    return np.array(rows)


def history_from(expected, first=NOVEMBER_3, seed=1):
    """A queue's history drawn around `expected`, every contact handled in its interval's AHT."""
    volume = np.random.default_rng(seed).poisson(expected).astype(np.float64).ravel()
    handle_seconds = volume * np.tile(AHT_BY_INTERVAL, len(expected))
    return QueueHistory("broadband", first, 15, volume, volume.copy(), handle_seconds)


def eight_quiet_weeks(level=10_000.0, seed=1):
    return history_from(expected_volume(NOVEMBER_3, EIGHT_WEEKS, level), seed=seed)


def by_day(forecast):
    return forecast.volume.reshape(len(forecast.daily_volume), -1)


# The forecast


def test_the_forecast_recovers_the_weekly_and_intraday_pattern():
    history = eight_quiet_weeks()
    forecast = forecast_queue(history, history.end, 7, NO_HOLIDAYS)
    truth = expected_volume(history.end, 7, 10_000.0).ravel()
    assert wape(truth, forecast.volume) < 0.05
    assert abs(bias(truth, forecast.volume)) < 0.03


def test_the_forecast_aht_is_each_intervals_own_where_it_is_busy():
    history = eight_quiet_weeks()
    forecast = forecast_queue(history, history.end, 7, NO_HOLIDAYS)
    busy = forecast.volume > 50
    truth = np.tile(AHT_BY_INTERVAL, 7)
    assert busy.sum() > 200
    np.testing.assert_allclose(forecast.aht_seconds[busy], truth[busy], rtol=0.03)


def test_a_forecast_covers_whole_days_from_its_start():
    history = eight_quiet_weeks()
    start = history.end + timedelta(days=3)
    forecast = forecast_queue(history, start, 5, NO_HOLIDAYS)
    assert forecast.start == start
    assert forecast.volume.shape == forecast.aht_seconds.shape == (5 * QUARTER_HOURS,)
    assert forecast.day_types[0] == DayType(start.weekday())
    np.testing.assert_allclose(by_day(forecast).sum(axis=1), forecast.daily_volume)


def test_a_horizon_may_not_start_inside_the_history():
    history = eight_quiet_weeks()
    with pytest.raises(ValueError, match="before the history ends"):
        forecast_queue(history, history.end - timedelta(days=1), 7, NO_HOLIDAYS)


def test_a_history_must_cover_whole_days():
    with pytest.raises(ValueError, match="whole days"):
        QueueHistory("broadband", NOVEMBER_3, 60, np.ones(30), np.ones(30), np.ones(30))


def test_only_known_models_may_be_asked_for():
    history = eight_quiet_weeks()
    with pytest.raises(ValueError, match="models are chosen from"):
        forecast_queue(history, history.end, 7, NO_HOLIDAYS, models=("prophet",))


# Seasonal naive and short histories


def test_a_single_week_of_history_is_repeated_exactly():
    counts = np.random.default_rng(7).integers(0, 40, size=7 * QUARTER_HOURS).astype(np.float64)
    history = QueueHistory("billing", NOVEMBER_3, 15, counts, counts, counts * 200)
    forecast = forecast_queue(history, history.end, 14, NO_HOLIDAYS)
    assert forecast.model == SEASONAL_NAIVE
    assert forecast.backtest == ()
    np.testing.assert_allclose(forecast.volume, np.tile(counts, 2))


def test_seasonal_naive_repeats_last_weeks_days_when_their_shapes_hold():
    weekly_scale = np.repeat([0.8, 1.3, 0.9, 1.1, 1.2], 7)[:, np.newaxis]
    volume = expected_volume(NOVEMBER_3, 35, 5_000.0) * weekly_scale
    history = QueueHistory(
        "billing", NOVEMBER_3, 15, volume.ravel(), volume.ravel(), volume.ravel() * 300
    )
    forecast = forecast_queue(history, history.end, 7, NO_HOLIDAYS, models=(SEASONAL_NAIVE,))
    assert forecast.model == SEASONAL_NAIVE
    np.testing.assert_allclose(forecast.volume, volume[-7:].ravel())


def test_under_a_week_of_history_forecasts_the_daily_average():
    hourly = np.arange(24, dtype=np.float64)  # 276 contacts a day
    volume = np.concatenate([hourly, 2 * hourly, hourly])
    history = QueueHistory("sales", NOVEMBER_3, 60, volume, volume, volume * 100)
    forecast = forecast_queue(history, history.end, 2, NO_HOLIDAYS)
    assert forecast.model == DAILY_AVERAGE
    np.testing.assert_allclose(forecast.daily_volume, [(276 + 552 + 276) / 3] * 2)


# Holidays and make-up working days


def test_a_holiday_in_the_horizon_lowers_that_day_by_the_default_factor():
    history = eight_quiet_weeks()
    wednesday = history.end + timedelta(days=2)
    plain = forecast_queue(history, history.end, 7, NO_HOLIDAYS)
    with_holiday = forecast_queue(
        history, history.end, 7, DayCalendar(holidays=frozenset({wednesday}))
    )
    assert with_holiday.day_types[2] == DayType.HOLIDAY
    assert with_holiday.daily_volume[2] == pytest.approx(
        DEFAULT_HOLIDAY_FACTOR * plain.daily_volume[2]
    )
    np.testing.assert_allclose(with_holiday.daily_volume[3:], plain.daily_volume[3:])


def test_the_holiday_effect_is_measured_when_the_history_holds_holidays():
    first, last = date(2025, 3, 3), date(2025, 6, 1)  # Qingming, Labour Day, Dragon Boat
    calendar = chinese_public_calendar(first, last)
    history = history_from(expected_volume(first, 84, 10_000.0, calendar, 0.5), first)
    forecast = forecast_queue(history, history.end, 7, calendar)
    saturday = forecast.day_types.index(DayType.HOLIDAY)
    ordinary_saturday = 10_000.0 * WEEKLY_LEVEL[DayType.SATURDAY]
    assert forecast.holiday_factor == pytest.approx(0.5, abs=0.03)
    assert forecast.daily_volume[saturday] == pytest.approx(0.5 * ordinary_saturday, rel=0.03)


def test_a_make_up_working_sunday_gets_a_working_days_level():
    history = eight_quiet_weeks()
    forecast = forecast_queue(history, NEW_YEAR_WEEK, 7)
    sunday = 6
    assert forecast.day_types[sunday] == DayType.MAKEUP_WORKDAY
    workday_level = 10_000.0 * WEEKLY_LEVEL[:5].mean()
    assert forecast.daily_volume[sunday] == pytest.approx(workday_level, rel=0.03)


def test_a_make_up_working_day_is_spread_like_a_working_day():
    history = eight_quiet_weeks()
    forecast = forecast_queue(history, NEW_YEAR_WEEK, 7)
    sunday = by_day(forecast)[6]
    assert wape(WORKDAY_SHAPE, sunday / sunday.sum()) < 0.05


def test_new_year_2026_holidays_are_forecast_below_their_weekdays():
    history = eight_quiet_weeks()
    forecast = forecast_queue(history, NEW_YEAR_WEEK, 7)
    plain = forecast_queue(history, NEW_YEAR_WEEK, 7, NO_HOLIDAYS)
    holidays = [day for day, kind in enumerate(forecast.day_types) if kind == DayType.HOLIDAY]
    assert holidays == [3, 4, 5]
    assert (forecast.daily_volume[holidays] < plain.daily_volume[holidays]).all()


def test_without_holidays_in_history_a_holiday_takes_sundays_shape():
    profiles = intraday_profiles(eight_quiet_weeks(), NO_HOLIDAYS)
    np.testing.assert_array_equal(profiles[DayType.HOLIDAY], profiles[DayType.SUNDAY])


# Handle time


def one_monday(handled, handle_seconds):
    return QueueHistory(
        "complaints", NOVEMBER_3, 60, np.array(handled), np.array(handled), np.array(handle_seconds)
    )


def test_aht_is_pulled_toward_the_days_aht_by_ten_contacts():
    handled = np.zeros(24)
    seconds = np.zeros(24)
    handled[9], seconds[9] = 30, 6_000  # 200 s each
    handled[10], seconds[10] = 2, 1_200  # 600 s each
    aht = aht_profiles(one_monday(handled, seconds), NO_HOLIDAYS)[DayType.MONDAY]
    # The day's AHT is 7 200 s / 32 contacts = 225 s (and equals the queue's).
    assert aht[9] == pytest.approx((6_000 + 10 * 225) / (30 + 10))
    assert aht[10] == pytest.approx((1_200 + 10 * 225) / (2 + 10))
    assert aht[3] == pytest.approx(225)


def test_a_queue_that_never_handled_a_contact_has_no_handle_time():
    aht = aht_profiles(one_monday(np.zeros(24), np.zeros(24)), NO_HOLIDAYS)
    assert all((profile == 0).all() for profile in aht.values())


# Backtest and model choice


def test_the_backtest_prefers_holt_winters_on_a_trend():
    trending = expected_volume(NOVEMBER_3, EIGHT_WEEKS, 5_000.0, trend=0.02)
    history = history_from(trending)
    forecast = forecast_queue(
        history, history.end, 7, NO_HOLIDAYS, models=(SEASONAL_NAIVE, HOLT_WINTERS)
    )
    naive, holt_winters = forecast.backtest
    assert forecast.model == HOLT_WINTERS
    assert holt_winters.wape < naive.wape
    assert naive.bias < -0.05  # last week's level lags a rising series


def test_the_backtest_scores_each_model_over_the_last_four_weeks():
    history = eight_quiet_weeks()
    forecast = forecast_queue(history, history.end, 7, NO_HOLIDAYS)
    assert [score.model for score in forecast.backtest] == [
        "seasonal_naive",
        "holt_winters",
        "theta",
    ]
    assert forecast.model == min(forecast.backtest, key=lambda score: score.wape).model


def test_wape_and_bias_by_hand():
    actual = np.array([10.0, 0.0, 30.0])
    forecast = np.array([12.0, 5.0, 24.0])
    assert wape(actual, forecast) == pytest.approx((2 + 5 + 6) / 40)
    assert bias(actual, forecast) == pytest.approx((2 + 5 - 6) / 40)


def test_wape_is_undefined_when_nothing_happened():
    with pytest.raises(ValueError, match="undefined"):
        wape(np.zeros(3), np.ones(3))


# The calendar


def test_national_day_2025_has_days_off_in_lieu_and_make_up_weekends():
    calendar = chinese_public_calendar(date(2025, 9, 27), date(2025, 10, 12))
    assert calendar.day_type(date(2025, 9, 28)) == DayType.MAKEUP_WORKDAY
    assert calendar.day_type(date(2025, 10, 1)) == DayType.HOLIDAY
    assert calendar.day_type(date(2025, 10, 8)) == DayType.HOLIDAY  # a Wednesday in lieu
    assert calendar.day_type(date(2025, 10, 11)) == DayType.MAKEUP_WORKDAY
    assert calendar.day_type(date(2025, 10, 12)) == DayType.SUNDAY


def test_years_the_calendar_does_not_know_are_typed_by_weekday_and_reported():
    first = date(2098, 11, 10)  # a Monday, eight weeks before 5 January 2099
    history = history_from(expected_volume(first, EIGHT_WEEKS, 1_000.0), first)
    forecast = forecast_queue(history, history.end, 7)
    assert forecast.unknown_years == frozenset({2098, 2099})
    assert forecast.day_types == tuple(DayType(weekday) for weekday in range(7))


# Properties


@st.composite
def small_queues(draw):
    days = draw(st.integers(1, 30))
    counts = draw(st.lists(st.integers(0, 30), min_size=days * 24, max_size=days * 24))
    volume = np.array(counts, dtype=np.float64)
    special = draw(st.lists(st.integers(0, days + 9), max_size=6, unique=True))
    split = len(special) // 2
    calendar = DayCalendar(
        holidays=frozenset(NOVEMBER_3 + timedelta(days=day) for day in special[:split]),
        makeup_workdays=frozenset(NOVEMBER_3 + timedelta(days=day) for day in special[split:]),
    )
    history = QueueHistory("any", NOVEMBER_3, 60, volume, volume, volume * 180)
    return history, calendar


@settings(max_examples=25, deadline=None)
@given(small_queues(), st.integers(0, 3))
def test_any_history_gets_a_finite_non_negative_forecast_summing_to_its_days(queue, gap):
    history, calendar = queue
    forecast = forecast_queue(history, history.end + timedelta(days=gap), 7, calendar)
    assert np.isfinite(forecast.volume).all() and (forecast.volume >= 0).all()
    assert np.isfinite(forecast.aht_seconds).all() and (forecast.aht_seconds >= 0).all()
    np.testing.assert_allclose(by_day(forecast).sum(axis=1), forecast.daily_volume)


@settings(max_examples=25, deadline=None)
@given(small_queues())
def test_every_intraday_profile_sums_to_one(queue):
    history, calendar = queue
    for profile in intraday_profiles(history, calendar).values():
        assert profile.sum() == pytest.approx(1.0)
