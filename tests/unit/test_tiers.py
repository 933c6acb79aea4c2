import pytest

from hotline.core.tiers import ENTERPRISE, INDIVIDUAL, is_vip


@pytest.mark.parametrize(
    ("tier", "kind", "grade", "vip"),
    [
        ("regular", INDIVIDUAL, "", False),
        ("silver", INDIVIDUAL, "", False),
        ("gold", INDIVIDUAL, "", True),
        ("diamond", INDIVIDUAL, "", True),
        ("regular", ENTERPRISE, "A", True),
        ("regular", ENTERPRISE, "B", False),
        ("silver", ENTERPRISE, "D", False),
        ("gold", ENTERPRISE, "C", True),
    ],
)
def test_vip_is_gold_and_above_or_an_enterprise_of_grade_a(tier, kind, grade, vip):
    assert is_vip(tier, kind, grade) is vip
