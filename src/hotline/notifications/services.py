"""Use cases of notifications: tell people and systems what happened; mark the inbox read."""

import json
from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from hotline.notifications.channels import Notice, configured_channels
from hotline.notifications.models import EVENT_CODE, Notification

_TITLE_LENGTH = Notification._meta.get_field("title").max_length


@transaction.atomic
def notify(
    *,
    recipients: Iterable,
    event: str,
    title: str,
    body: str = "",
    link: str = "",
    payload: dict | None = None,
) -> None:
    """Tell the recipients (users) and subscribed systems that `event` happened.

    Every channel of HOTLINE_NOTIFICATION_CHANNELS is given the notice. Inbox rows and
    webhook deliveries are written in the caller's transaction, so a change that rolls
    back notifies no one; e-mail and HTTP requests go out after it commits. Inactive
    users and repeated recipients are left out; with none left, webhooks still run.
    """
    if not EVENT_CODE.fullmatch(event):
        raise ValueError(f"{event!r} is not an event code such as 'workorder.dispatched'")
    if link and (not link.startswith("/") or link.startswith("//")):
        raise ValueError(f"the link must be a path within Hotline such as '/orders/1/': {link!r}")
    payload = {} if payload is None else payload
    # Fails here, in the caller, whichever channels run: the e-mail channel never stores it.
    json.dumps(payload)
    people: dict = {}
    for user in recipients:
        if user.is_active:
            people.setdefault(user.pk, user)
    notice = Notice(
        event=event,
        # One line, as it is also an e-mail subject; cut rather than fail the change it reports.
        title=" ".join(title.split())[:_TITLE_LENGTH],
        body=body,
        link=link,
        payload=payload,
        recipients=tuple(people.values()),
        occurred_at=timezone.now(),
    )
    for channel in configured_channels():
        channel(notice)


def mark_read(*, user, notification: Notification, now: datetime) -> Notification:
    """Mark one of the user's own notifications read; a second reading keeps the first time."""
    if notification.recipient_id != user.pk:
        raise PermissionDenied("another user's notification")
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
    notification.refresh_from_db(fields=["read_at"])
    return notification


def mark_all_read(*, user, now: datetime) -> int:
    """Mark every unread notification of the user read; how many were unread."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=now)
