from hotline.core.search_text import Term, TermKind, parse_search_text


def test_digits_are_a_number_prefix():
    assert parse_search_text("1381234") == (Term(TermKind.NUMBER, "1381234"),)


def test_four_digits_may_be_a_number_prefix_or_an_id_tail():
    assert parse_search_text("0016") == (Term(TermKind.NUMBER_OR_ID_TAIL, "0016"),)


def test_an_id_tail_ending_in_x_is_read_as_one():
    assert parse_search_text("002x") == (Term(TermKind.ID_TAIL, "002X"),)


def test_a_country_prefix_and_dashes_are_dropped_from_numbers():
    assert parse_search_text("+86-138-1234-5678") == (Term(TermKind.NUMBER, "13812345678"),)


def test_letters_and_digits_are_an_account_in_upper_case():
    assert parse_search_text("kd0250001") == (Term(TermKind.NUMBER, "KD0250001"),)


def test_chinese_words_are_words_and_every_term_is_kept_in_order():
    assert parse_search_text("王  月牙湖 0016") == (
        Term(TermKind.WORD, "王"),
        Term(TermKind.WORD, "月牙湖"),
        Term(TermKind.NUMBER_OR_ID_TAIL, "0016"),
    )


def test_blank_text_has_no_terms():
    assert parse_search_text("   ") == ()


def test_a_credit_code_tail_ending_in_a_letter_is_an_id_tail():
    assert parse_search_text("713h") == (Term(TermKind.ID_TAIL, "713H"),)


def test_four_letters_are_still_a_word():
    assert parse_search_text("Wang") == (Term(TermKind.WORD, "Wang"),)
