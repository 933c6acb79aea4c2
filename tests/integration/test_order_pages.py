"""The work-order pages: who may open them, what they show, and that each step goes through
its service. The cast and where they sit are in tests/conftest.py."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from hotline.audit.models import AuditEvent
from hotline.contacts.services import record_cti_event
from hotline.notifications.models import Notification
from hotline.workorders import services
from hotline.workorders.models import Category, State, WorkOrder
from tests.orders import open_billing_inquiry, open_order

WEB = "web"


def desk(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def broadband_line(customer):
    return customer.lines.get(service_type="broadband")


def open_fault(cast, customer, line=None, *, when=None):
    return open_order(
        cast["xiaowang"],
        customer,
        "broadband.down",
        "宽带无法上网，光猫LOS灯红色闪烁",
        line=line,
        now=when,
    )


@pytest.fixture
def fault(cast, customer, broadband_line):
    """小王's fault order for 王建国's broadband, escalated and dispatched to 网络维护部."""
    order = open_fault(cast, customer, broadband_line)
    return services.escalate_to_second_line(actor=cast["xiaowang"], source=WEB, order=order)


def step(client, order, name: str, **data):
    return client.post(f"/orders/{order.pk}/{name}/", {f"{name}-{k}": v for k, v in data.items()})


def ring(number: str = "13812345678", agent_id: str = "10001", call_id: str = "call-1"):
    return record_cti_event(
        event="ringing", call_id=call_id, caller_number=number, agent_id=agent_id
    )


def pop(client, **params):
    return client.get("/desk/pop", params, HTTP_HX_REQUEST="true")


def steps_of(order) -> list[str]:
    events = AuditEvent.objects.filter(target_type="workorder", target_id=order.pk)
    return [event.changes["step"][1] for event in events.order_by("at", "id")]


# The lists


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("xiaowang", 200),
        ("laozhang", 200),
        ("ligong", 200),
        ("chenjie", 200),
        ("zhouqa", 200),
        ("zhaomgr", 200),
        ("wuwfm", 403),
        ("outsider", 403),
    ],
)
def test_the_order_lists_are_for_roles_that_see_orders(cast, username, status):
    for which in ("mine", "group", "breaching", "overdue", "all"):
        assert desk(cast[username]).get(f"/orders/?list={which}").status_code == status


def test_my_orders_lists_what_the_agent_owns_with_the_green_channel_badge(cast, fault):
    page = desk(cast["xiaowang"]).get("/orders/?list=mine").content.decode()
    assert fault.number in page
    assert "王建国" in page and "宽带无法上网" in page
    assert "绿色通道" in page and "10001" in page and "网络维护部" in page


def test_the_group_queue_of_the_second_line_holds_the_dispatched_order(cast, fault):
    assert fault.number in desk(cast["ligong"]).get("/orders/?list=group").content.decode()
    assert fault.number not in desk(cast["xiaowang"]).get("/orders/?list=group").content.decode()


def test_an_overdue_order_shows_its_due_time_in_red(cast, customer, broadband_line):
    late = open_fault(
        cast, customer, broadband_line, when=timezone.now() - datetime.timedelta(days=3)
    )
    page = desk(cast["xiaowang"]).get("/orders/?list=overdue").content.decode()
    assert late.number in page
    assert 'class="late"' in page


def test_the_lists_filter_on_words_of_the_description_and_on_the_type(cast, fault):
    client = desk(cast["xiaowang"])
    assert fault.number in client.get("/orders/?list=all&q=光猫").content.decode()
    assert fault.number not in client.get("/orders/?list=all&q=话费").content.decode()
    assert fault.number not in client.get("/orders/?list=all&order_type=inquiry").content.decode()
    assert fault.number in client.get("/orders/?list=all&state=dispatched").content.decode()


def test_htmx_asks_for_the_list_alone(cast, fault):
    page = desk(cast["xiaowang"]).get("/orders/?list=mine&q=光猫", HTTP_HX_REQUEST="true")
    assert "<html" not in page.content.decode()
    assert fault.number in page.content.decode()


def test_the_nav_links_the_work_lists_and_the_inbox_for_roles_that_see_orders(cast):
    agent = desk(cast["xiaowang"]).get("/").content.decode()
    planner = desk(cast["wuwfm"]).get("/").content.decode()
    for label in ("我的工单", "组内队列", "即将超时", "已超时"):
        assert label in agent and label not in planner
    assert 'href="/inbox/"' in agent and 'href="/inbox/"' in planner


# The order page


@pytest.mark.parametrize(
    ("username", "status"),
    [("xiaowang", 200), ("ligong", 200), ("zhaomgr", 200), ("wuwfm", 403), ("outsider", 403)],
)
def test_the_order_page_is_for_those_who_may_see_the_order(cast, fault, username, status):
    assert desk(cast[username]).get(f"/orders/{fault.pk}/").status_code == status


def test_an_order_outside_the_agents_regions_is_not_found(cast, jiangning_customer):
    order = open_billing_inquiry(cast["admin"], jiangning_customer)
    assert desk(cast["xiaowang"]).get(f"/orders/{order.pk}/").status_code == 404
    assert order.number not in desk(cast["xiaowang"]).get("/orders/?list=all").content.decode()


def test_the_order_page_masks_the_line_for_an_agent_and_not_for_the_second_line(cast, fault):
    masked = desk(cast["xiaowang"]).get(f"/orders/{fault.pk}/").content.decode()
    whole = desk(cast["ligong"]).get(f"/orders/{fault.pk}/").content.decode()
    assert "KD02500000001" in whole
    assert "KD02500000001" not in masked


def test_the_order_page_offers_only_the_steps_the_user_may_take(cast, fault):
    second_line = desk(cast["ligong"]).get(f"/orders/{fault.pk}/").content.decode()
    owner = desk(cast["xiaowang"]).get(f"/orders/{fault.pk}/").content.decode()
    assert 'data-step="accept"' in second_line and 'data-step="transfer"' in second_line
    assert 'data-step="accept"' not in owner
    assert 'data-step="urge"' in owner


def test_the_order_page_shows_each_stage_clock(cast, fault):
    page = desk(cast["xiaowang"]).get(f"/orders/{fault.pk}/").content.decode()
    assert "处理时限" in page and "接单时限" in page
    assert "计时中" in page


def test_a_second_line_user_accepts_the_order_from_its_page(cast, fault):
    response = step(desk(cast["ligong"]), fault, "accept")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/orders/{fault.pk}/"
    fault.refresh_from_db()
    assert (fault.state, fault.handler) == (State.ACCEPTED, cast["ligong"])
    event = AuditEvent.objects.filter(target_type="workorder", target_id=fault.pk).first()
    assert (event.changes["step"][1], event.source) == ("accept", "web")


def test_the_second_of_two_accepts_is_told_someone_else_took_it(cast, fault):
    step(desk(cast["ligong"]), fault, "accept")
    response = step(desk(cast["xiaoliu"]), fault, "accept")
    assert response.status_code == 409
    page = response.content.decode()
    assert "该工单已被他人处理" in page and "已接单" in page
    fault.refresh_from_db()
    assert fault.handler == cast["ligong"]


def test_a_step_the_user_may_not_take_is_forbidden(cast, fault):
    assert step(desk(cast["xiaowang"]), fault, "accept").status_code == 403
    assert step(desk(cast["zhouqa"]), fault, "urge").status_code == 403


def test_an_unknown_step_is_not_found_and_a_step_is_only_posted(cast, fault):
    assert step(desk(cast["ligong"]), fault, "teleport").status_code == 404
    assert desk(cast["ligong"]).get(f"/orders/{fault.pk}/accept/").status_code == 405


def test_a_reply_without_text_is_refused_on_the_form(cast, fault):
    client = desk(cast["ligong"])
    step(client, fault, "accept")
    response = step(client, fault, "reply", text="")
    assert response.status_code == 200
    assert 'class="field invalid"' in response.content.decode()
    fault.refresh_from_db()
    assert fault.state == State.ACCEPTED


def test_a_transfer_needs_a_reason(cast, fault):
    response = step(desk(cast["ligong"]), fault, "transfer", department="", reason="")
    assert response.status_code == 200
    assert response.content.decode().count('class="field invalid"') == 2


def test_an_unsatisfied_callback_reopens_the_order_and_a_satisfied_one_archives_it(cast, fault):
    second_line, owner = desk(cast["ligong"]), desk(cast["xiaowang"])
    step(second_line, fault, "accept")
    step(second_line, fault, "reply", text="更换光猫后恢复")
    step(owner, fault, "callback", satisfied="no", reason="客户反映仍然掉线")
    fault.refresh_from_db()
    assert (fault.state, fault.reopen_count) == (State.DISPATCHED, 1)

    step(second_line, fault, "accept")
    step(second_line, fault, "reply", text="更换入户光纤，测试正常")
    response = step(owner, fault, "callback", satisfied="yes")
    assert response.status_code == 302
    fault.refresh_from_db()
    assert fault.state == State.ARCHIVED
    assert steps_of(fault) == [
        "create",
        "escalate",
        "dispatch",
        "accept",
        "reply",
        "callback",
        "accept",
        "reply",
        "callback",
    ]


def test_a_complaint_is_archived_only_with_its_root_cause_asked_for_inline(cast, customer):
    complaint = open_order(cast["xiaowang"], customer, "service.attitude", "营业厅人员态度恶劣")
    complaint = services.escalate_to_second_line(
        actor=cast["xiaowang"], source=WEB, order=complaint
    )
    services.accept(actor=cast["chenjie"], source=WEB, order=complaint)
    services.reply(actor=cast["chenjie"], source=WEB, order=complaint, text="已致歉")
    owner = desk(cast["xiaowang"])

    refused = step(owner, complaint, "callback", satisfied="yes", root_cause="", fix="")
    assert refused.status_code == 200
    assert "投诉归档前须填写根因和整改措施" in refused.content.decode()
    complaint.refresh_from_db()
    assert complaint.state == State.REPLIED

    step(owner, complaint, "callback", satisfied="yes", root_cause="服务意识不足", fix="全员培训")
    complaint.refresh_from_db()
    assert (complaint.state, complaint.root_cause) == (State.ARCHIVED, "服务意识不足")


def test_the_history_lists_every_step_oldest_first_with_who_and_the_state_change(cast, fault):
    step(desk(cast["ligong"]), fault, "accept")
    page = desk(cast["xiaowang"]).get(f"/orders/{fault.pk}/").content.decode()
    history = page[page.index('id="order-history"') :]
    assert re.findall(r'<li data-step="(\w+)"', history) == [
        "create",
        "escalate",
        "dispatch",
        "accept",
    ]
    assert "20001 李工" in history and "已派单 → 已接单" in history


def test_a_role_without_the_audit_history_sees_the_order_without_it(cast, fault):
    page = desk(cast["zhouqa"]).get(f"/orders/{fault.pk}/").content.decode()
    assert fault.number in page and 'id="order-history"' not in page


# A new order from the 360 view


def test_the_360_view_loads_its_work_order_slot(cast, customer, fault):
    page = desk(cast["xiaowang"]).get(f"/customers/{customer.pk}/?contact=7").content.decode()
    assert f'hx-get="/customers/{customer.pk}/orders/?contact=7"' in page
    slot = desk(cast["xiaowang"]).get(f"/customers/{customer.pk}/orders/").content.decode()
    assert fault.number in slot and "新建工单" in slot


def test_the_slot_links_a_new_order_to_the_call_it_was_opened_from(cast, customer):
    contact = ring()
    slot = desk(cast["xiaowang"]).get(f"/customers/{customer.pk}/orders/?contact={contact.pk}")
    page = slot.content.decode()
    assert f"/customers/{customer.pk}/orders/new/?contact={contact.pk}" in page
    assert "138****5678" in page and "13812345678" not in page


def test_the_new_order_form_shows_the_customers_open_orders_first(cast, customer, fault):
    page = desk(cast["xiaowang"]).get(f"/customers/{customer.pk}/orders/new/").content.decode()
    similar = page[page.index('id="similar-orders"') : page.index('id="new-order"')]
    assert fault.number in similar


def test_a_new_order_is_owned_by_the_agent_and_linked_to_the_call(cast, customer, broadband_line):
    contact = ring()
    response = desk(cast["xiaowang"]).post(
        f"/customers/{customer.pk}/orders/new/",
        {
            "order_type": "fault",
            "category": Category.objects.get(code="broadband.down").pk,
            "line": broadband_line.pk,
            "description": "宽带无法上网",
            "fault_scope": "single_user",
            "contact": contact.pk,
        },
    )
    order = WorkOrder.objects.get()
    assert response.status_code == 302
    assert response.headers["Location"] == f"/orders/{order.pk}/"
    assert (order.owner, order.contact, order.line) == (cast["xiaowang"], contact, broadband_line)
    assert order.green_channel
    assert steps_of(order) == ["create"]


def test_the_call_chooses_the_line_it_came_from(cast, customer):
    contact = ring()
    mobile = customer.lines.get(service_type="mobile")
    page = desk(cast["xiaowang"]).get(f"/customers/{customer.pk}/orders/new/?contact={contact.pk}")
    assert re.search(rf'<option value="{mobile.pk}" selected>', page.content.decode())


def test_changing_the_type_reloads_the_fields_with_that_types_categories(cast, customer):
    response = desk(cast["xiaowang"]).get(
        f"/customers/{customer.pk}/orders/new/",
        {"order_type": "fault", "description": "无法上网"},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert "<html" not in page
    assert "宽带无法上网" in page and "话费查询" not in page
    assert 'name="fault_scope"' in page and 'name="complaint_level"' not in page
    assert "无法上网</textarea>" in page


def test_a_category_of_another_type_is_refused_on_the_form(cast, customer):
    response = desk(cast["xiaowang"]).post(
        f"/customers/{customer.pk}/orders/new/",
        {
            "order_type": "inquiry",
            "category": Category.objects.get(code="broadband.down").pk,
            "description": "宽带无法上网",
        },
    )
    assert response.status_code == 200
    assert 'class="field invalid"' in response.content.decode()
    assert not WorkOrder.objects.exists()


@pytest.mark.parametrize(
    ("username", "status"), [("ligong", 403), ("zhouqa", 403), ("wuwfm", 403), ("outsider", 403)]
)
def test_only_roles_that_open_orders_get_the_new_order_form(cast, customer, username, status):
    assert desk(cast[username]).get(f"/customers/{customer.pk}/orders/new/").status_code == status


def test_a_customer_outside_the_agents_regions_has_no_new_order_form(cast, jiangning_customer):
    url = f"/customers/{jiangning_customer.pk}/orders/new/"
    assert desk(cast["xiaowang"]).get(url).status_code == 404


# The screen pop


def test_a_ringing_call_pops_its_customer_once_then_nothing(cast, customer):
    contact = ring()
    client = desk(cast["xiaowang"])
    first = pop(client)
    assert first.status_code == 200
    assert first.headers["HX-Redirect"] == f"/customers/{customer.pk}/?contact={contact.pk}"
    assert pop(client).status_code == 204


def test_a_call_to_another_seat_does_not_pop(cast, customer):
    ring(agent_id="10001")
    assert pop(desk(cast["laozhang"])).status_code == 204


def test_an_unknown_number_opens_customer_search_with_a_banner(cast):
    ring(number="13900009999")
    client = desk(cast["xiaowang"])
    target = pop(client).headers["HX-Redirect"]
    assert target == "/customers/?q=13900009999"
    assert "未识别来电 13900009999" in client.get(target).content.decode()


def test_while_the_agent_edits_a_form_the_call_is_a_banner_not_a_redirect(cast, customer):
    contact = ring()
    response = pop(desk(cast["xiaowang"]), editing="1")
    assert "HX-Redirect" not in response.headers
    page = response.content.decode()
    assert "王建国" in page and f"/customers/{customer.pk}/?contact={contact.pk}" in page


def test_only_desks_that_take_calls_poll_for_pops(cast):
    assert 'id="desk-pop"' in desk(cast["xiaowang"]).get("/").content.decode()
    assert 'id="desk-pop"' not in desk(cast["ligong"]).get("/").content.decode()
    assert pop(desk(cast["ligong"])).status_code == 403


def test_a_desk_whose_session_ended_is_sent_to_sign_in(db):
    response = Client().get(
        "/desk/pop", HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="http://testserver/orders/"
    )
    assert response.headers["HX-Redirect"] == "/login/?next=/orders/"


# The inbox


def test_the_inbox_lists_the_users_notifications_and_the_nav_counts_the_unread(cast, fault):
    client = desk(cast["ligong"])
    unread = Notification.objects.filter(recipient=cast["ligong"], read_at__isnull=True).count()
    assert unread >= 1
    assert (
        f'<span class="count" title="未读通知">{unread}</span>' in client.get("/").content.decode()
    )
    page = client.get("/inbox/").content.decode()
    assert f"工单 {fault.number}：派单" in page


def test_opening_a_notification_marks_it_read_and_goes_to_the_order(cast, fault):
    notification = Notification.objects.filter(recipient=cast["ligong"]).first()
    response = desk(cast["ligong"]).get(f"/inbox/{notification.pk}/")
    assert response.headers["Location"] == f"/orders/{fault.pk}/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_all_read_clears_the_badge(cast, fault):
    client = desk(cast["ligong"])
    assert client.post("/inbox/read-all/").status_code == 302
    assert not Notification.objects.filter(recipient=cast["ligong"], read_at__isnull=True).exists()
    assert '<span class="count"' not in client.get("/").content.decode()


def test_another_users_notification_is_not_found(cast, fault):
    notification = Notification.objects.filter(recipient=cast["ligong"]).first()
    assert desk(cast["xiaowang"]).get(f"/inbox/{notification.pk}/").status_code == 404
