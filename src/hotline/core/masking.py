"""Masking of personal data for roles that may not see it in full.

Masks keep what an agent needs to confirm identity with the caller (the first
three and last four digits of a number, the last four of an ID, the district of
an address) and hide the rest.
"""

MASK = "*"


def mask_phone(number: str) -> str:
    """138****1234 for a mobile number; 025****5678 for a fixed line; short numbers keep 2+2."""
    if len(number) >= 11:
        return number[:3] + MASK * (len(number) - 7) + number[-4:]
    if len(number) >= 7:
        return number[:3] + MASK * (len(number) - 5) + number[-2:]
    if len(number) > 4:
        return number[:2] + MASK * (len(number) - 2)
    return MASK * len(number)


def mask_id_number(id_number: str) -> str:
    """Keep the first and last four characters: 3201**********123X."""
    if len(id_number) <= 8:
        return MASK * len(id_number)
    return id_number[:4] + MASK * (len(id_number) - 8) + id_number[-4:]


def mask_address(address: str, keep: int = 6) -> str:
    """Keep the leading district and street part, hide the house number and below."""
    if len(address) <= keep:
        return address[:2] + MASK * max(len(address) - 2, 0)
    return address[:keep] + MASK * 4
