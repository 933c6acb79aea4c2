"""REST endpoints of the caller's own inbox; another user's notification does not exist here."""

import django_filters
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from hotline.accounts.permissions import HasRole
from hotline.notifications import selectors, services
from hotline.notifications.models import Notification
from hotline.notifications.serializers import (
    MarkedReadSerializer,
    NotificationSerializer,
    UnreadCountSerializer,
)


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(
        field_name="read_at", lookup_expr="isnull", label="unread only (true) or read only (false)"
    )

    class Meta:
        model = Notification
        fields = ["unread"]


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The signed-in user's notifications, newest first (for members of the center)."""

    permission_classes = [HasRole]
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    queryset = Notification.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self):
        return selectors.inbox(self.request.user)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark one notification read."""
        notification = services.mark_read(
            user=request.user, notification=self.get_object(), now=timezone.now()
        )
        return Response(NotificationSerializer(notification).data)

    @extend_schema(request=None, responses=MarkedReadSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        """Mark every unread notification read; how many were unread."""
        count = services.mark_all_read(user=request.user, now=timezone.now())
        return Response({"marked_read": count})

    @extend_schema(responses=UnreadCountSerializer)
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request):
        """How many notifications are unread, for the badge in the top bar."""
        return Response({"unread": selectors.unread_count(request.user)})
