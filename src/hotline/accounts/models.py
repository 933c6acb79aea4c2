"""The people of the center: users with agent IDs, their teams, skills and regions."""

from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from hotline.accounts.roles import ROLE_NAMES


class Region(models.Model):
    """A district of the city; customers belong to one and users are given some."""

    code = models.CharField(_("区域编码"), max_length=20, unique=True)
    name = models.CharField(_("区域名称"), max_length=50, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("区域")
        verbose_name_plural = _("区域")

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    name = models.CharField(_("部门名称"), max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("部门")
        verbose_name_plural = _("部门")

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    name = models.CharField(_("班组名称"), max_length=80, unique=True)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="teams", verbose_name=_("部门")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("班组")
        verbose_name_plural = _("班组")

    def __str__(self) -> str:
        return self.name


class SkillGroup(models.Model):
    code = models.CharField(_("技能组编码"), max_length=30, unique=True)
    name = models.CharField(_("技能组名称"), max_length=80)

    class Meta:
        ordering = ["code"]
        verbose_name = _("技能组")
        verbose_name_plural = _("技能组")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in; the agent ID is the only identity a customer hears."""

    agent_id = models.CharField(_("工号"), max_length=20, unique=True)
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("部门")
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("班组")
    )
    skill_groups = models.ManyToManyField(SkillGroup, blank=True, verbose_name=_("技能组"))
    regions = models.ManyToManyField(
        Region,
        blank=True,
        verbose_name=_("负责区域"),
        help_text=_("可查看这些区域的客户；经理与管理员可查看全部区域。"),
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return f"{self.agent_id} {self.full_name or self.username}"

    @cached_property
    def role(self) -> str | None:
        """The user's first role in the order roles are listed; None for no role.

        Read once per user object, as Django caches permissions: a request asks often.
        """
        names = {group.name for group in self.groups.all()}
        return next((name for name in ROLE_NAMES if name in names), None)
