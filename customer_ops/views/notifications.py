"""The signed-in user's notifications: the list (unread first) and the header's unread count."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from customer_ops.access import StaffRequest, staff_required
from customer_ops.selectors.notifications import notifications_for
from customer_ops.services.notifications import (
    notification_mark_read,
    notifications_mark_all_read,
)
from customer_ops.views.actions import region
from customer_ops.views.pagination import page_of
from dealix.http import HtmxHttpRequest

NOTIFICATIONS_PER_PAGE = 20
PAGE = "customer_ops/notifications/list.html"


@staff_required
@require_GET
@vary_on_headers("HX-Request")
def notifications(request: StaffRequest) -> HttpResponse:
    unread_only = request.GET.get("show") == "unread"
    page = page_of(
        request,
        notifications_for(user=request.user, unread_only=unread_only),
        per_page=NOTIFICATIONS_PER_PAGE,
    )
    template_name = PAGE + ("#notification-list" if request.htmx else "")
    return render(request, template_name, {"page_obj": page, "unread_only": unread_only})


@staff_required
@require_GET
def notifications_badge(request: HtmxHttpRequest) -> HttpResponse:
    """The header's bell with its unread count, refreshed after notifications change."""
    return render(request, "base.html#nav-notifications")


@staff_required
@require_POST
def notification_read(request: StaffRequest, notification_id: int) -> HttpResponse:
    notification = notification_mark_read(
        notification_id=notification_id, user=request.user, now=timezone.now()
    )
    return region(
        request,
        "customer_ops/_components/notification_item.html",
        lambda: {"notification": notification},
        back=reverse("notifications"),
        events=("notifications-changed",),
    )


@staff_required
@require_POST
def notifications_read_all(request: StaffRequest) -> HttpResponse:
    notifications_mark_all_read(user=request.user, now=timezone.now())
    return redirect("notifications")
