"""What a planner keeps: shift templates, forecasts per queue and week, and schedules with
their shifts, which agents see once published."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from hotline.accounts.models import SkillGroup
from hotline.contacts.models import Queue
from hotline.staffing import shift_templates as staffing

WEEKDAYS = tuple(range(7))
BREAK_KINDS = ("break", "meal")


def _all_weekdays() -> list[int]:
    return list(WEEKDAYS)


def check_breaks(breaks: object, length_minutes: int) -> None:
    """A template's breaks: a list of {kind, minutes, paid, earliest, latest}, offsets in
    minutes after the shift starts, each break ending inside the shift."""
    if not isinstance(breaks, list):
        raise ValidationError({"breaks": _("休息须为列表")})
    for number, item in enumerate(breaks, start=1):
        if not isinstance(item, dict) or set(item) != {
            "kind",
            "minutes",
            "paid",
            "earliest",
            "latest",
        }:
            raise ValidationError(
                {
                    "breaks": _("第 %(n)d 项须含 kind、minutes、paid、earliest、latest")
                    % {"n": number}
                }
            )
        if item["kind"] not in BREAK_KINDS or not isinstance(item["paid"], bool):
            raise ValidationError(
                {"breaks": _("第 %(n)d 项类型须为 break 或 meal") % {"n": number}}
            )
        minutes, earliest, latest = item["minutes"], item["earliest"], item["latest"]
        if not all(isinstance(value, int) for value in (minutes, earliest, latest)):
            raise ValidationError({"breaks": _("第 %(n)d 项的分钟数须为整数") % {"n": number}})
        if not (minutes > 0 and 0 <= earliest <= latest and latest + minutes <= length_minutes):
            raise ValidationError(
                {"breaks": _("第 %(n)d 项的时间窗须落在班次之内") % {"n": number}}
            )


class WorkContract(models.Model):
    """What rostering must respect for one agent: weekly hours, days they cannot work, and
    what they would prefer."""

    class StartPreference(models.TextChoices):
        NONE = "", _("无")
        EARLY = "early", _("早班")
        LATE = "late", _("晚班")

    agent = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="work_contract",
        verbose_name=_("坐席"),
    )
    weekly_hours = models.DecimalField(
        _("每周合同工时"), max_digits=4, decimal_places=1, default=40
    )
    unavailable_weekdays = models.JSONField(_("不可排班的星期（0=周一）"), default=list, blank=True)
    preferred_days_off = models.JSONField(_("希望休息的星期（0=周一）"), default=list, blank=True)
    preferred_start = models.CharField(
        _("班次偏好"), max_length=5, choices=StartPreference.choices, blank=True
    )

    class Meta:
        verbose_name = _("工时合同")
        verbose_name_plural = _("工时合同")

    def __str__(self) -> str:
        return f"{self.agent} {self.weekly_hours}h"

    def clean(self) -> None:
        if not 0 < self.weekly_hours <= 60:
            raise ValidationError({"weekly_hours": _("每周工时须在 0 到 60 小时之间")})
        for field in ("unavailable_weekdays", "preferred_days_off"):
            days = getattr(self, field)
            if not isinstance(days, list) or not set(days) <= set(WEEKDAYS):
                raise ValidationError({field: _("星期须为 0（周一）到 6（周日）的列表")})


class ShiftTemplate(models.Model):
    """A kind of shift (班次模板): when it may start, how long it lasts, its breaks, its cost."""

    code = models.CharField(_("编码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=40)
    earliest_start = models.TimeField(_("最早开始"))
    latest_start = models.TimeField(_("最晚开始"))
    start_step_minutes = models.PositiveSmallIntegerField(_("开始时间步长（分钟）"), default=30)
    length_minutes = models.PositiveSmallIntegerField(_("时长（分钟）"))
    weekdays = models.JSONField(_("可用星期（0=周一）"), default=_all_weekdays)
    cost = models.DecimalField(_("每班成本（元）"), max_digits=8, decimal_places=2)
    breaks = models.JSONField(_("休息"), default=list, blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("班次模板")
        verbose_name_plural = _("班次模板")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        if not 15 <= self.length_minutes <= 16 * 60:
            raise ValidationError({"length_minutes": _("班次时长须在 15 分钟到 16 小时之间")})
        if self.latest_start < self.earliest_start:
            raise ValidationError({"latest_start": _("最晚开始不能早于最早开始")})
        if self.start_step_minutes == 0 or self.start_step_minutes % 15:
            raise ValidationError({"start_step_minutes": _("步长须为 15 分钟的倍数")})
        if (
            not isinstance(self.weekdays, list)
            or not self.weekdays
            or not set(self.weekdays) <= set(WEEKDAYS)
        ):
            raise ValidationError({"weekdays": _("星期须为 0（周一）到 6（周日）的列表")})
        check_breaks(self.breaks, self.length_minutes)
        try:
            self.to_staffing()
        except ValueError as error:
            raise ValidationError({"breaks": str(error)}) from None

    def start_minutes(self) -> tuple[int, ...]:
        first = self.earliest_start.hour * 60 + self.earliest_start.minute
        last = self.latest_start.hour * 60 + self.latest_start.minute
        return tuple(range(first, last + 1, self.start_step_minutes))

    def to_staffing(self) -> staffing.ShiftTemplate:
        """The template as the scheduler takes it; its breaks keep their order."""
        return staffing.ShiftTemplate(
            code=self.code,
            name=self.name,
            length=self.length_minutes,
            starts=self.start_minutes(),
            cost=float(self.cost),
            breaks=tuple(
                staffing.Break(
                    length=item["minutes"],
                    earliest=item["earliest"],
                    latest=item["latest"],
                    paid=item["paid"],
                )
                for item in self.breaks
            ),
            days=frozenset(self.weekdays),
        )


class Forecast(models.Model):
    """The forecast of one queue for one week: volume and handle time per interval."""

    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, verbose_name=_("队列"))
    week_start = models.DateField(_("周一"))
    interval_minutes = models.PositiveSmallIntegerField(_("时段（分钟）"))
    volumes = models.JSONField(_("话务量"))
    handle_times = models.JSONField(_("平均处理时长（秒）"))
    model = models.CharField(_("模型"), max_length=40)
    backtest = models.JSONField(_("回测"), default=list)
    created_at = models.DateTimeField(_("生成时间"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        verbose_name=_("生成人"),
    )

    class Meta:
        ordering = ["-week_start", "queue__code"]
        constraints = [
            models.UniqueConstraint(fields=["queue", "week_start"], name="one_forecast_per_week")
        ]
        permissions = [("plan_workforce", _("可做话务预测与排班"))]
        verbose_name = _("话务预测")
        verbose_name_plural = _("话务预测")

    def __str__(self) -> str:
        return f"{self.queue.code} {self.week_start}"


class Schedule(models.Model):
    """A skill group's week of shifts: built as a draft, published for agents to see."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        SUPERSEDED = "superseded", _("已被替代")

    skill_group = models.ForeignKey(SkillGroup, on_delete=models.PROTECT, verbose_name=_("技能组"))
    week_start = models.DateField(_("周一"))
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    interval_minutes = models.PositiveSmallIntegerField(_("时段（分钟）"))
    required = models.JSONField(_("需求人数"))
    scheduled = models.JSONField(_("排班人数"))
    objective = models.CharField(_("目标"), max_length=12)
    total_cost = models.DecimalField(_("总成本（元）"), max_digits=12, decimal_places=2)
    # None for a schedule not made by the solver (the demo's current rota, say).
    lower_bound = models.FloatField(_("线性松弛下界（元）"), null=True, blank=True)
    solver_status = models.CharField(_("求解状态"), max_length=40)
    roster_problems = models.JSONField(_("排班问题"), default=list)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("生成人"),
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发布人"),
    )

    class Meta:
        ordering = ["-week_start", "skill_group__code", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["skill_group", "week_start"],
                condition=models.Q(status="published"),
                name="one_published_schedule_per_week",
            )
        ]
        verbose_name = _("排班表")
        verbose_name_plural = _("排班表")

    def __str__(self) -> str:
        return f"{self.skill_group.code} {self.week_start} {self.get_status_display()}"

    @property
    def gap(self) -> float | None:
        """How far the cost may be above the optimum: (cost − LP bound) ÷ cost."""
        cost = float(self.total_cost)
        if self.lower_bound is None:
            return None
        return 0.0 if cost <= 0 else max(0.0, (cost - self.lower_bound) / cost)


def activity(kind: str, start: datetime, minutes: int, paid: bool) -> dict:
    """One entry of `ScheduledShift.activities`: a break, meal or session in the shift."""
    return {
        "kind": kind,
        "start": start.isoformat(),
        "end": (start + timedelta(minutes=minutes)).isoformat(),
        "paid": paid,
    }


class ScheduledShift(models.Model):
    """One agent's shift in a schedule, with its breaks (or an unfilled one, agent empty)."""

    schedule = models.ForeignKey(
        Schedule, on_delete=models.CASCADE, related_name="shifts", verbose_name=_("排班表")
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="shifts",
        verbose_name=_("坐席"),
    )
    template = models.ForeignKey(
        ShiftTemplate, on_delete=models.PROTECT, verbose_name=_("班次模板")
    )
    starts_at = models.DateTimeField(_("开始"))
    ends_at = models.DateTimeField(_("结束"))
    # [{"kind": "break" | "meal", "start": ISO time, "end": ISO time, "paid": bool}]
    activities = models.JSONField(_("休息安排"), default=list)

    class Meta:
        ordering = ["starts_at", "agent__agent_id"]
        indexes = [models.Index(fields=["agent", "starts_at"], name="shift_agent_start")]
        verbose_name = _("班次")
        verbose_name_plural = _("班次")

    def __str__(self) -> str:
        return f"{self.template.code} {self.starts_at:%Y-%m-%d %H:%M}"
