"""SMS to customers: recorded, sent after commit through the configured backend, traceable."""

import pytest
from django.db import transaction

from hotline.notifications import sms
from hotline.notifications.models import SmsMessage
from hotline.notifications.sms import SmsBackend, send_customer_sms

TEXT = "您的工单GD20260001已转交专业部门处理，受理工号10001。"


class RefusingGateway(SmsBackend):
    def send(self, number: str, text: str) -> None:
        raise ConnectionError("gateway answered 503")


def test_a_message_is_sent_after_commit_and_recorded(
    db, capsys, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = send_customer_sms(number="+86 138-1234-5678", text=TEXT)
        assert SmsMessage.objects.get().status == "queued"
    message.refresh_from_db()
    assert (message.number, message.status, message.backend) == ("13812345678", "sent", "console")
    assert message.sent_at is not None
    assert capsys.readouterr().out == f"SMS to 13812345678: {TEXT}\n"


def test_a_change_that_rolls_back_sends_and_records_no_message(
    db, capsys, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            send_customer_sms(number="13812345678", text=TEXT)
            raise RuntimeError("the dispatch failed")
    assert not SmsMessage.objects.exists()
    assert capsys.readouterr().out == ""


def test_a_fixed_line_is_recorded_as_failed_and_not_sent(
    db, capsys, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = send_customer_sms(number="025-8400-1234", text=TEXT)
    assert callbacks == []
    assert (message.number, message.status, message.error) == (
        "02584001234",
        "failed",
        "not a mobile number",
    )
    assert capsys.readouterr().out == ""


def test_a_message_without_text_is_refused(db):
    with pytest.raises(ValueError):
        send_customer_sms(number="13812345678", text="  ")
    assert not SmsMessage.objects.exists()


def test_a_gateway_refusal_is_recorded_on_the_message(
    db, settings, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setitem(sms._BACKENDS, "refusing", RefusingGateway)
    settings.HOTLINE_SMS_BACKEND = "refusing"
    with django_capture_on_commit_callbacks(execute=True):
        message = send_customer_sms(number="13812345678", text=TEXT)
    message.refresh_from_db()
    assert (message.status, message.backend) == ("failed", "refusing")
    assert message.error == "ConnectionError: gateway answered 503"
    assert message.sent_at is None


def test_a_message_is_sent_once_however_often_its_job_runs(db, capsys):
    message = send_customer_sms(number="13812345678", text=TEXT)
    now = message.created_at
    assert sms.deliver_sms(message.pk, now=now) == "sent"
    assert sms.deliver_sms(message.pk, now=now) is None
    assert capsys.readouterr().out.count("SMS to") == 1
