"""Background jobs of notifications.

Webhook and SMS jobs claim their row before sending, so running one twice is harmless;
an e-mail job is best effort and sent once (the inbox keeps the notification).
"""

from celery import shared_task
from django.utils import timezone

from hotline.notifications import mail, sms, webhooks


@shared_task(name="notifications.send_email")
def send_notification_email(addresses: list[str], subject: str, body: str, url: str) -> None:
    mail.send_notice_email(addresses=addresses, subject=subject, body=body, url=url)


@shared_task(name="notifications.deliver_webhook")
def deliver_webhook(delivery_id: int) -> None:
    webhooks.attempt_delivery(delivery_id, now=timezone.now())


@shared_task(name="notifications.retry_due_webhooks")
def retry_due_webhooks() -> None:
    """Periodic: the retries that are due, and first attempts a broker outage held back."""
    webhooks.deliver_due_webhooks(timezone.now())


@shared_task(name="notifications.send_sms")
def send_sms(message_id: int) -> None:
    sms.deliver_sms(message_id, now=timezone.now())
