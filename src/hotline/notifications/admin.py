import re

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hotline.notifications import webhooks
from hotline.notifications.models import Notification, SmsMessage, WebhookDelivery, WebhookEndpoint
from hotline.read_only_admin import ReadOnlyAdmin


class EventCodesField(forms.CharField):
    """The JSON list of event codes, typed as codes separated by commas or spaces."""

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return [code for code in re.split(r"[\s,，]+", super().to_python(value)) if code]


class WebhookEndpointForm(forms.ModelForm):
    # An address typed without a scheme is taken as https (Django 6's default, chosen now).
    url = forms.URLField(label=_("地址"), max_length=500, assume_scheme="https")
    events = EventCodesField(
        label=_("订阅事件"), help_text=_("事件编码，以逗号或空格分隔；* 表示全部事件。")
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["url", "description", "events", "is_active", "secret"]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ["url", "description", "is_active", "created_at"]
    list_filter = ["is_active"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "event",
        "endpoint",
        "status",
        "attempts",
        "response_status",
        "next_attempt_at",
        "delivered_at",
    ]
    list_filter = ["status", "event", "endpoint"]
    actions = ["redeliver"]

    def has_redeliver_permission(self, request):
        # The change permission means this here: the record itself is never edited.
        return request.user.has_perm("notifications.change_webhookdelivery")

    @admin.action(description=_("重新投递所选的失败投递"), permissions=["redeliver"])
    def redeliver(self, request, queryset):
        count = webhooks.redeliver(queryset.values_list("pk", flat=True), now=timezone.now())
        self.message_user(
            request,
            gettext("已重新排队 %(count)d 条投递。") % {"count": count},
        )


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["title", "recipient", "event", "created_at", "read_at"]
    list_filter = ["event"]
    raw_id_fields = ["recipient"]


@admin.register(SmsMessage)
class SmsMessageAdmin(ReadOnlyAdmin):
    list_display = ["number", "status", "backend", "created_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["number"]
