"""The 360 view's contact slot: a customer's latest calls and how often they called lately."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from hotline.contacts.call_store import Resolver, store_calls
from hotline.contacts.models import OUTCOME_CHOICES
from hotline.contacts.selectors import CONTACTS_SHOWN
from hotline.core.contact_records import CallRecord, Outcome


def desk(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def call(
    call_id: str, days_ago: float, outcome=Outcome.ANSWERED, queue="Q-宽带", agent="PJSIP/10001"
):
    entered = timezone.now() - timedelta(days=days_ago)
    answered = outcome is Outcome.ANSWERED
    return CallRecord(
        call_id=call_id,
        queue=queue,
        entered_at=entered,
        outcome=outcome,
        wait_s=25.0,
        ended_at=entered + timedelta(seconds=25 + (200 if answered else 0)),
        caller="13812345678",
        agent=agent if answered else "",
        talk_s=200.0 if answered else 0.0,
    )


@pytest.fixture
def calls(customer):
    """王建国's calls: three in the last week (one transferred to a second queue, one he gave
    up on), two more in the month, eight older."""
    records = [
        call("c-1", 0.1),
        call("c-1", 0.1 - 1 / 1440, queue="Q-投诉"),  # its second leg, a minute later
        call("c-2", 2, outcome=Outcome.ABANDONED),
        call("c-3", 6),
        call("c-4", 12),
        call("c-5", 25),
        *(call(f"c-old-{n}", 40 + n) for n in range(8)),
    ]
    store_calls(records, "cti", Resolver())
    return records


def slot(user, customer) -> str:
    response = desk(user).get(f"/customers/{customer.pk}/contacts/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("xiaowang", 200),
        ("laozhang", 200),
        ("chenjie", 200),
        ("zhouqa", 200),
        ("zhaomgr", 200),
        ("admin", 200),
        ("ligong", 403),
        ("wuwfm", 403),
        ("outsider", 403),
    ],
)
def test_a_customers_contacts_are_for_roles_that_serve_or_review_the_customer(
    cast, customer, username, status
):
    assert desk(cast[username]).get(f"/customers/{customer.pk}/contacts/").status_code == status


def test_a_customer_outside_the_agents_regions_is_not_found(cast, jiangning_customer):
    response = desk(cast["xiaowang"]).get(f"/customers/{jiangning_customer.pk}/contacts/")
    assert response.status_code == 404


def test_the_latest_contacts_come_newest_first_with_outcome_agent_id_and_times(
    cast, customer, calls
):
    page = slot(cast["xiaowang"], customer)
    rows = re.findall(r"<li><time>(.*?)</time>", page)
    assert len(rows) == CONTACTS_SHOWN
    assert rows == sorted(rows, reverse=True)
    assert "接通" in page and "放弃" in page
    assert "10001" in page and "3:20" in page and "0:25" in page
    assert "Q-投诉" in page


def test_an_agent_sees_the_calling_number_masked_and_a_complaint_handler_whole(
    cast, customer, calls
):
    agents_view = slot(cast["xiaowang"], customer)
    assert "138****5678" in agents_view and "13812345678" not in agents_view
    assert "13812345678" in slot(cast["chenjie"], customer)


def test_calls_lately_count_a_transferred_call_once_and_mark_a_customer_calling_again(
    cast, customer, calls
):
    page = slot(cast["xiaowang"], customer)
    assert "近 7 天来电 3 次，近 30 天 5 次" in page
    assert "重复来电" in page


def test_a_customer_who_never_called_has_no_contacts_and_no_repeat_mark(cast, customer):
    page = slot(cast["xiaowang"], customer)
    assert "该客户还没有接触记录。" in page and "近 7 天来电 0 次" in page
    assert "重复来电" not in page


def test_a_contact_offers_a_new_order_from_it_to_those_who_open_orders(cast, customer, calls):
    assert f"/customers/{customer.pk}/orders/new/?contact=" in slot(cast["xiaowang"], customer)
    assert "/orders/new/" not in slot(cast["zhouqa"], customer)


def test_the_360_view_loads_the_slot_for_roles_that_may_see_contacts(cast, customer):
    page = desk(cast["xiaowang"]).get(f"/customers/{customer.pk}/").content.decode()
    assert f'hx-get="/customers/{customer.pk}/contacts/"' in page
    page = desk(cast["ligong"]).get(f"/customers/{customer.pk}/").content.decode()
    assert "/contacts/" not in page and "您的角色无权查看接触记录。" in page


def test_every_outcome_has_its_label():
    assert {value for value, _label in OUTCOME_CHOICES} == {outcome.value for outcome in Outcome}
