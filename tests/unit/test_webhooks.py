from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotline.core.webhooks import retry_delay, signature, signature_matches, signed_content

SECRET = "whsec-test"
MINUTE = timedelta(minutes=1)
SIX_HOURS = timedelta(hours=6)


def test_the_timestamp_the_delivery_id_and_the_body_are_signed_joined_by_dots():
    assert signed_content(1700000000, "42", b'{"a":1}') == b'1700000000.42.{"a":1}'


def test_the_signature_is_the_hex_hmac_sha256_of_the_signed_content():
    # From `openssl dgst -sha256 -hmac whsec-test` of 1700000000.42.{"a":1}
    expected = "5410176b333f52619eee2ae2a9394919d20c5cae96b84e3d75b4f71fbb103458"
    assert signature(SECRET, 1700000000, "42", b'{"a":1}') == "sha256=" + expected


def test_a_receiver_accepts_the_signature_of_what_was_sent():
    header = signature(SECRET, 1700000000, "42", b'{"a":1}')
    assert signature_matches(SECRET, 1700000000, "42", b'{"a":1}', header)


@pytest.mark.parametrize(
    ("secret", "timestamp", "delivery_id", "body"),
    [
        pytest.param("another-secret", 1700000000, "42", b'{"a":1}', id="secret"),
        pytest.param(SECRET, 1700000001, "42", b'{"a":1}', id="timestamp"),
        pytest.param(SECRET, 1700000000, "43", b'{"a":1}', id="delivery id"),
        pytest.param(SECRET, 1700000000, "42", b'{"a":2}', id="body"),
    ],
)
def test_a_receiver_refuses_a_request_that_differs_in_anything_signed(
    secret, timestamp, delivery_id, body
):
    header = signature(SECRET, 1700000000, "42", b'{"a":1}')
    assert not signature_matches(secret, timestamp, delivery_id, body, header)


def test_the_wait_doubles_after_each_failed_attempt():
    waits = [retry_delay(attempt, MINUTE, SIX_HOURS) for attempt in range(1, 6)]
    assert waits == [MINUTE * factor for factor in (1, 2, 4, 8, 16)]


def test_the_wait_stops_growing_at_the_longest():
    assert retry_delay(10, MINUTE, SIX_HOURS) == SIX_HOURS


def test_attempts_are_counted_from_one():
    with pytest.raises(ValueError):
        retry_delay(0, MINUTE, SIX_HOURS)


@given(
    attempt=st.integers(min_value=1, max_value=10_000),
    first_seconds=st.integers(min_value=1, max_value=86_400),
)
def test_a_later_attempt_never_waits_less_and_no_wait_exceeds_the_longest(attempt, first_seconds):
    first = timedelta(seconds=first_seconds)
    longest = max(first, SIX_HOURS)
    wait = retry_delay(attempt, first, longest)
    assert first <= wait <= longest
    assert retry_delay(attempt + 1, first, longest) >= wait
