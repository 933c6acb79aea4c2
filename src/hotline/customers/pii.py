"""Which customer fields are personal data, and how each is shown to a role that may not see it."""

from collections.abc import Callable

from hotline.core.masking import mask_address, mask_id_number, mask_phone

UNMASKED_PERMISSION = "customers.view_unmasked_pii"


def _mask_numbers(numbers: object) -> object:
    if isinstance(numbers, list | tuple):
        return [mask_phone(str(number)) for number in numbers]
    return mask_phone(str(numbers))


MASKS: dict[str, Callable[[str], str]] = {
    "id_number": mask_id_number,
    "address": mask_address,
    "install_address": mask_address,
    "number": mask_phone,
}


def may_see_unmasked(user) -> bool:
    return user.has_perm(UNMASKED_PERMISSION)


def shown(field: str, value, unmasked: bool):
    """The value as the viewer may see it; lists of contact numbers are masked item by item."""
    if unmasked or value in (None, ""):
        return value
    if field == "contact_numbers":
        return _mask_numbers(value)
    mask = MASKS.get(field)
    return mask(str(value)) if mask else value


def shown_changes(changes: dict, unmasked: bool) -> dict:
    """An audit record's {field: [old, new]} with personal data masked for the viewer."""
    return {
        field: [shown(field, old, unmasked), shown(field, new, unmasked)]
        for field, (old, new) in changes.items()
    }
