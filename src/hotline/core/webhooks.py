"""Webhook signatures and retry timing: pure functions, the same ones a receiver can copy.

What is signed is the attempt's timestamp (Unix seconds), the delivery id and the raw
request body, joined by dots: ``f"{timestamp}.{delivery_id}.".encode() + body``. Signing
the timestamp lets a receiver refuse a replayed request; signing the id stops a captured
body being sent again under another delivery id.
"""

import hashlib
import hmac
from datetime import timedelta

SIGNATURE_PREFIX = "sha256="
# A million first waits exceed any cap worth setting; the clamp keeps timedelta in range.
_MOST_DOUBLINGS = 20


def signed_content(timestamp: int, delivery_id: str, body: bytes) -> bytes:
    return f"{timestamp}.{delivery_id}.".encode() + body


def signature(secret: str, timestamp: int, delivery_id: str, body: bytes) -> str:
    """The value of the X-Hotline-Signature header: ``sha256=`` and the hex HMAC-SHA256."""
    digest = hmac.new(
        secret.encode(), signed_content(timestamp, delivery_id, body), hashlib.sha256
    ).hexdigest()
    return SIGNATURE_PREFIX + digest


def signature_matches(
    secret: str, timestamp: int, delivery_id: str, body: bytes, header: str
) -> bool:
    """Whether `header` signs this request; compared in constant time."""
    return hmac.compare_digest(signature(secret, timestamp, delivery_id, body), header)


def retry_delay(attempt: int, first: timedelta, longest: timedelta) -> timedelta:
    """The wait after failed attempt `attempt` (counted from 1): doubling from `first`, capped."""
    if attempt < 1:
        raise ValueError(f"attempts are counted from 1, not {attempt}")
    return min(first * (1 << min(attempt - 1, _MOST_DOUBLINGS)), longest)
