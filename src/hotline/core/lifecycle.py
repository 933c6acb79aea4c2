"""The lifecycles of work orders as data: states, the steps between them, and who may take each.

A step names the states it may start from and the state it leads to. Who may take
it is a set of parties: a role (`role:team_lead`) or a relation to the order
(`owner`: the first-contact owner; `handler`: whoever accepted it; `department`:
a member of the department it is dispatched to). The Django layer works out a
user's parties for an order and asks `step_for`; nothing here touches a database.

Two steps lead to a state that depends on the order: `resume` returns to the
state the order was suspended from, and an unsatisfied `callback` reopens it
where it was last worked (返单). Their targets here are the sentinel `RETURN`.
"""

from dataclasses import dataclass
from enum import StrEnum


class OrderType(StrEnum):
    INQUIRY = "inquiry"
    SERVICE_REQUEST = "service_request"
    FAULT = "fault"
    COMPLAINT = "complaint"
    SUGGESTION = "suggestion"


class State(StrEnum):
    NEW = "new"
    ESCALATED = "escalated"
    DISPATCHED = "dispatched"
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    SUSPENDED = "suspended"
    REPLIED = "replied"
    ARCHIVED = "archived"


class Step(StrEnum):
    CLOSE_AT_FIRST_CONTACT = "close_at_first_contact"
    SOLVE_AT_FIRST_CONTACT = "solve_at_first_contact"
    ESCALATE = "escalate"
    DISPATCH = "dispatch"
    ACCEPT = "accept"
    START = "start"
    ARRIVE_ON_SITE = "arrive_on_site"
    REPLY = "reply"
    TRANSFER = "transfer"
    SEND_BACK = "send_back"
    SUSPEND = "suspend"
    RESUME = "resume"
    URGE = "urge"
    SUPERVISE = "supervise"
    CALLBACK = "callback"


RETURN = "return"
OPEN_STATES = frozenset(State) - {State.ARCHIVED}
# Where the second line works an order; suspension and hand-offs start from these.
WORKED = frozenset({State.DISPATCHED, State.ACCEPTED, State.IN_PROGRESS})

OWNER = "owner"
HANDLER = "handler"
DEPARTMENT = "department"
TEAM_LEAD = "role:team_lead"
MANAGER = "role:manager"
COMPLAINT_HANDLER = "role:complaint_handler"
ADMIN = "role:admin"
# The order's category lets the first line finish it without the second line.
FIRST_LINE_MAY_CLOSE = "first_line_may_close"

_LEADS = frozenset({TEAM_LEAD, MANAGER, ADMIN})
_OWNER_OR_LEADS = _LEADS | {OWNER}
_SECOND_LINE = frozenset({HANDLER, DEPARTMENT})


@dataclass(frozen=True)
class Transition:
    step: Step
    sources: frozenset[State]
    target: State | str | None  # None: the state does not change
    parties: frozenset[str]
    needs_reason: bool = False
    # Facts about the order that must hold, given by the caller with the parties.
    requires: frozenset[str] = frozenset()


def _t(
    step: Step,
    sources: frozenset[State] | set[State],
    target: State | str | None,
    parties: frozenset[str] | set[str],
    needs_reason: bool = False,
    requires: frozenset[str] = frozenset(),
) -> Transition:
    return Transition(step, frozenset(sources), target, frozenset(parties), needs_reason, requires)


_SECOND_LINE_PATH = (
    _t(Step.ESCALATE, {State.NEW}, State.ESCALATED, _OWNER_OR_LEADS),
    _t(Step.DISPATCH, {State.ESCALATED}, State.DISPATCHED, _OWNER_OR_LEADS),
    _t(Step.ACCEPT, {State.DISPATCHED}, State.ACCEPTED, {DEPARTMENT}),
    _t(Step.START, {State.ACCEPTED}, State.IN_PROGRESS, {HANDLER}),
    _t(Step.REPLY, {State.ACCEPTED, State.IN_PROGRESS}, State.REPLIED, {HANDLER}),
    _t(Step.TRANSFER, WORKED, State.DISPATCHED, _SECOND_LINE | _LEADS, needs_reason=True),
    _t(Step.SEND_BACK, WORKED, State.ESCALATED, _SECOND_LINE, needs_reason=True),
    _t(Step.SUSPEND, WORKED, State.SUSPENDED, _SECOND_LINE | _LEADS, needs_reason=True),
    _t(Step.RESUME, {State.SUSPENDED}, RETURN, _SECOND_LINE | _LEADS),
)
_EVERY_TYPE = (
    _t(
        Step.SOLVE_AT_FIRST_CONTACT,
        {State.NEW},
        State.REPLIED,
        {OWNER},
        requires=frozenset({FIRST_LINE_MAY_CLOSE}),
    ),
    *_SECOND_LINE_PATH,
    _t(Step.URGE, OPEN_STATES - {State.REPLIED}, None, _OWNER_OR_LEADS),
    _t(Step.SUPERVISE, OPEN_STATES, None, {MANAGER, ADMIN}, needs_reason=True),
    # A satisfied callback archives the order; an unsatisfied one reopens it (返单).
    _t(Step.CALLBACK, {State.REPLIED}, RETURN, _OWNER_OR_LEADS),
)
_CLOSE_AT_FIRST_CONTACT = _t(
    Step.CLOSE_AT_FIRST_CONTACT,
    {State.NEW},
    State.ARCHIVED,
    {OWNER},
    requires=frozenset({FIRST_LINE_MAY_CLOSE}),
)
_ARRIVE_ON_SITE = _t(Step.ARRIVE_ON_SITE, {State.ACCEPTED, State.IN_PROGRESS}, None, {HANDLER})
# Complaints are worked by the complaint desk, which may also take the callback.
_COMPLAINT_CALLBACK = _t(
    Step.CALLBACK, {State.REPLIED}, RETURN, _OWNER_OR_LEADS | {COMPLAINT_HANDLER}
)


@dataclass(frozen=True)
class Lifecycle:
    order_type: OrderType
    transitions: tuple[Transition, ...]

    def transition(self, step: Step) -> Transition | None:
        return next((t for t in self.transitions if t.step == step), None)


def _lifecycle(order_type: OrderType, *extra: Transition) -> Lifecycle:
    replaced = {t.step for t in extra}
    kept = tuple(t for t in _EVERY_TYPE if t.step not in replaced)
    return Lifecycle(order_type, kept + extra)


LIFECYCLES: dict[OrderType, Lifecycle] = {
    # An answer given on the call needs no callback; the agent may close it there.
    OrderType.INQUIRY: _lifecycle(OrderType.INQUIRY, _CLOSE_AT_FIRST_CONTACT),
    OrderType.SUGGESTION: _lifecycle(OrderType.SUGGESTION, _CLOSE_AT_FIRST_CONTACT),
    OrderType.SERVICE_REQUEST: _lifecycle(OrderType.SERVICE_REQUEST, _CLOSE_AT_FIRST_CONTACT),
    OrderType.FAULT: _lifecycle(OrderType.FAULT, _ARRIVE_ON_SITE),
    OrderType.COMPLAINT: _lifecycle(OrderType.COMPLAINT, _COMPLAINT_CALLBACK),
}


class StepRefused(Exception):
    """A step that the order's state or the user's parties do not allow."""

    def __init__(self, reason: str, step: Step, state: State) -> None:
        super().__init__(f"{step} refused in state {state}: {reason}")
        self.reason = reason
        self.step = step
        self.state = state


def step_for(
    order_type: OrderType, state: State, step: Step, parties: frozenset[str]
) -> Transition:
    """The transition `step` takes from `state`; StepRefused says why it may not be taken.

    `parties` holds the user's parties and the order's facts. The reason is "state"
    when the order is not in a state the step starts from (for concurrent requests,
    the second of two), "condition" when a fact it requires is missing, else "party".
    """
    transition = LIFECYCLES[order_type].transition(step)
    if transition is None or state not in transition.sources:
        raise StepRefused("state", step, state)
    if not transition.requires <= parties:
        raise StepRefused("condition", step, state)
    if not transition.parties & parties:
        raise StepRefused("party", step, state)
    return transition


def allowed_steps(order_type: OrderType, state: State, parties: frozenset[str]) -> list[Step]:
    """The steps these parties may take on an order of this type in this state."""
    return [
        t.step
        for t in LIFECYCLES[order_type].transitions
        if state in t.sources and t.parties & parties and t.requires <= parties
    ]


def callback_target(satisfied: bool, reopen_state: State) -> State:
    """Where a callback leads: archived when satisfied, else back where it was last worked."""
    return State.ARCHIVED if satisfied else reopen_state


def reopen_state(was_escalated: bool) -> State:
    """返单: an escalated order goes back to its department, a first-contact one to its owner."""
    return State.DISPATCHED if was_escalated else State.NEW
