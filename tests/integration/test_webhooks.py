"""Outbound webhooks against a real HTTP receiver: signed, retried with backoff, claimed once."""

import json
import socket
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import connection
from django.utils import timezone

from hotline.core.webhooks import signature_matches
from hotline.notifications.models import WebhookDelivery, WebhookEndpoint
from hotline.notifications.services import notify
from hotline.notifications.webhooks import (
    attempt_delivery,
    claim,
    deliver_due_webhooks,
    redeliver,
)
from tests.integration.threads import at_once

SECRET = "whsec-for-tests"
SECONDS = timedelta(seconds=1)


@dataclass
class Receiver:
    """An HTTP server that answers each POST with the next of `answers` (then 200)."""

    url: str = ""
    answers: list[int] = field(default_factory=list)
    received: list = field(default_factory=list)


@pytest.fixture
def receiver():
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.received.append((self.headers, body))
            self.send_response(state.answers.pop(0) if state.answers else 200)
            self.send_header("Location", "/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format, *args):
            """Quiet: the test output is for the tests."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_port}/hooks/hotline"
    yield state
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def endpoint(receiver):
    return WebhookEndpoint.objects.create(
        url=receiver.url, secret=SECRET, events=["workorder.dispatched"]
    )


@pytest.fixture
def settings_for_retries(settings):
    settings.HOTLINE_WEBHOOK_RETRY_SECONDS = 60
    settings.HOTLINE_WEBHOOK_MAX_ATTEMPTS = 3
    return settings


def dispatched(cast, event="workorder.dispatched"):
    notify(
        recipients=[cast["ligong"]],
        event=event,
        title="工单 GD20260001 已派单",
        link="/orders/1/",
        payload={"order": "GD20260001", "id": 1},
    )


def queued(cast) -> WebhookDelivery:
    """A delivery queued but not yet attempted (its after-commit send is not run)."""
    dispatched(cast)
    return WebhookDelivery.objects.get()


def test_a_subscribed_endpoint_is_sent_the_event_after_commit(
    cast, endpoint, receiver, django_capture_on_commit_callbacks, settings
):
    settings.HOTLINE_BASE_URL = "https://hotline.example.cn"
    with django_capture_on_commit_callbacks(execute=True):
        dispatched(cast)
        assert receiver.received == []
    [(headers, body)] = receiver.received
    assert headers["X-Hotline-Event"] == "workorder.dispatched"
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(body) == {
        "event": "workorder.dispatched",
        "occurred_at": json.loads(body)["occurred_at"],
        "title": "工单 GD20260001 已派单",
        "body": "",
        "link": "/orders/1/",
        "url": "https://hotline.example.cn/orders/1/",
        "recipients": ["20001"],
        "data": {"order": "GD20260001", "id": 1},
    }
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 1, 200)
    assert delivery.delivered_at is not None and delivery.next_attempt_at is None


def test_the_receiver_can_verify_the_signature_with_the_endpoint_secret(
    cast, endpoint, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dispatched(cast)
    [(headers, body)] = receiver.received
    assert headers["X-Hotline-Delivery"] == str(WebhookDelivery.objects.get().pk)
    assert headers["X-Hotline-Signature"].startswith("sha256=")
    assert signature_matches(
        SECRET,
        int(headers["X-Hotline-Timestamp"]),
        headers["X-Hotline-Delivery"],
        body,
        headers["X-Hotline-Signature"],
    )
    assert not signature_matches(
        "not-the-secret",
        int(headers["X-Hotline-Timestamp"]),
        headers["X-Hotline-Delivery"],
        body,
        headers["X-Hotline-Signature"],
    )


def test_an_endpoint_not_subscribed_to_the_event_gets_nothing(cast, endpoint, receiver):
    dispatched(cast, event="workorder.replied")
    assert not WebhookDelivery.objects.exists()


def test_an_endpoint_subscribed_to_every_event_gets_each(cast, receiver):
    WebhookEndpoint.objects.create(url=receiver.url, events=["*"])
    dispatched(cast, event="workorder.replied")
    assert WebhookDelivery.objects.get().event == "workorder.replied"


def test_an_inactive_endpoint_gets_nothing(cast, endpoint):
    endpoint.is_active = False
    endpoint.save()
    dispatched(cast)
    assert not WebhookDelivery.objects.exists()


@pytest.fixture
def sweep_at(time_machine):
    """Run the periodic sweep at a moment, as the workers it queues for would see it."""

    def sweep(moment):
        time_machine.move_to(moment, tick=False)
        return deliver_due_webhooks(timezone.now())

    return sweep


def test_a_failed_attempt_is_retried_after_a_doubling_wait_until_delivered(
    cast, endpoint, receiver, settings_for_retries, sweep_at
):
    receiver.answers = [500, 503]
    delivery = queued(cast)
    start = delivery.next_attempt_at

    assert attempt_delivery(delivery.pk, now=start) == "pending"
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.response_status) == (1, 500)
    assert delivery.last_error.startswith("HTTP 500")
    assert delivery.next_attempt_at == start + 60 * SECONDS

    assert sweep_at(start + 59 * SECONDS) == 0
    assert sweep_at(start + 60 * SECONDS) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("pending", 2, 503)
    assert delivery.next_attempt_at == start + 60 * SECONDS + 120 * SECONDS

    assert sweep_at(start + 180 * SECONDS) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 3, 200)
    assert delivery.delivered_at == start + 180 * SECONDS
    assert delivery.last_error == ""
    ids = {headers["X-Hotline-Delivery"] for headers, _body in receiver.received}
    assert len(receiver.received) == 3 and ids == {str(delivery.pk)}


def test_a_delivery_fails_for_good_after_the_last_attempt(
    cast, endpoint, receiver, settings_for_retries, sweep_at
):
    receiver.answers = [500, 500, 500]
    delivery = queued(cast)
    start = delivery.next_attempt_at
    for wait in (0, 60, 180):
        assert sweep_at(start + wait * SECONDS) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 3, None)
    assert sweep_at(start + timedelta(days=1)) == 0
    assert len(receiver.received) == 3


def test_a_redirect_is_a_failed_attempt_not_followed(cast, endpoint, receiver):
    receiver.answers = [302]
    delivery = queued(cast)
    attempt_delivery(delivery.pk, now=delivery.next_attempt_at)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.response_status) == ("pending", 302)
    assert len(receiver.received) == 1


def test_an_unreachable_endpoint_is_a_failed_attempt_with_the_reason(cast, endpoint):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    endpoint.url = f"http://127.0.0.1:{port}/hooks"
    endpoint.save()
    delivery = queued(cast)
    assert attempt_delivery(delivery.pk, now=delivery.next_attempt_at) == "pending"
    delivery.refresh_from_db()
    assert delivery.response_status is None
    assert "refused" in delivery.last_error.lower()


def test_of_two_workers_that_read_the_same_delivery_only_one_claims_the_attempt(cast, endpoint):
    delivery = queued(cast)
    first_worker = WebhookDelivery.objects.get(pk=delivery.pk)
    second_worker = WebhookDelivery.objects.get(pk=delivery.pk)
    assert claim(first_worker, now=delivery.next_attempt_at)
    assert not claim(second_worker, now=delivery.next_attempt_at)
    assert WebhookDelivery.objects.get(pk=delivery.pk).attempts == 1


def test_a_delivery_is_not_claimed_before_it_is_due(cast, endpoint):
    delivery = queued(cast)
    assert not claim(delivery, now=delivery.next_attempt_at - SECONDS)


def test_a_pending_delivery_out_of_attempts_is_given_up_by_the_sweep(
    cast, endpoint, receiver, settings_for_retries, sweep_at
):
    """As when a worker stopped during the last attempt, or the limit was lowered."""
    delivery = queued(cast)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(attempts=3)
    assert sweep_at(delivery.next_attempt_at) == 0
    assert WebhookDelivery.objects.get(pk=delivery.pk).status == "failed"
    assert receiver.received == []


def test_a_delivery_to_an_endpoint_deactivated_since_fails_without_a_request(
    cast, endpoint, receiver
):
    delivery = queued(cast)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=False)
    assert attempt_delivery(delivery.pk, now=delivery.next_attempt_at) == "failed"
    assert receiver.received == []


def test_a_failed_delivery_redelivered_gets_fresh_attempts(
    cast, endpoint, receiver, settings_for_retries, django_capture_on_commit_callbacks
):
    delivery = queued(cast)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status="failed", attempts=3)
    with django_capture_on_commit_callbacks(execute=True):
        assert redeliver([delivery.pk], now=delivery.next_attempt_at) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 1)
    assert len(receiver.received) == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrency runs on PostgreSQL; SQLite serialises all writers",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_attempting_one_delivery_at_once_send_it_once(endpoint, receiver):
    # Made directly: without a test transaction, notify's after-commit send would run at once.
    now = timezone.now()
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, event="workorder.dispatched", payload={}, next_attempt_at=now
    )
    outcomes = at_once(
        lambda: attempt_delivery(delivery.pk, now=now),
        lambda: attempt_delivery(delivery.pk, now=now),
    )
    assert sorted(outcomes, key=str) == [None, "delivered"]
    assert len(receiver.received) == 1
    assert WebhookDelivery.objects.get(pk=delivery.pk).attempts == 1


# The admin site, where endpoints are kept and failed deliveries sent again.


@pytest.fixture
def site_admin(client, django_user_model):
    root = django_user_model.objects.create_superuser(
        username="root", agent_id="00000", password="not-used-here"
    )
    client.force_login(root)
    return client


def test_an_administrator_types_the_subscribed_events_as_codes_separated_by_commas(site_admin):
    response = site_admin.post(
        "/admin/notifications/webhookendpoint/add/",
        {
            "url": "https://crm.example.cn/hooks/hotline",
            "description": "客户关系系统",
            "events": "workorder.dispatched，workorder.replied  workorder.breach",
            "is_active": "on",
            "secret": "whsec-crm",
        },
    )
    assert response.status_code == 302
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == ["workorder.dispatched", "workorder.replied", "workorder.breach"]
    page = site_admin.get(f"/admin/notifications/webhookendpoint/{endpoint.pk}/change/")
    assert "workorder.dispatched, workorder.replied, workorder.breach" in page.content.decode()


@pytest.mark.parametrize("events", ["", "Dispatched"])
def test_an_endpoint_without_valid_event_codes_is_refused(site_admin, events):
    response = site_admin.post(
        "/admin/notifications/webhookendpoint/add/",
        {"url": "https://crm.example.cn/hooks", "events": events, "secret": "whsec-crm"},
    )
    assert response.status_code == 200
    assert not WebhookEndpoint.objects.exists()


def test_an_administrator_sends_failed_deliveries_again(
    site_admin, cast, endpoint, receiver, django_capture_on_commit_callbacks
):
    delivery = queued(cast)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status="failed", attempts=8)
    with django_capture_on_commit_callbacks(execute=True):
        response = site_admin.post(
            "/admin/notifications/webhookdelivery/",
            {"action": "redeliver", "_selected_action": [delivery.pk]},
        )
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 1)


@pytest.mark.parametrize(
    "model", ["webhookendpoint", "webhookdelivery", "notification", "smsmessage"]
)
def test_the_admin_site_lists_each_notification_record(site_admin, model):
    assert site_admin.get(f"/admin/notifications/{model}/").status_code == 200
