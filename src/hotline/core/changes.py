"""Field-by-field differences, the substance of an audit record."""

from collections.abc import Mapping

_EMPTY: tuple[object, ...] = (None, "", [])


def field_changes(
    before: Mapping[str, object], after: Mapping[str, object]
) -> dict[str, list[object]]:
    """{field: [old, new]} for every field whose value differs; a field absent before is None.

    Absent, None, "" and [] all mean "not filled in", so a new record lists only
    the fields it fills, and clearing an empty field is no change.
    """
    changes: dict[str, list[object]] = {}
    for field, value in after.items():
        old = before.get(field)
        if old != value and not (old in _EMPTY and value in _EMPTY):
            changes[field] = [old, value]
    return changes
