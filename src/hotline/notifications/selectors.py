"""Reads of the inbox: always one user's own notifications."""

from django.db.models import QuerySet

from hotline.notifications.models import Notification


def inbox(user) -> QuerySet[Notification]:
    """The user's notifications, newest first."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_count(user) -> int:
    return inbox(user).filter(read_at__isnull=True).count()


def recent_for(user, limit: int = 10) -> list[Notification]:
    """The user's newest notifications, read or not, at most `limit`."""
    return list(inbox(user)[:limit])
