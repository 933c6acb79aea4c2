"""Pages of the agent desktop; each checks the role, then calls a selector or a service."""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from hotline.audit.models import AuditEvent
from hotline.contacts.selectors import contact_history
from hotline.core.masking import mask_phone
from hotline.customers import pii, selectors, services
from hotline.customers.history import shown_label
from hotline.customers.import_batches import SHOWN_ERRORS, queue_customer_import
from hotline.customers.import_rows import COLUMNS
from hotline.customers.models import (
    Customer,
    CustomerKind,
    CustomerNumber,
    ImportBatch,
    Line,
    Product,
)
from hotline.web.forms import ImportForm, QuickCustomerForm, SearchForm

RESULTS_SHOWN = 50


@login_required
def home(request):
    """The desk of the signed-in role: what this user can do here, and the figures they own."""
    user = request.user
    context: dict = {"search_form": SearchForm(user=user)}
    if user.has_perm("customers.view_customer"):
        customers = selectors.visible_customers(user)
        context["base"] = customers.aggregate(
            total=Count("id"),
            vip=Count("id", filter=Q(is_vip=True)),
            enterprise=Count("id", filter=Q(kind=CustomerKind.ENTERPRISE)),
        )
        if user.has_perm("customers.view_all_regions") or user.role == "team_lead":
            context["by_region"] = (
                customers.values("region__name")
                .annotate(total=Count("id"), vip=Count("id", filter=Q(is_vip=True)))
                .order_by("region__name")
            )
    if user.has_perm("customers.import_customers"):
        context["imports"] = ImportBatch.objects.select_related("uploaded_by")[:5]
    if user.has_perm("audit.view_auditevent"):
        unmasked = pii.may_see_unmasked(user)
        context["my_changes"] = [
            (event, shown_label(event.target_type, event.target_label, unmasked))
            for event in AuditEvent.objects.filter(actor=user).exclude(
                action=AuditEvent.Action.REVEAL
            )[:8]
        ]
    context["regions"] = user.regions.all()
    context["skill_groups"] = user.skill_groups.all()
    return render(request, "web/home.html", context)


@login_required
@permission_required("customers.view_customer", raise_exception=True)
def customer_search(request):
    """Search on every field at once; htmx asks for the result table alone as the agent types."""
    form = SearchForm(request.GET or None, user=request.user)
    customers = []
    searched = form.is_bound and form.is_valid() and form.has_criteria()
    if searched:
        data = form.cleaned_data
        number = data["number"]
        if number:
            customers = selectors.find_by_caller_number(request.user, number)
        else:
            customers = list(
                selectors.search_customers(
                    request.user,
                    data["q"],
                    tier=data["tier"] or None,
                    region_id=data["region"].pk if data["region"] else None,
                    kind=data["kind"] or None,
                    vip=True if data["vip"] else None,
                ).prefetch_related("numbers")[: RESULTS_SHOWN + 1]
            )
        if len(customers) == 1 and number:
            return redirect("customer-detail", pk=customers[0].pk)
    context = {
        "form": form,
        "customers": [
            (customer, _distinct_numbers(customer)) for customer in customers[:RESULTS_SHOWN]
        ],
        "more": len(customers) > RESULTS_SHOWN,
        "searched": searched,
    }
    template = "web/_search_results.html" if request.htmx else "web/customer_search.html"
    return render(request, template, context)


def _distinct_numbers(customer: Customer, shown: int = 3) -> list[str]:
    """The first few numbers a customer is known by, masked: result lists never show them whole."""
    numbers = dict.fromkeys(entry.number for entry in customer.numbers.all())
    return [mask_phone(number) for number in list(numbers)[:shown]]


@login_required
@permission_required("customers.view_customer", raise_exception=True)
def customer_detail(request, pk: int):
    """The unified customer view (统一客户视图): profile, lines and products, history."""
    customer = get_object_or_404(
        selectors.visible_customers(request.user).prefetch_related("lines__products", "numbers"),
        pk=pk,
    )
    unmasked = pii.may_see_unmasked(request.user)
    if unmasked:
        services.record_personal_data_viewed(
            actor=request.user, source=AuditEvent.Source.WEB, customer=customer
        )
    history = None
    if request.user.has_perm("audit.view_auditevent"):
        events = selectors.customer_history(customer)
        product_names = dict(Product.objects.values_list("code", "name"))
        history = [
            {
                "event": event,
                "changes": _labelled_changes(event, unmasked, product_names),
                "target": shown_label(event.target_type, event.target_label, unmasked),
            }
            for event in events.exclude(action=AuditEvent.Action.REVEAL)[:100]
        ]
        views = events.filter(action=AuditEvent.Action.REVEAL)[:10]
    else:
        views = None
    contacts = [
        entry.number
        for entry in customer.numbers.all()
        if entry.kind == CustomerNumber.Kind.CONTACT
    ]
    return render(
        request,
        "web/customer_detail.html",
        {
            "customer": customer,
            "unmasked": unmasked,
            "id_number": pii.shown("id_number", customer.id_number, unmasked),
            "address": pii.shown("address", customer.address, unmasked),
            "contact_numbers": pii.shown("contact_numbers", contacts, unmasked),
            "lines": [
                {
                    "line": line,
                    "number": pii.shown("number", line.number, unmasked),
                    "install_address": pii.shown("install_address", line.install_address, unmasked),
                }
                for line in customer.lines.all()
            ],
            "history": history,
            "views": views,
        },
    )


@login_required
@permission_required(["customers.view_customer", "contacts.view_contact"], raise_exception=True)
def customer_contacts(request, pk: int):
    """The contact slot of the 360 view: the customer's latest calls, newest first, and how
    often they called lately."""
    customer = get_object_or_404(selectors.visible_customers(request.user), pk=pk)
    unmasked = pii.may_see_unmasked(request.user)
    history = contact_history(customer, timezone.now())
    return render(
        request,
        "web/_customer_contacts.html",
        {
            "customer": customer,
            "history": history,
            "rows": [
                {
                    "contact": contact,
                    "caller": pii.shown("number", contact.caller_number, unmasked),
                    "agent_id": contact.agent.agent_id if contact.agent else contact.agent_name,
                    "wait": _minutes_and_seconds(contact.wait_s),
                    "talk": _minutes_and_seconds(contact.talk_s),
                }
                for contact in history.latest
            ],
        },
    )


def _minutes_and_seconds(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def _labelled_changes(event: AuditEvent, unmasked: bool, product_names: dict) -> list[dict]:
    """[{label, old, new}] with field names, choices and products in the reader's words."""
    model = Customer if event.target_type == "customer" else Line
    shown = pii.shown_changes(event.changes, unmasked)
    rows = []
    for name, (old, new) in shown.items():
        label, choices = _field_label(model, name)
        if name == "products":
            choices = product_names
        rows.append(
            {"label": label, "old": _readable(old, choices), "new": _readable(new, choices)}
        )
    return rows


def _readable(value, choices: dict):
    if isinstance(value, list):
        return "、".join(str(choices.get(item, item)) for item in value) or None
    return choices.get(value, value)


def _field_label(model, name: str) -> tuple[str, dict]:
    if name == "contact_numbers":
        return gettext("联系电话"), {}
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name, {}
    return str(field.verbose_name), dict(getattr(field, "choices", None) or [])


@login_required
def customer_import(request):
    if not request.user.has_perm("customers.import_customers"):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        batch = queue_customer_import(actor=request.user, upload=form.cleaned_data["file"])
        return redirect("import-batch", pk=batch.pk)
    return render(
        request,
        "web/customer_import.html",
        {
            "form": form,
            "columns": COLUMNS,
            "batches": ImportBatch.objects.select_related("uploaded_by")[:20],
        },
    )


@login_required
def import_batch_detail(request, pk: int):
    if not request.user.has_perm("customers.import_customers"):
        raise PermissionDenied
    batch = get_object_or_404(ImportBatch.objects.select_related("uploaded_by"), pk=pk)
    template = "web/_import_batch.html" if request.htmx else "web/import_batch.html"
    return render(
        request,
        template,
        {
            "batch": batch,
            "errors": batch.errors[:SHOWN_ERRORS],
            "more_errors": max(len(batch.errors) - SHOWN_ERRORS, 0),
        },
    )


@login_required
@permission_required("customers.add_customer", raise_exception=True)
def customer_create(request):
    """建档 for an unknown caller: name, number, region; then the 360 view to open an order."""
    form = QuickCustomerForm(
        request.POST or None,
        user=request.user,
        initial={"contact_number": request.GET.get("number", "")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        customer = services.create_customer(
            actor=request.user,
            source=AuditEvent.Source.WEB,
            values={
                "name": data["name"],
                "region": data["region"],
                "address": data["address"],
                "contact_numbers": [data["contact_number"]],
            },
        )
        target = reverse("customer-detail", args=[customer.pk])
        contact = request.GET.get("contact", "")
        return redirect(f"{target}?contact={contact}" if contact.isdigit() else target)
    return render(request, "web/customer_create.html", {"form": form})
