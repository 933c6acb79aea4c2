"""Pages of work orders; each checks the role, then calls a selector or one service."""

from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from hotline.audit.models import AuditEvent
from hotline.contacts.models import Contact
from hotline.core import lifecycle
from hotline.customers import pii
from hotline.customers.selectors import visible_customers
from hotline.web.order_forms import (
    LIST_LABELS,
    STEP_FORMS,
    NewOrderForm,
    OrderFilterForm,
    StepForm,
    step_form,
)
from hotline.workorders import clocks, selectors, services
from hotline.workorders.access import parties_of, visible_orders
from hotline.workorders.models import OrderType, SlaLimit, State, Step, WorkOrder
from hotline.workorders.steps import take_step

WEB = AuditEvent.Source.WEB
ORDERS_PER_PAGE = 50
CUSTOMER_ORDERS_SHOWN = 10
# The step whose form is open when a user may take several: the one that moves the order on.
PRIMARY_STEPS = (
    Step.CALLBACK,
    Step.REPLY,
    Step.CLOSE_AT_FIRST_CONTACT,
    Step.DISPATCH,
    Step.ESCALATE,
)
SEE_ORDERS = "workorders.view_workorder"


def _visible_order(user, pk: int) -> WorkOrder:
    return get_object_or_404(
        visible_orders(user).select_related(
            "customer", "category", "owner", "handler", "department", "line", "repeat_of"
        ),
        pk=pk,
    )


@login_required
@permission_required(SEE_ORDERS, raise_exception=True)
def order_list(request):
    """The work lists (mine, group, breaching, overdue, all), filtered, most urgent first."""
    form = OrderFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    which = filters.get("list") or "mine"
    now = timezone.now()
    department = filters.get("department")
    orders = selectors.order_list(
        request.user,
        which,
        now,
        text=filters.get("q", ""),
        order_type=filters.get("order_type", ""),
        state=filters.get("state", ""),
        department_id=department.pk if department else None,
    )
    page = Paginator(orders, ORDERS_PER_PAGE).get_page(request.GET.get("page"))
    due = selectors.next_due(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "which": which,
        "lists": LIST_LABELS,
        "title": LIST_LABELS[which],
        "page": page,
        "rows": [
            {"order": order, "due": due.get(order.pk), "late": _is_late(due.get(order.pk), now)}
            for order in page.object_list
        ],
        "query": query.urlencode(),
    }
    template = "web/orders/_results.html" if request.htmx else "web/orders/list.html"
    return render(request, template, context)


def _is_late(due: datetime | None, now: datetime) -> bool:
    return due is not None and due <= now


@login_required
@permission_required(SEE_ORDERS, raise_exception=True)
def order_detail(request, pk: int):
    """One order: its facts, its clocks, the steps this user may take, and its history."""
    return _render_detail(request, _visible_order(request.user, pk))


@login_required
@permission_required(SEE_ORDERS, raise_exception=True)
@require_POST
def order_step(request, pk: int, step: str):
    """Take one step through its service; errors come back inline on the order's page."""
    if step not in STEP_FORMS:
        raise Http404("no such step")
    order = _visible_order(request.user, pk)
    form = step_form(step, order, request.POST)
    if form.is_valid():
        try:
            order = take_step(
                actor=request.user, source=WEB, order=order, step=step, values=form.cleaned_data
            )
        except services.StepConflict:
            current = _visible_order(request.user, pk)
            conflict = gettext("该工单已被他人处理，当前状态：%(state)s") % {
                "state": current.get_state_display()
            }
            return _render_detail(request, current, conflict=conflict, status=409)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                gettext("工单 %(number)s：%(step)s已完成，当前状态：%(state)s")
                % {
                    "number": order.number,
                    "step": Step(step).label,
                    "state": order.get_state_display(),
                },
            )
            return redirect("order-detail", pk=order.pk)
    return _render_detail(request, order, bound={step: form})


def _add_errors(form, error: ValidationError) -> None:
    """A service's ValidationError on the form: on its field when the form has it."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _render_detail(
    request, order: WorkOrder, *, bound: dict | None = None, conflict: str = "", status: int = 200
):
    user = request.user
    now = timezone.now()
    unmasked = pii.may_see_unmasked(user)
    allowed = lifecycle.allowed_steps(
        lifecycle.OrderType(order.order_type),
        lifecycle.State(order.state),
        parties_of(user, order),
    )
    bound = bound or {}
    primary = next(iter(bound), None) or next((s for s in PRIMARY_STEPS if s in allowed), None)
    steps = []
    for step in allowed:
        form: StepForm = bound.get(step) or step_form(step, order)
        steps.append(
            {"step": str(step), "label": Step(step).label, "form": form, "open": step == primary}
        )
    context = {
        "order": order,
        "now": now,
        "line_number": pii.shown("number", order.line.number, unmasked) if order.line_id else "",
        "clocks": _clocks(order, now),
        "quick_steps": [entry for entry in steps if not entry["form"].fields],
        "form_steps": [entry for entry in steps if entry["form"].fields],
        "conflict": conflict,
        "history": _history(order) if user.has_perm("audit.view_auditevent") else None,
    }
    return render(request, "web/orders/detail.html", context, status=status)


CLOCK_STATUS = {
    "met": gettext_lazy("按时完成"),
    "late": gettext_lazy("超时完成"),
    "paused": gettext_lazy("已暂停"),
    "overdue": gettext_lazy("已超时"),
    "running": gettext_lazy("计时中"),
}


def _clocks(order: WorkOrder, now: datetime) -> list[dict]:
    rows = []
    for clock in order.clocks.order_by("round", "started_at", "pk"):
        if clock.met_at is not None:
            status = "met" if clock.met_in_time else "late"
            used = clock.business_used
        else:
            used = clocks.used_now(clock, now)
            if clock.paused_since is not None:
                status = "paused"
            elif clock.due_at is not None and clock.due_at <= now:
                status = "overdue"
            else:
                status = "running"
        rows.append(
            {
                "clock": clock,
                "limit": f"{clock.limit_amount} {SlaLimit.Unit(clock.limit_unit).label}",
                "used": _hours_minutes(used),
                "status": status,
                "status_label": CLOCK_STATUS[status],
            }
        )
    return rows


def _hours_minutes(span: timedelta | None) -> str:
    if span is None:
        return "—"
    minutes = int(span.total_seconds() // 60)
    return f"{minutes // 60}:{minutes % 60:02d}"


# The snapshot fields a history row lists beside the step and the state.
HISTORY_FIELDS = (
    "department",
    "handler",
    "priority",
    "grade",
    "complaint_level",
    "urge_count",
    "supervised",
    "reopen_count",
    "reply",
    "satisfied",
    "root_cause",
    "fix",
)


def _history(order: WorkOrder) -> list[dict]:
    """Every step of the order, oldest first, in the reader's words."""
    events = AuditEvent.objects.filter(target_type="workorder", target_id=order.pk).order_by(
        "at", "id"
    )
    rows = []
    for event in events:
        changes = event.changes
        step = (changes.get("step") or [None, ""])[1]
        state = changes.get("state")
        rows.append(
            {
                "event": event,
                "step": step,
                "step_label": _choice_label(Step, step),
                "state": [_choice_label(State, value) for value in state] if state else None,
                "details": [
                    {"label": _field_label(name), "value": _readable(name, changes[name][1])}
                    for name in HISTORY_FIELDS
                    if name in changes and not _unset(changes[name])
                ],
            }
        )
    return rows


def _unset(pair: list) -> bool:
    """A value that was never there and still is not (an order's blank fields at creation)."""
    old, new = pair
    return old is None and new in ("", 0, False, None)


def _choice_label(choices, value) -> str:
    if value is None:
        return "—"
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _field_label(name: str) -> str:
    try:
        return str(WorkOrder._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _readable(name: str, value) -> str:
    if value is None or value == "":
        return "—"
    if name == "satisfied":
        return gettext("满意") if value else gettext("不满意")
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    field = WorkOrder._meta.get_field(name)
    choices = dict(field.choices or [])
    return str(choices.get(value, value))


def _contact_of(customer, raw) -> Contact | None:
    """The call the page was opened from (?contact=), if it is this customer's."""
    if not raw or not str(raw).isdigit():
        return None
    return Contact.objects.filter(pk=int(raw), customer=customer).first()


@login_required
@permission_required(["customers.view_customer", SEE_ORDERS], raise_exception=True)
def customer_orders(request, pk: int):
    """The work-order slot of the 360 view: the customer's latest orders and a new-order link."""
    customer = get_object_or_404(visible_customers(request.user), pk=pk)
    contact = _contact_of(customer, request.GET.get("contact"))
    orders = selectors.customer_orders(request.user, customer.pk)
    return render(
        request,
        "web/orders/_customer_orders.html",
        {
            "customer": customer,
            "orders": orders[:CUSTOMER_ORDERS_SHOWN],
            "contact": contact,
            "caller": caller_number(contact, pii.may_see_unmasked(request.user)),
        },
    )


def caller_number(contact: Contact | None, unmasked: bool) -> str:
    """The calling number as the viewer may see it."""
    if contact is None:
        return ""
    return pii.shown("number", contact.caller_number, unmasked)


@login_required
@permission_required(["customers.view_customer", "workorders.add_workorder"], raise_exception=True)
def order_new(request, pk: int):
    """Open an order for a customer, with their open orders shown first to avoid a duplicate."""
    customer = get_object_or_404(visible_customers(request.user), pk=pk)
    unmasked = pii.may_see_unmasked(request.user)
    values = request.POST if request.method == "POST" else request.GET
    order_type = values.get("order_type")
    if order_type not in OrderType.values:
        order_type = OrderType.INQUIRY
    contact = _contact_of(customer, values.get("contact"))
    options = {"customer": customer, "order_type": order_type, "unmasked": unmasked}
    if request.method == "POST":
        form = NewOrderForm(request.POST, **options)
        if form.is_valid():
            data = form.cleaned_data
            try:
                order = services.open_order(
                    actor=request.user,
                    source=WEB,
                    customer=customer,
                    order_type=data["order_type"],
                    category=data["category"],
                    description=data["description"],
                    line=data["line"],
                    contact=contact,
                    fault_scope=data.get("fault_scope", ""),
                    complaint_level=data.get("complaint_level", ""),
                    promised_contact_at=data.get("promised_contact_at"),
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, gettext("已建单：%(number)s") % {"number": order.number})
                return redirect("order-detail", pk=order.pk)
    else:
        form = NewOrderForm(initial=_new_order_initial(values, customer, contact), **options)
        if request.htmx:
            return render(request, "web/orders/_order_fields.html", {"form": form})
    return render(
        request,
        "web/orders/new.html",
        {
            "customer": customer,
            "form": form,
            "contact": contact,
            "caller": caller_number(contact, unmasked),
            "similar": selectors.similar_open_orders(customer.pk),
        },
    )


def _new_order_initial(values, customer, contact: Contact | None) -> dict:
    """What the form starts with: the values kept over a type change, else the call's line."""
    initial = {
        "order_type": values.get("order_type") or OrderType.INQUIRY,
        "description": values.get("description", ""),
        "contact": contact.pk if contact else None,
    }
    lines = list(customer.lines.all())
    chosen = values.get("line")
    line = next((item for item in lines if str(item.pk) == chosen), None)
    if line is None and contact is not None:
        line = next((item for item in lines if item.number == contact.caller_number), None)
    if line is None and len(lines) == 1:
        line = lines[0]
    initial["line"] = line.pk if line else None
    return initial
