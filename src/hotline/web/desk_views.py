"""The desk's screen pop: a call ringing at an agent's seat opens its customer."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django_htmx.http import HttpResponseClientRedirect

from hotline.contacts import services as contact_services
from hotline.customers import pii
from hotline.customers.selectors import visible_customers
from hotline.web.order_views import caller_number

# Roles that sit at a phone: only their desks poll for screen pops.
SCREEN_POP_ROLES = frozenset({"agent", "team_lead", "complaint_handler"})


def desk_pop(request):
    """Polled by an agent's desk: a call ringing at their seat opens its customer, once.

    While the agent is editing a form (`editing`), the call is shown as a banner with a
    link instead, so that what they were typing is not lost.
    """
    if not request.user.is_authenticated:
        # A desk left open past its session: send it to sign in rather than swap the login
        # page into the poller.
        if request.htmx:
            login = redirect_to_login(request.htmx.current_url_abs_path or "/")
            return HttpResponseClientRedirect(login.url)
        return redirect_to_login(request.get_full_path())
    if request.user.role not in SCREEN_POP_ROLES:
        raise PermissionDenied("only desks that take calls have screen pops")
    contact = contact_services.take_screen_pop(request.user)
    if contact is None:
        return HttpResponse(status=204)
    customer = (
        visible_customers(request.user).filter(pk=contact.customer_id).first()
        if contact.customer_id
        else None
    )
    if customer is not None:
        target = f"{reverse('customer-detail', args=[customer.pk])}?contact={contact.pk}"
    else:
        target = f"{reverse('customer-search')}?{urlencode({'q': contact.caller_number})}"
    if request.GET.get("editing"):
        return render(
            request,
            "web/orders/_pop_banner.html",
            {
                "contact": contact,
                "customer": customer,
                "target": target,
                "caller": caller_number(contact, pii.may_see_unmasked(request.user))
                if customer
                else contact.caller_number,
            },
        )
    if customer is None:
        messages.warning(request, _unknown_caller(contact))
    if request.htmx:
        return HttpResponseClientRedirect(target)
    return redirect(target)


def _unknown_caller(contact) -> str:
    """The banner over customer search when no customer has the calling number."""
    text = format_html(
        gettext("未识别来电 {number}：系统中没有该号码的客户，请核实号码或为来电人建档。"),
        number=contact.caller_number,
    )
    query = urlencode({"number": contact.caller_number, "contact": contact.pk})
    return format_html(
        '{} <a href="{}?{}">{}</a>', text, reverse("customer-create"), query, gettext("新建客户")
    )
