"""Contact-centre KPIs, on calls built by hand on Monday 2 November 2026, Beijing time.

The cast: queues 宽带 (broadband) and 移动 (mobile), both in skill group 装维; agents 小王
and 小李 in team 一班, 老赵 in team 二班. Callers are 138… numbers; "" is withheld.
"""

import math
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotline.core import contact_kpis
from hotline.core.contact_kpis import KPIS, compute, kpi_names, records_behind, register
from hotline.core.contact_records import AgentState, CallRecord, Outcome, StateInterval
from hotline.core.contact_tables import (
    OUTCOME_CODES,
    CallTable,
    KpiExtras,
    OrderTable,
    Outages,
    StaffCost,
    StateTable,
    SurveyTable,
    epoch,
)
from hotline.core.kpi_facts import KpiDefinition, KpiSettings
from hotline.core.kpi_periods import Period

BEIJING = ZoneInfo("Asia/Shanghai")
DEFAULTS = KpiSettings()
TEAMS = {"小王": "一班", "小李": "一班", "老赵": "二班"}
SKILLS = {"宽带": "装维", "移动": "装维"}

A = Outcome.ANSWERED
AB = Outcome.ABANDONED


def at(hour: int, minute: int = 0, second: int = 0, day: int = 2) -> datetime:
    return datetime(2026, 11, day, hour, minute, second, tzinfo=BEIJING)


def call(
    entered: datetime,
    outcome: Outcome = A,
    wait_s: float = 10,
    *,
    queue: str = "宽带",
    agent: str | None = None,
    caller: str = "",
    call_id: str | None = None,
    **durations: float,
) -> CallRecord:
    """A call; answered ones go to 小王 unless another agent is named."""
    if agent is None:
        agent = "小王" if outcome is A else ""
    return CallRecord(
        call_id=call_id or f"{queue}-{entered.isoformat()}-{caller}-{wait_s}",
        queue=queue,
        entered_at=entered,
        outcome=outcome,
        wait_s=wait_s,
        agent=agent,
        caller=caller,
        **durations,
    )


def table_of(*calls: CallRecord) -> CallTable:
    return CallTable.from_records(
        calls, ids=[101 + n for n in range(len(calls))], skill_group_of=SKILLS, team_of=TEAMS
    )


def figures(table, *, by="day", group="queue", settings=DEFAULTS, states=None, extras=None):
    """{(period, key): values} of a report."""
    rows = compute(table, states, extras, by=by, group=group, settings=settings)
    return {(row.period, row.group_key): row.values for row in rows}


def one(table, **options):
    """The values of a report's only row."""
    [values] = figures(table, **options).values()
    return values


# Six broadband calls around T = 20 s: answered after 10, 20 (exactly T) and 30 s,
# abandoned after 20 (exactly T) and 40 s, and one that timed out after 60 s.
AROUND_T_CALLS = [
    call(at(9, 1), A, 10, talk_s=100, hold_s=20, after_call_work_s=30),
    call(at(9, 2), A, 20, talk_s=200, hold_s=0, after_call_work_s=60),
    call(at(9, 3), A, 30, talk_s=300, hold_s=10, after_call_work_s=0, transfers=1),
    call(at(9, 4), AB, 20),
    call(at(9, 5), AB, 40),
    call(at(9, 6), Outcome.TIMEOUT, 60),
]
AROUND_T = table_of(*AROUND_T_CALLS)


def test_offered_calls_are_counted_by_outcome():
    values = one(AROUND_T)
    assert (values["offered"], values["answered"], values["abandoned"]) == (6, 3, 2)
    assert (values["timeout"], values["left_with_key"], values["no_agents"]) == (1, 0, 0)


def test_other_outcomes_are_offered_calls_too():
    values = one(
        table_of(call(at(9), Outcome.LEFT_WITH_KEY, 50), call(at(9), Outcome.NO_AGENTS, 0))
    )
    assert (values["offered"], values["left_with_key"], values["no_agents"]) == (2, 1, 1)
    assert values["answer_rate"] == 0


def test_service_level_counts_an_abandon_at_t_against_it_by_default():
    # Answered within 20 s: the calls of 10 s and 20 s; over 3 answered + 2 abandoned.
    assert one(AROUND_T)["service_level"] == pytest.approx(2 / 5)


def test_service_level_over_offered_counts_every_outcome():
    settings = KpiSettings(variants={"service_level": "offered"})
    assert one(AROUND_T, settings=settings)["service_level"] == pytest.approx(2 / 6)


def test_service_level_leaves_out_calls_abandoned_within_t_when_chosen():
    # The call abandoned exactly at 20 s is within T, so only the 40 s abandon counts.
    settings = KpiSettings(variants={"service_level": "answered_and_abandoned_after_t"})
    assert one(AROUND_T, settings=settings)["service_level"] == pytest.approx(2 / 4)


def test_service_level_is_reported_at_each_threshold_with_the_chosen_variant():
    values = one(AROUND_T)
    assert values["service_level_15s"] == pytest.approx(1 / 5)
    assert values["service_level_20s"] == values["service_level"]
    over_offered = KpiSettings(variants={"service_level": "offered"})
    assert one(AROUND_T, settings=over_offered)["service_level_15s"] == pytest.approx(1 / 6)
    late = KpiSettings(variants={"service_level": "answered_and_abandoned_after_t"})
    assert one(AROUND_T, settings=late)["service_level_20s"] == pytest.approx(2 / 4)


def test_thresholds_are_settings():
    settings = KpiSettings(service_level_s=30, reported_thresholds_s=(10, 30.5))
    values = one(AROUND_T, settings=settings)
    assert values["service_level"] == pytest.approx(3 / 5)
    assert values["service_level_10s"] == pytest.approx(1 / 5)
    assert values["service_level_30.5s"] == pytest.approx(3 / 5)
    assert "service_level_15s" not in values


def test_rates_and_averages_of_the_answered_and_abandoned_calls():
    values = one(AROUND_T)
    assert values["answer_rate"] == pytest.approx(3 / 6)
    assert values["abandon_rate"] == pytest.approx(2 / 6)
    assert values["asa"] == pytest.approx(20)
    assert values["average_abandon_time"] == pytest.approx(30)
    assert values["longest_wait"] == 60


def test_handle_time_is_talk_plus_hold_plus_after_call_work_of_the_answered():
    values = one(AROUND_T)
    assert values["aht"] == pytest.approx((150 + 260 + 310) / 3)
    assert values["average_talk_time"] == pytest.approx(200)
    assert values["average_hold_time"] == pytest.approx(10)
    assert values["average_acw_time"] == pytest.approx(30)


def test_a_short_abandon_is_not_offered_when_a_threshold_is_set():
    table = table_of(call(at(9), AB, 3), call(at(9, 1), AB, 5), call(at(9, 2), A, 10))
    values = one(table, settings=KpiSettings(short_abandon_s=5))
    # The 3 s abandon is gone; the one at exactly 5 s stays.
    assert (values["offered"], values["abandoned"], values["short_abandoned"]) == (2, 1, 1)
    assert values["answer_rate"] == pytest.approx(1 / 2)
    assert values["average_abandon_time"] == 5
    assert one(table)["offered"] == 3
    assert one(table)["short_abandoned"] == 0


def test_a_call_counts_in_the_interval_it_entered_even_if_answered_in_the_next():
    table = table_of(call(at(9, 14, 50), A, 30), call(at(9, 15), A, 5))
    rows = compute(table, by="interval15", group="queue", settings=DEFAULTS)
    assert [(row.period, row.values["answered"], list(row.call_ids)) for row in rows] == [
        ("2026-11-02 09:00", 1, [101]),
        ("2026-11-02 09:15", 1, [102]),
    ]


def test_a_transferred_call_is_answered_once_in_each_queue_it_visited():
    table = table_of(
        call(at(9), A, 10, queue="宽带", transfers=1, caller="13800000001", call_id="c1"),
        call(at(9, 3), A, 5, queue="移动", agent="老赵", caller="13800000001", call_id="c1"),
        call(at(9, 4), A, 5, queue="宽带"),
    )
    broadband, mobile = figures(table).values()
    assert (broadband["answered"], broadband["transfers"]) == (2, 1)
    assert broadband["transfer_rate"] == pytest.approx(1 / 2)
    assert (mobile["offered"], mobile["answered"], mobile["transfers"]) == (1, 1, 0)


def test_calls_without_an_agent_are_counted_under_the_empty_agent_key():
    by_agent = figures(AROUND_T, group="agent")
    assert sorted(by_agent) == [("2026-11-02", ""), ("2026-11-02", "小王")]
    assert by_agent["2026-11-02", ""]["offered"] == 3  # two abandons and the timeout
    assert by_agent["2026-11-02", "小王"]["offered"] == 3
    assert figures(AROUND_T, group="team")["2026-11-02", "一班"]["answered"] == 3


def test_a_ratio_without_a_denominator_is_none_not_zero():
    values = one(table_of(call(at(9), AB, 30)))
    assert values["asa"] is None and values["aht"] is None and values["transfer_rate"] is None
    assert values["fcr_calls"] is None
    assert values["answer_rate"] == 0


def test_figures_whose_records_are_not_given_are_none():
    values = one(AROUND_T)
    for name in ("occupancy", "logged_in_s", "fcr_orders", "satisfaction", "availability"):
        assert values[name] is None, name
    assert not any(column.startswith("not_ready_s:") for column in values)


def test_only_the_kpis_asked_for_are_computed():
    rows = compute(
        AROUND_T, by="day", group="queue", kpis=["asa", "service_level_at"], settings=DEFAULTS
    )
    assert set(rows[0].values) == {"asa", "service_level_15s", "service_level_20s"}


def test_an_unknown_kpi_is_refused():
    with pytest.raises(ValueError, match="unknown KPIs: speed"):
        compute(AROUND_T, by="day", group="queue", kpis=["speed"], settings=DEFAULTS)


# ------------------------------------------------------------------ first contact, repeats

DAY = 24 * 3600


def test_a_call_followed_within_24_hours_by_another_from_the_number_is_not_resolved():
    table = table_of(
        call(at(9), caller="13800000001"),
        call(at(9, day=3), caller="13800000001"),  # exactly 24 h later: a repeat
        call(at(10), caller="13800000002"),
        call(at(10, 0, 1, day=3), caller="13800000002"),  # 24 h and 1 s later: not one
        call(at(11), caller=""),  # withheld: not judged
    )
    days = figures(table)
    assert days["2026-11-02", "宽带"]["fcr_calls"] == pytest.approx(1 / 2)
    assert days["2026-11-03", "宽带"]["fcr_calls"] == 1


def test_the_fcr_window_reaches_calls_of_other_queues_and_periods():
    table = table_of(
        call(at(23), caller="13800000001", queue="宽带"),
        call(at(8, day=3), caller="13800000001", queue="移动"),
    )
    assert figures(table)["2026-11-02", "宽带"]["fcr_calls"] == 0


def test_an_abandoned_call_back_does_not_make_a_call_unresolved():
    table = table_of(call(at(9), caller="13800000001"), call(at(10), AB, 30, caller="13800000001"))
    assert one(table)["fcr_calls"] == 1


def test_a_transfer_is_not_a_repeat_contact():
    table = table_of(
        call(at(9), transfers=1, caller="13800000001", call_id="c1"),
        call(at(9, 5), queue="移动", agent="老赵", caller="13800000001", call_id="c1"),
    )
    assert [values["fcr_calls"] for values in figures(table).values()] == [1, 1]


def test_of_two_calls_from_a_number_in_the_same_second_the_lower_id_comes_first():
    twins = [
        call(at(9), caller="13800000001", queue="宽带"),
        call(at(9), caller="13800000001", queue="移动"),
    ]
    for ids, unresolved in [([1, 2], "宽带"), ([2, 1], "移动")]:
        table = CallTable.from_records(twins, ids=ids)
        by_queue = {queue: values["fcr_calls"] for (_, queue), values in figures(table).items()}
        assert by_queue == {"宽带": 1, "移动": 1, unresolved: 0}


def test_the_fcr_window_is_a_setting():
    table = table_of(call(at(9), caller="13800000001"), call(at(12), caller="13800000001"))
    assert one(table, settings=KpiSettings(fcr_window_s=2 * 3600))["fcr_calls"] == 1


def calls_from(number: str, *moments: datetime) -> list[CallRecord]:
    return [call(moment, caller=number) for moment in moments]


def test_four_contacts_within_seven_days_make_a_repeat_caller():
    start = at(9)
    week = timedelta(days=7)
    table = table_of(
        *calls_from(
            "13800000001", start, start + timedelta(days=2), start + timedelta(days=5), start + week
        ),
        *calls_from(
            "13800000002",
            start,
            start + timedelta(days=2),
            start + timedelta(days=5),
            start + week + timedelta(seconds=1),
        ),
        *calls_from("13800000003", start),
    )
    assert figures(table, by="year")["2026", "宽带"]["repeat_caller_rate"] == pytest.approx(1 / 3)
    # The run reaches across weeks: the repeat caller counts in both weeks of its calls.
    weeks = figures(table, by="week")
    assert weeks["2026-W45", "宽带"]["repeat_caller_rate"] == pytest.approx(1 / 3)
    assert weeks["2026-W46", "宽带"]["repeat_caller_rate"] == pytest.approx(1 / 2)


def test_the_legs_of_a_transferred_call_are_one_contact_for_repeats():
    legs = [
        call(at(9 + n), caller="13800000001", call_id=f"c{n // 2}", queue=("宽带", "移动")[n % 2])
        for n in range(6)
    ]  # six legs, three contacts
    settings = KpiSettings(repeat_caller_contacts=3)
    assert one(table_of(*legs), group="skill_group", settings=settings)["repeat_caller_rate"] == 1
    settings = KpiSettings(repeat_caller_contacts=4)
    assert one(table_of(*legs), group="skill_group", settings=settings)["repeat_caller_rate"] == 0


# ------------------------------------------------------------------ agent states


def interval(agent, state, start, end, reason=""):
    return StateInterval(agent, state, start, end, reason)


SHIFT = StateTable.from_intervals(
    [
        interval("小王", AgentState.READY, at(9, 10), at(9, 40)),
        interval("小王", AgentState.ON_CONTACT, at(9, 40), at(9, 50)),
        interval("小王", AgentState.AFTER_CALL_WORK, at(9, 50), at(9, 55)),
        interval("小王", AgentState.NOT_READY, at(9, 55), at(10, 5), "meal"),
        interval("小王", AgentState.NOT_READY, at(10, 5), at(10, 10), "training"),
        interval("小王", AgentState.LOGGED_OUT, at(10, 10), at(11)),
        interval("老赵", AgentState.NOT_READY, at(9), at(9, 30)),
    ],
    ids=[1, 2, 3, 4, 5, 6, 7],
    team_of=TEAMS,
    skill_group_of={"小王": "装维", "老赵": "装维"},
)


def test_a_state_interval_crossing_interval_boundaries_is_cut_by_time():
    # 小王 is logged in from 09:10 to 10:10, then logged out.
    rows = figures(AROUND_T, by="interval15", group="agent", states=SHIFT)
    wang = {
        period[-5:]: values["logged_in_s"]
        for (period, key), values in rows.items()
        if key == "小王"
    }
    assert wang == {"09:00": 300, "09:15": 900, "09:30": 900, "09:45": 900, "10:00": 600}


def test_occupancy_utilization_and_not_ready_time_of_an_agent():
    wang = figures(AROUND_T, group="agent", states=SHIFT)["2026-11-02", "小王"]
    # Ready 1 800 s, on contact 600 s, after-call work 300 s, not ready 900 s.
    assert wang["logged_in_s"] == 3600
    assert wang["occupancy"] == pytest.approx(900 / 2700)
    assert wang["utilization"] == pytest.approx(900 / 3600)
    assert wang["not_ready_s"] == 900
    assert wang["not_ready_ratio"] == pytest.approx(900 / 3600)


def test_not_ready_time_is_reported_per_reason_found():
    by_agent = figures(AROUND_T, group="agent", states=SHIFT)
    wang, zhao = by_agent["2026-11-02", "小王"], by_agent["2026-11-02", "老赵"]
    assert (wang["not_ready_s:meal"], wang["not_ready_s:training"]) == (600, 300)
    assert wang["not_ready_s:(none)"] == 0
    assert (zhao["not_ready_s:(none)"], zhao["not_ready_s:meal"]) == (1800, 0)
    assert zhao["answered"] == 0 and zhao["asa"] is None


def test_state_figures_are_none_by_queue():
    values = one(AROUND_T, states=SHIFT)
    assert values["occupancy"] is None and values["logged_in_s"] is None
    assert values["not_ready_s:meal"] is None


STATE_FIGURES = [
    "logged_in_s",
    "not_ready_s",
    "occupancy",
    "utilization",
    "not_ready_ratio",
    "not_ready_s:meal",
    "not_ready_s:training",
    "not_ready_s:(none)",
    "cost_per_contact",
]


def test_state_figures_are_none_for_a_key_without_state_intervals():
    # 小李 answers a call but has no states; "" holds the calls nobody answered.
    table = table_of(*AROUND_T_CALLS, call(at(9, 7), A, 5, agent="小李"))
    cost = KpiExtras(staff_cost=StaffCost(per_hour=40))
    by_agent = figures(table, group="agent", states=SHIFT, extras=cost)
    for key in ("小李", ""):
        values = by_agent["2026-11-02", key]
        assert {name: values[name] for name in STATE_FIGURES} == dict.fromkeys(STATE_FIGURES)
    assert by_agent["2026-11-02", "小李"]["answered"] == 1
    assert by_agent["2026-11-02", "小王"]["cost_per_contact"] == pytest.approx(40 / 3)


def test_state_seconds_are_zero_for_an_agent_with_states_in_other_periods_only():
    # 小王 is logged out from 10:10, yet answers a call at 10:30.
    table = table_of(*AROUND_T_CALLS, call(at(10, 30), A, 5))
    rows = figures(table, by="interval15", group="agent", states=SHIFT)
    late = rows["2026-11-02 10:30", "小王"]
    assert (late["logged_in_s"], late["not_ready_s"], late["not_ready_s:meal"]) == (0, 0, 0)
    assert late["occupancy"] is None  # no time available for calls: no denominator


def test_state_figures_by_team_add_up_the_team_agents():
    teams = figures(AROUND_T, group="team", states=SHIFT)
    assert teams["2026-11-02", "一班"]["logged_in_s"] == 3600
    assert teams["2026-11-02", "二班"]["not_ready_s"] == 1800


def test_cost_per_contact_is_logged_in_hours_at_the_team_rate_over_answered_calls():
    cost = KpiExtras(staff_cost=StaffCost(per_hour=40, per_team={"一班": 60}))
    teams = figures(AROUND_T, group="team", states=SHIFT, extras=cost)
    assert teams["2026-11-02", "一班"]["cost_per_contact"] == pytest.approx(60 / 3)
    assert teams["2026-11-02", "二班"]["cost_per_contact"] is None  # no answered calls
    assert one(AROUND_T, states=SHIFT, extras=cost)["cost_per_contact"] is None  # by queue


# ------------------------------------------------------------------ orders, surveys, outages

ORDERS = OrderTable.from_columns(
    ids=[7001, 7002, 7003, 7004],
    created_at=[epoch(at(9, 10))] * 4,
    queue=["宽带"] * 4,
    resolved_first=[True, False, True, None],
    complaint=[False, True, False, False],
)
SURVEYS = SurveyTable.from_columns(
    ids=[8001, 8002, 8003], contact_at=[epoch(at(9, 1))] * 3, queue=["宽带"] * 3, score=[5, 4, 2]
)


def test_order_and_survey_figures():
    values = one(AROUND_T, extras=KpiExtras(orders=ORDERS, surveys=SURVEYS))
    assert values["fcr_orders"] == pytest.approx(2 / 3)  # the undecided order is left out
    assert values["complaint_rate"] == pytest.approx(10_000 / 3)
    assert values["satisfaction"] == pytest.approx(11 / 3)
    assert values["satisfaction_rate"] == pytest.approx(2 / 3)


def test_availability_merges_overlapping_outages_and_cuts_them_at_the_period():
    outages = Outages.of(
        [
            (epoch(at(9, 10)), epoch(at(9, 20))),
            (epoch(at(9, 15)), epoch(at(9, 25))),  # overlaps the first: 09:10–09:25 in all
            (epoch(at(9, 55)), epoch(at(10, 5))),  # half in the 09:30 interval
        ]
    )
    rows = figures(AROUND_T, by="interval30", extras=KpiExtras(outages=outages))
    assert rows["2026-11-02 09:00", "宽带"]["availability"] == pytest.approx(1 - 900 / 1800)
    day = one(AROUND_T, extras=KpiExtras(outages=outages))
    assert day["availability"] == pytest.approx(1 - 1500 / 86400)


# ------------------------------------------------------------------ periods


@pytest.mark.parametrize(
    ("by", "label"),
    [
        ("interval15", "2026-11-02 09:15"),
        ("interval30", "2026-11-02 09:00"),
        ("interval60", "2026-11-02 09:00"),
        ("day", "2026-11-02"),
        ("week", "2026-W45"),
        ("month", "2026-11"),
        ("quarter", "2026-Q4"),
        ("year", "2026"),
    ],
)
def test_periods_are_labelled_by_kind(by, label):
    [row] = compute(table_of(call(at(9, 20))), by=by, group="queue", settings=DEFAULTS)
    assert row.period == label


def test_periods_are_on_the_centre_clock():
    # 2026-10-31 16:30 UTC is already 1 November in Beijing.
    moment = datetime(2026, 10, 31, 16, 30, tzinfo=ZoneInfo("UTC"))
    [row] = compute(table_of(call(moment)), by="month", group="queue", settings=DEFAULTS)
    assert row.period == "2026-11"
    utc = KpiSettings(time_zone="UTC")
    [row] = compute(table_of(call(moment)), by="month", group="queue", settings=utc)
    assert row.period == "2026-10"


def test_beijing_summer_time_of_1988_is_respected():
    # On 1 July 1988 Beijing kept summer time (UTC+9): 01:30 UTC was 10:30 there.
    moment = datetime(1988, 7, 1, 1, 30, tzinfo=ZoneInfo("UTC"))
    [row] = compute(table_of(call(moment)), by="interval60", group="queue", settings=DEFAULTS)
    assert row.period == "1988-07-01 10:00"


# ------------------------------------------------------------------ records behind a figure


def behind(column, table=AROUND_T, **options):
    options = {
        "by": "day",
        "group": "queue",
        "period": "2026-11-02",
        "group_key": "宽带",
        "settings": DEFAULTS,
        **options,
    }
    return list(records_behind(table, column, **options))


def test_the_records_behind_a_rate_are_its_numerator():
    assert behind("service_level") == [101, 102]
    assert behind("service_level_15s") == [101]
    assert behind("abandon_rate") == [104, 105]


def test_the_records_behind_an_average_are_the_calls_averaged():
    assert behind("asa") == [101, 102, 103]
    assert behind("longest_wait") == [101, 102, 103, 104, 105, 106]


def test_the_records_behind_a_cell_are_only_those_of_its_period_and_group():
    assert behind("asa", period="2026-11-03") == []
    assert behind("asa", group_key="移动") == []
    assert behind("answered", by="interval15", period="2026-11-02 09:00") == [101, 102, 103]


def test_the_records_behind_state_figures_are_state_intervals():
    options = {"states": SHIFT, "group": "agent", "group_key": "小王"}
    assert behind("not_ready_s:meal", **options) == [4]
    assert behind("occupancy", **options) == [2, 3]
    assert behind("logged_in_s", **options, by="interval15", period="2026-11-02 10:00") == [4, 5]


def test_the_records_behind_order_and_survey_figures_are_their_ids():
    extras = KpiExtras(orders=ORDERS, surveys=SURVEYS)
    assert behind("fcr_orders", extras=extras) == [7001, 7003]
    assert behind("satisfaction_rate", extras=extras) == [8001, 8002]


def test_figures_without_records_behind_them_are_refused():
    with pytest.raises(ValueError, match="no records behind availability"):
        behind("availability")
    with pytest.raises(ValueError, match="no states behind occupancy by queue"):
        behind("occupancy", states=SHIFT)
    with pytest.raises(ValueError, match="no KPI makes a column"):
        behind("speed")


# ------------------------------------------------------------------ registry and settings


def test_every_kpi_is_defined_in_the_docs():
    docs = (Path(__file__).parents[2] / "docs" / "kpis.md").read_text().splitlines()
    defining = [line for line in docs if line.startswith(("#", "|"))]  # headings, table rows
    undefined = [name for name in kpi_names() if not any(f"`{name}`" in line for line in defining)]
    assert undefined == []


def test_every_kpi_has_names_in_both_languages_and_a_known_unit():
    for definition in KPIS.values():
        assert definition.label_zh and definition.label_en, definition.name
        assert definition.unit in {"count", "ratio", "seconds", "score", "per_10k", "currency"}


def test_a_kpi_name_is_registered_once():
    with pytest.raises(ValueError, match="registered already"):
        register(KPIS["asa"])


def test_a_registered_kpi_is_computed_like_the_built_in_ones(monkeypatch):
    monkeypatch.setattr(contact_kpis, "KPIS", dict(KPIS))
    register(
        KpiDefinition(
            name="long_talks",
            label_zh="长通话量",
            label_en="Talks over four minutes",
            unit="count",
            needs=frozenset({"calls"}),
            compute=lambda k: {"long_talks": k.calls(k.facts.calls.talk_s > 240)},
            behind=lambda facts, _column: facts.calls.talk_s > 240,
        )
    )
    assert one(AROUND_T)["long_talks"] == 1
    assert behind("long_talks") == [103]


@pytest.mark.parametrize(
    ("variants", "message"),
    [
        ({"service_level": "fastest"}, "service_level has no variant 'fastest'"),
        ({"speed": "fast"}, "a variant is chosen for 'speed', which is no KPI"),
    ],
)
def test_a_variant_a_kpi_does_not_have_is_refused_when_figures_are_asked_for(variants, message):
    settings = KpiSettings(variants=variants)  # the settings alone cannot see the registry
    with pytest.raises(ValueError, match=message):
        one(AROUND_T, settings=settings)
    with pytest.raises(ValueError, match=message):
        behind("asa", settings=settings)


def test_settings_refuse_an_unknown_time_zone():
    with pytest.raises(ValueError, match="unknown time zone"):
        KpiSettings(time_zone="Asia/Beijing")


def test_outcomes_may_be_given_as_codes_or_values():
    by_value = CallTable.from_columns(
        entered_at=[0, 0], queue=["q", "q"], outcome=["answered", "timeout"], wait_s=[1, 2]
    )
    by_code = CallTable.from_columns(
        entered_at=[0, 0], queue=["q", "q"], outcome=[0, 2], wait_s=[1, 2]
    )
    assert list(by_value.outcome) == list(by_code.outcome) == [0, OUTCOME_CODES[Outcome.TIMEOUT]]
    with pytest.raises(ValueError, match="unknown outcome: lost"):
        CallTable.from_columns(entered_at=[0], queue=["q"], outcome=["lost"], wait_s=[1])


def test_an_empty_table_gives_no_rows():
    assert list(compute(table_of(), by="day", group="agent", settings=DEFAULTS)) == []


# ------------------------------------------------------------------ properties

START = epoch(at(0))
QUEUES, AGENTS, NUMBERS = (
    ["宽带", "移动", "家庭"],
    ["", "小王", "小李", "老赵"],
    ["", "1", "2", "3"],
)
COUNTS = ["offered", "answered", "abandoned", "timeout", "left_with_key", "no_agents", "transfers"]

calls = st.lists(
    st.tuples(
        # Entered over two days, often in the same second as another call.
        st.one_of(st.integers(0, 2 * DAY), st.sampled_from([0, 900, DAY])),
        st.sampled_from(QUEUES),
        st.sampled_from(AGENTS),
        st.sampled_from(list(Outcome)),
        st.sampled_from([0.0, 3.0, 15.0, 20.0, 20.5, 45.0]),  # waits around the thresholds
        st.sampled_from(NUMBERS),
        st.integers(0, 2),  # transfers
    ),
    max_size=40,
)
states_lists = st.lists(
    st.tuples(
        st.integers(0, 2 * DAY),
        st.integers(0, 4 * 3600),
        st.sampled_from(AGENTS[1:]),
        st.sampled_from(list(AgentState)),
        st.sampled_from(["", "meal", "training"]),
    ),
    max_size=15,
)
periods = st.sampled_from(list(Period))
settings_choices = st.builds(
    KpiSettings,
    short_abandon_s=st.sampled_from([0.0, 5.0]),
    variants=st.sampled_from([{}, *({"service_level": v} for v in KPIS["service_level"].variants)]),
    repeat_caller_contacts=st.integers(2, 4),
)


def build(rows) -> CallTable:
    answered = [outcome is A for _, _, _, outcome, *_ in rows]
    return CallTable.from_columns(
        ids=np.arange(1000, 1000 + len(rows)),
        entered_at=[START + offset for offset, *_ in rows],
        queue=[queue for _, queue, *_ in rows],
        agent=[agent if ok else "" for (_, _, agent, *_), ok in zip(rows, answered, strict=True)],
        team=[
            TEAMS.get(agent, "") if ok else ""
            for (_, _, agent, *_), ok in zip(rows, answered, strict=True)
        ],
        outcome=[outcome.value for _, _, _, outcome, *_ in rows],
        wait_s=[wait for *_, wait, _, _ in rows],
        talk_s=[60.0 if ok else 0.0 for ok in answered],
        caller=[number for *_, number, _ in rows],
        transfers=[
            transfers if ok else 0 for (*_, transfers), ok in zip(rows, answered, strict=True)
        ],
    )


def build_states(rows) -> StateTable:
    return StateTable.from_columns(
        ids=np.arange(len(rows)),
        started_at=[START + start for start, *_ in rows],
        ended_at=[START + start + length for start, length, *_ in rows],
        agent=[agent for _, _, agent, _, _ in rows],
        team=[TEAMS[agent] for _, _, agent, _, _ in rows],
        state=[state.value for *_, state, _ in rows],
        reason=[reason if state is AgentState.NOT_READY else "" for *_, state, reason in rows],
    )


def totals(rows, names) -> dict[str, dict[str, float]]:
    """Per period, the sum of each count over the rows' groups."""
    summed: dict[str, dict[str, float]] = {}
    for row in rows:
        period = summed.setdefault(row.period, dict.fromkeys(names, 0))
        for name in names:
            period[name] += row.values[name] or 0
    return summed


@given(calls, periods, st.sampled_from(["queue", "skill_group", "team", "agent"]), settings_choices)
def test_every_offered_call_has_exactly_one_outcome(rows, by, group, settings):
    for row in compute(build(rows), by=by, group=group, settings=settings):
        values = row.values
        outcomes = ("answered", "abandoned", "timeout", "left_with_key", "no_agents")
        assert sum(values[name] for name in outcomes) == values["offered"]
        assert len(row.call_ids) == values["offered"] + values["short_abandoned"]


@given(calls, states_lists, periods, settings_choices)
def test_counts_over_agents_add_up_to_the_counts_over_queues(rows, state_rows, by, settings):
    table, states = build(rows), build_states(state_rows)
    by_queue = compute(table, states, by=by, group="queue", settings=settings)
    by_agent = compute(table, states, by=by, group="agent", settings=settings)
    by_team = compute(table, states, by=by, group="team", settings=settings)
    over_agents, over_queues = totals(by_agent, COUNTS), totals(by_queue, COUNTS)
    # Periods with agent states but no calls have rows by agent only, with no calls.
    assert {p: sums for p, sums in over_agents.items() if p in over_queues} == over_queues
    assert not any(any(sums.values()) for p, sums in over_agents.items() if p not in over_queues)
    seconds = ["logged_in_s", "not_ready_s"]
    assert totals(by_agent, seconds) == totals(by_team, seconds)


@given(calls, states_lists, periods, st.sampled_from(["queue", "agent", "team"]), settings_choices)
def test_every_ratio_is_between_zero_and_one_or_none(rows, state_rows, by, group, settings):
    extras = KpiExtras(
        outages=Outages.of([(START + 3600, START + 7200), (START + 5000, START + 9000)])
    )
    for row in compute(
        build(rows), build_states(state_rows), extras, by=by, group=group, settings=settings
    ):
        for column, value in row.values.items():
            if contact_kpis.definition_of(column).unit == "ratio" and value is not None:
                assert 0 <= value <= 1, (column, value)


def same(first, second) -> bool:
    if first is None or second is None:
        return first is second
    return math.isclose(first, second, rel_tol=1e-9, abs_tol=1e-9)


@given(
    calls,
    states_lists,
    periods,
    st.sampled_from(["queue", "agent"]),
    settings_choices,
    st.randoms(),
)
def test_the_order_of_the_records_does_not_change_the_figures(
    rows, state_rows, by, group, settings, random
):
    table, states = build(rows), build_states(state_rows)
    order = list(range(len(rows)))
    random.shuffle(order)
    shuffled = table.take(np.array(order, dtype=np.int64))
    first = compute(table, states, by=by, group=group, settings=settings)
    again = compute(table, states, by=by, group=group, settings=settings)
    moved = compute(shuffled, states, by=by, group=group, settings=settings)
    for other in (again, moved):
        assert [(row.period, row.group_key) for row in other] == [
            (row.period, row.group_key) for row in first
        ]
        for a, b in zip(first, other, strict=True):
            assert a.values.keys() == b.values.keys()
            assert all(same(a.values[name], b.values[name]) for name in a.values), (a, b)
            assert list(a.call_ids) == list(b.call_ids)
