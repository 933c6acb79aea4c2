"""The staffing table a planner reads for one interval."""

import math

import pytest

from hotline.staffing.erlang import StaffingTarget, erlang_c
from hotline.staffing.erlang_a import erlang_a
from hotline.staffing.staffing_table import staffing_table

EIGHTY_TWENTY = StaffingTarget(service_level=0.8, threshold_s=20)


def test_two_hundred_calls_a_quarter_hour_need_forty_five_agents_and_sixty_five_scheduled():
    table = staffing_table(200, 900, 180, EIGHTY_TWENTY, shrinkage=0.3)
    assert table.load == pytest.approx(40)
    assert (table.required, table.scheduled) == (45, math.ceil(45 / 0.7))
    assert 44 < table.fractional <= 45


def test_rows_run_three_agents_either_side_and_meet_the_target_from_the_requirement_up():
    table = staffing_table(200, 900, 180, EIGHTY_TWENTY)
    assert [row.agents for row in table.rows] == list(range(42, 49))
    assert [row.meets_target for row in table.rows] == [False] * 3 + [True] * 4


def test_erlang_c_rows_carry_its_figures_and_no_abandonment():
    row = staffing_table(200, 900, 180, EIGHTY_TWENTY).rows[3]
    figures = erlang_c(45, 40, 180, 20)
    assert (row.p_wait, row.service_level) == (figures.p_wait, figures.service_level)
    assert (row.asa_s, row.occupancy) == (figures.asa_s, figures.occupancy)
    assert row.p_abandon is None


def test_a_patience_switches_to_erlang_a_and_its_abandonment():
    table = staffing_table(200, 900, 180, EIGHTY_TWENTY, patience_s=120)
    row = next(row for row in table.rows if row.agents == table.required)
    figures = erlang_a(table.required, 40, 180, 120, 20)
    assert row.p_abandon == figures.p_abandon and row.service_level == figures.service_level
    assert table.required < 45  # impatient callers shorten the queue


def test_a_light_interval_starts_its_rows_at_no_agents():
    table = staffing_table(1, 900, 180, EIGHTY_TWENTY, either_side=2)
    assert [row.agents for row in table.rows] == [0, 1, 2, 3]
    assert math.isnan(table.rows[0].occupancy)


def test_each_row_schedules_its_agents_after_shrinkage():
    table = staffing_table(200, 900, 180, EIGHTY_TWENTY, shrinkage=0.25)
    assert [row.scheduled for row in table.rows] == [math.ceil(n / 0.75) for n in range(42, 49)]
