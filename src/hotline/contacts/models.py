"""Contacts (接触记录): each call or message from a customer, as the telephony system reports
it, the queues and skill groups calls wait in, and the agents' states."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hotline.accounts.models import SkillGroup
from hotline.core.contact_records import AgentState, Outcome
from hotline.customers.models import Customer

AGENT_STATE_CHOICES = [(state.value, state.value) for state in AgentState]
OUTCOME_CHOICES = [
    (Outcome.ANSWERED.value, _("接通")),
    (Outcome.ABANDONED.value, _("放弃")),
    (Outcome.TIMEOUT.value, _("排队超时")),
    (Outcome.LEFT_WITH_KEY.value, _("按键离开")),
    (Outcome.NO_AGENTS.value, _("无坐席")),
]


class Queue(models.Model):
    """A queue of the telephony system, by the name it writes in its records."""

    code = models.CharField(_("队列编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60, blank=True)
    skill_group = models.ForeignKey(
        SkillGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="queues",
        verbose_name=_("技能组"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("队列")
        verbose_name_plural = _("队列")

    def __str__(self) -> str:
        return self.name or self.code


class Contact(models.Model):
    class Channel(models.TextChoices):
        PHONE = "phone", _("电话")
        CHAT = "chat", _("在线客服")
        SMS = "sms", _("短信")
        EMAIL = "email", _("邮件")
        APP = "app", _("App")

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RINGING = "ringing", _("振铃")
        ANSWERED = "answered", _("通话中")
        ENDED = "ended", _("已结束")

    channel = models.CharField(
        _("渠道"), max_length=10, choices=Channel.choices, default=Channel.PHONE
    )
    # The telephony system's own id of the call (Asterisk uniqueid); one contact per call.
    # Indexed by the (call_id, queue) constraint, whose first column it is.
    call_id = models.CharField(_("呼叫编号"), max_length=64)
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
        db_index=False,  # contact_agent_recent leads with the agent
        db_constraint=False,  # see docs/decisions/0002 (Django still applies on_delete)
    )
    customer = models.ForeignKey(
        Customer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("客户"),
        db_index=False,  # contact_customer_recent leads with the customer
        db_constraint=False,
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices)
    # Where the record came from: "cti" for live events, else the importer's name.
    source = models.CharField(_("来源"), max_length=20, default="cti")
    # The telephony system's name for the agent (SIP/10001, Agent/10001), kept as written;
    # `agent` is the user it resolves to, when one has that agent ID.
    agent_name = models.CharField(_("坐席标识"), max_length=80, blank=True)
    ivr_path = models.CharField(_("IVR路径"), max_length=200, blank=True)
    entered_queue_at = models.DateTimeField(_("进入队列时间"), null=True, blank=True)
    # Blank while the call is still waiting or talking (or a file ended mid-call).
    outcome = models.CharField(
        _("结果"),
        max_length=16,
        choices=OUTCOME_CHOICES,
        blank=True,
    )
    wait_s = models.FloatField(_("等待秒数"), default=0)
    talk_s = models.FloatField(_("通话秒数"), default=0)
    hold_s = models.FloatField(_("保持秒数"), default=0)
    after_call_work_s = models.FloatField(_("话后处理秒数"), default=0)
    transfers = models.PositiveSmallIntegerField(_("转接次数"), default=0)
    started_at = models.DateTimeField(_("开始时间"))
    answered_at = models.DateTimeField(_("应答时间"), null=True, blank=True)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    # When the agent's desk showed it: a ring pops the customer once, not on every poll.
    popped_at = models.DateTimeField(_("弹屏时间"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            # One record per visit of a call to a queue: a call transferred into a second
            # queue is offered there too. Importing the same visit again updates it.
            models.UniqueConstraint(fields=["call_id", "queue"], name="contact_call_queue"),
        ]
        # Each index has its reader (the screen pop, the 360 view, reports and the
        # wallboard), and costs every call an import writes: none is kept without one.
        # The newest first is read by scanning an index backwards, so the time ascends in
        # them as it does in what is written: PostgreSQL then fills the page a call is
        # added to before splitting it, where a descending time split it in half (2M
        # lines: the two indexes 35 → 24 MB, PostgreSQL's CPU 8.4 → 7.5 s).
        indexes = [
            models.Index(fields=["agent", "started_at"], name="contact_agent_recent"),
            models.Index(fields=["customer", "started_at"], name="contact_customer_recent"),
            models.Index(fields=["entered_queue_at"], name="contact_entered_queue"),
        ]
        permissions = [("receive_cti_events", _("可推送话务事件（CTI）"))]
        verbose_name = _("接触记录")
        verbose_name_plural = _("接触记录")

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.caller_number} {self.started_at:%Y-%m-%d %H:%M}"


class AgentStateInterval(models.Model):
    """An agent in one state (就绪 / 通话 / 话后处理 / 置忙 with a reason) for a while."""

    agent_name = models.CharField(_("坐席标识"), max_length=80)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="state_intervals",
        verbose_name=_("坐席"),
        db_constraint=False,  # see docs/decisions/0002
    )
    state = models.CharField(_("状态"), max_length=16, choices=AGENT_STATE_CHOICES)
    reason = models.CharField(_("置忙原因"), max_length=40, blank=True)
    started_at = models.DateTimeField(_("开始"))
    ended_at = models.DateTimeField(_("结束"))
    source = models.CharField(_("来源"), max_length=20, default="cti")

    class Meta:
        ordering = ["agent_name", "started_at"]
        constraints = [
            models.UniqueConstraint(fields=["agent_name", "started_at"], name="agent_state_start"),
        ]
        # Every reader asks for the intervals overlapping a span (ended after its start,
        # begun before its end), and mostly a recent span: today's wallboard and adherence,
        # last month's report, the span an import is writing. Few intervals end after
        # such a start, where most began before its end.
        indexes = [models.Index(fields=["ended_at"], name="agent_state_ended")]
        verbose_name = _("坐席状态")
        verbose_name_plural = _("坐席状态")

    def __str__(self) -> str:
        return f"{self.agent_name} {self.state} {self.started_at:%Y-%m-%d %H:%M:%S}"


class TelephonyImport(models.Model):
    """One file read by an importer, and what came of its lines."""

    importer = models.CharField(_("导入器"), max_length=20)
    file_name = models.CharField(_("文件"), max_length=300)
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    lines_read = models.PositiveBigIntegerField(_("读取行数"), default=0)
    calls = models.PositiveIntegerField(_("话单"), default=0)
    state_intervals = models.PositiveIntegerField(_("坐席状态"), default=0)
    unknown_events = models.PositiveIntegerField(_("未知事件"), default=0)
    bad_lines = models.PositiveIntegerField(_("无法使用的行"), default=0)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("话务数据导入")
        verbose_name_plural = _("话务数据导入")

    def __str__(self) -> str:
        return f"{self.importer} {self.file_name}"


class BadTelephonyLine(models.Model):
    """A line an import could not use, with its number and the reason."""

    telephony_import = models.ForeignKey(
        TelephonyImport,
        on_delete=models.CASCADE,
        related_name="bad_lines_found",
        verbose_name=_("导入"),
    )
    line_number = models.PositiveBigIntegerField(_("行号"))
    reason = models.CharField(_("原因"), max_length=200)
    text = models.TextField(_("原文"))

    class Meta:
        ordering = ["telephony_import", "line_number"]
        verbose_name = _("无法使用的行")
        verbose_name_plural = _("无法使用的行")

    def __str__(self) -> str:
        return f"{self.line_number}: {self.reason}"


class UnknownTelephonyEvent(models.Model):
    """An event no importer knows, kept as written: once, however often it is imported."""

    digest = models.CharField(_("摘要"), max_length=40, unique=True)  # sha1 of the text
    text = models.TextField(_("原文"))
    first_import = models.ForeignKey(
        TelephonyImport,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("首次导入"),
    )
    line_number = models.PositiveBigIntegerField(_("行号"))

    class Meta:
        verbose_name = _("未知话务事件")
        verbose_name_plural = _("未知话务事件")

    def __str__(self) -> str:
        return self.text[:80]


class AgentPresence(models.Model):
    """An agent's state now, from the live events; each change closes an interval."""

    agent = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="presence",
        verbose_name=_("坐席"),
    )
    state = models.CharField(_("状态"), max_length=16, choices=AGENT_STATE_CHOICES)
    reason = models.CharField(_("置忙原因"), max_length=40, blank=True)
    since = models.DateTimeField(_("开始"))

    class Meta:
        verbose_name = _("坐席当前状态")
        verbose_name_plural = _("坐席当前状态")

    def __str__(self) -> str:
        return f"{self.agent} {self.state}"


class OpenAgentState(models.Model):
    """An agent's state still running when an imported log ended: the next log's first
    event of the agent closes it into an interval (an import of logs, one after another,
    loses no state across their boundary)."""

    agent_name = models.CharField(_("坐席标识"), max_length=80, unique=True)
    state = models.CharField(_("状态"), max_length=16, choices=AGENT_STATE_CHOICES)
    reason = models.CharField(_("置忙原因"), max_length=40, blank=True)
    started_at = models.DateTimeField(_("开始"))

    class Meta:
        verbose_name = _("未结束的坐席状态")
        verbose_name_plural = _("未结束的坐席状态")

    def __str__(self) -> str:
        return f"{self.agent_name} {self.state}"


class CallDaySummary(models.Model):
    """The finished calls of one local day summed per 15-minute interval and queue
    (hotline.core.call_cells), kept so that reports over long ranges need not read every
    call. `changes` counts the writes to the calls the summary depends on; the summary in
    `cells` is current while `built_from` equals it and `measures` is the settings key it
    was made under (call_cells.settings_key)."""

    day = models.DateField(_("日期"), primary_key=True)
    changes = models.BigIntegerField(default=0)
    built_from = models.BigIntegerField(default=-1)
    measures = models.CharField(max_length=200, blank=True)
    cells = models.BinaryField(default=b"")
    built_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("话务日汇总")
        verbose_name_plural = _("话务日汇总")

    def __str__(self) -> str:
        return str(self.day)
