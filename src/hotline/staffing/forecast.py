"""Forecast contact volume and average handle time (AHT) per queue and interval from history.

The method models daily totals and spreads them over the day, as workforce planners do: a
seasonal model over the 672 quarter-hours of a week is slow and fragile, a daily one is not.

1. **Day types.** Every date is an ordinary weekday, a public holiday or a make-up working day
   (调休上班), read from a `DayCalendar` (by default China's official arrangement).
2. **Clean daily totals.** The history is summed per day, and each holiday and make-up day is
   replaced by its ordinary equivalent: the mean of the same weekday's ordinary days within two
   weeks either side (any of them if none is that close), so the models see a plain week.
3. **Holiday effect.** The history's holiday volume over those days' ordinary equivalents (a
   ratio of sums), or `DEFAULT_HOLIDAY_FACTOR` when the history holds no holiday.
4. **Daily model**, on the clean totals: seasonal naive (the same weekday a week earlier),
   Holt-Winters (statsmodels `ExponentialSmoothing`: damped additive trend and a weekly season,
   multiplicative when every day had contacts, otherwise additive) or Theta (statsmodels
   `ThetaModel` on the series with its weekly season taken out). A holiday then gets its
   forecast times the holiday effect; a make-up working day gets the mean of the Monday–Friday
   forecasts of the seven days it starts: a working day's level, whatever its weekday.
5. **Intraday profile.** A day's total is spread over its intervals by its day type's profile:
   each interval's share of the volume on that type's days in the last eight weeks of history.
   Holidays, being rare, use the whole history (or Sundays if it has none); make-up days use
   Monday–Friday together with earlier make-up days.
6. **Handle time.** An interval's AHT for a day type is the handle time over the contacts handled
   on the same days, pulled toward that day type's daily AHT with the weight of
   `AHT_PRIOR_CONTACTS` contacts; the daily AHT is pulled toward the queue's overall AHT in the
   same way. A busy interval keeps its own figure, a nearly empty one takes the day's. AHT is
   forecast without a trend.
7. **Model choice.** A rolling-origin backtest runs steps 2–5 on the history before each of the
   last `BACKTEST_WEEKS` weeks and forecasts that week. Over all those weeks' intervals,
   WAPE = Σ|actual − forecast| / Σ actual and bias = Σ(forecast − actual) / Σ actual. The lowest
   WAPE wins, the earlier model in the list on a tie. A backtest week needs two weeks of history
   before it; without one, the forecast is seasonal naive given a week of history, and the
   daily average given less.

Volume is what the queue is asked to serve (contacts offered); local dates are Asia/Shanghai.
"""

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Self, TypeVar

import numpy as np
from numpy.typing import NDArray
from statsmodels.tools.sm_exceptions import ConvergenceWarning  # type: ignore[import-untyped]
from statsmodels.tsa.forecasting.theta import ThetaModel  # type: ignore[import-untyped]
from statsmodels.tsa.holtwinters import ExponentialSmoothing  # type: ignore[import-untyped]

from hotline.staffing.holidays import DayCalendar, DayType, chinese_public_calendar

Floats = NDArray[np.float64]
Flags = NDArray[np.bool_]
Ints = NDArray[np.int64]
_Amount = TypeVar("_Amount", float, Floats)

INTERVAL_MINUTES = (15, 30, 60)
SEASONAL_NAIVE = "seasonal_naive"
HOLT_WINTERS = "holt_winters"
THETA = "theta"
DAILY_AVERAGE = "daily_average"
MODEL_NAMES = (SEASONAL_NAIVE, HOLT_WINTERS, THETA)

# A planner's rule of thumb for a hotline until its own history holds a holiday to measure.
DEFAULT_HOLIDAY_FACTOR = 0.7
AHT_PRIOR_CONTACTS = 10.0
BACKTEST_WEEKS = 4

_WEEK = 7
_MIN_TRAINING_DAYS = 2 * _WEEK
_NEIGHBOUR_DAYS = 2 * _WEEK
_PROFILE_DAYS = 8 * _WEEK
_MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True, eq=False)
class QueueHistory:
    """One queue's past, interval by interval over whole local days from `start`.

    The arrays are aligned: `volume` holds the contacts offered in each interval, `handled` those
    handled and `handle_seconds` their total handle time (talk, hold and after-call work).
    """

    queue: str
    start: date
    interval_minutes: int
    volume: Floats
    handled: Floats
    handle_seconds: Floats

    def __post_init__(self) -> None:
        if self.interval_minutes not in INTERVAL_MINUTES:
            raise ValueError(f"intervals are {INTERVAL_MINUTES} minutes: {self.interval_minutes}")
        for series in (self.volume, self.handled, self.handle_seconds):
            if series.shape != self.volume.shape or series.ndim != 1:
                raise ValueError("volume, handled and handle_seconds must be aligned 1-D arrays")
            if not np.isfinite(series).all() or (series < 0).any():
                raise ValueError("history counts and seconds must be finite and not negative")
        if self.volume.size == 0 or self.volume.size % self.intervals_per_day:
            raise ValueError(f"the history must cover whole days of {self.intervals_per_day}")

    @property
    def intervals_per_day(self) -> int:
        return _MINUTES_PER_DAY // self.interval_minutes

    @property
    def days(self) -> int:
        return self.volume.size // self.intervals_per_day

    @property
    def end(self) -> date:
        """The day after the last day of history."""
        return self.start + timedelta(days=self.days)


@dataclass(frozen=True)
class BacktestScore:
    """How one model did in the backtest, at interval level (fractions, not percent)."""

    model: str
    wape: float
    bias: float


@dataclass(frozen=True, eq=False)
class QueueForecast:
    """A queue's forecast, interval by interval over whole days from `start`.

    `daily_volume` and `day_types` have one entry per day; `holiday_factor` is the holiday
    effect applied; `unknown_years` are years whose holidays the calendar did not know.
    """

    queue: str
    start: date
    interval_minutes: int
    volume: Floats
    aht_seconds: Floats
    daily_volume: Floats
    day_types: tuple[DayType, ...]
    model: str
    backtest: tuple[BacktestScore, ...]
    holiday_factor: float
    unknown_years: frozenset[int]


def forecast_queue(
    history: QueueHistory,
    start: date,
    days: int,
    calendar: DayCalendar | None = None,
    models: Sequence[str] = MODEL_NAMES,
) -> QueueForecast:
    """Forecast `days` days from `start`, choosing among `models` by backtest.

    The horizon may start after a gap but not before the history ends. Without a `calendar`,
    China's public one is used.
    """
    if days < 1:
        raise ValueError(f"a forecast covers at least one day: {days}")
    gap = (start - history.end).days
    if gap < 0:
        raise ValueError(f"the horizon starts {start}, before the history ends {history.end}")
    unknown = [model for model in models if model not in MODEL_NAMES]
    if unknown or not models:
        raise ValueError(f"models are chosen from {MODEL_NAMES}: {list(models)}")
    if calendar is None:
        calendar = chinese_public_calendar(history.start, start + timedelta(days=days - 1))
    past = _Past.of(history, calendar)
    future_types = _day_types(calendar, history.end, gap + days)
    backtest = _backtest(past, models)
    model = _chosen_model(backtest, past.days)
    volume = _forecast_volume(past, future_types, model)
    horizon = future_types[gap:]
    return QueueForecast(
        queue=history.queue,
        start=start,
        interval_minutes=history.interval_minutes,
        volume=volume.by_interval[gap:].ravel(),
        aht_seconds=_aht_profiles(past)[horizon].ravel(),
        daily_volume=volume.daily[gap:],
        day_types=tuple(DayType(day_type) for day_type in horizon),
        model=model,
        backtest=backtest,
        holiday_factor=volume.holiday_factor,
        unknown_years=calendar.unknown_years,
    )


def intraday_profiles(
    history: QueueHistory, calendar: DayCalendar | None = None
) -> dict[DayType, Floats]:
    """Each day type's share of the day's volume per interval, as the forecast spreads it.

    Every profile sums to 1; one without any volume to learn from is flat.
    """
    profiles = _volume_profiles(_Past.of(history, calendar))
    return {day_type: profiles[day_type] for day_type in DayType}


def aht_profiles(
    history: QueueHistory, calendar: DayCalendar | None = None
) -> dict[DayType, Floats]:
    """Each day type's AHT per interval in seconds, as the forecast gives it.

    A queue that never handled a contact has an AHT of 0.
    """
    profiles = _aht_profiles(_Past.of(history, calendar))
    return {day_type: profiles[day_type] for day_type in DayType}


def wape(actual: Floats, forecast: Floats) -> float:
    """Weighted absolute percentage error, Σ|actual − forecast| / Σ actual, as a fraction."""
    return float(np.abs(forecast - actual).sum() / _actual_total(actual, forecast))


def bias(actual: Floats, forecast: Floats) -> float:
    """Σ(forecast − actual) / Σ actual: above 0 the forecast ran high, below 0 low."""
    return float((forecast - actual).sum() / _actual_total(actual, forecast))


def _actual_total(actual: Floats, forecast: Floats) -> float:
    if actual.shape != forecast.shape:
        raise ValueError(f"actual {actual.shape} and forecast {forecast.shape} must align")
    total = float(actual.sum())
    if total <= 0:
        raise ValueError("WAPE and bias are undefined when nothing actually happened")
    return total


@dataclass(frozen=True, eq=False)
class _Past:
    """A history as day-by-interval arrays with each day's type and weekday."""

    volume: Floats
    handled: Floats
    handle_seconds: Floats
    types: Ints
    weekdays: Ints

    @classmethod
    def of(cls, history: QueueHistory, calendar: DayCalendar | None) -> Self:
        """`history` typed by `calendar`, or by China's public calendar if there is none."""
        if calendar is None:
            calendar = chinese_public_calendar(history.start, history.end - timedelta(days=1))
        shape = (history.days, history.intervals_per_day)
        days = [history.start + timedelta(days=offset) for offset in range(history.days)]
        return cls(
            volume=history.volume.astype(np.float64).reshape(shape),
            handled=history.handled.astype(np.float64).reshape(shape),
            handle_seconds=history.handle_seconds.astype(np.float64).reshape(shape),
            types=_day_types(calendar, history.start, history.days),
            weekdays=np.array([day.weekday() for day in days], dtype=np.int64),
        )

    @property
    def days(self) -> int:
        return len(self.types)

    @property
    def ordinary(self) -> Flags:
        # An ordinary day's type is its weekday.
        return np.equal(self.types, self.weekdays)

    def head(self, days: int) -> Self:
        return type(self)(
            self.volume[:days],
            self.handled[:days],
            self.handle_seconds[:days],
            self.types[:days],
            self.weekdays[:days],
        )


@dataclass(frozen=True, eq=False)
class _VolumeForecast:
    daily: Floats
    by_interval: Floats
    holiday_factor: float


def _day_types(calendar: DayCalendar, first: date, days: int) -> Ints:
    return np.array(
        [calendar.day_type(first + timedelta(days=offset)) for offset in range(days)],
        dtype=np.int64,
    )


def _backtest(past: _Past, models: Sequence[str]) -> tuple[BacktestScore, ...]:
    """Each model's score forecasting each of the last weeks from the history before it.

    Empty when no week has enough history before it, or the weeks had no contacts to score.
    """
    origins = [past.days - _WEEK * weeks for weeks in range(BACKTEST_WEEKS, 0, -1)]
    origins = [origin for origin in origins if origin >= _MIN_TRAINING_DAYS]
    if not origins:
        return ()
    actual = np.concatenate([past.volume[origin : origin + _WEEK] for origin in origins])
    if actual.sum() <= 0:
        return ()
    scores = []
    for model in models:
        forecast = np.concatenate([_week_after(past, origin, model) for origin in origins])
        scores.append(BacktestScore(model, wape(actual, forecast), bias(actual, forecast)))
    return tuple(scores)


def _week_after(past: _Past, origin: int, model: str) -> Floats:
    """`model`'s forecast of the week from day `origin`, knowing only the days before it."""
    future_types = past.types[origin : origin + _WEEK]
    return _forecast_volume(past.head(origin), future_types, model).by_interval


def _chosen_model(backtest: tuple[BacktestScore, ...], history_days: int) -> str:
    if backtest:
        return min(backtest, key=lambda score: score.wape).model
    return SEASONAL_NAIVE if history_days >= _WEEK else DAILY_AVERAGE


def _forecast_volume(past: _Past, future_types: Ints, model: str) -> _VolumeForecast:
    """Volume for the days after `past`, whose types are `future_types`."""
    totals = past.volume.sum(axis=1)
    clean = _clean_totals(totals, past)
    holiday_factor = _holiday_factor(totals, clean, past.types)
    days = len(future_types)
    # A make-up day looks up to six days past the horizon for the week's working days.
    clean_forecast = _daily_forecast(model, clean, days + _WEEK - 1)
    weekdays = (past.weekdays[-1] + 1 + np.arange(len(clean_forecast))) % _WEEK
    daily = clean_forecast[:days].copy()
    daily[future_types == DayType.HOLIDAY] *= holiday_factor
    for day in np.flatnonzero(future_types == DayType.MAKEUP_WORKDAY):
        week = slice(day, day + _WEEK)
        daily[day] = clean_forecast[week][weekdays[week] < DayType.SATURDAY].mean()
    by_interval = daily[:, np.newaxis] * _volume_profiles(past)[future_types]
    return _VolumeForecast(daily, by_interval, holiday_factor)


def _clean_totals(totals: Floats, past: _Past) -> Floats:
    """Daily totals with each holiday and make-up day replaced by its ordinary equivalent."""
    ordinary = past.ordinary
    clean = totals.copy()
    if not ordinary.any():
        return clean
    day_numbers = np.arange(past.days)
    for day in np.flatnonzero(~ordinary):
        same_weekday = ordinary & (past.weekdays == past.weekdays[day])
        near = same_weekday & (np.abs(day_numbers - day) <= _NEIGHBOUR_DAYS)
        pool = next(days for days in (near, same_weekday, ordinary) if days.any())
        clean[day] = totals[pool].mean()
    return clean


def _holiday_factor(totals: Floats, clean: Floats, types: Ints) -> float:
    holidays = types == DayType.HOLIDAY
    expected = clean[holidays].sum()
    if expected <= 0:
        return DEFAULT_HOLIDAY_FACTOR
    return float(totals[holidays].sum() / expected)


def _source_days(past: _Past) -> list[Flags]:
    """For each day type in order, the history days whose intraday pattern stands for it.

    The first choice with any volume wins, and the whole history when none has any.
    """
    recent = np.arange(past.days) >= past.days - _PROFILE_DAYS
    ordinary = past.ordinary & recent
    choices: list[tuple[Flags, ...]] = [
        (ordinary & (past.weekdays == weekday), ordinary) for weekday in range(_WEEK)
    ]
    choices.append((past.types == DayType.HOLIDAY, ordinary & (past.weekdays == DayType.SUNDAY)))
    choices.append(
        ((past.types == DayType.MAKEUP_WORKDAY) | (ordinary & (past.weekdays < DayType.SATURDAY)),)
    )
    everything = np.ones(past.days, dtype=np.bool_)
    return [
        next((days for days in candidates if past.volume[days].sum() > 0), everything)
        for candidates in choices
    ]


def _volume_profiles(past: _Past) -> Floats:
    """A row per day type: each interval's share of the day's volume."""
    intervals = past.volume.shape[1]
    rows = []
    for days in _source_days(past):
        counts = past.volume[days].sum(axis=0)
        total = counts.sum()
        rows.append(counts / total if total > 0 else np.full(intervals, 1 / intervals))
    return np.array(rows)


def _aht_profiles(past: _Past) -> Floats:
    """A row per day type: each interval's AHT in seconds."""
    queue_handled = past.handled.sum()
    queue_aht = float(past.handle_seconds.sum() / queue_handled) if queue_handled > 0 else 0.0
    rows = []
    for days in _source_days(past):
        seconds = past.handle_seconds[days].sum(axis=0)
        handled = past.handled[days].sum(axis=0)
        day_aht = _pulled_toward(float(seconds.sum()), float(handled.sum()), queue_aht)
        rows.append(_pulled_toward(seconds, handled, day_aht))
    return np.array(rows)


def _pulled_toward(seconds: _Amount, handled: _Amount, prior: float) -> _Amount:
    """AHT from `seconds` over `handled`, as if `AHT_PRIOR_CONTACTS` more had taken `prior`."""
    return (seconds + AHT_PRIOR_CONTACTS * prior) / (handled + AHT_PRIOR_CONTACTS)


def _daily_forecast(model: str, series: Floats, days: int) -> Floats:
    """`model`'s forecast of the `days` days after `series`, never negative.

    A flat series needs no model; a fit that yields non-finite values falls back to seasonal
    naive, so one bad optimiser run cannot sink a queue's forecast.
    """
    if np.ptp(series) == 0:
        return np.full(days, series[-1])
    with warnings.catch_warnings():
        # The optimiser may stop short of its tolerance, or overflow while probing extreme
        # parameters; the forecast is still usable and the backtest, not the optimiser's
        # tolerance, judges it. Non-finite results are caught below.
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        forecast = _DAILY_MODELS[model](series, days)
    if not np.isfinite(forecast).all():
        forecast = _seasonal_naive(series, days)
    return np.maximum(forecast, 0.0)


def _seasonal_naive(series: Floats, days: int) -> Floats:
    return np.resize(series[-_WEEK:], days)


def _daily_average(series: Floats, days: int) -> Floats:
    return np.full(days, series.mean())


def _holt_winters(series: Floats, days: int) -> Floats:
    model = ExponentialSmoothing(
        series,
        trend="add",
        damped_trend=True,
        seasonal="mul" if series.min() > 0 else "add",
        seasonal_periods=_WEEK,
        initialization_method="estimated",
    )
    # The fit minimises squared one-step errors, so a least-squares solver started from the
    # usual initial values reaches the default optimiser's optimum several times faster; the
    # backtest fits this model once a week per queue.
    fitted = model.fit(method="least_squares", use_brute=False)
    return np.asarray(fitted.forecast(days), dtype=np.float64)


def _theta(series: Floats, days: int) -> Floats:
    model = ThetaModel(series, period=_WEEK, deseasonalize=True, use_test=False)
    return np.asarray(model.fit().forecast(days), dtype=np.float64)


_DAILY_MODELS: dict[str, Callable[[Floats, int], Floats]] = {
    SEASONAL_NAIVE: _seasonal_naive,
    HOLT_WINTERS: _holt_winters,
    THETA: _theta,
    DAILY_AVERAGE: _daily_average,
}
