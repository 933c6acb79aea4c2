"""Targets for KPIs, and whether a figure met one."""

import pytest

from hotline.core.kpi_targets import Direction, Target, parse_target, parse_targets


def test_a_floor_is_missed_below_it_and_met_at_it():
    target = parse_target("service_level>=0.8")
    assert target == Target("service_level", Direction.AT_LEAST, 0.8)
    assert target.missed(0.79) is True
    assert target.missed(0.8) is False


def test_a_ceiling_is_missed_above_it_and_met_at_it():
    target = parse_target("asa <= 20")
    assert (target.missed(20.5), target.missed(20.0)) == (True, False)


def test_no_figure_neither_meets_nor_misses():
    assert parse_target("asa<=20").missed(None) is None


@pytest.mark.parametrize("text", ["asa=20", "asa<=twenty", "", "asa>>3"])
def test_a_target_written_otherwise_is_refused(text):
    with pytest.raises(ValueError, match="KPI>=value"):
        parse_target(text)


def test_the_last_target_for_a_kpi_wins():
    targets = parse_targets(["asa<=20", "asa<=15"])
    assert str(targets["asa"]) == "asa<=15"
