"""Erlang C figures and the agents a target needs, checked against the Erlang B recursion
done by hand in plain floats."""

import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotline.staffing.erlang import (
    StaffingTarget,
    erlang_c,
    fractional_agents,
    offered_load,
    pooled_queues,
    required_agents,
    scheduled_agents,
    smallest_meeting,
)

EIGHTY_TWENTY = StaffingTarget(service_level=0.8, threshold_s=20)


def recursive_erlang_c(agents, load, aht_s, threshold_s):
    """P(wait), SL and ASA from the textbook recursion B(n) = A·B(n−1) / (n + A·B(n−1))."""
    blocking = 1.0
    for n in range(1, agents + 1):
        blocking = load * blocking / (n + load * blocking)
    p_wait = agents * blocking / (agents - load * (1 - blocking))
    service_level = 1 - p_wait * math.exp(-(agents - load) * threshold_s / aht_s)
    return p_wait, service_level, p_wait * aht_s / (agents - load)


def recursive_requirement(load, aht_s, target_sl, threshold_s):
    agents = math.floor(load) + 1
    while recursive_erlang_c(agents, load, aht_s, threshold_s)[1] < target_sl:
        agents += 1
    return agents


loads = st.floats(min_value=0.01, max_value=2_000)
handle_times = st.floats(min_value=20, max_value=1_200)
thresholds = st.floats(min_value=0, max_value=120)


def test_ten_erlangs_on_fourteen_agents_give_the_published_figures():
    figures = erlang_c(14, 10, 180, 20)
    assert figures.p_wait == pytest.approx(0.1741319, abs=5e-8)
    assert figures.service_level == pytest.approx(0.8883500, abs=5e-8)
    assert figures.asa_s == pytest.approx(7.836, abs=5e-4)
    assert figures.occupancy == pytest.approx(10 / 14)


@pytest.mark.parametrize("load", [0.01, 0.5, 7.3, 96.0, 1_000.0, 20_000.0])
def test_figures_agree_with_the_erlang_b_recursion_from_light_to_huge_loads(load):
    agents = np.unique(np.floor(load + np.array([0, 0.5, 1, 2, 4]) * math.sqrt(load)) + 1)
    figures = erlang_c(agents, load, 240, 20)
    expected = np.array([recursive_erlang_c(int(n), load, 240, 20) for n in agents])
    assert figures.p_wait == pytest.approx(expected[:, 0], rel=1e-9, abs=1e-12)
    assert figures.service_level == pytest.approx(expected[:, 1], rel=1e-9, abs=1e-12)
    assert figures.asa_s == pytest.approx(expected[:, 2], rel=1e-9, abs=1e-12)


def test_twenty_thousand_erlangs_need_the_agents_the_recursion_finds():
    assert required_agents(20_000, 180, EIGHTY_TWENTY) == recursive_requirement(
        20_000, 180, 0.8, 20
    )


def test_a_hundredth_of_an_erlang_needs_one_agent_who_is_rarely_busy():
    figures = erlang_c(1, 0.01, 180, 20)
    assert figures.p_wait == pytest.approx(0.01)
    assert required_agents(0.01, 180, EIGHTY_TWENTY) == 1


def test_no_more_agents_than_erlangs_leaves_every_call_waiting_forever():
    figures = erlang_c([9, 10], 10, 180, 20)
    assert figures.p_wait.tolist() == [1, 1]
    assert figures.service_level.tolist() == [0, 0]
    assert figures.asa_s.tolist() == [math.inf, math.inf]
    assert figures.occupancy.tolist() == [1, 1]


def test_an_interval_without_calls_needs_nobody():
    figures = erlang_c([0, 3], 0, 180, 20)
    assert figures.p_wait.tolist() == [0, 0]
    assert figures.service_level.tolist() == [1, 1]
    assert figures.asa_s.tolist() == [0, 0]
    assert np.isnan(figures.occupancy[0]) and figures.occupancy[1] == 0
    assert required_agents(0, 180, EIGHTY_TWENTY) == 0


@given(loads, handle_times, thresholds, st.integers(min_value=0, max_value=60))
def test_each_added_agent_raises_service_level_and_lowers_waiting(load, aht, threshold, extra):
    agents = math.floor(load) + 1 + extra
    fewer, more = erlang_c([agents, agents + 1], load, aht, threshold).service_level
    assert more >= fewer
    p_wait = erlang_c([agents, agents + 1], load, aht, threshold).p_wait
    assert p_wait[1] < p_wait[0]


@given(
    st.lists(loads, min_size=1, max_size=30),
    handle_times,
    st.floats(min_value=0.5, max_value=0.99),
    thresholds,
)
def test_the_required_agents_are_the_fewest_that_meet_the_service_level(
    load, aht, service_level, threshold
):
    target = StaffingTarget(service_level=service_level, threshold_s=threshold)
    agents = required_agents(load, aht, target)
    assert np.all(erlang_c(agents, load, aht, threshold).service_level >= service_level)
    one_fewer = erlang_c(agents - 1, load, aht, threshold).service_level
    assert np.all(one_fewer < service_level)


NO_TARGET = {"service_level": None, "asa_s": None}


def exact_search(load, aht_s, target):
    """The smallest N from the floor whose `erlang_c` figures meet the target, by the plain
    search started at the floor: no first guess, no recurrence."""
    load, aht_s = np.broadcast_arrays(np.asarray(load, dtype=float), np.asarray(aht_s, dtype=float))
    floor = (np.floor(load) + (load > 0)).astype(np.int64)
    if target.max_occupancy < 1:  # the occupancy floor, as a cap alone staffs it
        floor = np.maximum(floor, required_agents(load, aht_s, replace(target, **NO_TARGET)))

    def meets(agents, where):
        figures = erlang_c(agents, load[where], aht_s[where], target.threshold_s)
        met = np.ones(agents.shape, dtype=bool)
        if target.service_level is not None:
            met &= figures.service_level >= target.service_level
        if target.asa_s is not None:
            met &= figures.asa_s <= target.asa_s
        return met

    return smallest_meeting(meets, floor, floor)


wide_loads = st.one_of(st.just(0.0), st.floats(min_value=0.01, max_value=20_000))
service_levels = st.floats(min_value=0.5, max_value=0.99)
asa_targets = st.floats(min_value=0.5, max_value=120)
targets = st.builds(
    StaffingTarget,
    service_level=service_levels,
    threshold_s=st.one_of(st.just(0.0), thresholds),
    asa_s=st.one_of(st.none(), asa_targets),
    max_occupancy=st.one_of(st.just(1.0), st.floats(min_value=0.5, max_value=0.99)),
) | st.builds(
    StaffingTarget,
    asa_s=asa_targets,
    max_occupancy=st.one_of(st.just(1.0), st.floats(min_value=0.5, max_value=0.99)),
)


@given(st.lists(wide_loads, min_size=1, max_size=30), handle_times, targets)
def test_the_fast_path_finds_what_the_exact_search_finds(load, aht, target):
    assert required_agents(load, aht, target).tolist() == exact_search(load, aht, target).tolist()


@pytest.mark.parametrize(
    "target",
    [
        EIGHTY_TWENTY,
        StaffingTarget(service_level=0.95, threshold_s=0),
        StaffingTarget(asa_s=15),
        StaffingTarget(service_level=0.9, threshold_s=10, asa_s=5, max_occupancy=0.85),
        StaffingTarget(service_level=0.6, threshold_s=90, max_occupancy=0.7),
        StaffingTarget(service_level=0.99, threshold_s=60, asa_s=2),  # guesses up to 2 short
        StaffingTarget(service_level=0.5, threshold_s=0, asa_s=1),
    ],
)
def test_ten_thousand_light_to_huge_loads_get_the_exact_search_answer_everywhere(target):
    rng = np.random.default_rng(2026)
    load = np.exp(rng.uniform(np.log(0.01), np.log(20_000), 10_000))  # more than one block
    load[::50] = 0
    aht = rng.uniform(20, 1_200, load.size)
    assert np.array_equal(required_agents(load, aht, target), exact_search(load, aht, target))


@pytest.mark.parametrize("figure", ["service_level", "asa_s"])
def test_a_target_the_figures_meet_exactly_is_decided_by_the_exact_figures(figure):
    exactly = float(getattr(erlang_c(47, 40, 180, 20), figure))
    target = StaffingTarget(**{figure: exactly}, threshold_s=20)
    assert required_agents(40, 180, target) == 47


def test_an_asa_target_alone_needs_the_fewest_agents_answering_in_time():
    target = StaffingTarget(asa_s=10)
    agents = int(required_agents(40, 180, target))
    assert erlang_c(agents, 40, 180, 20).asa_s <= 10 < erlang_c(agents - 1, 40, 180, 20).asa_s


def test_both_targets_need_what_the_stricter_one_needs():
    service_level_only = required_agents(40, 180, StaffingTarget(service_level=0.9, threshold_s=15))
    asa_only = required_agents(40, 180, StaffingTarget(asa_s=2))
    both = required_agents(40, 180, StaffingTarget(service_level=0.9, threshold_s=15, asa_s=2))
    assert both == max(service_level_only, asa_only)


def test_an_occupancy_cap_adds_agents_a_lax_service_level_would_not():
    lax = StaffingTarget(service_level=0.5, threshold_s=60)
    capped = StaffingTarget(service_level=0.5, threshold_s=60, max_occupancy=0.85)
    assert required_agents(200, 180, lax) == 202
    assert required_agents(200, 180, capped) == math.ceil(200 / 0.85)


def test_a_cap_met_exactly_does_not_cost_an_agent_to_float_error():
    assert required_agents(8, 180, StaffingTarget(max_occupancy=0.8)) == 10


def test_a_week_for_many_queues_is_one_call_in_the_shape_it_came():
    load = np.linspace(0, 300, 4 * 96).reshape(4, 96)
    agents = required_agents(load, 240, EIGHTY_TWENTY)
    assert agents.shape == (4, 96)
    assert agents[2, 50] == required_agents(load[2, 50], 240, EIGHTY_TWENTY)


@given(st.lists(loads, min_size=1, max_size=20), handle_times)
def test_the_fractional_requirement_lies_within_the_agent_below_the_whole_one(load, aht):
    whole = required_agents(load, aht, EIGHTY_TWENTY)
    fractional = fractional_agents(load, aht, EIGHTY_TWENTY)
    assert np.all((fractional > whole - 1) & (fractional <= whole))
    assert np.all(fractional > np.asarray(load))


def test_the_fractional_requirement_just_meets_the_service_level():
    fractional = fractional_agents(25.0, 180, EIGHTY_TWENTY)
    assert erlang_c(fractional, 25.0, 180, 20).service_level == pytest.approx(0.8, abs=1e-6)


def test_a_days_staff_hours_round_once_not_per_interval():
    load = np.linspace(3.1, 3.4, 96)  # a day of quarter hours, each needing 6 whole agents
    whole_hours = required_agents(load, 180, EIGHTY_TWENTY).sum() / 4
    fractional_hours = fractional_agents(load, 180, EIGHTY_TWENTY).sum() / 4
    assert whole_hours == 144
    assert scheduled_agents(fractional_hours, 0) < 130


def test_shrinkage_divides_the_agents_on_the_phones_then_rounds_up():
    assert scheduled_agents([8, 20.5, 0], 0.2).tolist() == [10, 26, 0]


@pytest.mark.parametrize("shrinkage", [-0.1, 1.0])
def test_shrinkage_is_a_share_below_one(shrinkage):
    with pytest.raises(ValueError, match="shrinkage"):
        scheduled_agents(10, shrinkage)


def test_offered_load_is_calls_times_handle_time_over_the_interval():
    assert offered_load(100, 900, 180) == pytest.approx(20.0)
    assert offered_load([100, 50], 1_800, 180).tolist() == pytest.approx([10.0, 5.0])


def test_queues_pooled_on_one_skill_group_weigh_handle_time_by_calls():
    calls, aht = pooled_queues([[30, 0], [10, 0]], [[120, 200], [360, 400]])
    assert calls.tolist() == [40, 0]
    assert aht.tolist() == pytest.approx([180, 300])


def test_pooled_queues_need_fewer_agents_than_their_separate_sum():
    calls, aht = pooled_queues([50, 70], [180, 240])
    pooled = required_agents(offered_load(calls, 900, aht), aht, EIGHTY_TWENTY)
    separate = required_agents(offered_load([50, 70], 900, [180, 240]), [180, 240], EIGHTY_TWENTY)
    assert pooled < separate.sum()


def test_erlang_c_has_no_abandonment_target():
    with pytest.raises(ValueError, match="Erlang A"):
        required_agents(10, 180, StaffingTarget(service_level=0.8, max_abandon=0.05))


@pytest.mark.parametrize(
    "target",
    [
        {},
        {"service_level": 1.0},
        {"service_level": 0.8, "threshold_s": -1},
        {"asa_s": 0},
        {"max_occupancy": 0},
        {"max_abandon": 1.0},
    ],
)
def test_a_target_must_ask_for_something_possible(target):
    with pytest.raises(ValueError):
        StaffingTarget(**target)


@pytest.mark.parametrize("load", [-1.0, math.nan, math.inf])
def test_a_load_must_be_a_finite_non_negative_number(load):
    with pytest.raises(ValueError, match="load"):
        erlang_c(10, load, 180, 20)
