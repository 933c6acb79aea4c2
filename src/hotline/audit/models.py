"""The audit history: who changed or saw what, when; written once, never edited."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete recorded history."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit history cannot be changed")

    def delete(self):
        raise AppendOnlyError("audit history cannot be deleted")


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("新建")
        UPDATE = "update", _("修改")
        DELETE = "delete", _("删除")
        REVEAL = "reveal", _("查看明文")
        STEP = "step", _("流转")

    class Source(models.TextChoices):
        WEB = "web", _("页面")
        API = "api", _("接口")
        IMPORT = "import", _("批量导入")
        CLI = "cli", _("命令行")
        SYSTEM = "system", _("系统")

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    # A snapshot, so the history still names the person after the account is renamed or removed.
    actor_label = models.CharField(_("操作人"), max_length=80)
    action = models.CharField(_("动作"), max_length=10, choices=Action.choices)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    target_type = models.CharField(_("对象类型"), max_length=30)
    target_id = models.BigIntegerField(_("对象编号"))
    target_label = models.CharField(_("对象"), max_length=120)
    # Not a foreign key: history outlives the customer and must never cascade away with it.
    customer_id = models.BigIntegerField(_("客户ID"), null=True, db_index=True)
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_label}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("audit history cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit history cannot be deleted")
