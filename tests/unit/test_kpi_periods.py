"""Report periods and group keys as arrays: local clocks, labels, cuts and rows."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotline.core.kpi_periods import (
    Clock,
    Column,
    Period,
    assign_rows,
    clock_for,
    codes,
    covered_before,
    distinct_pairs_per_row,
    ids_by_row,
    label,
    labels,
    local_start,
    order_by,
    parse_label,
    shared_keys,
)

# Zones that change their offset: Beijing kept summer time in 1986-1991, Lord Howe
# Island moves by half an hour.
ZONES = ["Asia/Shanghai", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe"]
FIRST, LAST = 504_921_600, 1_830_000_000  # 1986 to 2027
instants = st.integers(FIRST, LAST)


def seconds(*moments: int) -> np.ndarray:
    return np.array(moments, dtype=np.int64)


def beijing(*parts: int) -> int:
    return int(datetime(*parts, tzinfo=ZoneInfo("Asia/Shanghai")).timestamp())


@given(st.sampled_from(ZONES), instants)
def test_the_local_clock_agrees_with_zoneinfo(zone, instant):
    local = clock_for(zone, [seconds(instant)]).to_local(seconds(instant))[0]
    wall = datetime.fromtimestamp(instant, ZoneInfo(zone)).replace(tzinfo=UTC)
    assert local == int(wall.timestamp())


@given(st.sampled_from(list(Period)), st.integers(-2_000_000_000, 4_000_000_000))
def test_a_local_time_lies_in_the_period_its_code_names(by, local):
    code = codes(seconds(local), by)
    assert local_start(code, by)[0] <= local < local_start(code + 1, by)[0]


@given(st.sampled_from(list(Period)), instants)
def test_a_label_names_its_period_back(by, local):
    code = int(codes(seconds(local), by)[0])
    assert parse_label(label(code, by), by) == code


@given(st.sampled_from(list(Period)), st.lists(instants, max_size=5))
def test_many_labels_at_once_are_the_labels_one_by_one(by, locals_):
    code = codes(seconds(*locals_), by)
    assert labels(code, by) == [label(int(c), by) for c in code]


def test_labels_of_each_kind_of_period():
    local = beijing(2026, 11, 2, 9, 20) + 8 * 3600
    expected = {
        Period.INTERVAL15: "2026-11-02 09:15",
        Period.INTERVAL30: "2026-11-02 09:00",
        Period.INTERVAL60: "2026-11-02 09:00",
        Period.DAY: "2026-11-02",
        Period.WEEK: "2026-W45",
        Period.MONTH: "2026-11",
        Period.QUARTER: "2026-Q4",
        Period.YEAR: "2026",
    }
    assert {by: label(int(codes(seconds(local), by)[0]), by) for by in Period} == expected


def test_a_week_is_named_by_its_iso_year():
    monday = int(datetime(2024, 12, 30, tzinfo=UTC).timestamp())
    assert label(int(codes(seconds(monday), Period.WEEK)[0]), Period.WEEK) == "2025-W01"


def test_a_label_of_another_kind_is_refused():
    with pytest.raises(ValueError, match="is no interval30 label"):
        parse_label("2026-11-02 09:15", Period.INTERVAL30)
    with pytest.raises(ValueError, match="is no quarter label"):
        parse_label("2026-Q5", Period.QUARTER)


def test_a_period_starts_at_the_first_instant_its_local_time_is_reached():
    clock = Clock("Europe/Berlin", beijing(2026, 1, 1), beijing(2027, 1, 1))
    # Clocks went forward at 02:00 on 29 March 2026: 02:00-03:00 never happened.
    start = int(datetime(2026, 3, 29, 2, tzinfo=UTC).timestamp())  # 02:00 on the local clock
    skipped = codes(seconds(start), Period.INTERVAL60)
    begin, end = clock.bounds(skipped, Period.INTERVAL60)
    assert begin[0] == end[0] == int(datetime(2026, 3, 29, 1, tzinfo=UTC).timestamp())
    day = codes(seconds(start), Period.DAY)
    begin, end = clock.bounds(day, Period.DAY)
    assert end[0] - begin[0] == 23 * 3600


@given(
    st.sampled_from(ZONES),
    st.sampled_from(list(Period)),
    st.lists(st.tuples(instants, st.integers(0, 40 * 86400)), min_size=1, max_size=5),
)
def test_cutting_spans_at_period_bounds_keeps_every_second(zone, by, spans):
    starts = seconds(*(start for start, _ in spans))
    ends = seconds(*(start + length for start, length in spans))
    clock = clock_for(zone, [starts, ends])
    owner, code, cut = clock.split(starts, ends, by)
    assert (
        np.bincount(owner, weights=cut, minlength=len(spans)).tolist() == (ends - starts).tolist()
    )
    assert (cut > 0).all()
    begin, end = clock.bounds(code, by)
    assert (cut <= end - begin).all()


def test_a_span_across_boundaries_gives_each_period_its_seconds():
    start = beijing(2026, 11, 2, 9, 10)
    clock = clock_for("Asia/Shanghai", [seconds(start)])
    _, code, cut = clock.split(seconds(start), seconds(start + 1800), Period.INTERVAL15)
    assert [label(int(c), Period.INTERVAL15)[-5:] for c in code] == ["09:00", "09:15", "09:30"]
    assert cut.tolist() == [300, 900, 600]


@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 30)), max_size=6), st.integers(0, 100))
def test_overlapping_spans_cover_a_second_once(spans, instant):
    starts = seconds(*(start for start, _ in spans))
    ends = seconds(*(start + length for start, length in spans))
    covered = {second for start, length in spans for second in range(start, start + length)}
    expected = len([second for second in covered if second < instant])
    assert covered_before(starts, ends, seconds(instant)).tolist() == [expected]


# NumPy's str arrays drop trailing NULs, so the text has none.
@given(
    st.lists(
        st.sampled_from(["", "宽带", "移动", "家庭"])
        | st.text(st.characters(exclude_characters="\x00"), max_size=3)
    )
)
def test_a_column_codes_its_sorted_values(values):
    column = Column.of(values)
    assert list(column.names) == sorted(set(values))
    assert [column.names[code] for code in column.codes] == values
    assert (Column.of(np.array(values, dtype=str)).codes == column.codes).all()


@given(st.lists(st.sampled_from([None, "", "宽带", "移动"])))
def test_a_missing_value_is_coded_as_the_empty_name(values):
    column = Column.of(values)
    assert [column.names[code] for code in column.codes] == [value or "" for value in values]


@pytest.mark.parametrize("names", [("b", "a"), ("a", "a"), ("", "a", "a", "b")])
def test_a_column_refuses_names_out_of_order_or_repeated(names):
    with pytest.raises(ValueError, match="distinct and sorted"):
        Column(np.zeros(1, dtype=np.int64), names)


def test_a_column_knows_the_codes_of_its_values():
    column = Column.of(["b", "", "a"])
    assert (column.code_of(""), column.code_of("b"), column.code_of("z")) == (0, 2, -1)


def test_keys_of_several_tables_share_one_coding():
    names, recoded = shared_keys([Column.of(["b", "a"]), Column.of(["c", "a"])])
    assert names == ("a", "b", "c")
    assert [codes.tolist() for codes in recoded] == [[1, 0], [2, 0]]


@given(
    st.lists(st.tuples(st.integers(-5, 5), st.integers(0, 3)), max_size=30),
    st.sampled_from([1, 10**12]),
)
def test_rows_are_the_distinct_period_and_key_pairs_sorted(pairs, spread):
    # A spread of 10¹² periods forces a sort instead of counting.
    period = seconds(*(p * spread for p, _ in pairs))
    key = seconds(*(k for _, k in pairs))
    row_periods, row_keys, [rows] = assign_rows([period], [key], 4)
    expected = sorted(set(zip(period.tolist(), key.tolist(), strict=True)))
    assert list(zip(row_periods.tolist(), row_keys.tolist(), strict=True)) == expected
    assert [expected[row] for row in rows.tolist()] == list(
        zip(period.tolist(), key.tolist(), strict=True)
    )


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), max_size=30))
def test_equal_keys_are_ordered_by_id(pairs):
    key = seconds(*(k for k, _ in pairs))
    ids = np.arange(len(pairs), dtype=np.int64)[::-1].copy()
    order = order_by(key, ids)
    assert [(int(key[i]), int(ids[i])) for i in order] == sorted(
        zip(key.tolist(), ids.tolist(), strict=True)
    )


def test_each_row_has_its_ids_ascending():
    ordered, starts = ids_by_row(seconds(1, 0, 1, 1), seconds(40, 30, 10, 20), 3)
    assert [ordered[a:b].tolist() for a, b in zip(starts, starts[1:], strict=False)] == [
        [30],
        [10, 20, 40],
        [],
    ]


def test_distinct_values_are_counted_per_row():
    counted = distinct_pairs_per_row(seconds(0, 0, 0, 2), seconds(5, 5, 6, 5), 3)
    assert counted.tolist() == [2, 0, 1]
