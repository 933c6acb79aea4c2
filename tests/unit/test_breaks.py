"""Break smoothing: breaks move within their windows to where agents are spare, and never
leave an interval shorter of agents than it was."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from hotline.staffing.breaks import smooth_breaks
from hotline.staffing.shift_templates import AgentShift, Break, Shift, ShiftTemplate
from tests.unit.test_scheduling import HOUR, HOURLY, TUESDAY, hourly, on_duty


def four_hours_with_a_break_in_its_second_or_third_hour():
    return ShiftTemplate(
        "M4", 4 * HOUR, (8 * HOUR,), 1.0, breaks=(Break(HOUR, HOUR, 2 * HOUR, paid=True),)
    )


def six_hours_with_a_break_in_any_of_its_middle_four():
    return ShiftTemplate(
        "L6", 6 * HOUR, (8 * HOUR,), 1.0, breaks=(Break(HOUR, HOUR, 4 * HOUR, paid=False),)
    )


def agents_with_breaks_at(template, *break_hours):
    """One agent per break hour on Tuesday's 08:00 shift of `template`."""
    shift = Shift(template, TUESDAY, 8 * HOUR)
    return [AgentShift(shift, (shift.start + hour * HOUR,)) for hour in break_hours]


def break_hours(agent_shifts):
    return sorted((agent.break_starts[0] - agent.shift.start) // HOUR for agent in agent_shifts)


def test_two_breaks_at_the_same_hour_are_spread_when_that_hour_falls_short():
    agents = agents_with_breaks_at(four_hours_with_a_break_in_its_second_or_third_hour(), 1, 1)
    smoothed = smooth_breaks(agents, hourly([1, 1, 1, 1], TUESDAY, 8), HOUR)
    assert break_hours(smoothed) == [1, 2]
    assert list(on_duty(smoothed, HOUR)[TUESDAY * 24 + 8 :][:4]) == [2, 1, 1, 2]


def test_a_break_moves_to_the_hour_nobody_is_needed():
    agents = agents_with_breaks_at(four_hours_with_a_break_in_its_second_or_third_hour(), 2)
    smoothed = smooth_breaks(agents, hourly([1, 0, 1, 1], TUESDAY, 8), HOUR)
    assert break_hours(smoothed) == [1]


def test_a_break_where_nobody_is_needed_stays_there():
    agents = agents_with_breaks_at(four_hours_with_a_break_in_its_second_or_third_hour(), 1)
    smoothed = smooth_breaks(agents, hourly([1, 0, 1, 1], TUESDAY, 8), HOUR)
    assert smoothed == agents


def test_four_breaks_at_one_hour_spread_over_the_four_hours_of_their_window():
    agents = agents_with_breaks_at(six_hours_with_a_break_in_any_of_its_middle_four(), 1, 1, 1, 1)
    smoothed = smooth_breaks(agents, np.zeros(HOURLY), HOUR)
    assert break_hours(smoothed) == [1, 2, 3, 4]


def test_a_long_break_goes_where_it_leaves_nobody_short_not_where_most_are_spare():
    """Four agents without breaks and one with two hours off from its second, third or
    fourth hour: 5 on duty less the break against 2, 5, 4 and 4 needed from 09:00. Off
    from 09:00 it leaves 10:00 short though 09:00 is the most spare; from 11:00 it does not."""
    plain = ShiftTemplate("P8", 8 * HOUR, (8 * HOUR,), 1.0)
    long_break = ShiftTemplate(
        "B8", 8 * HOUR, (8 * HOUR,), 1.0, breaks=(Break(2 * HOUR, HOUR, 3 * HOUR, paid=False),)
    )
    team = [AgentShift(Shift(plain, TUESDAY, 8 * HOUR), ())] * 4
    team += agents_with_breaks_at(long_break, 1)
    smoothed = smooth_breaks(team, hourly([5, 2, 5, 4, 4], TUESDAY, 8), HOUR)
    assert break_hours(smoothed[4:]) == [3]


templates = [
    four_hours_with_a_break_in_its_second_or_third_hour(),
    six_hours_with_a_break_in_any_of_its_middle_four(),
    ShiftTemplate(
        "B8", 8 * HOUR, (8 * HOUR,), 1.0, breaks=(Break(2 * HOUR, HOUR, 4 * HOUR, paid=False),)
    ),
    ShiftTemplate(
        "D9",
        9 * HOUR,
        (7 * HOUR, 22 * HOUR),
        1.0,
        breaks=(Break(HOUR, 2 * HOUR, 3 * HOUR, paid=True), Break(HOUR, 5 * HOUR, 7 * HOUR, False)),
    ),
]


@st.composite
def agent_shifts(draw):
    """Agents on Tuesday on any template and start, with breaks anywhere in their windows."""
    template = draw(st.sampled_from(templates))
    shift = Shift(template, TUESDAY, draw(st.sampled_from(template.starts)))
    starts = tuple(
        shift.start + draw(st.sampled_from(range(b.earliest, b.latest + 1, HOUR)))
        for b in template.breaks
    )
    return AgentShift(shift, starts)


teams = st.lists(agent_shifts(), max_size=30)
# As many agents needed as a team may have on duty, so surpluses are often near nought.
requirements = st.lists(st.integers(0, 8), min_size=48, max_size=48).map(
    lambda values: hourly(values, TUESDAY, 0)
)


@settings(max_examples=60, deadline=None)
@given(teams, requirements)
def test_smoothing_never_adds_understaffing(team, requirement):
    before = np.clip(requirement - on_duty(team, HOUR), 0, None).sum()
    after = np.clip(requirement - on_duty(smooth_breaks(team, requirement, HOUR), HOUR), 0, None)
    assert after.sum() <= before


@settings(max_examples=60, deadline=None)
@given(teams, st.lists(st.integers(0, 3), min_size=HOURLY, max_size=HOURLY))
def test_smoothing_keeps_a_requirement_met_that_was_met(team, slack):
    requirement = np.clip(on_duty(team, HOUR) - slack, 0, None)
    assert np.all(on_duty(smooth_breaks(team, requirement, HOUR), HOUR) >= requirement)


@settings(max_examples=60, deadline=None)
@given(teams, requirements)
def test_smoothing_evens_out_the_surplus_when_it_adds_no_understaffing(team, requirement):
    before = on_duty(team, HOUR) - requirement
    after = on_duty(smooth_breaks(team, requirement, HOUR), HOUR) - requirement
    if np.clip(-after, 0, None).sum() == np.clip(-before, 0, None).sum():
        assert (after**2).sum() <= (before**2).sum()


@settings(max_examples=60, deadline=None)
@given(teams, requirements)
def test_smoothing_keeps_every_agent_on_their_shift(team, requirement):
    smoothed = smooth_breaks(team, requirement, HOUR)
    assert [agent.shift for agent in smoothed] == [agent.shift for agent in team]
