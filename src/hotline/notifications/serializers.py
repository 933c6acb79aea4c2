"""API shape of the inbox."""

from rest_framework import serializers

from hotline.model_serializers import ModelSerializer
from hotline.notifications.models import Notification


class NotificationSerializer(ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "event", "title", "body", "link", "payload", "created_at", "read_at"]


class UnreadCountSerializer(serializers.Serializer):
    unread = serializers.IntegerField()


class MarkedReadSerializer(serializers.Serializer):
    marked_read = serializers.IntegerField()
