"""What the contact KPIs need beside the contact records: the outages of the systems."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Outage(models.Model):
    """A time the center's systems were down (系统故障), for system availability."""

    system = models.CharField(_("系统"), max_length=60)
    started_at = models.DateTimeField(_("开始"))
    ended_at = models.DateTimeField(_("结束"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["-started_at"]
        permissions = [("view_contact_reports", _("可查看话务报表与墙板"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_at__gt=models.F("started_at")), name="outage_has_length"
            )
        ]
        verbose_name = _("系统故障")
        verbose_name_plural = _("系统故障")

    def __str__(self) -> str:
        return f"{self.system} {self.started_at:%Y-%m-%d %H:%M}"
