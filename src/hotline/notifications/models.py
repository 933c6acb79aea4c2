"""Notifications: the in-app inbox, outbound webhooks and their deliveries, SMS to customers."""

import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Dotted lower-case codes, the module first: "workorder.dispatch", "workorder.warning".
EVENT_CODE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")
EVERY_EVENT = "*"


def validate_event_codes(value) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError(_("请至少填写一个事件编码，或填写 * 表示全部事件。"))
    for code in value:
        if code != EVERY_EVENT and not (isinstance(code, str) and EVENT_CODE.fullmatch(code)):
            raise ValidationError(
                _("“%(code)s”不是有效的事件编码，例如 workorder.dispatched。"),
                params={"code": code},
            )


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class Notification(models.Model):
    """One message in one user's inbox; read once the user opens or dismisses it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("接收人"),
    )
    event = models.CharField(_("事件"), max_length=64)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    payload = models.JSONField(_("附加数据"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox")
        ]
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")

    def __str__(self) -> str:
        return self.title


class WebhookEndpoint(models.Model):
    """A system outside Hotline that is told of the events it subscribes to."""

    url = models.URLField(_("地址"), max_length=500)
    secret = models.CharField(
        _("签名密钥"),
        max_length=200,
        default=new_secret,
        help_text=_("用于计算 X-Hotline-Signature 签名，接收方据此验证请求来自本系统。"),
    )
    events = models.JSONField(
        _("订阅事件"),
        default=list,
        validators=[validate_event_codes],
        help_text=_("事件编码，以逗号或空格分隔；* 表示全部事件。"),
    )
    is_active = models.BooleanField(_("启用"), default=True)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["url", "id"]
        verbose_name = _("Webhook 端点")
        verbose_name_plural = _("Webhook 端点")

    def __str__(self) -> str:
        return self.description or self.url

    def subscribes_to(self, event: str) -> bool:
        return EVERY_EVENT in self.events or event in self.events


class WebhookDelivery(models.Model):
    """One event to send to one endpoint, and how its attempts went.

    While pending, `next_attempt_at` is when the next attempt may start; a worker that
    claims an attempt moves it forward to the retry time, so an attempt cut short by a
    crash is retried then.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("待投递")
        DELIVERED = "delivered", _("已投递")
        FAILED = "failed", _("投递失败")

    endpoint = models.ForeignKey(
        WebhookEndpoint,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("端点"),
    )
    event = models.CharField(_("事件"), max_length=64)
    payload = models.JSONField(_("请求内容"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("投递时间"), null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(_("响应状态码"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due")]
        verbose_name = _("Webhook 投递")
        verbose_name_plural = _("Webhook 投递")

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint_id} ({self.status})"


class SmsMessage(models.Model):
    """A text message to a customer's number, kept so that what was sent can be traced."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    number = models.CharField(_("号码"), max_length=20, db_index=True)
    text = models.TextField(_("内容"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    backend = models.CharField(_("发送通道"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    error = models.TextField(_("错误"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("短信")
        verbose_name_plural = _("短信")

    def __str__(self) -> str:
        return f"{self.number} {self.created_at:%Y-%m-%d %H:%M}"
