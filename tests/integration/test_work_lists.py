"""The lists people work from: mine, my group's queue, about to breach, overdue."""

import datetime

from django.utils import timezone

from hotline.workorders import services
from hotline.workorders.selectors import order_list
from tests.orders import open_billing_inquiry, open_broadband_fault

HOUR = datetime.timedelta(hours=1)


def numbers(user, which, now, **filters):
    return {order.number for order in order_list(user, which, now, **filters)}


def test_my_list_holds_the_open_orders_i_own_wherever_they_are_worked(cast, customer):
    fault = open_broadband_fault(cast["xiaowang"], customer)
    services.escalate_to_second_line(actor=cast["xiaowang"], source="web", order=fault)
    closed = open_billing_inquiry(cast["xiaowang"], customer)
    services.close_at_first_contact(
        actor=cast["xiaowang"], source="web", order=closed, reply="已答复"
    )
    assert numbers(cast["xiaowang"], "mine", timezone.now()) == {fault.number}
    assert numbers(cast["laozhang"], "mine", timezone.now()) == set()


def test_the_group_queue_is_the_departments_open_orders(cast, customer):
    fault = open_broadband_fault(cast["xiaowang"], customer)
    services.escalate_to_second_line(actor=cast["xiaowang"], source="web", order=fault)
    assert numbers(cast["xiaoliu"], "group", timezone.now()) == {fault.number}
    assert numbers(cast["chenjie"], "group", timezone.now()) == set()


def test_about_to_breach_and_overdue_follow_the_running_clocks(cast, customer):
    opened = timezone.now() - 11 * HOUR  # a VIP 三级 fault: solve within 12 hours
    fault = open_broadband_fault(cast["xiaowang"], customer, now=opened)
    now = timezone.now()
    assert numbers(cast["laozhang"], "breaching", now) == {fault.number}
    assert numbers(cast["laozhang"], "overdue", now) == set()
    later = now + 2 * HOUR
    assert numbers(cast["laozhang"], "breaching", later) == set()
    assert numbers(cast["laozhang"], "overdue", later) == {fault.number}


def test_a_met_clock_is_neither_about_to_breach_nor_overdue(cast, customer):
    opened = timezone.now() - 11 * HOUR
    order = open_billing_inquiry(cast["xiaowang"], customer, now=opened)
    services.close_at_first_contact(
        actor=cast["xiaowang"], source="web", order=order, reply="已答复"
    )
    later = timezone.now() + 48 * HOUR
    assert numbers(cast["laozhang"], "overdue", later) == set()


def test_words_of_the_description_narrow_a_list(cast, customer):
    fault = open_broadband_fault(cast["xiaowang"], customer)
    open_billing_inquiry(cast["xiaowang"], customer)
    assert numbers(cast["xiaowang"], "all", timezone.now(), text="光猫") == {fault.number}
    assert numbers(cast["xiaowang"], "all", timezone.now(), text="光猫 话费") == set()
