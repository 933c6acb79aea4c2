from hypothesis import given
from hypothesis import strategies as st

from hotline.core.masking import mask_address, mask_id_number, mask_phone


def test_a_mobile_number_keeps_its_first_three_and_last_four_digits():
    assert mask_phone("13812345678") == "138****5678"


def test_a_fixed_line_with_area_code_is_masked_alike():
    assert mask_phone("02584561234") == "025****1234"


def test_a_resident_id_keeps_four_characters_at_each_end():
    assert mask_id_number("320102198001010016") == "3201**********0016"


def test_an_address_keeps_only_its_district_part():
    assert mask_address("南京市玄武区中山路100号月牙湖花园3栋") == "南京市玄武区****"


@given(st.text(alphabet="0123456789", min_size=0, max_size=20))
def test_a_masked_number_never_shows_more_than_seven_digits(number):
    masked = mask_phone(number)
    assert len(masked) == len(number)
    assert sum(character.isdigit() for character in masked) <= 7
    if len(number) >= 8:
        assert "*" in masked


@given(st.text(min_size=9, max_size=30))
def test_a_masked_id_hides_its_middle(id_number):
    masked = mask_id_number(id_number)
    assert masked[4:-4] == "*" * (len(id_number) - 8)
