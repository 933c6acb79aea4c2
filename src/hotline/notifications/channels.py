"""Notification channels: the named ways a notice reaches people and systems.

A channel is a function given the notice inside the notifying transaction: what it
writes to the database commits or rolls back with the change it reports, and what
leaves the process (mail, HTTP) it hands to `transaction.on_commit`. Built-in channels
register here; another app registers its own from its AppConfig.ready().
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from hotline.notifications import webhooks
from hotline.notifications.models import Notification


@dataclass(frozen=True)
class Notice:
    """What happened and whom to tell: active users, each once."""

    event: str
    title: str
    body: str
    link: str
    payload: dict
    recipients: tuple
    occurred_at: datetime

    @property
    def url(self) -> str:
        """The link as an absolute address, for messages read outside Hotline."""
        return settings.HOTLINE_BASE_URL.rstrip("/") + self.link if self.link else ""


Channel = Callable[[Notice], None]
_CHANNELS: dict[str, Channel] = {}


def register_channel(name: str) -> Callable[[Channel], Channel]:
    def register(channel: Channel) -> Channel:
        if name in _CHANNELS:
            raise ValueError(f"notification channel {name!r} is already registered")
        _CHANNELS[name] = channel
        return channel

    return register


def registered_channels() -> dict[str, Channel]:
    return dict(_CHANNELS)


def unknown_channel_names() -> list[str]:
    return [name for name in settings.HOTLINE_NOTIFICATION_CHANNELS if name not in _CHANNELS]


def configured_channels() -> list[Channel]:
    """The channels HOTLINE_NOTIFICATION_CHANNELS names, in its order."""
    unknown = unknown_channel_names()
    if unknown:
        raise ImproperlyConfigured(
            f"HOTLINE_NOTIFICATION_CHANNELS names unknown channels: {', '.join(unknown)}"
        )
    return [_CHANNELS[name] for name in settings.HOTLINE_NOTIFICATION_CHANNELS]


@register_channel("inbox")
def inbox(notice: Notice) -> None:
    Notification.objects.bulk_create(
        Notification(
            recipient=user,
            event=notice.event,
            title=notice.title,
            body=notice.body,
            link=notice.link,
            payload=notice.payload,
            created_at=notice.occurred_at,
        )
        for user in notice.recipients
    )


@register_channel("email")
def email(notice: Notice) -> None:
    from hotline.notifications.tasks import send_notification_email

    addresses = [user.email for user in notice.recipients if user.email]
    if addresses:
        transaction.on_commit(
            partial(
                send_notification_email.delay, addresses, notice.title, notice.body, notice.url
            ),
            robust=True,
        )


@register_channel("webhook")
def webhook(notice: Notice) -> None:
    webhooks.queue_deliveries(notice)
