"""Telephone numbers and identity documents as Chinese operators write them."""

import re

_MOBILE = re.compile(r"1[3-9]\d{9}")
# Area code 010/02x (3 digits) or 0xxx (4 digits), then a 7- or 8-digit local number.
_FIXED = re.compile(r"0(?:10|2\d|[3-9]\d{2})\d{7,8}")
_SERVICE = re.compile(r"[1-9]\d{4,5}")  # 95xxx / 10086-style service numbers
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID18 = re.compile(r"\d{17}[\dX]")


class InvalidNumber(ValueError):
    """A string that is not a telephone number."""


def normalize_phone(raw: str) -> str:
    """Digits only, with the country prefix (+86 / 0086 / 86 before a mobile) removed."""
    digits = re.sub(r"[\s\-()（）]", "", raw.strip())
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if not digits.isdigit():
        raise InvalidNumber(raw)
    if _MOBILE.fullmatch(digits) or _FIXED.fullmatch(digits) or _SERVICE.fullmatch(digits):
        return digits
    raise InvalidNumber(raw)


def is_mobile(number: str) -> bool:
    return _MOBILE.fullmatch(number) is not None


def resident_id_is_valid(id_number: str) -> bool:
    """An 18-character resident identity card number (GB 11643) with a correct check digit."""
    value = id_number.upper()
    if not _ID18.fullmatch(value):
        return False
    total = sum(int(digit) * weight for digit, weight in zip(value[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == value[17]


def resident_id_check_digit(first17: str) -> str:
    """The check digit that completes a 17-digit resident ID prefix."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def id_tail(id_number: str) -> str:
    """The last four characters, which agents ask callers for (证件后四位)."""
    return id_number[-4:].upper()
