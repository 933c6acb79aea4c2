"""The lifecycle tables: which steps lead where, and who may take them."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotline.core import lifecycle
from hotline.core.lifecycle import (
    FIRST_LINE_MAY_CLOSE,
    LIFECYCLES,
    OWNER,
    OrderType,
    State,
    Step,
    StepRefused,
    allowed_steps,
    step_for,
)

AGENT_OWNER = frozenset({OWNER, "role:agent"})
SECOND_LINE = frozenset({lifecycle.DEPARTMENT, "role:second_line"})


def test_a_department_member_accepts_a_dispatched_order():
    transition = step_for(OrderType.FAULT, State.DISPATCHED, Step.ACCEPT, SECOND_LINE)
    assert transition.target == State.ACCEPTED


def test_the_second_of_two_accepts_is_refused_for_the_state():
    with pytest.raises(StepRefused) as refused:
        step_for(OrderType.FAULT, State.ACCEPTED, Step.ACCEPT, SECOND_LINE)
    assert refused.value.reason == "state"


def test_an_agent_outside_the_department_may_not_accept():
    with pytest.raises(StepRefused) as refused:
        step_for(OrderType.FAULT, State.DISPATCHED, Step.ACCEPT, AGENT_OWNER)
    assert refused.value.reason == "party"


def test_first_contact_close_needs_a_category_that_allows_it():
    with pytest.raises(StepRefused) as refused:
        step_for(OrderType.INQUIRY, State.NEW, Step.CLOSE_AT_FIRST_CONTACT, AGENT_OWNER)
    assert refused.value.reason == "condition"
    allowed = AGENT_OWNER | {FIRST_LINE_MAY_CLOSE}
    transition = step_for(OrderType.INQUIRY, State.NEW, Step.CLOSE_AT_FIRST_CONTACT, allowed)
    assert transition.target == State.ARCHIVED


def test_a_fault_is_never_closed_without_a_callback():
    assert LIFECYCLES[OrderType.FAULT].transition(Step.CLOSE_AT_FIRST_CONTACT) is None


def test_only_faults_have_an_on_site_step():
    with_site = {t for t, cycle in LIFECYCLES.items() if cycle.transition(Step.ARRIVE_ON_SITE)}
    assert with_site == {OrderType.FAULT}


def test_the_complaint_desk_may_take_a_complaint_callback():
    desk = frozenset({lifecycle.COMPLAINT_HANDLER})
    assert Step.CALLBACK in allowed_steps(OrderType.COMPLAINT, State.REPLIED, desk)
    assert Step.CALLBACK not in allowed_steps(OrderType.FAULT, State.REPLIED, desk)


def test_steps_that_need_a_reason_say_so():
    needing = {t.step for t in LIFECYCLES[OrderType.FAULT].transitions if t.needs_reason}
    assert needing == {Step.TRANSFER, Step.SEND_BACK, Step.SUSPEND, Step.SUPERVISE}


def test_reopening_returns_where_the_order_was_worked():
    assert lifecycle.reopen_state(was_escalated=True) == State.DISPATCHED
    assert lifecycle.reopen_state(was_escalated=False) == State.NEW
    assert lifecycle.callback_target(True, State.DISPATCHED) == State.ARCHIVED


EVERYONE = frozenset(
    {
        OWNER,
        lifecycle.HANDLER,
        lifecycle.DEPARTMENT,
        lifecycle.TEAM_LEAD,
        lifecycle.MANAGER,
        lifecycle.ADMIN,
        lifecycle.COMPLAINT_HANDLER,
    }
)


@given(
    order_type=st.sampled_from(list(OrderType)),
    may_close=st.booleans(),
    choices=st.lists(st.integers(min_value=0, max_value=1000), max_size=60),
)
def test_only_a_satisfied_callback_or_a_permitted_close_archives_an_order(
    order_type, may_close, choices
):
    parties = EVERYONE | ({FIRST_LINE_MAY_CLOSE} if may_close else frozenset())
    state, suspended_from, escalated = State.NEW, None, False
    for choice in choices:
        if state == State.ARCHIVED:
            break
        steps = allowed_steps(order_type, state, parties)
        assert steps, f"{state} is a dead end for {order_type}"
        step = steps[choice % len(steps)]
        transition = step_for(order_type, state, step, parties)
        if step == Step.CALLBACK:
            satisfied = choice % 2 == 0
            target = lifecycle.callback_target(satisfied, lifecycle.reopen_state(escalated))
        elif step == Step.RESUME:
            target = suspended_from
        else:
            target = transition.target or state
        if step == Step.SUSPEND:
            suspended_from = state
        if step == Step.ESCALATE:
            escalated = True
        if target == State.ARCHIVED:
            permitted_close = step == Step.CLOSE_AT_FIRST_CONTACT and may_close
            satisfied_callback = step == Step.CALLBACK and choice % 2 == 0
            assert permitted_close or satisfied_callback
        state = target
