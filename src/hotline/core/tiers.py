"""Customer tiers and the VIP rule (the green channel hangs on it)."""

REGULAR = "regular"
SILVER = "silver"
GOLD = "gold"
DIAMOND = "diamond"

INDIVIDUAL = "individual"
ENTERPRISE = "enterprise"

ENTERPRISE_GRADES = ("A", "B", "C", "D")
VIP_TIERS = frozenset({GOLD, DIAMOND})


def is_vip(tier: str, kind: str, enterprise_grade: str) -> bool:
    """VIP is 金 and above, or an enterprise (集团) customer of grade A."""
    return tier in VIP_TIERS or (kind == ENTERPRISE and enterprise_grade == "A")
