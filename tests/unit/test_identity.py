import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotline.core.identity import (
    InvalidNumber,
    id_tail,
    is_mobile,
    normalize_phone,
    resident_id_check_digit,
    resident_id_is_valid,
)


@pytest.mark.parametrize(
    "raw",
    ["13812345678", "+86 138 1234 5678", "0086-138-1234-5678", "8613812345678", "138-1234-5678"],
)
def test_a_mobile_number_is_stored_as_eleven_digits(raw):
    assert normalize_phone(raw) == "13812345678"


@pytest.mark.parametrize("raw", ["025-84561234", "(025)84561234", "010 62345678", "0516-8123456"])
def test_a_fixed_number_keeps_its_area_code(raw):
    assert normalize_phone(raw).startswith("0")


@pytest.mark.parametrize("raw", ["", "12345678901", "1381234567", "abc", "138123456789", "02512"])
def test_what_is_not_a_number_is_refused(raw):
    with pytest.raises(InvalidNumber):
        normalize_phone(raw)


def test_service_numbers_like_10086_are_numbers():
    assert normalize_phone("10086") == "10086"


def test_mobile_numbers_are_told_from_fixed_ones():
    assert is_mobile("13812345678")
    assert not is_mobile("02584561234")


def test_a_resident_id_with_its_check_digit_is_valid():
    assert resident_id_is_valid("320102198001010016")
    assert resident_id_is_valid("11010519491231002x")


def test_a_resident_id_with_a_wrong_check_digit_is_not():
    assert not resident_id_is_valid("320102198001010017")
    assert not resident_id_is_valid("32010219800101001")


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_completing_any_prefix_with_its_check_digit_gives_a_valid_id(first17):
    assert resident_id_is_valid(first17 + resident_id_check_digit(first17))


@given(st.text(alphabet="0123456789", min_size=17, max_size=17), st.sampled_from("0123456789X"))
def test_exactly_one_check_digit_completes_a_prefix(first17, digit):
    valid = resident_id_is_valid(first17 + digit)
    assert valid == (digit == resident_id_check_digit(first17))


def test_the_id_tail_is_the_last_four_characters_upper_cased():
    assert id_tail("11010519491231002x") == "002X"
