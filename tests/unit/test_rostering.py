"""Rostering a week for a small cast: 张三 (A1007, VIP line), 李四 (A1008, night line),
王五 (A1009) and 赵六 (A1010), all on 40-hour contracts unless a test says otherwise.
Times are minutes from Monday 00:00; shifts pay their whole span unless a test says otherwise."""

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotline.staffing.rostering import (
    Agent,
    Roster,
    RosterRules,
    ShiftToStaff,
    build_roster,
)

DAY = 24 * 60
HOUR = 60
MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = range(7)
WEEK = range(7)

ZHANG = Agent("A1007", "张三", frozenset({"vip"}), 40 * HOUR)
LI = Agent("A1008", "李四", frozenset({"night"}), 40 * HOUR)
WANG = Agent("A1009", "王五", frozenset(), 40 * HOUR)
ZHAO = Agent("A1010", "赵六", frozenset(), 40 * HOUR)

EVERY_SLOT_FILLED = RosterRules(allow_unfilled=False)


def shift(
    id: str,
    day: int,
    hour: float,
    hours: float,
    skill: str | None = None,
    count: int = 1,
    unpaid_hours: float = 0,
) -> ShiftToStaff:
    start = day * DAY + round(hour * HOUR)
    length = round(hours * HOUR)
    return ShiftToStaff(
        id, start, start + length, length - round(unpaid_hours * HOUR), skill, count
    )


def daily(
    prefix: str, hour: float, hours: float, skill: str | None = None, count: int = 1
) -> list[ShiftToStaff]:
    return [shift(f"{prefix}{day}", day, hour, hours, skill, count) for day in WEEK]


def hard_rule_breaches(
    roster: Roster, shifts: list[ShiftToStaff], agents: list[Agent], rules: RosterRules
) -> list[str]:
    """Every hard rule the roster breaks, checked from the assignments alone."""
    breaches = []
    for item in shifts:
        staffed = len(roster.assignments[item.id])
        missing = roster.unfilled.get(item.id, 0)
        if staffed + missing != item.count or (missing and not rules.allow_unfilled):
            breaches.append(f"{item.id} has {staffed} of {item.count} with {missing} unfilled")
    for agent in agents:
        worked = sorted(
            (item for item in shifts if agent.id in roster.assignments[item.id]),
            key=lambda item: item.start_minute,
        )
        breaches += agent_breaches(agent, worked, rules)
        summary = roster.summaries[agent.id]
        days = tuple(item.start_minute // DAY for item in worked)
        if (summary.paid_minutes, summary.days_worked) != (paid_minutes(worked), days):
            breaches.append(f"{agent.id}'s summary disagrees with the assignments")
    return breaches


def agent_breaches(agent: Agent, worked: list[ShiftToStaff], rules: RosterRules) -> list[str]:
    """The hard rules one agent's shifts, in order of start, break."""
    breaches = []
    days = [item.start_minute // DAY for item in worked]
    for item, day in zip(worked, days, strict=True):
        if item.skill is not None and item.skill not in agent.skills:
            breaches.append(f"{agent.id} lacks the skill for {item.id}")
        if day in agent.unavailable_days:
            breaches.append(f"{agent.id} is unavailable for {item.id}")
    if len(set(days)) < len(days):
        breaches.append(f"{agent.id} works twice on a day")
    if 7 - len(days) < rules.days_off_per_week:
        breaches.append(f"{agent.id} has {7 - len(days)} days off")
    last_end = agent.previous_shift_end
    for item in worked:
        if last_end is not None and item.start_minute - last_end < rules.min_rest_minutes:
            breaches.append(f"{agent.id} rests {item.start_minute - last_end} min before {item.id}")
        last_end = item.end_minute
    tolerance = rules.hours_tolerance_minutes
    if abs(paid_minutes(worked) - agent.contracted_minutes) > tolerance:
        breaches.append(f"{agent.id} is paid {paid_minutes(worked)} minutes")
    return breaches


def paid_minutes(worked: list[ShiftToStaff]) -> int:
    return sum(item.paid_minutes for item in worked)


def conflicts_of(roster: Roster) -> set[tuple[str, str | None, str | None]]:
    return {(c.rule, c.agent_id, c.shift_id) for c in roster.conflicts}


def test_a_week_with_a_night_line_keeps_every_hard_rule_including_rest_across_midnight():
    shifts = daily("E", 8, 8, count=2) + daily("L", 14, 8) + daily("N", 22, 8, "night")
    agents = [ZHANG, LI, WANG, ZHAO]
    roster = build_roster(shifts, agents, time_limit_seconds=10)
    assert roster.status in ("optimal", "feasible")
    assert hard_rule_breaches(roster, shifts, agents, RosterRules()) == []
    assert sum(roster.unfilled.values()) == 28 - 4 * 5


def test_only_the_night_line_agent_takes_night_shifts():
    shifts = daily("E", 8, 8) + daily("N", 22, 8, "night")
    roster = build_roster(shifts, [LI, WANG], time_limit_seconds=10)
    assert {agent for day in WEEK for agent in roster.assignments[f"N{day}"]} == {LI.id}


def test_a_night_shift_ending_at_six_is_not_followed_by_an_afternoon_shift_at_two():
    """Monday 22:00 to Tuesday 06:00, then Tuesday 14:00, would leave 8 hours of rest: 王五
    works Thursday instead, though he asked for it off."""
    shifts = [shift("N0", MONDAY, 22, 8), shift("L1", TUESDAY, 14, 8), shift("D3", THURSDAY, 9, 8)]
    two_shifts = replace(
        WANG, contracted_minutes=16 * HOUR, preferred_days_off=frozenset({THURSDAY})
    )
    roster = build_roster(shifts, [two_shifts], RosterRules(hours_tolerance_minutes=0))
    assert roster.assignments["D3"] == (WANG.id,)


@pytest.mark.parametrize(("tuesday_start", "rested"), [(8, True), (7.5, False)])
def test_eleven_hours_of_rest_are_enough_and_ten_and_a_half_are_not(tuesday_start, rested):
    shifts = [shift("L0", MONDAY, 13, 8), shift("E1", TUESDAY, tuesday_start, 8)]
    both = replace(ZHAO, contracted_minutes=16 * HOUR)
    roster = build_roster(shifts, [both], RosterRules(hours_tolerance_minutes=0))
    assert (roster.status == "optimal") is rested
    clash = {("min_rest", ZHAO.id, None), ("contracted_hours", ZHAO.id, None)}
    assert conflicts_of(roster) == (set() if rested else clash)


def test_rest_counts_from_the_last_shift_of_the_week_before():
    """赵六 left at 21:00 on Sunday, so Monday's 07:00 shift is too soon for him, though he
    asked for Tuesday off."""
    back_late = replace(
        ZHAO,
        contracted_minutes=8 * HOUR,
        previous_shift_end=-3 * HOUR,
        preferred_days_off=frozenset({TUESDAY}),
    )
    shifts = [shift("E0", MONDAY, 7, 8), shift("E1", TUESDAY, 7, 8)]
    roster = build_roster(shifts, [back_late], RosterRules(hours_tolerance_minutes=0))
    assert roster.assignments == {"E0": (), "E1": (ZHAO.id,)}


def test_contracted_hours_count_paid_time_not_the_span_with_its_unpaid_break():
    shifts = [shift(f"D{day}", day, 9, 9, unpaid_hours=1) for day in WEEK]
    roster = build_roster(shifts, [WANG], RosterRules(hours_tolerance_minutes=0))
    assert roster.summaries[WANG.id].paid_minutes == 40 * HOUR
    assert len(roster.summaries[WANG.id].days_worked) == 5


def test_two_days_off_fall_together_when_the_week_allows():
    roster = build_roster(daily("D", 9, 8), [WANG])
    off = roster.summaries[WANG.id].days_off
    assert len(off) == 2 and off[1] - off[0] == 1
    assert roster.summaries[WANG.id].consecutive_days_off


def test_two_days_off_in_a_row_come_before_a_second_preferred_day_off():
    tuesday_and_thursday = replace(WANG, preferred_days_off=frozenset({TUESDAY, THURSDAY}))
    roster = build_roster(daily("D", 9, 8), [tuesday_and_thursday])
    summary = roster.summaries[WANG.id]
    assert summary.consecutive_days_off
    assert (summary.preference_hits, summary.preference_misses) == (1, 1)


def test_a_week_without_two_days_off_in_a_row_is_still_rostered():
    away = replace(WANG, unavailable_days=frozenset({MONDAY, WEDNESDAY}))
    roster = build_roster(daily("D", 9, 8), [away])
    summary = roster.summaries[WANG.id]
    assert summary.days_off == (MONDAY, WEDNESDAY)
    assert not summary.consecutive_days_off


def test_preferred_days_off_are_kept_when_nothing_stands_in_the_way():
    weekend_off = replace(WANG, preferred_days_off=frozenset({SATURDAY, SUNDAY}))
    roster = build_roster(daily("D", 9, 8), [weekend_off])
    summary = roster.summaries[WANG.id]
    assert summary.days_off == (SATURDAY, SUNDAY)
    assert (summary.preference_hits, summary.preference_misses) == (2, 0)


def test_early_and_late_preferences_are_each_honoured():
    early = replace(WANG, preferred_start="early")
    late = replace(ZHAO, preferred_start="late")
    shifts = daily("E", 7, 8) + daily("L", 15, 8)
    roster = build_roster(shifts, [early, late], RosterRules(min_rest_minutes=0))
    early_days = {day for day in WEEK if roster.assignments[f"E{day}"] == (WANG.id,)}
    late_days = {day for day in WEEK if roster.assignments[f"L{day}"] == (ZHAO.id,)}
    assert len(early_days) == len(late_days) == 5
    assert roster.summaries[WANG.id].preference_misses == 0


def test_a_preferred_shift_is_given_to_the_agent_who_asked():
    wants_it = replace(ZHAO, contracted_minutes=8 * HOUR, preferred_shift_ids=frozenset({"D3"}))
    rules = RosterRules(hours_tolerance_minutes=0)
    roster = build_roster(daily("D", 9, 8), [wants_it], rules)
    assert roster.summaries[ZHAO.id].days_worked == (THURSDAY,)


def test_weekend_shifts_are_shared_between_agents():
    weekdays_and_weekend = (MONDAY, TUESDAY, WEDNESDAY, THURSDAY, SATURDAY, SUNDAY)
    shifts = [shift(f"D{day}", day, 9, 8) for day in weekdays_and_weekend]
    pair = [
        replace(WANG, contracted_minutes=24 * HOUR),
        replace(ZHAO, contracted_minutes=24 * HOUR),
    ]
    rules = RosterRules(allow_unfilled=False, hours_tolerance_minutes=0)
    roster = build_roster(shifts, pair, rules)
    assert roster.assignments["D5"] != roster.assignments["D6"]


def test_night_shifts_are_shared_out_ahead_of_one_agents_wish_for_late_starts():
    shifts = [shift("N0", MONDAY, 22, 8), shift("N1", TUESDAY, 22, 8)]
    shifts += [shift("D3", THURSDAY, 9, 8), shift("D4", FRIDAY, 9, 8)]
    night_owl = replace(WANG, contracted_minutes=16 * HOUR, preferred_start="late")
    pair = [night_owl, replace(ZHAO, contracted_minutes=16 * HOUR)]
    rules = RosterRules(allow_unfilled=False, hours_tolerance_minutes=0)
    roster = build_roster(shifts, pair, rules)
    assert {roster.assignments["N0"], roster.assignments["N1"]} == {(WANG.id,), (ZHAO.id,)}


def test_a_late_then_early_pair_for_the_only_vip_agent_names_the_rest_rule_and_the_agent():
    shifts = [shift("LATE", MONDAY, 15, 8, "vip"), shift("EARLY", TUESDAY, 7, 8, "vip")]
    either_or_both = RosterRules(allow_unfilled=False, hours_tolerance_minutes=8 * HOUR)
    part_time = replace(ZHANG, contracted_minutes=16 * HOUR)
    roster = build_roster(shifts, [part_time, replace(WANG, contracted_minutes=0)], either_or_both)
    assert roster.status == "infeasible"
    assert conflicts_of(roster) == {
        ("min_rest", ZHANG.id, None),
        ("coverage", None, "LATE"),
        ("coverage", None, "EARLY"),
    }
    rest = next(c for c in roster.conflicts if c.rule == "min_rest")
    assert rest.days == (MONDAY, TUESDAY)
    assert rest.message == "张三: 周一下班到周二上班须休息 11 小时"


def test_forty_hours_with_four_days_away_is_named_before_solving():
    away = replace(ZHANG, unavailable_days=frozenset({MONDAY, TUESDAY, WEDNESDAY, THURSDAY}))
    rules = RosterRules(hours_tolerance_minutes=0)
    roster = build_roster(daily("V", 9, 8, "vip"), [away], rules)
    assert roster.status == "infeasible"
    [conflict] = roster.conflicts
    assert (conflict.rule, conflict.agent_id) == ("contracted_hours", ZHANG.id)
    assert conflict.days == (FRIDAY, SATURDAY, SUNDAY)
    assert conflict.message.startswith("张三: 合同工时 40 小时（允许 ±0 小时）无法满足")
    assert "只有 3 天" in conflict.message and "最多 24 小时" in conflict.message


def test_two_contracts_wanting_more_of_one_skill_than_the_week_has_name_both_agents():
    """Five VIP shifts, 40 hours for 张三 and 16 for his VIP colleague: seven shifts wanted."""
    colleague = Agent("A1011", "钱七", frozenset({"vip"}), 16 * HOUR)
    night_only = replace(LI, contracted_minutes=16 * HOUR)
    shifts = [shift(f"V{day}", day, 9, 8, "vip") for day in range(5)]
    shifts += [shift(f"N{day}", day, 22, 8, "night") for day in range(4)]
    rules = RosterRules(hours_tolerance_minutes=0)
    roster = build_roster(shifts, [ZHANG, colleague, night_only], rules)
    assert conflicts_of(roster) == {
        ("contracted_hours", ZHANG.id, None),
        ("contracted_hours", colleague.id, None),
    }


def test_more_contracted_hours_than_the_week_has_shifts_is_named_before_solving():
    roster = build_roster(daily("D", 9, 8), [WANG, ZHAO])
    assert [(c.rule, c.agent_id) for c in roster.conflicts] == [("contracted_hours", None)]
    assert roster.conflicts[0].message == "全员合同工时合计至少需要 10 个班次，本周只有 7 个"


def test_without_guaranteed_hours_a_thin_week_rosters_everyone_short_within_the_rules():
    rules = RosterRules(guaranteed_hours=False)
    roster = build_roster(daily("D", 9, 8), [WANG, ZHAO], rules)
    assert roster.status in ("optimal", "feasible")
    assert not roster.unfilled
    worked = {agent: summary.paid_minutes for agent, summary in roster.summaries.items()}
    assert sum(worked.values()) == 7 * 8 * HOUR
    # The spread from the contract is evened out: four days and three.
    assert sorted(worked.values()) == [3 * 8 * HOUR, 4 * 8 * HOUR]
    assert rules.hours_bounds(WANG) == (0, 44 * HOUR)


def test_filling_every_slot_six_days_with_the_only_vip_agent_names_the_days_off_rule():
    shifts = [shift(f"V{day}", day, 9, 8, "vip") for day in range(6)]
    rules = RosterRules(allow_unfilled=False, hours_tolerance_minutes=8 * HOUR)
    roster = build_roster(shifts, [ZHANG], rules)
    assert conflicts_of(roster) == {("days_off", ZHANG.id, None)} | {
        ("coverage", None, f"V{day}") for day in range(6)
    }


PART_TIME_ZHANG = replace(ZHANG, contracted_minutes=8 * HOUR)


def test_a_shift_too_few_agents_can_take_is_named_before_solving_when_every_slot_counts():
    vip_pair = [shift("V0", MONDAY, 9, 8, "vip", count=2)]
    roster = build_roster(vip_pair, [PART_TIME_ZHANG], EVERY_SLOT_FILLED)
    [conflict] = roster.conflicts
    assert (conflict.rule, conflict.shift_id) == ("coverage", "V0")
    assert (
        conflict.message == "班次 V0（周一 09:00–17:00）需要 2 人：具备技能且当天可排班的只有 1 人"
    )


def test_a_slot_nobody_can_take_is_reported_unfilled_when_that_is_allowed():
    roster = build_roster([shift("V0", MONDAY, 9, 8, "vip", count=2)], [PART_TIME_ZHANG])
    assert roster.status == "optimal"
    assert roster.unfilled == {"V0": 1}


def test_a_shift_gets_no_more_agents_than_it_needs_though_both_are_short_of_hours():
    eight_hours_each = [
        replace(WANG, contracted_minutes=8 * HOUR),
        replace(ZHAO, contracted_minutes=8 * HOUR),
    ]
    rules = RosterRules(allow_unfilled=False, hours_tolerance_minutes=8 * HOUR)
    roster = build_roster([shift("D0", MONDAY, 9, 8)], eight_hours_each, rules)
    assert len(roster.assignments["D0"]) == 1


def test_a_shift_ending_before_it_starts_is_refused():
    with pytest.raises(ValueError):
        ShiftToStaff("X", 9 * HOUR, 8 * HOUR, HOUR)


def test_two_agents_with_one_id_are_refused():
    with pytest.raises(ValueError):
        build_roster(daily("D", 9, 8), [WANG, replace(ZHAO, id=WANG.id)])


@st.composite
def small_weeks(draw: st.DrawFn) -> tuple[list[ShiftToStaff], list[Agent], RosterRules]:
    shifts = [
        shift(
            f"S{index}",
            draw(st.integers(0, 6)),
            draw(st.sampled_from([0, 6, 7.5, 8, 13, 16.5, 22])),
            draw(st.sampled_from([4, 8, 10])),
            draw(st.sampled_from([None, None, None, "vip", "night"])),
            draw(st.integers(1, 2)),
        )
        for index in range(draw(st.integers(1, 12)))
    ]
    agents = [
        Agent(
            f"A{index}",
            f"员工{index}",
            draw(st.frozensets(st.sampled_from(["vip", "night"]))),
            draw(st.sampled_from([0, 8, 16, 24])) * HOUR,
            unavailable_days=draw(st.frozensets(st.integers(0, 6), max_size=3)),
            preferred_days_off=draw(st.frozensets(st.integers(0, 6), max_size=2)),
            preferred_start=draw(st.sampled_from([None, "early", "late"])),
            previous_shift_end=draw(st.sampled_from([None, -2 * HOUR, 6 * HOUR])),
        )
        for index in range(draw(st.integers(1, 4)))
    ]
    rules = RosterRules(
        min_rest_minutes=draw(st.sampled_from([8, 11, 12])) * HOUR,
        days_off_per_week=draw(st.integers(1, 3)),
        hours_tolerance_minutes=draw(st.sampled_from([0, 8, 16])) * HOUR,
        allow_unfilled=draw(st.booleans()),
    )
    return shifts, agents, rules


@settings(max_examples=40, deadline=None)
@given(small_weeks())
def test_any_roster_returned_keeps_every_hard_rule(week):
    shifts, agents, rules = week
    roster = build_roster(shifts, agents, rules, time_limit_seconds=5)
    if roster.status == "infeasible":
        assert roster.conflicts
        named_agents = {c.agent_id for c in roster.conflicts} - {None}
        assert named_agents <= {agent.id for agent in agents}
    else:
        assert roster.status in ("optimal", "feasible")
        assert hard_rule_breaches(roster, shifts, agents, rules) == []
