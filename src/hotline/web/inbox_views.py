"""The signed-in user's inbox: their notifications, opened (and so read) one at a time."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from hotline.notifications import selectors, services

NOTIFICATIONS_PER_PAGE = 50


@login_required
def inbox(request):
    page = Paginator(selectors.inbox(request.user), NOTIFICATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "web/inbox.html", {"page": page})


@login_required
def inbox_open(request, pk: int):
    """Mark the notification read and go where it points (the order, usually)."""
    notification = get_object_or_404(selectors.inbox(request.user), pk=pk)
    services.mark_read(user=request.user, notification=notification, now=timezone.now())
    link = notification.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts=None):
        return redirect(link)
    return redirect("inbox")


@login_required
@require_POST
def inbox_read_all(request):
    count = services.mark_all_read(user=request.user, now=timezone.now())
    messages.info(request, gettext("已将 %(count)d 条通知标为已读。") % {"count": count})
    return redirect("inbox")
