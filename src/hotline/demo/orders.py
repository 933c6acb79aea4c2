"""Demo work orders: two months of history and today's open work, through the real services.

Every order is opened and moved by the same use cases the desk calls, at past
times (`now=`), so its clocks, history and notifications are what they would be.
"""

import datetime
import random
from collections.abc import Callable

from django.db.models import Q
from django.utils import timezone

from hotline.accounts.models import Department, User
from hotline.customers.models import Customer
from hotline.workorders import services
from hotline.workorders.models import Category

WEB = "web"
# category code, description, reply, root cause (complaints)
ORDER_SAMPLES: list[tuple[str, str, str, str]] = [
    (
        "billing.query",
        "客户询问本月话费为何比上月多出20元",
        "已逐项解释：新增10元流量包和彩铃费",
        "",
    ),
    ("mobile.plan", "咨询5G套餐资费及合约期限", "已介绍5G畅享129元与199元套餐", ""),
    ("broadband.inquiry", "咨询千兆宽带升级资费", "已告知升级费用及办理渠道", ""),
    ("porting.inquiry", "咨询携号转网条件", "已告知在网时长和合约限制", ""),
    ("mobile.change", "申请将套餐由129元变更为99元，下月生效", "已办理，次月1日生效", ""),
    ("mobile.suspend", "出国三个月，申请停机保号", "已办理停机保号", ""),
    ("broadband.down", "宽带无法上网，光猫LOS灯红色闪烁", "更换光猫，测试网速正常", ""),
    ("broadband.down", "宽带频繁断网，重启光猫后仍无法连接", "入户光纤弯折，已重新熔接", ""),
    ("broadband.slow", "晚上网速很慢，测速只有20M", "调整端口并更换路由器，测速280M", ""),
    ("fixed.dead", "家里固话拿起没有拨号音", "楼道分线盒进水，已更换", ""),
    ("iptv.play", "IPTV机顶盒开机后提示网络连接失败", "机顶盒账号重新绑定，恢复播放", ""),
    ("mobile.signal", "家中室内手机信号差，通话经常中断", "已协调增加室分覆盖", ""),
    (
        "billing.dispute",
        "对本月流量扣费有异议，称未使用那么多流量",
        "核实为后台流量包生效延迟，已退费",
        "流量包生效时间配置错误",
    ),
    (
        "service.attitude",
        "投诉营业厅工作人员办理业务时态度生硬",
        "已向客户致歉，涉事员工已约谈",
        "营业厅高峰期服务规范执行不到位",
    ),
    (
        "service.delay",
        "宽带报修三天无人上门，要求尽快处理",
        "已安排当日上门并修复，致歉",
        "片区装维人员排班不足",
    ),
    ("suggestion.product", "建议推出老年人专属低价套餐", "已转产品部门评估", ""),
]
_FIRST_LINE = {"billing.query", "mobile.plan", "broadband.inquiry", "porting.inquiry"}


def _people(role: str) -> list[User]:
    return list(User.objects.filter(groups__name=role, is_active=True).order_by("username"))


def _department_staff(department: Department) -> list[User]:
    return list(
        User.objects.filter(Q(department=department) | Q(team__department=department))
        .filter(groups__name__in=["second_line", "complaint_handler"])
        .order_by("username")
        .distinct()
    )


def load_work_orders(history_days: int, per_day: int, seed: int, now=None) -> int:
    """Orders opened over the last `history_days` days, worked to their end, and today's
    open ones at every stage; returns how many were opened."""
    now = now or timezone.now()
    rng = random.Random(seed)
    agents = _people("agent")
    callers = {
        agent.pk: list(
            Customer.objects.filter(region__in=agent.regions.all())
            .prefetch_related("lines")
            .order_by("pk")[:500]
        )
        for agent in agents
    }
    opened = 0
    for day in range(history_days, -1, -1):
        for _n in range(per_day if day else per_day // 2):
            when = now - datetime.timedelta(days=day, minutes=rng.randrange(8 * 60, 20 * 60))
            when = min(when, now - datetime.timedelta(minutes=rng.randrange(5, 600)))
            agent = rng.choice(agents)
            _open_and_work(rng, agent, rng.choice(callers[agent.pk]), when, now, finish=day > 0)
            opened += 1
    return opened


def _open_and_work(rng, agent, customer, when, now, *, finish: bool) -> None:
    code, description, reply, root_cause = rng.choice(ORDER_SAMPLES)
    category = Category.objects.get(code=code)
    line = next(
        (line for line in customer.lines.all() if line.service_type == category.service_type),
        None,
    )
    order = services.open_order(
        actor=agent,
        source=WEB,
        customer=customer,
        order_type=category.order_type,
        category=category,
        description=description,
        line=line,
        complaint_level=rng.choice(["general", "general", "important"])
        if category.order_type == "complaint"
        else "",
        now=when,
    )
    tick = _clock(when, now, rng)
    if code in _FIRST_LINE or category.first_line_may_close and rng.random() < 0.7:
        services.close_at_first_contact(
            actor=agent, source=WEB, order=order, reply=reply, now=tick()
        )
        return
    order = services.escalate_to_second_line(actor=agent, source=WEB, order=order, now=tick())
    staff = _department_staff(order.department) if order.department_id else []
    if not staff or (not finish and rng.random() < 0.3):
        return  # waits in the department's queue
    handler = rng.choice(staff)
    order = services.accept(actor=handler, source=WEB, order=order, now=tick())
    if order.order_type == "fault":
        order = services.arrive_on_site(actor=handler, source=WEB, order=order, now=tick())
    if not finish and rng.random() < 0.5:
        return  # being worked today
    if rng.random() < 0.1:
        order = services.urge(
            actor=agent, source=WEB, order=order, reason="客户来电催促", now=tick()
        )
    order = services.reply(
        actor=handler,
        source=WEB,
        order=order,
        text=reply,
        root_cause=root_cause,
        fix="已整改并全面排查" if root_cause else "",
        now=tick(),
    )
    if not finish and rng.random() < 0.5:
        return  # waits for its callback
    satisfied = rng.random() < 0.9
    order = services.record_callback(
        actor=agent,
        source=WEB,
        order=order,
        satisfied=satisfied,
        note="" if satisfied else "客户表示问题仍未解决",
        now=tick(),
    )
    if not satisfied:
        order = services.accept(actor=handler, source=WEB, order=order, now=tick())
        order = services.reply(actor=handler, source=WEB, order=order, text=reply, now=tick())
        services.record_callback(actor=agent, source=WEB, order=order, satisfied=True, now=tick())


def _clock(
    start: datetime.datetime, end: datetime.datetime, rng
) -> Callable[[], datetime.datetime]:
    """Successive moments after `start` for the steps of one order, never past `end`."""
    moment = [start]

    def tick() -> datetime.datetime:
        moment[0] = min(moment[0] + datetime.timedelta(minutes=rng.randrange(5, 240)), end)
        return moment[0]

    return tick
