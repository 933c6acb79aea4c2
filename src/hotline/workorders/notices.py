"""Who hears of what happens to an order, and in which words: the inbox rows are written
with the change, e-mail, webhooks and SMS go out after its commit.

The first-contact owner hears of every step. A customer gets an SMS when the
order is dispatched and when it is replied to, naming the agent by ID only.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from hotline.accounts.models import User
from hotline.core import grading
from hotline.notifications.services import notify
from hotline.notifications.sms import send_customer_sms
from hotline.workorders.models import State, Step, WorkOrder

CENTRE_HEAD_PERMISSION = "receive_centre_head_reports"


def _link(order: WorkOrder) -> str:
    return f"/orders/{order.pk}/"


def department_members(department_id: int) -> list[User]:
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(department_id=department_id) | Q(team__department_id=department_id))
        .filter(groups__name__in=["second_line", "complaint_handler", "team_lead"])
        .distinct()
    )


def team_leads(order: WorkOrder) -> list[User]:
    if order.owner_team_id is None:
        return []
    return list(
        User.objects.filter(is_active=True, team_id=order.owner_team_id, groups__name="team_lead")
    )


def chain_recipients(order: WorkOrder, level: int) -> list[User]:
    """Who hears of a complaint at this level of the chain (逐层通报)."""
    if level == 1:
        return team_leads(order)
    if level == 2:
        return list(User.objects.filter(is_active=True, groups__name="manager"))
    if level >= grading.TOP_OF_CHAIN:
        return list(
            User.objects.filter(is_active=True)
            .filter(
                Q(user_permissions__codename=CENTRE_HEAD_PERMISSION)
                | Q(groups__permissions__codename=CENTRE_HEAD_PERMISSION)
            )
            .distinct()
        )
    return []


def _send(recipients, order: WorkOrder, event: str, title: str, body: str = "") -> None:
    people = {user.pk: user for user in recipients if user is not None}
    if people:
        notify(
            recipients=list(people.values()),
            event=event,
            title=title,
            body=body,
            link=_link(order),
            payload={"order": order.number, "id": order.pk, "state": order.state},
        )


def order_opened(order: WorkOrder) -> None:
    for level in range(1, order.reported_up_to + 1):
        _send(
            chain_recipients(order, level),
            order,
            "workorder.complaint_reported",
            _("%(level)s投诉 %(number)s 已通报")
            % {"level": order.get_complaint_level_display(), "number": order.number},
            order.description[:200],
        )


def step_taken(order: WorkOrder, step: str, actor, state_before: str, reason: str) -> None:
    title = _("工单 %(number)s：%(step)s") % {
        "number": order.number,
        "step": Step(step).label,
    }
    body = reason
    recipients = [order.owner] if order.owner_id != actor.pk else []
    if step in (Step.DISPATCH, Step.TRANSFER) or (
        step == Step.CALLBACK and order.state == State.DISPATCHED
    ):
        recipients += department_members(order.department_id)
        _sms_to_customer(order, _("您的工单%(number)s已转交专业部门处理，受理工号%(agent)s。"))
    elif step == Step.REPLY:
        _sms_to_customer(order, _("您的工单%(number)s已处理完毕，受理工号%(agent)s，稍后将回访。"))
    elif step == Step.URGE:
        if order.handler_id:
            recipients.append(order.handler)
        elif order.department_id:
            recipients += department_members(order.department_id)
    elif step == Step.SEND_BACK:
        recipients += team_leads(order)
    elif step == Step.SUPERVISE and order.handler_id:
        recipients.append(order.handler)
    recipients = [user for user in recipients if user.pk != actor.pk]
    _send(recipients, order, f"workorder.{step}", title, body)


def _sms_to_customer(order: WorkOrder, template: str) -> None:
    number = order.customer.numbers.filter(kind="contact").values_list("number", flat=True).first()
    if number is None and order.line_id and order.line.service_type == "mobile":
        number = order.line.number
    if number:
        send_customer_sms(
            number=number,
            text=template % {"number": order.number, "agent": order.owner.agent_id},
        )


def time_limit_warning(order: WorkOrder, stage_label: str) -> None:
    recipients = [order.handler] if order.handler_id else [order.owner]
    _send(
        recipients,
        order,
        "workorder.warning",
        _("工单 %(number)s %(stage)s即将超时") % {"number": order.number, "stage": stage_label},
    )


def time_limit_breached(order: WorkOrder, stage_label: str, chain_level: int | None) -> None:
    recipients = [order.owner, order.handler if order.handler_id else None, *team_leads(order)]
    if chain_level is not None:
        recipients += chain_recipients(order, chain_level)
    _send(
        recipients,
        order,
        "workorder.breach",
        _("工单 %(number)s %(stage)s已超时，已升级")
        % {"number": order.number, "stage": stage_label},
    )
