"""A report's range: the calls after it are not reported, but still decide first-contact
resolution of the calls before it."""

from hotline.core.contact_kpis import compute, records_behind
from hotline.core.contact_tables import epoch
from tests.unit.test_contact_kpis import DEFAULTS, at, call, table_of

EVENING = call(at(23, 0, day=2), caller="13800001111")
NEXT_MORNING = call(at(8, 0, day=3), caller="13800001111")
ELSEWHERE = call(at(10, 0, day=2), caller="13900002222")
MIDNIGHT = epoch(at(0, 0, day=3))


def report(**options):
    table = table_of(EVENING, NEXT_MORNING, ELSEWHERE)
    rows = compute(table, by="day", group="queue", settings=DEFAULTS, **options)
    return {row.period: row.values for row in rows}


def test_a_call_repeated_the_morning_after_the_range_was_not_resolved_at_first_contact():
    rows = report(counted_until=MIDNIGHT)
    assert list(rows) == ["2026-11-02"]
    assert rows["2026-11-02"]["answered"] == 2
    assert rows["2026-11-02"]["fcr_calls"] == 0.5  # the evening call was repeated


def test_without_the_later_calls_the_same_call_would_look_resolved():
    table = table_of(EVENING, ELSEWHERE)
    (row,) = compute(table, by="day", group="queue", settings=DEFAULTS)
    assert row.values["fcr_calls"] == 1.0


def test_the_records_behind_a_cell_are_those_of_the_range():
    table = table_of(EVENING, NEXT_MORNING, ELSEWHERE)
    ids = records_behind(
        table,
        "answered",
        by="day",
        group="queue",
        period="2026-11-02",
        group_key="宽带",
        settings=DEFAULTS,
        counted_until=MIDNIGHT,
    )
    assert ids.tolist() == [101, 103]
