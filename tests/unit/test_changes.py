from hypothesis import given
from hypothesis import strategies as st

from hotline.core.changes import field_changes

values = st.one_of(st.none(), st.text(max_size=5), st.integers(), st.lists(st.text(max_size=3)))
records = st.dictionaries(st.sampled_from("abcdef"), values)


def test_only_changed_fields_are_listed_with_old_and_new_values():
    assert field_changes({"name": "王", "tier": "gold"}, {"name": "王", "tier": "diamond"}) == {
        "tier": ["gold", "diamond"]
    }


def test_a_new_record_lists_only_the_fields_it_fills():
    assert field_changes({}, {"name": "王", "address": "", "numbers": []}) == {"name": [None, "王"]}


@given(records)
def test_a_record_compared_with_itself_has_no_changes(record):
    assert field_changes(record, record) == {}


@given(records, records)
def test_applying_the_changes_gives_the_new_record(before, after):
    changes = field_changes(before, after)
    rebuilt = {**before, **{field: new for field, (_old, new) in changes.items()}}
    empty = (None, "", [])
    for field, value in after.items():
        assert rebuilt.get(field) == value or (rebuilt.get(field) in empty and value in empty)
