"""Schedule adherence on Monday 2 November 2026, Beijing time.

The cast: 小王 and 小李 in team 一班, 老赵 in team 二班, all scheduled 09:00–17:00 on the
phones with a break 10:30–10:45 and a meal 12:00–13:00 laid on top. 小王 logs in five minutes
late, takes his break ten minutes late and logs out ten minutes early; 小李 keeps to the
schedule; 老赵 does not come.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotline.core.contact_records import AgentState, StateInterval
from hotline.staffing.adherence import (
    ActivityKind,
    AdherenceFigures,
    AdherenceRules,
    Deviation,
    DeviationKind,
    ScheduledActivity,
    by_team,
    in_adherence,
    measure_adherence,
)

BEIJING = ZoneInfo("Asia/Shanghai")
TEAMS = {"小王": "一班", "小李": "一班", "老赵": "二班"}

WORK, BREAK, MEAL = ActivityKind.WORK, ActivityKind.BREAK, ActivityKind.MEAL
TRAINING, MEETING = ActivityKind.TRAINING, ActivityKind.MEETING
READY, ON_CONTACT = AgentState.READY, AgentState.ON_CONTACT
NOT_READY, LOGGED_OUT = AgentState.NOT_READY, AgentState.LOGGED_OUT
NO_GRACE = AdherenceRules(grace_s=0, min_deviation_s=0)


def at(hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 11, 2, hour, minute, second, tzinfo=BEIJING)


def minutes(count: float) -> float:
    return count * 60


def activity(agent: str, kind: ActivityKind, start: datetime, end: datetime) -> ScheduledActivity:
    return ScheduledActivity(agent, kind, start, end)


def state(
    agent: str, kind: AgentState, start: datetime, end: datetime, reason: str = ""
) -> StateInterval:
    return StateInterval(agent, kind, start, end, reason)


def day_shift(agent: str) -> list[ScheduledActivity]:
    return [
        activity(agent, WORK, at(9), at(17)),
        activity(agent, BREAK, at(10, 30), at(10, 45)),
        activity(agent, MEAL, at(12), at(13)),
    ]


def xiao_wang_states() -> list[StateInterval]:
    return [
        state("小王", READY, at(9, 5), at(10, 40)),
        state("小王", NOT_READY, at(10, 40), at(10, 55), "break"),
        state("小王", READY, at(10, 55), at(12)),
        state("小王", READY, at(13), at(16, 50)),
    ]


def xiao_li_states() -> list[StateInterval]:
    return [
        state("小李", READY, at(9), at(10, 30)),
        state("小李", NOT_READY, at(10, 30), at(10, 45), "break"),
        state("小李", ON_CONTACT, at(10, 45), at(11)),
        state("小李", READY, at(11), at(12)),
        state("小李", NOT_READY, at(12), at(13), "meal"),
        state("小李", READY, at(13), at(17)),
    ]


SCHEDULE = [*day_shift("小王"), *day_shift("小李"), *day_shift("老赵")]
STATES = [*xiao_wang_states(), *xiao_li_states()]


def test_late_login_late_break_and_early_logout_cost_what_lies_past_the_grace() -> None:
    figures = measure_adherence(SCHEDULE, STATES).agents["小王"]

    out = minutes(4 + 9 + 9 + 9)  # each lateness less the minute of grace
    assert figures.scheduled_s == minutes(8 * 60)
    assert figures.out_of_adherence_s == out
    assert figures.in_adherence_s == minutes(8 * 60) - out
    assert figures.adherence == pytest.approx((480 - 31) / 480)


def test_without_grace_every_minute_off_schedule_counts() -> None:
    figures = measure_adherence(SCHEDULE, STATES, NO_GRACE).agents["小王"]

    assert figures.out_of_adherence_s == minutes(5 + 10 + 10 + 10)


def test_the_deviations_name_what_was_scheduled_and_what_the_agent_did() -> None:
    deviations = measure_adherence(SCHEDULE, STATES).deviations

    assert [d for d in deviations if d.agent == "小王"] == [
        Deviation("小王", DeviationKind.LATE_LOGIN, at(9, 1), at(9, 5), WORK, (LOGGED_OUT,), ()),
        Deviation("小王", DeviationKind.ON_PHONES, at(10, 31), at(10, 40), BREAK, (READY,), ()),
        Deviation(
            "小王", DeviationKind.NOT_READY, at(10, 46), at(10, 55), WORK, (NOT_READY,), ("break",)
        ),
        Deviation(
            "小王", DeviationKind.EARLY_LOGOUT, at(16, 50), at(16, 59), WORK, (LOGGED_OUT,), ()
        ),
    ]


def test_an_agent_keeping_to_the_schedule_is_fully_in_adherence() -> None:
    report = measure_adherence(SCHEDULE, STATES)

    assert report.agents["小李"].adherence == 1.0
    assert not [d for d in report.deviations if d.agent == "小李"]


def test_an_agent_who_never_logs_in_is_absent_but_for_breaks_and_their_grace() -> None:
    report = measure_adherence(SCHEDULE, STATES)

    assert report.agents["老赵"].in_adherence_s == minutes(15 + 60 + 6 * 1)
    assert [(d.kind, d.start, d.end) for d in report.deviations if d.agent == "老赵"] == [
        (DeviationKind.ABSENT, at(9, 1), at(10, 29)),
        (DeviationKind.ABSENT, at(10, 46), at(11, 59)),
        (DeviationKind.ABSENT, at(13, 1), at(16, 59)),
    ]


def test_conformance_compares_time_on_the_phones_with_scheduled_work() -> None:
    figures = measure_adherence(SCHEDULE, STATES).agents["小王"]

    assert figures.scheduled_work_s == minutes(480 - 15 - 60)
    assert figures.on_phones_s == minutes(95 + 65 + 230)
    assert figures.conformance == pytest.approx(390 / 405)


def test_a_team_adds_up_its_agents() -> None:
    agents = measure_adherence(SCHEDULE, STATES).agents

    teams = by_team(agents, TEAMS)

    assert teams["一班"] == agents["小王"] + agents["小李"]
    assert teams["二班"] == agents["老赵"]
    assert teams["一班"].adherence == pytest.approx((2 * 480 - 31) / (2 * 480))


def test_agents_without_a_team_are_in_no_team_sum() -> None:
    agents = measure_adherence(SCHEDULE, STATES).agents

    assert set(by_team(agents, {"小王": "一班"})) == {"一班"}


def test_a_login_under_two_minutes_late_counts_but_is_not_listed() -> None:
    states = [state("小王", READY, at(9, 1, 59), at(17))]
    schedule = [activity("小王", WORK, at(9), at(17))]

    report = measure_adherence(schedule, states)

    assert report.agents["小王"].out_of_adherence_s == 59
    assert report.deviations == ()


def test_logged_out_in_the_middle_of_the_shift_is_neither_late_nor_early() -> None:
    states = [state("小王", READY, at(9), at(11)), state("小王", READY, at(11, 30), at(17))]
    schedule = [activity("小王", WORK, at(9), at(17))]

    (deviation,) = measure_adherence(schedule, states, NO_GRACE).deviations

    assert (deviation.kind, deviation.start, deviation.end) == (
        DeviationKind.LOGGED_OUT,
        at(11),
        at(11, 30),
    )


def test_contiguous_not_ready_time_is_one_deviation_with_every_reason() -> None:
    states = [
        state("小王", READY, at(9), at(10)),
        state("小王", NOT_READY, at(10), at(10, 10), "meeting"),
        state("小王", NOT_READY, at(10, 10), at(10, 20), "break"),
        state("小王", READY, at(10, 20), at(17)),
    ]
    schedule = [activity("小王", WORK, at(9), at(17))]

    (deviation,) = measure_adherence(schedule, states, NO_GRACE).deviations

    assert (deviation.start, deviation.end, deviation.seconds) == (at(10), at(10, 20), 1200)
    assert (deviation.states, deviation.reasons) == ((NOT_READY,), ("meeting", "break"))


def test_training_wants_not_ready_with_the_training_reason() -> None:
    states = [
        state("小王", NOT_READY, at(14), at(14, 30), "training"),
        state("小王", NOT_READY, at(14, 30), at(14, 40), "break"),
        state("小王", ON_CONTACT, at(14, 40), at(15)),
    ]
    schedule = [activity("小王", TRAINING, at(14), at(15))]

    report = measure_adherence(schedule, states, NO_GRACE)

    assert report.agents["小王"].in_adherence_s == minutes(30)
    assert [(d.kind, d.scheduled) for d in report.deviations] == [
        (DeviationKind.NOT_READY, TRAINING),
        (DeviationKind.ON_PHONES, TRAINING),
    ]


def test_reason_codes_can_be_the_centre_s_own() -> None:
    rules = AdherenceRules(grace_s=0, reasons={"用餐": MEAL})
    states = [state("小王", NOT_READY, at(12), at(13), "用餐")]
    schedule = [activity("小王", MEAL, at(12), at(13))]

    assert measure_adherence(schedule, states, rules).agents["小王"].adherence == 1.0


def test_logged_in_off_shift_is_not_counted_by_default() -> None:
    states = [state("小王", READY, at(8), at(17))]
    schedule = [activity("小王", WORK, at(9), at(17))]

    figures = measure_adherence(schedule, states, NO_GRACE).agents["小王"]

    assert (figures.scheduled_s, figures.out_of_adherence_s) == (minutes(480), 0)


def test_logged_in_off_shift_counts_when_the_rules_say_so() -> None:
    rules = AdherenceRules(grace_s=60, count_logged_in_off_shift=True)
    states = [state("小王", READY, at(8), at(17))]
    schedule = [activity("小王", WORK, at(9), at(17))]

    report = measure_adherence(schedule, states, rules)

    assert report.agents["小王"].out_of_adherence_s == minutes(59)
    assert report.agents["小王"].in_adherence_s == minutes(481)
    assert [(d.kind, d.start, d.end) for d in report.deviations] == [
        (DeviationKind.LOGGED_IN_OFF_SHIFT, at(8), at(8, 59))
    ]


def test_a_period_looks_only_at_the_day_so_far() -> None:
    report = measure_adherence(SCHEDULE, STATES, NO_GRACE, period=(at(9), at(11)))

    assert report.agents["小王"].scheduled_s == minutes(120)
    assert report.agents["小王"].out_of_adherence_s == minutes(5 + 10 + 10)


def test_a_logout_running_into_the_end_of_the_period_is_not_an_early_logout() -> None:
    states = [state("小王", READY, at(9), at(10))]
    schedule = [activity("小王", WORK, at(9), at(17))]

    report = measure_adherence(schedule, states, NO_GRACE, period=(at(9), at(11)))

    assert [d.kind for d in report.deviations] == [DeviationKind.LOGGED_OUT]


def test_an_activity_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError, match="ends before it starts"):
        measure_adherence([activity("小王", WORK, at(17), at(9))], [])


@pytest.mark.parametrize(
    ("scheduled", "actual", "reason", "fits"),
    [
        (WORK, ON_CONTACT, None, True),
        (WORK, NOT_READY, WORK, False),
        (BREAK, NOT_READY, MEAL, True),
        (BREAK, LOGGED_OUT, None, True),
        (MEAL, READY, None, False),
        (TRAINING, NOT_READY, TRAINING, True),
        (TRAINING, NOT_READY, MEETING, False),
        (MEETING, LOGGED_OUT, None, False),
        (None, LOGGED_OUT, None, True),
        (None, READY, None, False),
    ],
)
def test_the_adherence_table(
    scheduled: ActivityKind | None, actual: AgentState, reason: ActivityKind | None, fits: bool
) -> None:
    assert in_adherence(scheduled, actual, reason) is fits


KINDS = st.sampled_from(list(ActivityKind))
STATES_DRAWN = st.sampled_from(list(AgentState))
REASONS = st.sampled_from(["", "break", "meal", "training", "meeting", "other"])
MINUTE = st.integers(min_value=0, max_value=600)


@st.composite
def spans(draw: st.DrawFn) -> tuple[datetime, datetime]:
    start = at(8) + timedelta(minutes=draw(MINUTE))
    return start, start + timedelta(minutes=draw(st.integers(min_value=0, max_value=240)))


@st.composite
def days(draw: st.DrawFn) -> tuple[list[ScheduledActivity], list[StateInterval]]:
    agents = st.sampled_from(["小王", "小李", "老赵"])
    schedule = [
        activity(draw(agents), draw(KINDS), *draw(spans())) for _ in range(draw(st.integers(0, 8)))
    ]
    states = [
        state(draw(agents), draw(STATES_DRAWN), *draw(spans()), draw(REASONS))
        for _ in range(draw(st.integers(0, 12)))
    ]
    return schedule, states


@given(days(), st.sampled_from([0, 60, 120]))
def test_in_and_out_of_adherence_add_up_to_the_scheduled_time(
    day: tuple[list[ScheduledActivity], list[StateInterval]], grace_s: int
) -> None:
    schedule, states = day

    report = measure_adherence(schedule, states, AdherenceRules(grace_s=grace_s))

    for figures in report.agents.values():
        assert figures.in_adherence_s + figures.out_of_adherence_s == figures.scheduled_s
        assert figures.adherence is None or 0 <= figures.adherence <= 1
    total = sum(report.agents.values(), AdherenceFigures())
    assert sum(by_team(report.agents, TEAMS).values(), AdherenceFigures()) == total


@given(days())
def test_deviations_lie_inside_the_time_out_of_adherence(
    day: tuple[list[ScheduledActivity], list[StateInterval]],
) -> None:
    report = measure_adherence(*day, rules=AdherenceRules(min_deviation_s=0))

    for agent, figures in report.agents.items():
        listed = sum(d.seconds for d in report.deviations if d.agent == agent)
        assert listed == figures.out_of_adherence_s
