"""Reads of a user's notifications and where each one opens in the console."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils.http import urlencode

from customer_ops.models import (
    Notification,
)
from customer_ops.roles import User


# ── Notifications ───────────────────────────────────────────────────────────────────────────────
def notifications_for(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's notifications, unread first, newest first."""
    queryset = Notification.objects.filter(recipient_id=user.pk)
    if unread_only:
        queryset = queryset.filter(read_at__isnull=True)
    return queryset.order_by(F("read_at").asc(nulls_first=True), "-created_at", "-id")


def unread_notification_count(*, user: User) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


_API_INCIDENT = re.compile(r"^/api/v1/incidents/(\d+)/?$")


_API_TICKET = re.compile(r"^/api/v1/tickets/(\d+)/?$")


_API_CUSTOMER = re.compile(r"^/api/v1/customers/(\d+)/?")


def console_url(url: str) -> str:
    """Where a notification's link opens in the console (services store API addresses)."""
    parts = urlsplit(url or "")
    if parts.scheme or parts.netloc:
        return ""
    if match := _API_INCIDENT.match(parts.path):
        return reverse("incident-page", kwargs={"incident_id": int(match.group(1))})
    if match := _API_TICKET.match(parts.path):
        return reverse("ticket-page", kwargs={"ticket_id": int(match.group(1))})
    if match := _API_CUSTOMER.match(parts.path):
        return reverse("customer-page", kwargs={"customer_id": int(match.group(1))})
    if parts.path.rstrip("/") == "/api/v1/sla/health":
        query = parse_qs(parts.query)
        period = {
            key: query[source][0]
            for key, source in (("date_from", "from"), ("date_to", "to"))
            if query.get(source)
        }
        return f"{reverse('sla-report')}?{urlencode(period)}" if period else reverse("sla-report")
    if parts.path.startswith("/") and not parts.path.startswith("/api/"):
        return url
    return ""
