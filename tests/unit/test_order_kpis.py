"""Work-order KPI arithmetic: rates, targets and report periods."""

from dataclasses import fields
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotline.core.order_kpis import (
    OnTime,
    OrderCounts,
    OrderFigures,
    Period,
    next_period,
    order_figures,
    per_ten_thousand,
    period_count,
    period_label,
    period_start,
    period_starts,
    rate,
    target_met,
    total,
)

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


def test_a_rate_is_the_part_over_the_whole():
    assert rate(49, 50) == 0.98


def test_a_rate_over_nothing_is_none_not_zero():
    assert rate(0, 0) is None


def test_a_part_larger_than_its_whole_is_refused():
    with pytest.raises(ValueError, match="part ≤ whole"):
        rate(3, 2)


def test_complaints_are_counted_per_ten_thousand_customers():
    assert per_ten_thousand(3, 20_000) == 1.5


def test_without_customers_there_is_no_complaint_rate():
    assert per_ten_thousand(3, 0) is None


def test_the_target_is_a_floor_reached_exactly():
    assert target_met(0.98, 0.98) is True
    assert target_met(0.979, 0.98) is False


def test_without_a_rate_the_target_is_neither_met_nor_missed():
    assert target_met(None, 0.98) is None


def test_a_week_starts_on_monday():
    assert period_start(date(2026, 11, 1), Period.WEEK) == date(2026, 10, 26)  # a Sunday
    assert period_start(date(2026, 10, 26), Period.WEEK) == date(2026, 10, 26)


def test_a_month_starts_on_its_first_day():
    assert period_start(date(2026, 10, 31), Period.MONTH) == date(2026, 10, 1)


def test_the_month_after_december_is_january_of_the_next_year():
    assert next_period(date(2026, 12, 1), Period.MONTH) == date(2027, 1, 1)


def test_periods_cover_partial_periods_at_both_ends():
    assert period_starts(date(2026, 10, 28), date(2026, 11, 3), Period.WEEK) == [
        date(2026, 10, 26),
        date(2026, 11, 2),
    ]
    assert period_starts(date(2026, 10, 31), date(2026, 11, 1), Period.MONTH) == [
        date(2026, 10, 1),
        date(2026, 11, 1),
    ]


def test_a_range_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="ends"):
        period_starts(date(2026, 11, 1), date(2026, 10, 31), Period.DAY)


def test_labels_name_the_day_the_iso_week_and_the_month():
    assert period_label(date(2026, 10, 31), Period.DAY) == "2026-10-31"
    assert period_label(date(2026, 10, 26), Period.WEEK) == "2026-W44"
    assert period_label(date(2026, 10, 1), Period.MONTH) == "2026-10"


def test_the_iso_week_of_a_late_december_monday_can_belong_to_the_next_year():
    assert period_label(date(2024, 12, 30), Period.WEEK) == "2025-W01"


@given(days, days, st.sampled_from(Period))
def test_periods_are_contiguous_and_cover_the_range(one, other, by):
    first, last = min(one, other), max(one, other)
    starts = period_starts(first, last, by)
    assert starts[0] <= first < next_period(starts[0], by)
    assert starts[-1] <= last < next_period(starts[-1], by)
    assert all(next_period(a, by) == b for a, b in zip(starts, starts[1:], strict=False))
    assert period_count(first, last, by) == len(starts)


@given(days, st.sampled_from(Period))
def test_every_day_falls_in_the_period_that_starts_on_or_before_it(day, by):
    start = period_start(day, by)
    assert start <= day < next_period(start, by)
    assert period_start(start, by) == start


def test_a_total_adds_every_count():
    one = OrderCounts(orders=2, first_line_resolved=1, first_line_decided=2, urges=3)
    other = OrderCounts(orders=1, first_line_resolved=1, first_line_decided=1, clocks_late=1)
    assert total([one, other]) == OrderCounts(
        orders=3, first_line_resolved=2, first_line_decided=3, urges=3, clocks_late=1
    )


def test_the_figures_of_a_period():
    counts = OrderCounts(
        orders=10,
        first_line_resolved=49,
        first_line_decided=50,
        called_back=4,
        reopened=1,
        faults=5,
        repeat_faults=2,
        complaints=2,
        clocks_on_time=3,
        clocks_late=1,
    )
    figures = order_figures(counts, customers=40_000, first_line_target=0.98)
    assert figures.first_line_rate == 0.98
    assert figures.first_line_target_met is True
    assert figures.reopen_rate == 0.25
    assert figures.repeat_fault_rate == 0.4
    assert figures.complaints_per_10k == 0.5
    assert figures.on_time_rate == 0.75


def test_a_period_without_orders_has_no_rates():
    figures = order_figures(OrderCounts(), customers=40_000, first_line_target=0.98)
    assert figures.first_line_rate is None and figures.first_line_target_met is None
    assert figures.reopen_rate is None and figures.repeat_fault_rate is None
    assert figures.on_time_rate is None
    assert figures.complaints_per_10k == 0


def test_clocks_on_time_and_late_add_up():
    assert OnTime(3, 1) + OnTime(1, 1) == OnTime(4, 2)
    assert OnTime(4, 2).judged == 6
    assert OnTime(0, 0).rate is None


def test_every_count_and_figure_is_defined_in_the_docs():
    docs = (Path(__file__).parents[2] / "docs" / "work-order-reports.md").read_text()
    names = [field.name for model in (OrderCounts, OrderFigures) for field in fields(model)]
    assert [name for name in names if f"`{name}`" not in docs] == []
