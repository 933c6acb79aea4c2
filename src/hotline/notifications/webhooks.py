"""Outbound webhooks: a delivery per subscribed endpoint, signed attempts, retries, giving up.

Delivery is at least once: an attempt whose answer is lost (a timeout after the
receiver acted) is retried, so receivers deduplicate on X-Hotline-Delivery.
"""

import http.client
import json
import logging
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction

from hotline.core.webhooks import retry_delay, signature
from hotline.notifications.models import WebhookDelivery, WebhookEndpoint

TIMEOUT_SECONDS = 5
# Waits double from HOTLINE_WEBHOOK_RETRY_SECONDS; past a few hours a retry is no likelier
# to succeed, and the cap keeps the last attempts within the same working day.
LONGEST_WAIT = timedelta(hours=6)
# One sweep queues at most this many deliveries; the next sweep takes the rest.
SWEEP_BATCH = 500
USER_AGENT = "Hotline-Webhooks/1"
_ERROR_LENGTH = 500

PENDING = WebhookDelivery.Status.PENDING
DELIVERED = WebhookDelivery.Status.DELIVERED
FAILED = WebhookDelivery.Status.FAILED

logger = logging.getLogger(__name__)


def payload_of(notice) -> dict:
    """The JSON body sent for a notice; `data` is the payload its sender gave, unchanged."""
    return {
        "event": notice.event,
        "occurred_at": notice.occurred_at.isoformat(),
        "title": notice.title,
        "body": notice.body,
        "link": notice.link,
        "url": notice.url,
        "recipients": [user.agent_id for user in notice.recipients],
        "data": notice.payload,
    }


def queue_deliveries(notice) -> list[WebhookDelivery]:
    """A pending delivery for each active endpoint subscribed to the event, sent after commit."""
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(is_active=True)
        if endpoint.subscribes_to(notice.event)
    ]
    if not endpoints:
        return []
    payload = payload_of(notice)
    deliveries = [
        WebhookDelivery.objects.create(
            endpoint=endpoint,
            event=notice.event,
            payload=payload,
            created_at=notice.occurred_at,
            next_attempt_at=notice.occurred_at,
        )
        for endpoint in endpoints
    ]
    _attempt_after_commit([delivery.pk for delivery in deliveries])
    return deliveries


def _attempt_after_commit(delivery_ids: list[int]) -> None:
    from hotline.notifications.tasks import deliver_webhook

    # A broker that is down only delays these: the rows are pending and the sweep finds them.
    for delivery_id in delivery_ids:
        transaction.on_commit(partial(deliver_webhook.delay, delivery_id), robust=True)


def _wait_after(attempt: int) -> timedelta:
    first = timedelta(seconds=settings.HOTLINE_WEBHOOK_RETRY_SECONDS)
    return retry_delay(attempt, first, LONGEST_WAIT)


def claim(delivery: WebhookDelivery, *, now: datetime) -> bool:
    """Take the next attempt of `delivery` as it was read; False if another worker took it.

    Also False when the delivery is no longer pending, not yet due, or out of attempts.
    The claim moves the next attempt to the retry time, so that is when an attempt cut
    short by a crash is made again.
    """
    attempt = delivery.attempts + 1
    if attempt > settings.HOTLINE_WEBHOOK_MAX_ATTEMPTS:
        return False
    claimed = WebhookDelivery.objects.filter(
        pk=delivery.pk, status=PENDING, attempts=delivery.attempts, next_attempt_at__lte=now
    ).update(attempts=attempt, next_attempt_at=now + _wait_after(attempt))
    return claimed == 1


def attempt_delivery(delivery_id: int, *, now: datetime) -> str | None:
    """Make the next attempt of a due delivery; its status afterwards, None if not claimed."""
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != PENDING:
        return None
    if not delivery.endpoint.is_active:
        WebhookDelivery.objects.filter(pk=delivery.pk, status=PENDING).update(
            status=FAILED, next_attempt_at=None, last_error="the endpoint was deactivated"
        )
        return FAILED
    if not claim(delivery, now=now):
        return None
    attempt = delivery.attempts + 1
    response_status, error = _post(delivery, now)
    if not error:
        outcome = {"status": DELIVERED, "delivered_at": now, "next_attempt_at": None}
    elif attempt >= settings.HOTLINE_WEBHOOK_MAX_ATTEMPTS:
        outcome = {"status": FAILED, "next_attempt_at": None}
    else:
        outcome = {"status": PENDING}
    if error:
        logger.warning(
            "webhook delivery %s to %s, attempt %s: %s",
            delivery.pk,
            delivery.endpoint.url,
            attempt,
            error,
        )
    # Only this attempt's row: a slow attempt must not overwrite a later one's outcome.
    WebhookDelivery.objects.filter(pk=delivery.pk, attempts=attempt).update(
        response_status=response_status, last_error=error[:_ERROR_LENGTH], **outcome
    )
    return outcome["status"]


def deliver_due_webhooks(now: datetime) -> int:
    """Queue an attempt of each pending delivery that is due, oldest first; how many.

    Each attempt is a task of its own, so one slow endpoint does not hold up the others.
    A delivery still waiting in the queue from the last sweep may be queued again; its
    claim lets one attempt through.
    """
    from hotline.notifications.tasks import deliver_webhook

    # Out of attempts yet pending: the last attempt was cut short, or the limit was lowered.
    WebhookDelivery.objects.filter(
        status=PENDING,
        next_attempt_at__lte=now,
        attempts__gte=settings.HOTLINE_WEBHOOK_MAX_ATTEMPTS,
    ).update(status=FAILED, next_attempt_at=None)
    due = list(
        WebhookDelivery.objects.filter(status=PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    for delivery_id in due:
        deliver_webhook.delay(delivery_id)
    return len(due)


@transaction.atomic
def redeliver(delivery_ids, *, now: datetime) -> int:
    """Give failed deliveries a fresh set of attempts, the first one now; how many."""
    ids = list(
        WebhookDelivery.objects.filter(pk__in=list(delivery_ids), status=FAILED).values_list(
            "pk", flat=True
        )
    )
    count = WebhookDelivery.objects.filter(pk__in=ids, status=FAILED).update(
        status=PENDING, attempts=0, next_attempt_at=now, response_status=None, last_error=""
    )
    _attempt_after_commit(ids)
    return count


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    # Following would turn the POST into a GET without its body, yet count as delivered;
    # refused, the 3xx is a failed attempt and the endpoint must be given its final address.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _post(delivery: WebhookDelivery, now: datetime) -> tuple[int | None, str]:
    """POST the signed body; the response status and an error, empty for a 2xx."""
    body = json.dumps(
        delivery.payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    ).encode()
    timestamp = int(now.timestamp())
    delivery_id = str(delivery.pk)
    request = urllib.request.Request(
        delivery.endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            "X-Hotline-Event": delivery.event,
            "X-Hotline-Delivery": delivery_id,
            "X-Hotline-Timestamp": str(timestamp),
            "X-Hotline-Signature": signature(
                delivery.endpoint.secret, timestamp, delivery_id, body
            ),
        },
    )
    opener = urllib.request.build_opener(_RefuseRedirects)
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status, ""
    except urllib.error.HTTPError as error:
        error.close()
        return error.code, f"HTTP {error.code} {error.reason}"
    except (OSError, http.client.HTTPException) as error:
        return None, f"{type(error).__name__}: {error}"
