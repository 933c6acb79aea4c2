"""Intraday re-planning of one queue over a day of 15-minute intervals.

The cast: 小王 has a movable break, 小李 a training session, 老赵 could stay late or come in
early. The requirement in most tests is the offered load rounded up (calls × AHT ÷ 900 s), a
stand-in simple enough to check by hand.
"""

from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.typing import NDArray

from hotline.staffing.intraday import (
    MovableBreak,
    Move,
    MoveKind,
    OvertimeOption,
    Session,
    Traffic,
    reforecast,
    replan,
    suggest_moves,
)

FloatArray = NDArray[np.float64]


def offered_load(volume: FloatArray, aht: FloatArray) -> FloatArray:
    return np.ceil(volume * aht / 900)


def traffic(volume: list[float], aht: list[float]) -> Traffic:
    return Traffic(np.array(volume, dtype=np.float64), np.array(aht, dtype=np.float64))


def gaps(*values: float) -> FloatArray:
    return np.array(values, dtype=np.float64)


def weights(count: int, half_life: float = 4.0) -> list[float]:
    """The weight of each of `count` closed intervals, oldest first."""
    return [0.5 ** ((count - 1 - index) / half_life) for index in range(count)]


FORECAST = traffic([100.0] * 8, [180.0] * 8)


def test_a_morning_surge_scales_up_the_afternoon() -> None:
    actual = traffic([150.0] * 4, [180.0] * 4)

    new = reforecast(FORECAST, actual)

    w = sum(weights(4))
    ratio = (150 * w + 50) / (100 * w + 50)
    assert new.volume_ratio == pytest.approx(ratio)
    assert new.volume_ratio > 1.4
    np.testing.assert_allclose(new.traffic.volume, [150] * 4 + [100 * ratio] * 4)
    np.testing.assert_allclose(new.traffic.aht, [180] * 8)


def test_a_recent_surge_weighs_more_than_an_early_one() -> None:
    early = reforecast(FORECAST, traffic([200, 100, 100, 100], [180] * 4))
    late = reforecast(FORECAST, traffic([100, 100, 100, 200], [180] * 4))

    assert late.volume_ratio > early.volume_ratio > 1


def test_a_few_calls_barely_move_the_forecast() -> None:
    forecast = traffic([2.0] * 8, [180.0] * 8)

    new = reforecast(forecast, traffic([4.0], [180.0]))

    assert new.volume_ratio == pytest.approx(54 / 52)


def test_longer_calls_scale_the_aht_by_a_call_weighted_ratio() -> None:
    actual = traffic([100.0, 300.0], [240.0, 180.0])

    new = reforecast(FORECAST, actual)

    w_old, w_last = weights(2)
    calls = 100 * w_old + 300 * w_last
    expected = (100 * w_old * 240 / 180 + 300 * w_last + 50) / (calls + 50)
    assert new.aht_ratio == pytest.approx(expected)
    np.testing.assert_allclose(new.traffic.aht[2:], 180 * expected)


def test_before_any_interval_closes_the_forecast_stands() -> None:
    new = reforecast(FORECAST, traffic([], []))

    assert (new.volume_ratio, new.aht_ratio) == (1.0, 1.0)
    np.testing.assert_array_equal(new.traffic.volume, FORECAST.volume)


def test_actual_traffic_longer_than_the_forecast_is_refused() -> None:
    with pytest.raises(ValueError, match="cover"):
        reforecast(traffic([1.0], [180.0]), traffic([1.0, 2.0], [180.0, 180.0]))


def test_a_break_in_a_short_interval_moves_to_the_largest_surplus_in_its_window() -> None:
    lunch = MovableBreak("小王", start=3, end=4, earliest=2, latest=7)

    plan = suggest_moves(gaps(0, 0, 0, -1, 0, 0, 2, 1), now=1, breaks=[lunch])

    assert plan.moves == (
        Move(MoveKind.MOVE_BREAK, "小王", range(3, 4), range(6, 7), (3,), (1.0,), 1.0),
    )
    np.testing.assert_array_equal(plan.gap_after, [0, 0, 0, 0, 0, 0, 1, 1])


def test_a_break_never_moves_where_it_would_leave_an_interval_short() -> None:
    lunch = MovableBreak("小王", start=3, end=4, earliest=2, latest=5)

    plan = suggest_moves(gaps(0, 0, 0.5, -1, 0.9, 0.5), now=1, breaks=[lunch])

    assert plan.moves == ()


def test_a_break_already_started_stays_where_it_is() -> None:
    lunch = MovableBreak("小王", start=3, end=5, earliest=2, latest=6)

    plan = suggest_moves(gaps(0, 0, 0, 0, -1, 3, 3, 3), now=4, breaks=[lunch])

    assert plan.moves == ()


def test_a_break_does_not_move_onto_its_agent_s_training() -> None:
    lunch = MovableBreak("小王", start=2, end=3, earliest=2, latest=4)
    training = Session("小王", start=3, end=5)

    plan = suggest_moves(gaps(0, 0, -1, 3, 3), now=0, breaks=[lunch], sessions=[training])

    assert plan.moves == ()


def test_an_activity_outside_the_day_is_refused() -> None:
    with pytest.raises(ValueError, match="within the day"):
        suggest_moves(gaps(0, -1), now=0, sessions=[Session("小李", start=1, end=3)])


def test_training_over_short_intervals_is_cancelled_from_now_on() -> None:
    training = Session("小李", start=0, end=3)

    plan = suggest_moves(gaps(-1, -1, -1, 0), now=1, sessions=[training])

    assert plan.moves == (
        Move(MoveKind.CANCEL_SESSION, "小李", range(0, 3), range(0, 1), (1, 2), (1.0, 1.0), 2.0),
    )
    np.testing.assert_array_equal(plan.gap_after, [-1, 0, 0, 0])


def test_training_over_covered_intervals_goes_ahead() -> None:
    training = Session("小李", start=2, end=4)

    assert suggest_moves(gaps(-1, -1, 0, 0), now=0, sessions=[training]).moves == ()


def test_overtime_covers_what_moves_cannot_at_the_best_shortfall_per_hour_paid() -> None:
    stays_late = OvertimeOption("老赵", shift_start=0, shift_end=4, max_before=0, max_after=3)

    plan = suggest_moves(gaps(0, 0, 0, 0, -1, -1, -0.5, 0), now=2, overtime=[stays_late])

    assert plan.moves == (
        Move(MoveKind.ADD_OVERTIME, "老赵", range(0, 4), range(0, 6), (4, 5), (1.0, 1.0), 2.0),
    )


def test_overtime_before_a_shift_starts_only_in_open_intervals() -> None:
    comes_early = OvertimeOption("老赵", shift_start=4, shift_end=8, max_before=3, max_after=0)

    plan = suggest_moves(gaps(-1, -1, -1, -1, 0, 0, 0, 0), now=2, overtime=[comes_early])

    (move,) = plan.moves
    assert (move.after, move.helped) == (range(2, 8), (2, 3))


def test_a_free_move_is_preferred_to_overtime() -> None:
    lunch = MovableBreak("小王", start=1, end=2, earliest=0, latest=3)
    stays_late = OvertimeOption("老赵", shift_start=0, shift_end=1, max_before=0, max_after=3)

    plan = suggest_moves(gaps(0, -1, 0, 2), now=0, breaks=[lunch], overtime=[stays_late])

    assert [move.kind for move in plan.moves] == [MoveKind.MOVE_BREAK]


def test_replan_finds_the_afternoon_short_after_a_busy_morning() -> None:
    scheduled = np.full(8, 20)
    actual = traffic([150.0] * 4, [180.0] * 4)
    stays_late = OvertimeOption("老赵", shift_start=0, shift_end=6, max_before=0, max_after=2)

    plan = replan(FORECAST, actual, scheduled, offered_load, overtime=[stays_late])

    ratio = plan.reforecast.volume_ratio
    required = np.ceil(np.array([150.0] * 4 + [100 * ratio] * 4) * 180 / 900)
    np.testing.assert_array_equal(plan.required, required)
    np.testing.assert_array_equal(plan.gap, 20 - required)
    assert plan.gap[4:].max() < 0
    assert [move.after for move in plan.moves.moves] == [range(0, 8)]


def test_replan_with_the_erlang_c_requirement() -> None:
    erlang = pytest.importorskip("hotline.staffing.erlang")
    target = erlang.StaffingTarget(service_level=0.8, threshold_s=20.0)

    def requirement(volume: FloatArray, aht: FloatArray) -> NDArray[Any]:
        result: NDArray[Any] = erlang.required_agents(
            erlang.offered_load(volume, 900.0, aht), aht, target
        )
        return result

    actual = traffic([150.0] * 4, [180.0] * 4)

    plan = replan(FORECAST, actual, np.full(8, 25), requirement)

    volume = plan.reforecast.traffic.volume
    np.testing.assert_array_equal(plan.required, requirement(volume, np.full(8, 180.0)))
    assert plan.required[4] > requirement(np.array([100.0]), np.array([180.0]))[0]
    np.testing.assert_array_equal(plan.gap, 25 - plan.required)


def effect(move: Move, length: int) -> NDArray[np.int64]:
    """The agents a move puts on (+) or takes off (−) the phones, from its before and after."""
    change = np.zeros(length, dtype=np.int64)
    sign = 1 if move.kind is MoveKind.ADD_OVERTIME else -1  # a shift is on the phones
    change[list(move.after)] += sign
    change[list(move.before)] -= sign
    return change


@st.composite
def spans(draw: st.DrawFn, length: int) -> tuple[int, int]:
    start = draw(st.integers(min_value=0, max_value=length - 1))
    return start, draw(st.integers(min_value=start + 1, max_value=min(start + 3, length)))


@st.composite
def situations(
    draw: st.DrawFn,
) -> tuple[FloatArray, int, list[MovableBreak], list[Session], list[OvertimeOption]]:
    length = draw(st.integers(min_value=1, max_value=16))
    quarters = st.integers(min_value=-12, max_value=12).map(lambda count: count / 4)
    gap = np.array(draw(st.lists(quarters, min_size=length, max_size=length)))
    now = draw(st.integers(min_value=0, max_value=length))
    agents = st.sampled_from(["小王", "小李", "老赵"])
    reach = st.integers(min_value=0, max_value=4)
    breaks = [
        MovableBreak(draw(agents), start, end, start - draw(reach), start + draw(reach))
        for start, end in draw(st.lists(spans(length), max_size=4))
    ]
    sessions = [Session(draw(agents), *span) for span in draw(st.lists(spans(length), max_size=3))]
    overtime = [
        OvertimeOption(draw(agents), *span, draw(reach), draw(reach))
        for span in draw(st.lists(spans(length), max_size=3))
    ]
    return gap, now, breaks, sessions, overtime


@given(situations())
def test_moves_never_make_an_interval_short_nor_touch_a_closed_one(
    situation: tuple[FloatArray, int, list[MovableBreak], list[Session], list[OvertimeOption]],
) -> None:
    gap, now, breaks, sessions, overtime = situation

    plan = suggest_moves(gap, now, breaks, sessions, overtime)

    after = plan.gap_after
    assert np.all(after[gap >= 0] >= 0)
    assert np.all(after >= np.minimum(gap, 0))
    np.testing.assert_array_equal(after[:now], gap[:now])
    changes = sum((effect(move, len(gap)) for move in plan.moves), np.zeros(len(gap), np.int64))
    np.testing.assert_array_equal(after, gap + changes)
    assert all(move.shortfall_reduced > 0 for move in plan.moves)
