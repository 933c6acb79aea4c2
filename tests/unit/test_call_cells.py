"""The 15-minute call summaries: the figures they give are the calls' figures."""

import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotline.core import call_cells, contact_kpis
from hotline.core.contact_kpis import (
    computable_from_cells,
    compute,
    compute_from_cells,
    kpi_names,
)
from hotline.core.contact_tables import KpiExtras, Outages
from hotline.core.kpi_facts import Facts, KpiDefinition, KpiSettings, MissingMeasure
from hotline.core.kpi_periods import Column
from tests.unit.test_contact_kpis import (
    AROUND_T,
    DEFAULTS,
    SKILLS,
    START,
    build,
    build_states,
    calls,
    periods,
    settings_choices,
    states_lists,
)

FROM_CELLS = [name for name in kpi_names() if name != "repeat_caller_rate"]


def with_skill_groups(table):
    names = [SKILLS.get(queue, "") for queue in table.queue.names]
    per_queue = Column.of(names)
    return replace(table, skill_group=Column(per_queue.codes[table.queue.codes], per_queue.names))


def stored(table, kpi_settings) -> call_cells.CallCells:
    """The table's cells as the reports read them: summarised, cut into days, each day
    stored and read back, and the days put together again."""
    cells = call_cells.summarise(Facts(table, None, KpiExtras(), kpi_settings))
    days = [call_cells.to_bytes(day_cells) for _day, day_cells in cells.days()]
    return call_cells.from_bytes(days, kpi_settings).with_skill_groups(SKILLS)


def same(first, second) -> bool:
    if first is None or second is None:
        return first is second
    return math.isclose(first, second, rel_tol=1e-9, abs_tol=1e-9)


@settings(max_examples=150)
@given(calls, states_lists, periods, st.sampled_from(["queue", "skill_group"]), settings_choices)
def test_summaries_give_every_figure_the_calls_give(rows, state_rows, by, group, kpi_settings):
    table, states = with_skill_groups(build(rows)), build_states(state_rows)
    extras = KpiExtras(outages=Outages.of([(START + 3600, START + 7200)]))
    options = dict(by=by, group=group, kpis=FROM_CELLS, settings=kpi_settings)
    from_calls = compute(table, states, extras, **options)
    from_cells = compute_from_cells(stored(table, kpi_settings), states, extras, **options)
    assert [(row.period, row.group_key) for row in from_cells] == [
        (row.period, row.group_key) for row in from_calls
    ]
    for cells_row, calls_row in zip(from_cells, from_calls, strict=True):
        assert cells_row.values.keys() == calls_row.values.keys()
        for name, value in calls_row.values.items():
            assert same(cells_row.values[name], value), (name, cells_row, calls_row)


def test_a_stored_day_reads_back_unchanged():
    cells = call_cells.summarise(Facts(AROUND_T, None, KpiExtras(), DEFAULTS))
    again = call_cells.from_bytes([call_cells.to_bytes(cells)], DEFAULTS)
    assert again.queue.names == cells.queue.names == ("宽带",)
    assert np.array_equal(again.slot, cells.slot)
    assert np.array_equal(again.counts, cells.counts)
    assert np.array_equal(again.totals, cells.totals)
    assert np.array_equal(again.longest_of, cells.longest_of, equal_nan=True)


def test_six_calls_in_six_minutes_are_one_cell_with_their_counts_and_totals():
    cells = call_cells.summarise(Facts(AROUND_T, None, KpiExtras(), DEFAULTS))
    assert len(cells) == 1
    assert cells.count("counted")[0] == 6
    assert cells.count("answered")[0] == 3
    assert cells.count("within:20")[0] == 2  # 10 s and exactly 20 s
    assert cells.count("after:20")[0] == 1  # the 40-second abandon, not the one at 20 s
    assert cells.total("wait_s", "answered")[0] == 60
    assert cells.total("handle_s", "answered")[0] == 150 + 260 + 310
    assert cells.longest("wait_s", "counted")[0] == 60


def test_figures_of_the_calls_themselves_are_not_computed_from_summaries():
    assert computable_from_cells(FROM_CELLS, DEFAULTS)
    assert not computable_from_cells(["repeat_caller_rate"], DEFAULTS)
    assert not computable_from_cells(None, DEFAULTS)
    cells = call_cells.summarise(Facts(AROUND_T, None, KpiExtras(), DEFAULTS))
    with pytest.raises(MissingMeasure):
        compute_from_cells(cells, by="day", group="agent", kpis=["offered"], settings=DEFAULTS)
    with pytest.raises(MissingMeasure):  # its runs reach days outside a summary's calls
        cells.count("repeat_contact")


def test_a_registered_kpi_made_of_calls_and_states_is_not_taken_for_a_summary_one(monkeypatch):
    monkeypatch.setattr(contact_kpis, "KPIS", dict(contact_kpis.KPIS))
    contact_kpis.register(
        KpiDefinition(
            name="long_talks_per_hour",
            label_zh="每签入小时长通话量",
            label_en="Long talks per logged-in hour",
            unit="ratio",
            needs=frozenset({"calls", "states"}),
            compute=lambda k: {
                "long_talks_per_hour": k.calls(k.facts.calls.talk_s > 240)
                / k.state_seconds(k.facts.logged_in)
            },
            behind=None,
        )
    )
    assert not computable_from_cells(["long_talks_per_hour"], DEFAULTS)
    assert computable_from_cells(["occupancy", "cost_per_contact"], DEFAULTS)


def test_a_report_from_summaries_holds_no_call_ids():
    cells = call_cells.summarise(Facts(AROUND_T, None, KpiExtras(), DEFAULTS))
    [row] = compute_from_cells(cells, by="day", group="queue", kpis=["offered"], settings=DEFAULTS)
    assert row.values == {"offered": 6}
    with pytest.raises(ValueError, match="no call ids"):
        row.call_ids  # noqa: B018


def test_summaries_made_under_other_thresholds_are_not_merged():
    cells = call_cells.summarise(Facts(AROUND_T, None, KpiExtras(), DEFAULTS))
    other = KpiSettings(reported_thresholds_s=(10.0, 20.0))
    with pytest.raises(ValueError, match="other settings"):
        call_cells.concat([cells], other)
    with pytest.raises(ValueError, match="other settings"):
        call_cells.from_bytes([call_cells.to_bytes(cells)], other)
    assert call_cells.settings_key(other) != call_cells.settings_key(DEFAULTS)


def test_a_day_without_calls_is_stored_and_read_back_empty():
    nothing = call_cells.from_bytes([call_cells.to_bytes(call_cells.empty(DEFAULTS))], DEFAULTS)
    assert len(nothing) == 0
    assert nothing.counts.shape == (len(call_cells.counted_sets(DEFAULTS)), 0)
