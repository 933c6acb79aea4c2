"""Work orders through their lifecycle: ownership, hand-offs, time limits, callbacks."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hotline.accounts.models import Department
from hotline.audit.models import AuditEvent
from hotline.notifications.models import Notification, SmsMessage
from hotline.workorders import services
from hotline.workorders.models import StageClock, State, WorkOrder
from tests.orders import open_billing_inquiry, open_order

SHANGHAI = ZoneInfo("Asia/Shanghai")
WEB = "web"


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def broadband_line(customer):
    return customer.lines.get(service_type="broadband")


def open_fault(cast, customer, line, *, when=None):
    return open_order(
        cast["xiaowang"],
        customer,
        "broadband.down",
        "宽带无法上网，光猫LOS灯红色闪烁",
        line=line,
        fault_scope="single_user",
        now=when,
    )


def escalated(cast, order, when=None):
    return services.escalate_to_second_line(
        actor=cast["xiaowang"], source=WEB, order=order, now=when
    )


def steps_of(order) -> list[str]:
    events = AuditEvent.objects.filter(target_type="workorder", target_id=order.pk)
    return [event.changes["step"][1] for event in events.order_by("at", "id")]


def test_the_agent_who_opens_an_order_owns_it_and_the_order_is_numbered(cast, customer):
    order = open_fault(cast, customer, None)
    assert order.owner == cast["xiaowang"]
    assert order.number.startswith("GD") and order.number.endswith(f"{order.pk:08d}")
    assert order.state == State.NEW
    assert steps_of(order) == ["create"]


def test_a_vip_fault_takes_the_green_channel_with_vip_time_limits(cast, customer, broadband_line):
    order = open_fault(cast, customer, broadband_line, when=at(2026, 11, 23, 9, 0))
    assert order.green_channel
    assert order.grade == 3  # single user, VIP, first fault
    assert order.priority == 2
    solve = order.clocks.get(stage="solve")
    assert (solve.limit_amount, solve.limit_unit) == (12, "hours")  # 三级 VIP, 24×7
    assert solve.due_at == at(2026, 11, 23, 21, 0)


def test_a_second_fault_on_the_same_line_within_the_window_is_a_repeat(
    cast, customer, broadband_line
):
    first = open_fault(cast, customer, broadband_line, when=at(2026, 11, 1, 9, 0))
    second = open_fault(cast, customer, broadband_line, when=at(2026, 11, 20, 9, 0))
    assert second.repeat_of == first
    assert second.grade == 2  # VIP and repeat
    later = open_fault(cast, customer, broadband_line, when=at(2027, 1, 1, 9, 0))
    assert later.repeat_of is None


def test_escalating_dispatches_to_the_category_department_and_starts_the_respond_clock(
    cast, customer, broadband_line
):
    order = escalated(cast, open_fault(cast, customer, broadband_line))
    assert order.state == State.DISPATCHED
    assert order.department.name == "网络维护部"
    assert order.clocks.filter(stage="respond", met_at__isnull=True).exists()
    assert steps_of(order) == ["create", "escalate", "dispatch"]
    told = Notification.objects.filter(event="workorder.dispatch")
    assert {n.recipient.username for n in told} >= {"ligong", "xiaoliu"}


def test_the_customer_is_told_by_sms_with_the_agent_id_and_never_a_name(
    cast, customer, broadband_line
):
    escalated(cast, open_fault(cast, customer, broadband_line))
    sms = SmsMessage.objects.get()
    assert sms.number == "13812345678"
    assert "10001" in sms.text and "小王" not in sms.text


def test_a_fault_may_not_be_closed_by_the_first_line(cast, customer, broadband_line):
    order = open_fault(cast, customer, broadband_line)
    with pytest.raises(PermissionDenied):
        services.solve_at_first_contact(
            actor=cast["xiaowang"], source=WEB, order=order, reply="已指导重启光猫"
        )


def test_an_inquiry_is_closed_at_first_contact(cast, customer):
    order = open_billing_inquiry(cast["xiaowang"], customer)
    order = services.close_at_first_contact(
        actor=cast["xiaowang"], source=WEB, order=order, reply="本月话费129元"
    )
    assert order.state == State.ARCHIVED
    assert order.resolved_at_first_contact is True
    assert order.clocks.get(stage="solve").met_in_time is True


def test_only_the_owner_may_close_at_first_contact(cast, customer):
    order = open_billing_inquiry(cast["xiaowang"], customer)
    with pytest.raises(PermissionDenied):
        services.close_at_first_contact(
            actor=cast["laozhang"], source=WEB, order=order, reply="本月话费129元"
        )


def test_the_second_of_two_accepts_is_a_conflict(cast, customer, broadband_line):
    order = escalated(cast, open_fault(cast, customer, broadband_line))
    services.accept(actor=cast["ligong"], source=WEB, order=order)
    with pytest.raises(services.StepConflict):
        services.accept(actor=cast["xiaoliu"], source=WEB, order=order)
    order.refresh_from_db()
    assert order.handler == cast["ligong"]


def test_someone_outside_the_department_may_not_accept(cast, customer, broadband_line):
    order = escalated(cast, open_fault(cast, customer, broadband_line))
    with pytest.raises(PermissionDenied):
        services.accept(actor=cast["chenjie"], source=WEB, order=order)


def worked_to_reply(cast, customer, line, when=None):
    order = escalated(cast, open_fault(cast, customer, line, when=when), when)
    order = services.accept(actor=cast["ligong"], source=WEB, order=order, now=when)
    order = services.arrive_on_site(actor=cast["ligong"], source=WEB, order=order, now=when)
    return services.reply(
        actor=cast["ligong"], source=WEB, order=order, text="更换光猫，已恢复", now=when
    )


def test_an_unsatisfied_callback_reopens_the_order_until_a_satisfied_one_archives_it(
    cast, customer, broadband_line
):
    order = worked_to_reply(cast, customer, broadband_line)
    order = services.record_callback(
        actor=cast["xiaowang"], source=WEB, order=order, satisfied=False, note="仍然掉线"
    )
    assert order.state == State.DISPATCHED
    assert (order.reopen_count, order.round, order.handler) == (1, 2, None)
    assert order.department.name == "网络维护部"
    assert order.clocks.filter(round=2, stage="respond").exists()
    order = services.accept(actor=cast["xiaoliu"], source=WEB, order=order)
    order = services.reply(actor=cast["xiaoliu"], source=WEB, order=order, text="更换入户光纤")
    order = services.record_callback(
        actor=cast["xiaowang"], source=WEB, order=order, satisfied=True
    )
    assert order.state == State.ARCHIVED
    assert order.owner == cast["xiaowang"]
    assert steps_of(order)[-3:] == ["accept", "reply", "callback"]


def test_the_owner_hears_of_every_step_taken_by_others(cast, customer, broadband_line):
    worked_to_reply(cast, customer, broadband_line)
    events = set(
        Notification.objects.filter(recipient=cast["xiaowang"]).values_list("event", flat=True)
    )
    assert {"workorder.accept", "workorder.arrive_on_site", "workorder.reply"} <= events


def test_a_complaint_is_archived_only_with_its_root_cause_and_fix(cast, customer):
    order = open_order(
        cast["xiaowang"],
        customer,
        "billing.dispute",
        "对本月流量扣费有异议",
        complaint_level="important",
    )
    order = services.escalate_to_second_line(actor=cast["xiaowang"], source=WEB, order=order)
    assert order.department.name == "投诉处理中心"
    order = services.accept(actor=cast["chenjie"], source=WEB, order=order)
    order = services.reply(actor=cast["chenjie"], source=WEB, order=order, text="已核实并退费")
    with pytest.raises(ValidationError):
        services.record_callback(actor=cast["chenjie"], source=WEB, order=order, satisfied=True)
    order = services.record_callback(
        actor=cast["chenjie"],
        source=WEB,
        order=order,
        satisfied=True,
        root_cause="流量包生效时间配置错误",
        fix="修正计费规则并全量核查",
    )
    assert order.state == State.ARCHIVED


def test_an_important_complaint_is_reported_to_the_team_lead_when_opened(cast, customer):
    open_order(
        cast["xiaowang"],
        customer,
        "service.attitude",
        "营业员态度恶劣",
        complaint_level="important",
    )
    reported = Notification.objects.get(event="workorder.complaint_reported")
    assert reported.recipient == cast["laozhang"]


def test_suspension_stops_the_clocks_and_resuming_keeps_the_time_used(
    cast, customer, broadband_line
):
    start = at(2026, 11, 23, 9, 0)
    order = escalated(cast, open_fault(cast, customer, broadband_line, when=start), start)
    order = services.accept(actor=cast["ligong"], source=WEB, order=order, now=start)
    solve = order.clocks.get(stage="solve")
    due_before = solve.due_at
    order = services.suspend(
        actor=cast["ligong"],
        source=WEB,
        order=order,
        reason="用户不在家，约明天上门",
        now=start + datetime.timedelta(hours=1),
    )
    assert order.state == State.SUSPENDED
    solve.refresh_from_db()
    assert solve.paused_since is not None and solve.due_at is None
    order = services.resume(
        actor=cast["ligong"], source=WEB, order=order, now=start + datetime.timedelta(hours=5)
    )
    assert order.state == State.ACCEPTED
    solve.refresh_from_db()
    assert solve.due_at == due_before + datetime.timedelta(hours=4)


def test_a_step_that_needs_a_reason_refuses_a_blank_one(cast, customer, broadband_line):
    order = escalated(cast, open_fault(cast, customer, broadband_line))
    with pytest.raises(ValidationError):
        services.send_back(actor=cast["ligong"], source=WEB, order=order, reason=" ")


def test_sending_back_returns_the_order_to_be_dispatched_again(cast, customer, broadband_line):
    order = escalated(cast, open_fault(cast, customer, broadband_line))
    order = services.send_back(actor=cast["ligong"], source=WEB, order=order, reason="非本部门")
    assert (order.state, order.department) == (State.ESCALATED, None)
    order = services.dispatch_to_department(
        actor=cast["laozhang"],
        source=WEB,
        order=order,
        department=Department.objects.get(name="投诉处理中心"),
    )
    assert order.state == State.DISPATCHED


def test_urging_is_counted_and_tells_the_handler(cast, customer, broadband_line):
    order = escalated(cast, open_fault(cast, customer, broadband_line))
    order = services.accept(actor=cast["ligong"], source=WEB, order=order)
    order = services.urge(actor=cast["xiaowang"], source=WEB, order=order, reason="客户来电催促")
    order = services.urge(actor=cast["xiaowang"], source=WEB, order=order)
    assert order.urge_count == 2
    assert (
        Notification.objects.filter(recipient=cast["ligong"], event="workorder.urge").count() == 2
    )


def test_only_managers_supervise(cast, customer, broadband_line):
    order = open_fault(cast, customer, broadband_line)
    with pytest.raises(PermissionDenied):
        services.supervise(actor=cast["laozhang"], source=WEB, order=order, reason="重点关注")
    order = services.supervise(actor=cast["zhaomgr"], source=WEB, order=order, reason="重点关注")
    assert order.supervised and order.priority == 1


def test_an_agent_may_not_open_an_order_for_a_customer_outside_their_regions(
    cast, jiangning_customer
):
    with pytest.raises(PermissionDenied):
        open_billing_inquiry(cast["xiaowang"], jiangning_customer)


def test_every_step_is_in_the_audit_history_with_the_state_it_moved(cast, customer, broadband_line):
    order = worked_to_reply(cast, customer, broadband_line)
    events = AuditEvent.objects.filter(target_type="workorder", target_id=order.pk)
    accept = next(e for e in events if e.changes["step"][1] == "accept")
    assert accept.changes["state"] == ["dispatched", "accepted"]
    assert accept.actor == cast["ligong"]
    assert accept.customer_id == customer.pk
    assert WorkOrder.objects.get(pk=order.pk).state == State.REPLIED
    assert StageClock.objects.filter(order=order, stage="callback", met_at__isnull=True).exists()
