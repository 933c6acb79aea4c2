"""Text messages to customers: a gateway interface, its backends by name, and the record.

A backend is a class whose `send(number, text)` hands one message to a gateway and
raises on failure. HOTLINE_SMS_BACKEND names the one in use; a gateway's app registers
its backend from its AppConfig.ready() with `register_sms_backend`.
"""

import logging
import sys
from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import datetime
from functools import partial

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from hotline.core.identity import InvalidNumber, is_mobile, normalize_phone
from hotline.core.masking import mask_phone
from hotline.notifications.models import SmsMessage

_ERROR_LENGTH = 500
NOT_MOBILE = "not a mobile number"

logger = logging.getLogger(__name__)


class SmsBackend(ABC):
    @abstractmethod
    def send(self, number: str, text: str) -> None:
        """Hand one message to the gateway; raise with the gateway's reason if it refuses."""


_BACKENDS: dict[str, type[SmsBackend]] = {}


def register_sms_backend(name: str) -> Callable[[type[SmsBackend]], type[SmsBackend]]:
    def register(backend: type[SmsBackend]) -> type[SmsBackend]:
        if name in _BACKENDS:
            raise ValueError(f"SMS backend {name!r} is already registered")
        _BACKENDS[name] = backend
        return backend

    return register


def registered_sms_backends() -> dict[str, type[SmsBackend]]:
    return dict(_BACKENDS)


def configured_sms_backend() -> SmsBackend:
    name = settings.HOTLINE_SMS_BACKEND
    if name not in _BACKENDS:
        raise ImproperlyConfigured(f"HOTLINE_SMS_BACKEND names an unknown SMS backend: {name}")
    return _BACKENDS[name]()


@register_sms_backend("console")
class ConsoleSmsBackend(SmsBackend):
    """Writes each message to standard output: the operator's console, so the number whole."""

    def send(self, number: str, text: str) -> None:
        sys.stdout.write(f"SMS to {number}: {text}\n")
        sys.stdout.flush()


def send_customer_sms(*, number: str, text: str) -> SmsMessage:
    """Record a text message to a customer's number and send it after commit.

    A change that rolls back leaves neither the record nor a message. A number that is
    not a mobile (a fixed line, say) is recorded as failed and not sent: a customer's data
    must not stop the change the message reports.
    """
    if not text.strip():
        raise ValueError("an SMS needs a text")
    try:
        mobile = normalize_phone(number)
    except InvalidNumber:
        mobile = number  # kept as given on the failed record
    if not is_mobile(mobile):
        return SmsMessage.objects.create(
            number=mobile[:20], text=text, status=SmsMessage.Status.FAILED, error=NOT_MOBILE
        )
    message = SmsMessage.objects.create(number=mobile, text=text)
    from hotline.notifications.tasks import send_sms

    transaction.on_commit(partial(send_sms.delay, message.pk), robust=True)
    return message


def deliver_sms(message_id: int, *, now: datetime) -> str | None:
    """Send a queued message through the configured backend; its status, None if not claimed."""
    claimed = SmsMessage.objects.filter(pk=message_id, status=SmsMessage.Status.QUEUED).update(
        status=SmsMessage.Status.SENDING, backend=settings.HOTLINE_SMS_BACKEND
    )
    if not claimed:
        return None
    message = SmsMessage.objects.get(pk=message_id)
    try:
        configured_sms_backend().send(message.number, message.text)
    except Exception as error:  # any gateway failure is recorded on the message, not lost
        # Not retried: a customer could get the message twice if the gateway did send it.
        logger.warning("SMS %s to %s failed: %s", message.pk, mask_phone(message.number), error)
        SmsMessage.objects.filter(pk=message_id).update(
            status=SmsMessage.Status.FAILED,
            error=f"{type(error).__name__}: {error}"[:_ERROR_LENGTH],
        )
        return SmsMessage.Status.FAILED
    logger.info("SMS %s sent to %s", message.pk, mask_phone(message.number))
    SmsMessage.objects.filter(pk=message_id).update(status=SmsMessage.Status.SENT, sent_at=now)
    return SmsMessage.Status.SENT
