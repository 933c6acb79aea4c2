"""Notifications: who hears of an event, through which channel, and when (after commit).

小王 (agent) has an e-mail address; 李工 (second line) has none.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from rest_framework.test import APIClient

from hotline.notifications import selectors
from hotline.notifications.channels import registered_channels
from hotline.notifications.checks import check_notification_settings
from hotline.notifications.models import Notification, WebhookDelivery, WebhookEndpoint
from hotline.notifications.services import notify
from hotline.notifications.sms import registered_sms_backends

DOCS = Path(__file__).resolve().parents[2] / "docs" / "notifications.md"


@pytest.fixture
def people(cast):
    cast["xiaowang"].email = "xiaowang@hotline.example.cn"
    cast["xiaowang"].save()
    return cast


def dispatched(recipients, **changes):
    """Notify of a dispatched work order, as the work orders module does."""
    notify(
        **{
            "recipients": recipients,
            "event": "workorder.dispatched",
            "title": "工单 GD20260001 已派单",
            "body": "宽带无法上网，请尽快处理。",
            "link": "/orders/1/",
            "payload": {"order": "GD20260001", "id": 1},
            **changes,
        }
    )


def test_each_recipient_gets_one_notification_in_their_inbox(people):
    dispatched([people["xiaowang"], people["ligong"]])
    rows = Notification.objects.order_by("recipient__agent_id")
    assert [(row.recipient.username, row.event, row.title, row.link) for row in rows] == [
        ("xiaowang", "workorder.dispatched", "工单 GD20260001 已派单", "/orders/1/"),
        ("ligong", "workorder.dispatched", "工单 GD20260001 已派单", "/orders/1/"),
    ]
    assert rows[0].payload == {"order": "GD20260001", "id": 1}
    assert rows[0].read_at is None


def test_a_recipient_named_twice_is_notified_once(people):
    dispatched([people["xiaowang"], people["xiaowang"]])
    assert Notification.objects.count() == 1


def test_an_inactive_user_is_not_notified(people):
    people["ligong"].is_active = False
    people["ligong"].save()
    dispatched([people["xiaowang"], people["ligong"]])
    assert [row.recipient.username for row in Notification.objects.all()] == ["xiaowang"]


def test_a_title_is_kept_to_one_line(people):
    dispatched([people["xiaowang"]], title="工单 GD20260001\n已派单")
    assert Notification.objects.get().title == "工单 GD20260001 已派单"


@pytest.mark.parametrize(
    ("change", "error"),
    [
        pytest.param({"event": "dispatched"}, ValueError, id="event without its module"),
        pytest.param({"event": "WorkOrder.Dispatched"}, ValueError, id="event in capitals"),
        pytest.param({"link": "https://example.com/"}, ValueError, id="link outside Hotline"),
        pytest.param({"link": "//example.com/"}, ValueError, id="link to another host"),
        pytest.param({"payload": {"at": object()}}, TypeError, id="payload not JSON"),
    ],
)
def test_a_malformed_notice_is_refused_before_anything_is_written(people, change, error):
    with pytest.raises(error):
        dispatched([people["xiaowang"]], **change)
    assert not Notification.objects.exists()


def test_e_mail_goes_after_commit_to_each_recipient_with_an_address(
    people, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.HOTLINE_BASE_URL = "https://hotline.example.cn"
    with django_capture_on_commit_callbacks(execute=True):
        dispatched([people["xiaowang"], people["ligong"]])
        assert mailoutbox == []
    [message] = mailoutbox
    assert message.to == ["xiaowang@hotline.example.cn"]
    assert message.subject == "工单 GD20260001 已派单"
    assert message.body == "宽带无法上网，请尽快处理。\n\nhttps://hotline.example.cn/orders/1/"


def test_a_change_that_rolls_back_notifies_no_one(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    WebhookEndpoint.objects.create(url="http://127.0.0.1:9/hooks", events=["*"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            dispatched([people["xiaowang"]])
            raise RuntimeError("the dispatch failed")
    assert callbacks == []
    assert mailoutbox == []
    assert not Notification.objects.exists()
    assert not WebhookDelivery.objects.exists()


def test_only_the_configured_channels_run(
    people, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.HOTLINE_NOTIFICATION_CHANNELS = ["email"]
    with django_capture_on_commit_callbacks(execute=True):
        dispatched([people["xiaowang"]])
    assert len(mailoutbox) == 1
    assert not Notification.objects.exists()


def test_an_unknown_channel_in_the_settings_stops_notifying(people, settings):
    settings.HOTLINE_NOTIFICATION_CHANNELS = ["inbox", "pigeon"]
    with pytest.raises(ImproperlyConfigured, match="pigeon"):
        dispatched([people["xiaowang"]])


def test_the_system_check_names_an_unknown_channel_and_an_unknown_sms_backend(settings):
    settings.HOTLINE_NOTIFICATION_CHANNELS = ["inbox", "pigeon"]
    settings.HOTLINE_SMS_BACKEND = "telegraph"
    errors = check_notification_settings(None)
    assert [error.id for error in errors] == ["notifications.E001", "notifications.E002"]
    assert "pigeon" in errors[0].msg and "telegraph" in errors[1].msg


def test_the_default_settings_pass_the_system_check():
    assert check_notification_settings(None) == []


def setting_at_start(tmp_path, name, **environment):
    """Start a process with `environment` (None unsets) and print setting `name`."""
    variables = {
        **os.environ,
        "HOTLINE_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "hotline.settings",
    }
    for variable, value in environment.items():
        if value is None:
            variables.pop(variable, None)
        else:
            variables[variable] = value
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django; django.setup(); from django.conf import settings; "
            f"print(settings.{name})",
        ],
        capture_output=True,
        text=True,
        env=variables,
    )


def test_without_an_email_host_e_mail_is_printed_to_the_console(tmp_path):
    result = setting_at_start(tmp_path, "EMAIL_BACKEND", EMAIL_HOST=None)
    assert result.stdout.strip() == "django.core.mail.backends.console.EmailBackend"


def test_with_an_email_host_e_mail_goes_over_smtp(tmp_path):
    result = setting_at_start(tmp_path, "EMAIL_BACKEND", EMAIL_HOST="smtp.example.cn")
    assert result.stdout.strip() == "django.core.mail.backends.smtp.EmailBackend"


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("HOTLINE_WEBHOOK_MAX_ATTEMPTS", "0", "HOTLINE_WEBHOOK_MAX_ATTEMPTS must be at least 1"),
        ("HOTLINE_WEBHOOK_RETRY_SECONDS", "soon", "HOTLINE_WEBHOOK_RETRY_SECONDS must be a whole"),
        ("HOTLINE_BASE_URL", "hotline.example.cn", "HOTLINE_BASE_URL must start with http"),
        ("EMAIL_PORT", "smtp", "EMAIL_PORT must be a whole number"),
    ],
)
def test_a_bad_notification_setting_stops_the_start_with_its_name(
    tmp_path, variable, value, message
):
    result = setting_at_start(tmp_path, variable, **{variable: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_tls_and_ssl_together_stop_the_start(tmp_path):
    result = setting_at_start(tmp_path, "EMAIL_USE_TLS", EMAIL_USE_TLS="1", EMAIL_USE_SSL="1")
    assert result.returncode != 0
    assert "EMAIL_USE_TLS and EMAIL_USE_SSL" in result.stderr


@pytest.mark.parametrize("name", sorted(registered_channels()))
def test_every_channel_is_documented(name):
    assert f"| `{name}` |" in DOCS.read_text()


@pytest.mark.parametrize("name", sorted(registered_sms_backends()))
def test_every_sms_backend_is_documented(name):
    assert f"| `{name}` |" in DOCS.read_text()


# The inbox: selectors and the API.


@pytest.fixture
def inboxes(people):
    """Two notifications for 小王, the older one read; one for 老张."""
    dispatched([people["xiaowang"], people["laozhang"]], title="第一条")
    dispatched([people["xiaowang"]], title="第二条")
    first = Notification.objects.get(recipient=people["xiaowang"], title="第一条")
    first.read_at = first.created_at
    first.save()
    return {row.title + row.recipient.username: row for row in Notification.objects.all()}


def test_the_unread_count_counts_only_the_users_unread_notifications(people, inboxes):
    assert selectors.unread_count(people["xiaowang"]) == 1
    assert selectors.unread_count(people["laozhang"]) == 1
    assert selectors.unread_count(people["ligong"]) == 0


def test_recent_notifications_are_the_users_own_newest_first(people, inboxes):
    assert [row.title for row in selectors.recent_for(people["xiaowang"])] == ["第二条", "第一条"]
    assert [row.title for row in selectors.recent_for(people["xiaowang"], limit=1)] == ["第二条"]


def test_the_inbox_lists_only_the_callers_notifications(api_as, inboxes):
    response = api_as("xiaowang").get("/api/notifications/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [row["title"] for row in body["results"]] == ["第二条", "第一条"]
    assert set(body["results"][0]) == {
        "id",
        "event",
        "title",
        "body",
        "link",
        "payload",
        "created_at",
        "read_at",
    }


@pytest.mark.parametrize(("unread", "titles"), [("true", ["第二条"]), ("false", ["第一条"])])
def test_the_inbox_filters_unread_or_read(api_as, inboxes, unread, titles):
    response = api_as("xiaowang").get("/api/notifications/", {"unread": unread})
    assert [row["title"] for row in response.json()["results"]] == titles


def test_marking_a_notification_read_sets_its_reading_time(api_as, inboxes):
    unread = inboxes["第二条xiaowang"]
    response = api_as("xiaowang").post(f"/api/notifications/{unread.pk}/read/")
    assert response.status_code == 200
    unread.refresh_from_db()
    assert unread.read_at is not None
    assert response.json()["read_at"] is not None


def test_marking_a_read_notification_again_keeps_the_first_reading_time(api_as, inboxes):
    read = inboxes["第一条xiaowang"]
    api_as("xiaowang").post(f"/api/notifications/{read.pk}/read/")
    assert Notification.objects.get(pk=read.pk).read_at == read.read_at


def test_another_users_notification_does_not_exist_for_the_caller(api_as, inboxes):
    theirs = inboxes["第一条laozhang"]
    response = api_as("xiaowang").post(f"/api/notifications/{theirs.pk}/read/")
    assert response.status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_marking_all_read_touches_only_the_callers_unread_notifications(api_as, inboxes):
    response = api_as("xiaowang").post("/api/notifications/read-all/")
    assert response.json() == {"marked_read": 1}
    assert api_as("xiaowang").get("/api/notifications/unread-count/").json() == {"unread": 0}
    assert api_as("laozhang").get("/api/notifications/unread-count/").json() == {"unread": 1}


def test_the_inbox_is_for_members_of_the_center_only(api_as, people):
    dispatched([people["outsider"]])
    assert api_as("outsider").get("/api/notifications/").status_code == 403


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/notifications/"),
        ("post", "/api/notifications/{id}/read/"),
        ("post", "/api/notifications/read-all/"),
        ("get", "/api/notifications/unread-count/"),
    ],
)
def test_an_anonymous_caller_has_no_inbox(inboxes, method, path):
    url = path.format(id=inboxes["第二条xiaowang"].pk)
    response = getattr(APIClient(), method)(url)
    assert response.status_code in (401, 403)
    assert Notification.objects.filter(read_at__isnull=True).count() == 2
