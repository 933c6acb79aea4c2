"""Erlang A figures and the agents a target needs, checked against the birth–death chain
solved numerically and against a tagged caller's own small chain."""

import math
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.linalg import expm
from scipy.special import gammaln, logsumexp

from hotline.staffing.erlang import StaffingTarget, erlang_c, smallest_meeting
from hotline.staffing.erlang_a import erlang_a, fractional_agents, required_agents

EIGHTY_TWENTY = StaffingTarget(service_level=0.8, threshold_s=20)


@dataclass(frozen=True)
class ChainFigures:
    p_wait: float
    p_abandon: float
    service_level: float
    asa_s: float
    mean_wait_s: float


def queue_law(agents, load, aht, patience, waiting_places):
    """π over 0 … N + waiting_places, by solving πQ = 0, Σπ = 1 on the truncated chain."""
    arrival, service, abandon = load / aht, 1 / aht, 1 / patience
    n = np.arange(agents + waiting_places + 1)
    up = np.full(n.size - 1, arrival)
    down = service * np.minimum(n[1:], agents) + abandon * np.maximum(n[1:] - agents, 0)
    generator = np.diag(up, 1) + np.diag(down, -1)
    generator -= np.diag(generator.sum(axis=1))
    equations = generator.T.copy()
    equations[-1] = 1
    return np.linalg.solve(equations, np.eye(n.size)[-1])


def tagged_caller(agents, aht, patience, threshold, positions):
    """P(answered within the threshold) and E[wait; answered] for a caller joining at each
    queue position, from the caller's own chain: at position i the line moves at Nμ + (i−1)θ
    and the caller leaves at θ."""
    service, abandon = agents / aht, 1 / patience
    answered, lost = positions, positions + 1
    rates = np.zeros((positions + 2, positions + 2))
    for i in range(1, positions + 1):
        rates[i - 1, answered if i == 1 else i - 2] = service + (i - 1) * abandon
        rates[i - 1, lost] = abandon
    np.fill_diagonal(rates, -rates.sum(axis=1))
    in_time = expm(rates * threshold)[:positions, answered]
    reached, wait_answered = 1.0, 0.0
    waits = np.empty(positions)
    for i in range(1, positions + 1):
        leave = service + i * abandon
        moves_on = (service + (i - 1) * abandon) / leave
        reached, wait_answered = moves_on * reached, moves_on * (reached / leave + wait_answered)
        waits[i - 1] = wait_answered
    return in_time, waits


def chain(agents, load, aht, patience, threshold, waiting_places=160):
    law = queue_law(agents, load, aht, patience, waiting_places)
    assert law[-1] < 1e-15, "truncated too soon"
    queued = np.maximum(np.arange(law.size) - agents, 0)
    mean_queue = (law * queued).sum()
    in_time, waits = tagged_caller(agents, aht, patience, threshold, waiting_places)
    p_abandon = mean_queue / patience / (load / aht)
    return ChainFigures(
        p_wait=law[agents:].sum(),
        p_abandon=p_abandon,
        service_level=law[:agents].sum() + (law[agents:-1] * in_time).sum(),
        asa_s=(law[agents:-1] * waits).sum() / (1 - p_abandon) if agents else math.nan,
        mean_wait_s=mean_queue / (load / aht),
    )


def assert_agree(figures, expected):
    assert figures.p_wait == pytest.approx(expected.p_wait, abs=1e-6)
    assert figures.p_abandon == pytest.approx(expected.p_abandon, abs=1e-6)
    assert figures.service_level == pytest.approx(expected.service_level, abs=1e-6)
    assert figures.asa_s == pytest.approx(expected.asa_s, rel=1e-6, abs=1e-9, nan_ok=True)
    assert figures.mean_wait_s == pytest.approx(expected.mean_wait_s, rel=1e-6, abs=1e-9)


@pytest.mark.parametrize(
    ("agents", "load", "aht", "patience", "threshold"),
    [
        (1, 0.01, 180, 60, 20),
        (5, 4.0, 300, 120, 20),
        (14, 10, 180, 200, 20),
        (30, 45, 240, 90, 30),  # fewer agents than Erlangs: the queue is held by abandons
        (60, 50, 120, 600, 0),
        (25, 25, 200, 400, 60),
        (0, 3, 180, 60, 20),
    ],
)
def test_figures_agree_with_the_birth_death_chain(agents, load, aht, patience, threshold):
    assert_agree(
        erlang_a(agents, load, aht, patience, threshold),
        chain(agents, load, aht, patience, threshold),
    )


def log_queue_law(agents, load, aht, patience, waiting_places):
    """π for a chain too long to solve densely, from its detailed balance in log space."""
    n = np.arange(agents + waiting_places + 1)
    log_weight = n * math.log(load) - gammaln(n + 1)
    beyond = np.arange(1, waiting_places + 1)
    log_weight[agents + 1 :] = log_weight[agents] + np.cumsum(
        np.log((load / aht) / (agents / aht + beyond / patience))
    )
    return np.exp(log_weight - logsumexp(log_weight))


def test_twenty_thousand_erlangs_on_as_many_agents_agree_with_the_chain():
    law = log_queue_law(20_000, 20_000, 180, 60, 600)
    in_time, _ = tagged_caller(20_000, 180, 60, 20, 600)
    figures = erlang_a(20_000, 20_000, 180, 60, 20)
    assert figures.p_wait == pytest.approx(law[20_000:].sum(), abs=1e-9)
    assert figures.service_level == pytest.approx(
        law[:20_000].sum() + (law[20_000:-1] * in_time).sum(), abs=1e-9
    )


def test_twenty_thousand_erlangs_on_too_few_agents_lose_the_excess_to_abandons():
    law = log_queue_law(19_500, 20_000, 180, 300, 6_000)
    mean_queue = (law * np.maximum(np.arange(law.size) - 19_500, 0)).sum()
    figures = erlang_a(19_500, 20_000, 180, 300, 20)
    assert figures.p_wait == pytest.approx(law[19_500:].sum(), abs=1e-9)
    assert figures.p_abandon == pytest.approx(mean_queue / 300 / (20_000 / 180), abs=1e-9)
    assert figures.p_abandon == pytest.approx(0.025, abs=1e-6)  # nearly the 500 Erlangs over


@pytest.mark.parametrize("load", [0.01, 20_000.0])
def test_extreme_loads_give_finite_figures_at_every_staffing(load):
    agents = np.unique(np.round(np.array([0, 0.5, 0.9, 1, 1.1, 2, 5]) * load))
    figures = erlang_a(agents, load, 180, 120, 20)
    for shares in (figures.p_wait, figures.p_abandon, figures.service_level):
        assert np.all((shares >= 0) & (shares <= 1))
    assert np.all(np.isfinite(figures.asa_s[agents > 0]))
    assert np.all(np.isfinite(figures.mean_wait_s))


def test_ever_more_patient_callers_tend_to_erlang_c():
    c = erlang_c(14, 10, 180, 20)
    for patience, gap in [(1e5, 1e-3), (1e7, 1e-5), (1e9, 1e-7)]:
        a = erlang_a(14, 10, 180, patience, 20)
        assert a.p_wait == pytest.approx(c.p_wait, abs=gap)
        assert a.service_level == pytest.approx(c.service_level, abs=gap)
        assert a.asa_s == pytest.approx(c.asa_s, abs=gap * 180)
        assert a.p_abandon < gap


def test_without_agents_every_caller_hangs_up():
    figures = erlang_a(0, 5, 180, 90, 20)
    assert (figures.p_wait, figures.p_abandon, figures.service_level) == (1, 1, 0)
    assert figures.mean_wait_s == pytest.approx(90)
    assert np.isnan(figures.asa_s) and np.isnan(figures.occupancy)


def test_without_calls_nobody_waits_and_nobody_is_needed():
    figures = erlang_a([0, 2], 0, 180, 90, 20)
    assert figures.p_wait.tolist() == [0, 0] and figures.p_abandon.tolist() == [0, 0]
    assert figures.service_level.tolist() == [1, 1]
    capped = StaffingTarget(service_level=0.8, asa_s=10, max_abandon=0.05, max_occupancy=0.9)
    assert required_agents(0, 180, 90, capped) == 0


loads = st.floats(min_value=0.01, max_value=2_000)
handle_times = st.floats(min_value=20, max_value=1_200)
patiences = st.floats(min_value=5, max_value=3_600)
thresholds = st.floats(min_value=0, max_value=120)


@given(loads, handle_times, patiences, thresholds, st.floats(min_value=0, max_value=3))
def test_each_added_agent_raises_service_level_and_lowers_waiting_and_abandons(
    load, aht, patience, threshold, share
):
    agents = math.floor(share * load)
    fewer, more = (erlang_a(n, load, aht, patience, threshold) for n in (agents, agents + 1))
    slack = 1e-12
    assert more.service_level >= fewer.service_level - slack
    assert more.p_wait <= fewer.p_wait + slack
    assert more.p_abandon <= fewer.p_abandon + slack


def brute_force_requirement(load, aht, patience, target):
    """The first N from 0 that meets the target, by trying them all."""
    agents = np.arange(0, math.ceil(3 * load) + 40)
    figures = erlang_a(agents, load, aht, patience, target.threshold_s)
    met = figures.service_level >= target.service_level
    if target.max_abandon is not None:
        met &= figures.p_abandon <= target.max_abandon
    if target.asa_s is not None:
        met &= figures.asa_s <= target.asa_s
    return int(agents[np.argmax(met)])


@given(
    st.floats(min_value=0.1, max_value=300),
    handle_times,
    patiences,
    st.floats(min_value=0.5, max_value=0.95),
    thresholds,
    st.sampled_from([None, 0.02, 0.1]),
    st.sampled_from([None, 5.0, 30.0]),
)
def test_the_required_agents_are_the_fewest_that_meet_the_target(
    load, aht, patience, service_level, threshold, max_abandon, asa_s
):
    target = StaffingTarget(
        service_level=service_level, threshold_s=threshold, max_abandon=max_abandon, asa_s=asa_s
    )
    assert required_agents(load, aht, patience, target) == brute_force_requirement(
        load, aht, patience, target
    )


def exact_search(load, aht, patience, target):
    """The smallest N from 0 whose `erlang_a` figures meet the target, by the plain search
    started at 0: no first guess, no secant steps."""
    load, aht, patience = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (load, aht, patience))
    )

    def meets(agents, where):
        figures = erlang_a(agents, load[where], aht[where], patience[where], target.threshold_s)
        met = np.ones(agents.shape, dtype=bool)
        if target.service_level is not None:
            met &= figures.service_level >= target.service_level
        if target.max_abandon is not None:
            met &= figures.p_abandon <= target.max_abandon
        if target.asa_s is not None:
            met &= figures.asa_s <= target.asa_s
        if target.max_occupancy < 1:
            met &= (figures.occupancy <= target.max_occupancy) | (load[where] == 0)
        return met

    none = np.zeros(load.shape, dtype=np.int64)
    return smallest_meeting(meets, none, none)


wide_loads = st.one_of(st.just(0.0), st.floats(min_value=0.01, max_value=20_000))
targets = st.builds(
    StaffingTarget,
    service_level=st.one_of(st.none(), st.floats(min_value=0.5, max_value=0.95)),
    threshold_s=thresholds,
    asa_s=st.one_of(st.none(), st.floats(min_value=1, max_value=120)),
    max_abandon=st.floats(min_value=0.01, max_value=0.3),
    max_occupancy=st.one_of(st.just(1.0), st.floats(min_value=0.5, max_value=0.99)),
) | st.builds(
    StaffingTarget,
    service_level=st.floats(min_value=0.5, max_value=0.95),
    threshold_s=thresholds,
    asa_s=st.one_of(st.none(), st.floats(min_value=1, max_value=120)),
    max_occupancy=st.one_of(st.just(1.0), st.floats(min_value=0.5, max_value=0.99)),
)


@given(st.lists(wide_loads, min_size=1, max_size=10), handle_times, patiences, targets)
def test_the_secant_search_finds_what_the_exact_search_finds(load, aht, patience, target):
    assert (
        required_agents(load, aht, patience, target).tolist()
        == exact_search(load, aht, patience, target).tolist()
    )


@pytest.mark.parametrize(
    "target",
    [
        EIGHTY_TWENTY,
        StaffingTarget(service_level=0.95, threshold_s=0),
        StaffingTarget(max_abandon=0.03),
        StaffingTarget(asa_s=10, max_occupancy=0.85),
        StaffingTarget(service_level=0.9, threshold_s=30, asa_s=20, max_abandon=0.05),
        StaffingTarget(max_occupancy=0.8),
    ],
)
def test_light_to_huge_loads_get_the_exact_search_answer_everywhere(target):
    rng = np.random.default_rng(2026)
    load = np.exp(rng.uniform(np.log(0.01), np.log(20_000), 400))
    load[::25] = 0
    aht = rng.uniform(20, 1_200, load.size)
    patience = np.exp(rng.uniform(np.log(5), np.log(3_600), load.size))
    assert np.array_equal(
        required_agents(load, aht, patience, target), exact_search(load, aht, patience, target)
    )


def test_a_target_the_figures_meet_exactly_needs_just_those_agents():
    exactly = float(erlang_a(47, 40, 180, 120, 20).service_level)
    assert required_agents(40, 180, 120, StaffingTarget(service_level=exactly)) == 47


def test_impatient_callers_let_fewer_agents_than_erlangs_meet_a_target():
    assert required_agents(100, 300, 30, EIGHTY_TWENTY) < 100


def test_an_occupancy_cap_counts_only_the_calls_agents_answer():
    capped = StaffingTarget(service_level=0.5, threshold_s=60, max_occupancy=0.8)
    agents = int(required_agents(100, 300, 30, capped))
    answered = erlang_a([agents - 1, agents], 100, 300, 30, 60)
    assert answered.occupancy[1] <= 0.8 < answered.occupancy[0]
    assert agents <= 100 / 0.8


def test_a_thousand_intervals_are_one_call():
    load = np.linspace(0.5, 500, 1_000)
    agents = required_agents(load, 240, np.linspace(60, 300, 1_000), EIGHTY_TWENTY)
    assert agents.shape == (1_000,)
    assert agents[700] == required_agents(
        load[700], 240, np.linspace(60, 300, 1_000)[700], EIGHTY_TWENTY
    )


@given(st.lists(loads, min_size=1, max_size=20), handle_times, patiences)
def test_the_fractional_requirement_lies_within_the_agent_below_the_whole_one(load, aht, patience):
    whole = required_agents(load, aht, patience, EIGHTY_TWENTY)
    fractional = fractional_agents(load, aht, patience, EIGHTY_TWENTY)
    assert np.all((fractional > whole - 1) & (fractional <= whole))


def test_a_patience_must_be_positive():
    with pytest.raises(ValueError, match="patience"):
        erlang_a(10, 8, 180, 0, 20)
