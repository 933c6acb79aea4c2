"""E-mail of notifications, through Django's configured EMAIL_BACKEND."""

from django.core.mail import EmailMessage, get_connection


def send_notice_email(*, addresses: list[str], subject: str, body: str, url: str) -> int:
    """One message per address, so recipients do not see each other's; how many were sent."""
    text = f"{body}\n\n{url}" if url else body
    messages = [EmailMessage(subject=subject, body=text, to=[address]) for address in addresses]
    return get_connection().send_messages(messages)
