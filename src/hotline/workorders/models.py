"""Work orders (工单): what a customer asked for, who owns it, where it is, and its time limits."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hotline.accounts.models import Department, Team
from hotline.contacts.models import Contact
from hotline.core import lifecycle
from hotline.customers.models import Customer, Line, ServiceType


class OrderType(models.TextChoices):
    INQUIRY = lifecycle.OrderType.INQUIRY, _("咨询")
    SERVICE_REQUEST = lifecycle.OrderType.SERVICE_REQUEST, _("业务受理")
    FAULT = lifecycle.OrderType.FAULT, _("故障申告")
    COMPLAINT = lifecycle.OrderType.COMPLAINT, _("投诉")
    SUGGESTION = lifecycle.OrderType.SUGGESTION, _("建议")


class State(models.TextChoices):
    NEW = lifecycle.State.NEW, _("新建")
    ESCALATED = lifecycle.State.ESCALATED, _("待派单")
    DISPATCHED = lifecycle.State.DISPATCHED, _("已派单")
    ACCEPTED = lifecycle.State.ACCEPTED, _("已接单")
    IN_PROGRESS = lifecycle.State.IN_PROGRESS, _("处理中")
    SUSPENDED = lifecycle.State.SUSPENDED, _("挂起")
    REPLIED = lifecycle.State.REPLIED, _("已回单")
    ARCHIVED = lifecycle.State.ARCHIVED, _("已归档")


class Step(models.TextChoices):
    CREATE = "create", _("建单")
    CLOSE_AT_FIRST_CONTACT = lifecycle.Step.CLOSE_AT_FIRST_CONTACT, _("首问办结")
    SOLVE_AT_FIRST_CONTACT = lifecycle.Step.SOLVE_AT_FIRST_CONTACT, _("首问解决")
    ESCALATE = lifecycle.Step.ESCALATE, _("转二线")
    DISPATCH = lifecycle.Step.DISPATCH, _("派单")
    ACCEPT = lifecycle.Step.ACCEPT, _("接单")
    START = lifecycle.Step.START, _("开始处理")
    ARRIVE_ON_SITE = lifecycle.Step.ARRIVE_ON_SITE, _("到场")
    REPLY = lifecycle.Step.REPLY, _("回单")
    TRANSFER = lifecycle.Step.TRANSFER, _("转派")
    SEND_BACK = lifecycle.Step.SEND_BACK, _("退单")
    # The same word names the state and the step; the context lets English tell them apart.
    SUSPEND = lifecycle.Step.SUSPEND, pgettext_lazy("step", "挂起")
    RESUME = lifecycle.Step.RESUME, _("解挂")
    URGE = lifecycle.Step.URGE, _("催单")
    SUPERVISE = lifecycle.Step.SUPERVISE, pgettext_lazy("step", "督办")
    CALLBACK = lifecycle.Step.CALLBACK, _("回访")
    WARN = "warn", _("时限预警")
    BREACH = "breach", _("超时升级")


class FaultScope(models.TextChoices):
    SINGLE_USER = "single_user", _("单用户")
    BUILDING = "building", _("楼宇")
    AREA = "area", _("片区")


class ComplaintLevel(models.TextChoices):
    GENERAL = "general", _("一般")
    IMPORTANT = "important", _("重要")
    MAJOR = "major", _("重大")
    URGENT = "urgent", _("紧急")


class Category(models.Model):
    """A node of the business category tree (业务分类)."""

    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级分类"),
    )
    code = models.CharField(_("分类编码"), max_length=40, unique=True)
    name = models.CharField(_("分类名称"), max_length=60)
    order_type = models.CharField(
        _("适用工单类型"), max_length=20, choices=OrderType.choices, blank=True
    )
    service_type = models.CharField(
        _("业务类型"), max_length=12, choices=ServiceType.choices, blank=True
    )
    first_line_may_close = models.BooleanField(
        _("一线可办结"),
        default=True,
        help_text=_("不勾选时，此类工单必须转二线处理。"),
    )
    default_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("默认处理部门"),
    )
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("业务分类")
        verbose_name_plural = _("业务分类")

    def __str__(self) -> str:
        return self.name


class WorkOrder(models.Model):
    number = models.CharField(_("工单号"), max_length=24, unique=True)
    order_type = models.CharField(_("工单类型"), max_length=20, choices=OrderType.choices)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="+", verbose_name=_("业务分类")
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="work_orders", verbose_name=_("客户")
    )
    line = models.ForeignKey(
        Line,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="work_orders",
        verbose_name=_("号码/账号"),
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="work_orders",
        verbose_name=_("来电"),
    )
    description = models.TextField(_("问题描述"))
    # The description cut into words (jieba), so a Chinese phrase is found by its words.
    search_words = models.TextField(editable=False, blank=True)
    state = models.CharField(
        _("状态"), max_length=12, choices=State.choices, default=State.NEW, db_index=True
    )
    # The first-contact owner (首问负责人): set at creation, kept through every hand-off.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_orders",
        verbose_name=_("首问负责人"),
    )
    owner_team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="work_orders",
        verbose_name=_("处理部门"),
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_orders",
        verbose_name=_("处理人"),
    )
    was_escalated = models.BooleanField(_("曾转二线"), default=False)
    grade = models.PositiveSmallIntegerField(_("故障等级"), null=True, blank=True)
    fault_scope = models.CharField(
        _("影响范围"), max_length=12, choices=FaultScope.choices, blank=True
    )
    complaint_level = models.CharField(
        _("投诉等级"), max_length=10, choices=ComplaintLevel.choices, blank=True
    )
    # The chain level reported to so far: 0 none, 1 team lead, 2 manager, 3 centre head.
    reported_up_to = models.PositiveSmallIntegerField(default=0)
    # 1 is the most urgent; the green channel and breaches move an order up.
    priority = models.PositiveSmallIntegerField(_("优先级"), default=3)
    green_channel = models.BooleanField(_("绿色通道"), default=False)
    customer_tier = models.CharField(_("客户级别"), max_length=10)
    repeat_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="repeats",
        verbose_name=_("重复障碍关联"),
    )
    promised_contact_at = models.DateTimeField(_("承诺联系时间"), null=True, blank=True)
    suspended_from = models.CharField(max_length=12, choices=State.choices, blank=True)
    suspend_reason = models.CharField(_("挂起原因"), max_length=200, blank=True)
    urge_count = models.PositiveIntegerField(_("催单次数"), default=0)
    supervised = models.BooleanField(_("督办"), default=False)
    reopen_count = models.PositiveIntegerField(_("返单次数"), default=0)
    # Each reopening starts a new round of stage clocks.
    round = models.PositiveSmallIntegerField(default=1)
    reply = models.TextField(_("回单内容"), blank=True)
    root_cause = models.CharField(_("根因"), max_length=200, blank=True)
    fix = models.TextField(_("整改措施"), blank=True)
    satisfied = models.BooleanField(_("回访满意"), null=True)
    resolved_at_first_contact = models.BooleanField(_("首问解决"), null=True)
    created_at = models.DateTimeField(_("建单时间"))
    updated_at = models.DateTimeField(_("更新时间"))
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "state", "-created_at"], name="order_owner_state"),
            models.Index(
                fields=["department", "state", "priority", "created_at"],
                name="order_department_queue",
            ),
            models.Index(fields=["customer", "-created_at"], name="order_customer_recent"),
            models.Index(fields=["line", "order_type", "created_at"], name="order_line_history"),
            models.Index(fields=["created_at"], name="order_created"),
        ]
        permissions = [
            ("view_all_orders", _("可查看全部工单")),
            ("receive_centre_head_reports", _("接收中心负责人级通报")),
            ("view_order_reports", _("可查看工单报表")),
        ]
        verbose_name = _("工单")
        verbose_name_plural = _("工单")

    def __str__(self) -> str:
        return self.number


class StageClock(models.Model):
    """The time limit of one stage of one round of an order (respond, on site, solve, callback)."""

    class Stage(models.TextChoices):
        RESPOND = "respond", _("接单时限")
        ON_SITE = "on_site", _("到场时限")
        SOLVE = "solve", _("处理时限")
        CALLBACK = "callback", _("回访时限")

    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="clocks")
    stage = models.CharField(_("环节"), max_length=10, choices=Stage.choices)
    round = models.PositiveSmallIntegerField(default=1)
    calendar = models.ForeignKey(
        "workorders.BusinessCalendar", on_delete=models.PROTECT, related_name="+"
    )
    limit_amount = models.PositiveIntegerField(_("时限"))
    limit_unit = models.CharField(_("单位"), max_length=8)
    warning_share = models.DecimalField(max_digits=3, decimal_places=2)
    started_at = models.DateTimeField(_("起算时间"))
    paused_business = models.DurationField(default=0)
    paused_since = models.DateTimeField(null=True, blank=True)
    # Kept from the calendar by the service, so the sweep finds what is due by index.
    due_at = models.DateTimeField(_("到期时间"), null=True, blank=True)
    warning_at = models.DateTimeField(_("预警时间"), null=True, blank=True)
    met_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    business_used = models.DurationField(_("已用工作时间"), null=True, blank=True)
    met_in_time = models.BooleanField(_("按时完成"), null=True)
    warned_at = models.DateTimeField(_("预警发出"), null=True, blank=True)
    breached_at = models.DateTimeField(_("超时升级"), null=True, blank=True)

    class Meta:
        # By the column: ordering by "order" would join every clock to its order's ordering.
        ordering = ["order_id", "round", "started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "stage", "round"], name="one_clock_per_stage_and_round"
            )
        ]
        indexes = [
            models.Index(
                fields=["warning_at"],
                name="clock_warning_due",
                condition=Q(met_at__isnull=True, warned_at__isnull=True),
            ),
            # Running clocks by due time: the sweep's breaches, "about to breach" and "overdue"
            # (which includes clocks already breached) all read this one.
            models.Index(
                fields=["due_at"],
                include=["order"],  # PostgreSQL answers the lists from the index alone
                name="clock_running_due",
                condition=Q(met_at__isnull=True),
            ),
        ]
        verbose_name = _("环节时限")
        verbose_name_plural = _("环节时限")

    def __str__(self) -> str:
        return f"{self.order_id} {self.stage} #{self.round}"


class BusinessCalendar(models.Model):
    """When the clock runs: 24×7, or opening periods per weekday minus holidays (调休 aware)."""

    name = models.CharField(_("日历名称"), max_length=60, unique=True)
    always_open = models.BooleanField(_("7×24小时"), default=False)
    observe_public_holidays = models.BooleanField(_("遵循法定节假日"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("工作日历")
        verbose_name_plural = _("工作日历")

    def __str__(self) -> str:
        return self.name


class OpeningPeriod(models.Model):
    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("星期一")
        TUESDAY = 1, _("星期二")
        WEDNESDAY = 2, _("星期三")
        THURSDAY = 3, _("星期四")
        FRIDAY = 4, _("星期五")
        SATURDAY = 5, _("星期六")
        SUNDAY = 6, _("星期日")

    calendar = models.ForeignKey(BusinessCalendar, on_delete=models.CASCADE, related_name="periods")
    weekday = models.PositiveSmallIntegerField(_("星期"), choices=Weekday.choices)
    starts = models.TimeField(_("开始"))
    ends = models.TimeField(_("结束"))

    class Meta:
        ordering = ["calendar", "weekday", "starts"]
        verbose_name = _("营业时段")
        verbose_name_plural = _("营业时段")

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts:%H:%M}–{self.ends:%H:%M}"


class PublicHoliday(models.Model):
    """A statutory day off, or a make-up working day (调休) on a weekend."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("调休上班"), default=False)
    name = models.CharField(_("节日"), max_length=30)

    class Meta:
        ordering = ["date"]
        verbose_name = _("法定节假日")
        verbose_name_plural = _("法定节假日")

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class SlaPolicy(models.Model):
    """Time limits for orders of one type, grade or level and customer tier; the most specific
    active policy that matches an order applies."""

    class TierMatch(models.TextChoices):
        ANY = "", _("所有客户")
        VIP = "vip", _("VIP客户")
        REGULAR = "regular", _("普通客户")

    name = models.CharField(_("策略名称"), max_length=80)
    order_type = models.CharField(_("工单类型"), max_length=20, choices=OrderType.choices)
    grade = models.PositiveSmallIntegerField(_("故障等级"), null=True, blank=True)
    complaint_level = models.CharField(
        _("投诉等级"), max_length=10, choices=ComplaintLevel.choices, blank=True
    )
    tier = models.CharField(_("客户"), max_length=10, choices=TierMatch.choices, blank=True)
    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.PROTECT, related_name="+", verbose_name=_("工作日历")
    )
    warning_share = models.DecimalField(
        _("预警比例"),
        max_digits=3,
        decimal_places=2,
        default=0.8,
        help_text=_("已用时限达到此比例时预警，如 0.80。"),
    )
    reassign_on_breach = models.BooleanField(
        _("超时改派"),
        default=False,
        help_text=_("处理超时后退回部门队列，由他人接单。"),
    )
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["order_type", "grade", "complaint_level", "tier"]
        verbose_name = _("时限策略")
        verbose_name_plural = _("时限策略")

    def __str__(self) -> str:
        return self.name


class SlaLimit(models.Model):
    class Unit(models.TextChoices):
        MINUTES = "minutes", _("分钟")
        HOURS = "hours", _("小时")
        DAYS = "days", _("工作日")

    policy = models.ForeignKey(SlaPolicy, on_delete=models.CASCADE, related_name="limits")
    stage = models.CharField(_("环节"), max_length=10, choices=StageClock.Stage.choices)
    amount = models.PositiveIntegerField(_("时限"))
    unit = models.CharField(_("单位"), max_length=8, choices=Unit.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["policy", "stage"], name="one_limit_per_stage")
        ]
        verbose_name = _("环节时限")
        verbose_name_plural = _("环节时限")

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.amount} {self.get_unit_display()}"


class FaultGradingRule(models.Model):
    """One line of the fault grading table; the first matching rule by position sets the grade."""

    class RepeatMatch(models.TextChoices):
        ANY = "", _("不限")
        REPEAT = "repeat", _("重复障碍")
        FIRST = "first", _("首次障碍")

    position = models.PositiveSmallIntegerField(_("顺序"))
    fault_scope = models.CharField(
        _("影响范围"), max_length=12, choices=FaultScope.choices, blank=True
    )
    service_type = models.CharField(
        _("业务类型"), max_length=12, choices=ServiceType.choices, blank=True
    )
    tier = models.CharField(
        _("客户"), max_length=10, choices=SlaPolicy.TierMatch.choices, blank=True
    )
    repeat = models.CharField(_("重复障碍"), max_length=8, choices=RepeatMatch.choices, blank=True)
    grade = models.PositiveSmallIntegerField(_("故障等级"))

    class Meta:
        ordering = ["position"]
        verbose_name = _("故障分级规则")
        verbose_name_plural = _("故障分级规则")

    def __str__(self) -> str:
        return f"#{self.position} → {self.grade}"
