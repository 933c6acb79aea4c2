"""Fault grades, priorities and the complaint reporting chain."""

from hotline.core.grading import (
    Fault,
    GradingRule,
    chain_level,
    fault_grade,
    initial_priority,
    next_chain_level,
    raised_priority,
)

RULES = [
    GradingRule(1, scope="area"),
    GradingRule(2, scope="building"),
    GradingRule(2, scope="single_user", tier="vip", repeat="repeat"),
    GradingRule(3, scope="single_user", tier="vip"),
    GradingRule(3, scope="single_user", repeat="repeat"),
]


def fault(scope="single_user", service="broadband", vip=False, repeat=False):
    return Fault(scope, service, vip, repeat)


def test_an_area_outage_is_grade_one_whoever_reports_it():
    assert fault_grade(RULES, fault(scope="area")) == 1


def test_the_first_matching_rule_wins():
    assert fault_grade(RULES, fault(vip=True, repeat=True)) == 2
    assert fault_grade(RULES, fault(vip=True)) == 3


def test_a_repeat_fault_of_a_regular_customer_moves_up_a_grade():
    assert fault_grade(RULES, fault(repeat=True)) == 3


def test_a_fault_no_rule_matches_is_grade_four():
    assert fault_grade(RULES, fault()) == 4


def test_a_rule_can_be_for_one_service_only():
    rules = [GradingRule(2, service_type="iptv")]
    assert fault_grade(rules, fault(service="iptv")) == 2
    assert fault_grade(rules, fault(service="broadband")) == 4


def test_the_green_channel_raises_priority_by_one_but_never_past_the_top():
    assert initial_priority(grade=3, complaint_level="", green_channel=False) == 3
    assert initial_priority(grade=3, complaint_level="", green_channel=True) == 2
    assert initial_priority(grade=1, complaint_level="", green_channel=True) == 1


def test_complaint_levels_set_the_priority():
    assert initial_priority(grade=None, complaint_level="urgent", green_channel=False) == 1
    assert initial_priority(grade=None, complaint_level="general", green_channel=False) == 4


def test_a_breach_raises_priority_until_the_top():
    assert raised_priority(3) == 2
    assert raised_priority(1) == 1


def test_complaints_are_reported_higher_as_the_level_rises_and_time_runs_out():
    assert [chain_level(level) for level in ("general", "important", "major", "urgent")] == [
        0,
        1,
        2,
        3,
    ]
    assert next_chain_level(1) == 2
    assert next_chain_level(3) == 3
