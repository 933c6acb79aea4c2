"""Shift scheduling: exact on small weeks (checked by brute force), and on a realistic week
the coverage it reports is the coverage its agents, breaks placed, really give."""

import itertools
import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from hotline.staffing.scheduling import NoSchedule, Objective, SolveStatus, schedule
from hotline.staffing.shift_templates import (
    MINUTES_PER_WEEK,
    AgentShift,
    Break,
    CostBasis,
    Shift,
    ShiftTemplate,
)

HOUR = 60
TUESDAY = 1
SUNDAY = 6
HOURLY = MINUTES_PER_WEEK // HOUR


def hourly(values_from, day, hour):
    """A week of hourly requirements, zero but for `values_from` from `day` at `hour`."""
    requirement = np.zeros(HOURLY)
    first = day * 24 + hour
    requirement[first : first + len(values_from)] = values_from
    return requirement


def on_duty(agent_shifts, interval):
    """Agents working each interval, counted minute by minute from the placed breaks."""
    counts = np.zeros(MINUTES_PER_WEEK // interval, dtype=np.int64)
    for agent in agent_shifts:
        template = agent.shift.template
        for minute in range(agent.shift.start, agent.shift.end, interval):
            on_break = any(
                start <= minute < start + shift_break.length
                for start, shift_break in zip(agent.break_starts, template.breaks, strict=True)
            )
            if not on_break:
                counts[minute // interval % len(counts)] += 1
    return counts


# --- exact on small weeks -----------------------------------------------------------------------


def tuesday_templates(early_cost, middle_cost, long_hourly_cost):
    """Three templates for Tuesday 08:00–14:00 in hours: 3 h from 08:00 or 09:00; 4 h from
    08:00 or 10:00 with a paid hour's break after its first or second hour; 6 h from 08:00
    with an unpaid hour's break after its second or third hour, paid by the hour."""
    tuesday = frozenset({TUESDAY})
    return [
        ShiftTemplate("E3", 3 * HOUR, (8 * HOUR, 9 * HOUR), early_cost, days=tuesday),
        ShiftTemplate(
            "M4",
            4 * HOUR,
            (8 * HOUR, 10 * HOUR),
            middle_cost,
            breaks=(Break(HOUR, HOUR, 2 * HOUR, paid=True),),
            days=tuesday,
        ),
        ShiftTemplate(
            "L6",
            6 * HOUR,
            (8 * HOUR,),
            long_hourly_cost,
            cost_basis=CostBasis.PAID_HOUR,
            breaks=(Break(HOUR, 2 * HOUR, 3 * HOUR, paid=False),),
            days=tuesday,
        ),
    ]


def agent_patterns(templates):
    """Every way one agent can work: each shift with each placement of its breaks."""
    patterns = []
    for template in templates:
        for day, start in itertools.product(sorted(template.days), template.starts):
            shift = Shift(template, day, start)
            places = [
                range(shift.start + b.earliest, shift.start + b.latest + 1, HOUR)
                for b in template.breaks
            ]
            patterns += [AgentShift(shift, starts) for starts in itertools.product(*places)]
    return patterns


def brute_force(templates, requirement, value_of, max_agents_per_day=None):
    """The least `value_of(coverage, cost)` over every team of agent patterns within the
    daily cap, None if it is infinite for all. No pattern needs more agents than the
    largest requirement: one fewer would leave every interval it covers still met."""
    patterns = agent_patterns(templates)
    covers = np.array([on_duty([pattern], HOUR) for pattern in patterns])
    costs = np.array([pattern.shift.template.shift_cost for pattern in patterns])
    most = math.ceil(requirement.max())
    teams = np.array(list(itertools.product(range(most + 1), repeat=len(patterns))))
    if max_agents_per_day is not None:
        teams = teams[teams.sum(axis=1) <= max_agents_per_day]
    values = value_of(teams @ covers, teams @ costs)
    return float(values.min()) if np.isfinite(values).any() else None


def cost_if_met(requirement):
    def value_of(coverage, cost):
        return np.where(np.all(coverage >= np.ceil(requirement), axis=1), cost, np.inf)

    return value_of


def shortfall(requirement, under_weight, over_weight):
    def value_of(coverage, cost):
        under = np.clip(requirement - coverage, 0, None).sum(axis=1)
        over = np.clip(coverage - requirement, 0, None).sum(axis=1)
        return under_weight * under + over_weight * over

    return value_of


requirements = st.lists(st.integers(0, 2), min_size=6, max_size=6).map(
    lambda values: hourly(values, TUESDAY, 8)
)
costs = st.tuples(st.integers(1, 9), st.integers(1, 12), st.integers(1, 3))


@settings(max_examples=30, deadline=None)
@given(requirements, costs)
# HiGHS failed with a solve error on this one's cutoff, where the plain problem solves.
@example(hourly([0, 0, 1, 2, 2, 0], TUESDAY, 8), (6, 6, 2))
def test_the_least_cost_is_the_brute_force_optimum(requirement, template_costs):
    templates = tuesday_templates(*template_costs)
    best = brute_force(templates, requirement, cost_if_met(requirement))
    found = schedule(templates, requirement, mip_gap=0, time_limit=20)
    assert found.objective_value == pytest.approx(best)
    assert found.status is SolveStatus.GAP_REACHED


@settings(max_examples=30, deadline=None)
@given(
    requirements,
    costs,
    st.sampled_from([0.5, 1.0, 3.0]),
    st.sampled_from([0.0, 0.25, 1.0]),
    st.integers(1, 4),
)
def test_the_least_shortfall_is_the_brute_force_optimum(
    requirement, template_costs, under_weight, over_weight, most_agents
):
    templates = tuesday_templates(*template_costs)
    value_of = shortfall(requirement, under_weight, over_weight)
    best = brute_force(templates, requirement, value_of, most_agents)
    found = schedule(
        templates,
        requirement,
        objective=Objective.SHORTFALL,
        under_weight=under_weight,
        over_weight=over_weight,
        max_agents_per_day=most_agents,
        mip_gap=0,
        time_limit=20,
    )
    assert found.objective_value == pytest.approx(best)
    assert len(found.agent_shifts) <= most_agents


def test_a_shift_the_relaxation_leaves_out_is_worked_when_whole_agents_make_it_cheapest():
    """One agent wanted at 09:00, 10:00 and 11:00: three shifts covering two of the hours
    each (the third with a break at 10:00) do it with half an agent apiece for 1.5, but
    whole agents need two of them; the 1.9 shift covering all three is then the cheapest."""
    tuesday = frozenset({TUESDAY})
    at_ten = (Break(HOUR, HOUR, HOUR, paid=True),)
    templates = [
        ShiftTemplate("nine-ten", 2 * HOUR, (9 * HOUR,), 1.0, days=tuesday),
        ShiftTemplate("ten-eleven", 2 * HOUR, (10 * HOUR,), 1.0, days=tuesday),
        ShiftTemplate("nine-eleven", 3 * HOUR, (9 * HOUR,), 1.0, breaks=at_ten, days=tuesday),
        ShiftTemplate("all-three", 3 * HOUR, (9 * HOUR,), 1.9, days=tuesday),
    ]
    found = schedule(templates, hourly([1, 1, 1], TUESDAY, 9))
    assert found.lp_bound == pytest.approx(1.5)
    assert [(s.shift.template.code, s.count) for s in found.shifts] == [("all-three", 1)]
    assert found.status is SolveStatus.GAP_REACHED


def test_a_fractional_requirement_needs_the_next_whole_agent():
    templates = tuesday_templates(1, 100, 100)
    found = schedule(templates, hourly([1.2, 1.0000000001], TUESDAY, 9))
    assert found.total_cost == 2
    assert found.coverage[TUESDAY * 24 + 9] == 2
    assert not found.understaffing.any()


def test_a_sunday_night_shift_covers_monday_morning():
    night = ShiftTemplate("N4", 4 * HOUR, (22 * HOUR,), 80.0, days=frozenset({SUNDAY}))
    requirement = hourly([1, 1], SUNDAY, 22) + hourly([1, 1], 0, 0)
    found = schedule([night], requirement)
    assert found.total_cost == 80
    assert [s.count for s in found.shifts] == [1]
    assert list(np.flatnonzero(found.coverage)) == [0, 1, HOURLY - 2, HOURLY - 1]


def test_an_empty_requirement_needs_nobody():
    found = schedule(tuesday_templates(1, 1, 1), np.zeros(HOURLY))
    assert found.shifts == () and found.total_cost == 0 and found.gap == 0


def test_a_requirement_no_template_covers_cannot_be_met():
    with pytest.raises(NoSchedule):
        schedule(tuesday_templates(1, 1, 1), hourly([1], TUESDAY, 20))


def test_too_few_agents_a_day_cannot_meet_the_requirement():
    with pytest.raises(NoSchedule):
        schedule(tuesday_templates(1, 1, 1), hourly([3], TUESDAY, 9), max_agents_per_day=2)


def test_the_shortfall_shows_where_too_few_agents_a_day_leave_the_requirement_unmet():
    found = schedule(
        tuesday_templates(1, 1, 1),
        hourly([3], TUESDAY, 9),
        objective=Objective.SHORTFALL,
        over_weight=0,
        max_agents_per_day=2,
    )
    assert list(np.flatnonzero(found.understaffing)) == [TUESDAY * 24 + 9]
    assert found.understaffing.sum() == 1
    assert found.objective_value == 1


def test_the_requirement_is_a_week_of_15_30_or_60_minute_intervals():
    with pytest.raises(ValueError, match="intervals"):
        schedule(tuesday_templates(1, 1, 1), np.ones(100))


def test_a_negative_requirement_is_refused():
    with pytest.raises(ValueError, match="negative"):
        schedule(tuesday_templates(1, 1, 1), -np.ones(HOURLY))


def test_template_times_must_fall_on_the_interval_grid():
    quarter_break = ShiftTemplate(
        "Q", 4 * HOUR, (8 * HOUR,), 1.0, breaks=(Break(15, HOUR, 2 * HOUR, paid=True),)
    )
    with pytest.raises(ValueError, match="multiples of 60"):
        schedule([quarter_break], hourly([1], TUESDAY, 9))


# --- templates and agent shifts -----------------------------------------------------------------


def test_paid_hours_leave_out_unpaid_breaks():
    day = ShiftTemplate(
        "D9",
        9 * HOUR,
        (8 * HOUR,),
        30.0,
        cost_basis=CostBasis.PAID_HOUR,
        breaks=(Break(15, 90, 150, paid=True), Break(HOUR, 210, 300, paid=False)),
    )
    assert day.paid_minutes == 8 * HOUR
    assert day.shift_cost == 240


def test_break_windows_may_not_overlap():
    with pytest.raises(ValueError, match="overlap"):
        ShiftTemplate(
            "X",
            8 * HOUR,
            (8 * HOUR,),
            1.0,
            breaks=(Break(30, 60, 120, paid=True), Break(30, 140, 200, paid=True)),
        )


def test_a_break_may_not_run_past_the_end_of_the_shift():
    with pytest.raises(ValueError, match="past the end"):
        ShiftTemplate("X", 4 * HOUR, (8 * HOUR,), 1.0, breaks=(Break(30, 180, 215, paid=True),))


def test_a_shift_starts_on_a_day_and_at_a_time_its_template_allows():
    early = tuesday_templates(1, 1, 1)[0]
    with pytest.raises(ValueError, match="does not start"):
        Shift(early, TUESDAY + 1, 8 * HOUR)
    with pytest.raises(ValueError, match="does not start"):
        Shift(early, TUESDAY, 10 * HOUR)


def test_an_agent_shift_keeps_its_breaks_in_their_windows():
    template = tuesday_templates(1, 1, 1)[1]
    shift = Shift(template, TUESDAY, 8 * HOUR)
    with pytest.raises(ValueError, match="outside its window"):
        AgentShift(shift, (shift.start + 3 * HOUR,))


# --- a realistic week ---------------------------------------------------------------------------

QUARTER = 15


def realistic_requirement():
    """Agents needed per quarter hour: peaks near 10:30 and 15:30 up to 60 on weekdays,
    two thirds of that at weekends, never fewer than 3 at night."""
    hours = np.arange(96) / 4 + 1 / 8
    day = np.exp(-(((hours - 10.5) / 1.6) ** 2)) + 0.8 * np.exp(-(((hours - 15.5) / 2.0) ** 2))
    noise = np.random.default_rng(5).uniform(0.92, 1.08, 7 * 96)
    scale = np.repeat([60, 60, 58, 58, 55, 40, 38], 96)
    return np.maximum(np.ceil(np.tile(day, 7) / day.max() * scale * noise), 3)


def full_day_breaks():
    return (
        Break(15, 90, 150, paid=True),
        Break(HOUR, 210, 300, paid=False),
        Break(15, 390, 450, paid=True),
    )


def realistic_templates():
    """Nine-hour days with a lunch hour and two paid quarter-hour breaks, four-hour part
    time, evenings, a weekend day and a night shift from 22:00 to 07:00."""

    def starts(first, last, step=30):
        return tuple(range(first * HOUR, last * HOUR + 1, step))

    weekdays = frozenset(range(5))
    weekend = frozenset({5, 6})
    part_break = (Break(15, 90, 150, paid=True),)
    return [
        ShiftTemplate("D7", 540, starts(7, 9), 30.0, CostBasis.PAID_HOUR, full_day_breaks()),
        ShiftTemplate("D10", 540, starts(10, 12), 30.0, CostBasis.PAID_HOUR, full_day_breaks()),
        ShiftTemplate("E", 540, starts(13, 15), 33.0, CostBasis.PAID_HOUR, full_day_breaks()),
        ShiftTemplate("PM", 240, starts(8, 11), 130.0, breaks=part_break, days=weekdays),
        ShiftTemplate("PA", 240, starts(13, 17), 130.0, breaks=part_break, days=weekdays),
        ShiftTemplate("PW", 240, starts(9, 16, 60), 140.0, breaks=part_break, days=weekend),
        ShiftTemplate("W", 480, starts(8, 10), 290.0, breaks=part_break, days=weekend),
        ShiftTemplate(
            "N",
            540,
            (22 * HOUR,),
            45.0,
            CostBasis.PAID_HOUR,
            breaks=(Break(HOUR, 180, 300, paid=False),),
        ),
    ]


@pytest.fixture(scope="module")
def week():
    requirement = realistic_requirement()
    return requirement, schedule(realistic_templates(), requirement, time_limit=30)


def test_a_realistic_week_meets_its_requirement_in_every_quarter_hour(week):
    requirement, found = week
    assert np.all(found.coverage >= requirement)
    assert not found.understaffing.any()


def test_a_realistic_weeks_coverage_is_its_agents_counted_with_their_breaks(week):
    _, found = week
    np.testing.assert_array_equal(found.coverage, on_duty(found.agent_shifts, QUARTER))


def test_a_realistic_weeks_agents_take_every_break_inside_its_window(week):
    _, found = week
    for agent in found.agent_shifts:
        for start, shift_break in zip(agent.break_starts, agent.shift.template.breaks, strict=True):
            offset = start - agent.shift.start
            assert shift_break.earliest <= offset <= shift_break.latest
            assert offset % QUARTER == 0


def test_a_realistic_weeks_agents_are_the_shifts_scheduled(week):
    _, found = week
    per_shift = {}
    for agent in found.agent_shifts:
        per_shift[agent.shift] = per_shift.get(agent.shift, 0) + 1
    assert per_shift == {scheduled.shift: scheduled.count for scheduled in found.shifts}
    cost = sum(s.count * s.shift.template.shift_cost for s in found.shifts)
    assert found.total_cost == pytest.approx(cost)


def test_a_realistic_weeks_cost_is_within_two_percent_of_the_lp_bound(week):
    _, found = week
    assert found.lp_bound <= found.mip_bound <= found.objective_value + 1e-6
    assert found.gap == pytest.approx(1 - found.lp_bound / found.objective_value)
    assert 0 <= found.gap < 0.02
