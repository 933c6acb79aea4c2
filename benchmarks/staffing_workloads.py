"""The generated inputs of benchmarks.staffing, read alike by Hotline's side and by pyworkforce's
(benchmarks.staffing_peers): deterministic (seeded NumPy), plain and JSON-serialisable, so that
both sides solve exactly the same problems.

(a) erlang_c_workload: forecast calls and average handle time (AHT) of 100 queues for each
    15-minute interval of a week (672), loads from near 0 up to a few hundred Erlangs.
(b) erlang_a_workload: 1,000 independent intervals, loads 0.5–500 Erlangs, each with the callers'
    mean patience (60–300 s) for Erlang A.
(c) schedule_workload: how many agents a 300-agent center needs on duty in each 15-minute
    interval of a week, and 50 shift templates that may start on any day.

The service target of (a) and (b) is 80 % of calls answered within 20 s. Forecast calls are
expectations, so fractional, and never 0 (a 0.01 floor). A week starts Monday 00:00 and repeats:
a shift that starts on Sunday evening covers Monday's first intervals (weekly_coverage). Shifts
have no breaks.
"""

from collections.abc import Sequence
from typing import TypedDict

import numpy as np
from numpy.typing import NDArray

SEED = 2026
INTERVAL_S = 900
INTERVALS_PER_DAY = 96
DAYS = 7
WEEK = DAYS * INTERVALS_PER_DAY
SERVICE_LEVEL = 0.8
ANSWER_TIME_S = 20.0
# Monday first: the week's busiest day; the weekend quieter (scaled per queue in (a)).
WEEKDAY_FACTORS = np.array([1.15, 1.05, 1.0, 1.0, 0.95, 0.7, 0.6])
CALLS_FLOOR = 0.01
# Of the headcount on duty at the busiest interval; with the night minimum it makes a week's
# cheapest schedule about five shifts per agent.
PEAK_ON_DUTY_SHARE = 0.6
NIGHT_MINIMUM = 3
# Template costs in yuan: an hourly wage, half as much again between 22:00 and 06:00, and a
# fixed cost per shift (travel, log-in, handover) that makes short shifts dearer per hour.
HOURLY_WAGE = 35.0
NIGHT_PREMIUM = 0.5
SHIFT_FIXED_COST = 40.0
NIGHT_START_H, NIGHT_END_H = 22.0, 6.0
# Templates that cover every interval of the day even when cut at midnight: 00:00–08:00,
# 08:00–17:00, 14:00–22:00 and 22:00–06:00, as (start, length) in intervals.
ANCHOR_TEMPLATES = ((0, 32), (32, 36), (56, 32), (88, 32))
TEMPLATE_STARTS = range(24, 81, 2)  # 06:00 to 20:00, every half hour
TEMPLATE_LENGTHS = range(16, 41, 2)  # 4 h to 10 h, every half hour


class ErlangCWorkload(TypedDict):
    """(a): calls[queue][interval] and aht_s[queue][interval], intervals of interval_s."""

    interval_s: int
    service_level: float
    answer_time_s: float
    calls: list[list[float]]
    aht_s: list[list[float]]


class ErlangAWorkload(TypedDict):
    """(b): calls, aht_s and patience_s (the mean time a caller waits before hanging up)."""

    interval_s: int
    service_level: float
    answer_time_s: float
    calls: list[float]
    aht_s: list[float]
    patience_s: list[float]


class ShiftTemplate(TypedDict):
    """A shift that starts `start` intervals after midnight and lasts `length` intervals."""

    start: int
    length: int
    cost: int


class ScheduleWorkload(TypedDict):
    """(c): agents needed on duty per interval of the week (Monday 00:00 first)."""

    interval_s: int
    intervals_per_day: int
    days: int
    agents: int
    requirement: list[int]
    templates: list[ShiftTemplate]


class ShiftCount(TypedDict):
    """`agents` agents work templates[template] starting on `day` (0 = Monday)."""

    day: int
    template: int
    agents: int


def erlang_c_workload(
    queues: int = 100, intervals: int = WEEK, seed: int = SEED
) -> ErlangCWorkload:
    """(a): queues with peak loads spread log-uniformly over 0.5–300 Erlangs, each with its own
    timing of the daily peaks, weekend drop and AHT (150–480 s), plus forecast noise."""
    rng = np.random.default_rng(seed)
    slots = np.arange(intervals)
    hours = (slots % INTERVALS_PER_DAY + 0.5) * 24 / INTERVALS_PER_DAY
    weekday = (slots // INTERVALS_PER_DAY) % DAYS
    peak_load = np.exp(rng.uniform(np.log(0.5), np.log(300.0), queues))
    peak_shift_h = rng.uniform(-1.0, 1.0, queues)
    weekend_scale = rng.uniform(0.5, 1.2, queues)
    base_aht_s = rng.uniform(150.0, 480.0, queues)

    weekly = WEEKDAY_FACTORS[weekday] * np.where(weekday >= 5, weekend_scale[:, None], 1.0)
    shape = _intraday(hours[None, :] - peak_shift_h[:, None]) * weekly
    noise = rng.lognormal(0.0, 0.08, shape.shape)
    load = peak_load[:, None] * shape / shape.max(axis=1, keepdims=True) * noise
    # Night calls run longer (fewer simple enquiries), by up to 10 %.
    aht_shape = 1.0 + 0.1 * np.cos(2 * np.pi * hours / 24)
    aht_s = base_aht_s[:, None] * aht_shape * rng.lognormal(0.0, 0.05, shape.shape)
    calls = load * INTERVAL_S / aht_s
    return {
        "interval_s": INTERVAL_S,
        "service_level": SERVICE_LEVEL,
        "answer_time_s": ANSWER_TIME_S,
        "calls": _forecast_calls(calls).tolist(),
        "aht_s": np.round(aht_s, 1).tolist(),
    }


def erlang_a_workload(intervals: int = 1000, seed: int = SEED) -> ErlangAWorkload:
    """(b): loads log-uniform over 0.5–500 Erlangs, AHT uniform over 120–600 s and mean patience
    uniform over 60–300 s, each interval drawn independently."""
    rng = np.random.default_rng(seed)
    load = np.exp(rng.uniform(np.log(0.5), np.log(500.0), intervals))
    aht_s = np.round(rng.uniform(120.0, 600.0, intervals), 1)
    patience_s = np.round(rng.uniform(60.0, 300.0, intervals), 1)
    return {
        "interval_s": INTERVAL_S,
        "service_level": SERVICE_LEVEL,
        "answer_time_s": ANSWER_TIME_S,
        "calls": _forecast_calls(load * INTERVAL_S / aht_s).tolist(),
        "aht_s": aht_s.tolist(),
        "patience_s": patience_s.tolist(),
    }


def schedule_workload(agents: int = 300, templates: int = 50, seed: int = SEED) -> ScheduleWorkload:
    """(c): a center open around the clock (never fewer than NIGHT_MINIMUM on duty) whose
    requirement peaks at PEAK_ON_DUTY_SHARE of its headcount, and `templates` templates: the
    four ANCHOR_TEMPLATES, the others drawn from day starts and 4–10 h lengths, 8–9 h likeliest."""
    rng = np.random.default_rng(seed)
    slots = np.arange(WEEK)
    hours = (slots % INTERVALS_PER_DAY + 0.5) * 24 / INTERVALS_PER_DAY
    shape = _intraday(hours) * WEEKDAY_FACTORS[slots // INTERVALS_PER_DAY]
    shape *= rng.lognormal(0.0, 0.05, WEEK)
    peak = PEAK_ON_DUTY_SHARE * agents
    requirement = np.maximum(np.ceil(peak * shape / shape.max()), NIGHT_MINIMUM).astype(int)
    return {
        "interval_s": INTERVAL_S,
        "intervals_per_day": INTERVALS_PER_DAY,
        "days": DAYS,
        "agents": agents,
        "requirement": requirement.tolist(),
        "templates": [
            _template(start, length) for start, length in _template_shapes(templates, rng)
        ],
    }


def weekly_coverage(schedule: Sequence[ShiftCount], workload: ScheduleWorkload) -> list[int]:
    """Agents on duty in each interval of the (repeating) week under `schedule`."""
    per_day = workload["intervals_per_day"]
    week = workload["days"] * per_day
    coverage = np.zeros(week, dtype=np.int64)
    for shift in schedule:
        template = workload["templates"][shift["template"]]
        first = shift["day"] * per_day + template["start"]
        covered = np.arange(first, first + template["length"]) % week
        coverage[covered] += shift["agents"]
    return [int(agents) for agents in coverage]


def schedule_cost(schedule: Sequence[ShiftCount], workload: ScheduleWorkload) -> int:
    """What `schedule` costs, in yuan."""
    templates = workload["templates"]
    return sum(shift["agents"] * templates[shift["template"]]["cost"] for shift in schedule)


def _intraday(hours: NDArray[np.float64]) -> NDArray[np.float64]:
    """Relative demand by hour of day: a morning peak near 10:15, a lunch dip, an afternoon peak
    near 15:00, an evening tail and quiet nights."""

    def bump(centre_h: float, width_h: float) -> NDArray[np.float64]:
        return np.exp(-0.5 * ((hours - centre_h) / width_h) ** 2)

    return 0.02 + bump(10.25, 1.5) + 0.85 * bump(15.0, 1.8) + 0.35 * bump(20.0, 1.5)


def _forecast_calls(calls: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.maximum(np.round(calls, 2), CALLS_FLOOR)


def _template_shapes(count: int, rng: np.random.Generator) -> list[tuple[int, int]]:
    """ANCHOR_TEMPLATES, then distinct (start, length) pairs drawn without replacement."""
    candidates = [
        (start, length)
        for start in TEMPLATE_STARTS
        for length in TEMPLATE_LENGTHS
        if (start, length) not in ANCHOR_TEMPLATES
    ]
    # Full-time shifts are the norm; part-time ones fill the peaks.
    weights = np.array([3.0 if 32 <= length <= 36 else 1.0 for _, length in candidates])
    drawn = rng.choice(
        len(candidates),
        size=count - len(ANCHOR_TEMPLATES),
        replace=False,
        p=weights / weights.sum(),
    )
    return sorted([*ANCHOR_TEMPLATES, *(candidates[index] for index in drawn)])


def _template(start: int, length: int) -> ShiftTemplate:
    hours = (start + np.arange(length)) % INTERVALS_PER_DAY * 24 / INTERVALS_PER_DAY
    night = (hours >= NIGHT_START_H) | (hours < NIGHT_END_H)
    wage = HOURLY_WAGE * 24 / INTERVALS_PER_DAY * np.where(night, 1 + NIGHT_PREMIUM, 1.0)
    return {"start": start, "length": length, "cost": round(SHIFT_FIXED_COST + wage.sum())}
