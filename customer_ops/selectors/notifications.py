"""Reads of a user's notifications and where each one opens in the console."""

from __future__ import annotations

from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils.http import urlencode

from customer_ops.domain.notifications import NotificationTarget, TargetKind
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


def notification_target(notification: Notification) -> NotificationTarget:
    """The typed target stored on a notification."""
    return NotificationTarget(
        kind=TargetKind(notification.target_kind),
        ticket_id=notification.ticket_id,
        incident_id=notification.incident_id,
        customer_id=notification.customer_id,
        touchpoint_id=notification.touchpoint_id,
        day=notification.target_day,
        period_start=notification.period_start,
        period_end=notification.period_end,
    )


def target_path(target: NotificationTarget) -> str:
    """Where a target opens in the console ("" for a notification about nothing in particular)."""
    match target.kind:
        case TargetKind.TICKET:
            return reverse("ticket-page", kwargs={"ticket_id": target.ticket_id})
        case TargetKind.INCIDENT:
            return reverse("incident-page", kwargs={"incident_id": target.incident_id})
        case TargetKind.CUSTOMER:
            return reverse("customer-page", kwargs={"customer_id": target.customer_id})
        case TargetKind.TOUCHPOINT:
            query = {"touchpoint": target.touchpoint_id, "day": target.day}
            return f"{reverse('success-home')}?{urlencode(query)}"  # type: ignore[arg-type]  # Django's urlencode str()s dates; the stubs take only str/bytes/int
        case TargetKind.MY_TICKETS:
            return f"{reverse('ticket-queue')}?{urlencode({'assignee': 'me'})}"
        case TargetKind.SLA_REPORT:
            period = {"date_from": target.period_start, "date_to": target.period_end}
            return f"{reverse('sla-report')}?{urlencode(period)}"  # type: ignore[arg-type]  # Django's urlencode str()s dates; the stubs take only str/bytes/int
    return ""


def notification_link(notification: Notification) -> str:
    """Where a notification opens in the console."""
    return target_path(notification_target(notification))


def already_notified(*, kind: str, target: NotificationTarget) -> bool:
    """Whether a notification of this kind was already left about this target (to anyone)."""
    return Notification.objects.filter(kind=kind, **target.columns()).exists()
