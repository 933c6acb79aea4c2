"""Field-by-field differences, the substance of an audit record."""

from collections.abc import Mapping


def field_changes(before: Mapping[str, object], after: Mapping[str, object]) -> dict[str, list[object]]:
    """{field: [old, new]} for every field whose value differs; a field absent before is None."""
    return {
        field: [before.get(field), value]
        for field, value in after.items()
        if before.get(field) != value
    }
