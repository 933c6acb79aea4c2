"""Contacts (接触记录): each call or message from a customer, as the telephony system reports it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hotline.customers.models import Customer


class Contact(models.Model):
    class Channel(models.TextChoices):
        PHONE = "phone", _("电话")
        CHAT = "chat", _("在线客服")
        SMS = "sms", _("短信")
        EMAIL = "email", _("邮件")
        APP = "app", _("App")

    class Status(models.TextChoices):
        RINGING = "ringing", _("振铃")
        ANSWERED = "answered", _("通话中")
        ENDED = "ended", _("已结束")

    channel = models.CharField(
        _("渠道"), max_length=10, choices=Channel.choices, default=Channel.PHONE
    )
    # The telephony system's own id of the call (Asterisk uniqueid); one contact per call.
    call_id = models.CharField(_("呼叫编号"), max_length=64, unique=True)
    caller_number = models.CharField(_("主叫号码"), max_length=40, blank=True)
    called_number = models.CharField(_("被叫号码"), max_length=40, blank=True)
    queue = models.CharField(_("队列"), max_length=40, blank=True)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("坐席"),
    )
    customer = models.ForeignKey(
        Customer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("客户"),
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices)
    started_at = models.DateTimeField(_("开始时间"))
    answered_at = models.DateTimeField(_("应答时间"), null=True, blank=True)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    # When the agent's desk showed it: a ring pops the customer once, not on every poll.
    popped_at = models.DateTimeField(_("弹屏时间"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["agent", "-started_at"], name="contact_agent_recent"),
            models.Index(fields=["customer", "-started_at"], name="contact_customer_recent"),
        ]
        permissions = [("receive_cti_events", _("可推送话务事件（CTI）"))]
        verbose_name = _("接触记录")
        verbose_name_plural = _("接触记录")

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.caller_number} {self.started_at:%Y-%m-%d %H:%M}"
