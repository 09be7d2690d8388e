"""Row-lock helpers: services lock what they are about to change before asking the domain."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404

from customer_ops.domain.transitions import TicketStatus
from customer_ops.models import (
    CalendarPeriod,
    Customer,
    CustomerConnector,
    HolidayOverride,
    Incident,
    IncidentPlanStep,
    LiveActionsFreeze,
    MailboxCursor,
    Notification,
    OutboundDraft,
    SuccessTouchpoint,
    Ticket,
    TicketMessage,
    WorkingCalendarState,
)
from customer_ops.models.calendar import CALENDAR_STATE_ID

OPEN_TICKET_STATUSES = (TicketStatus.OPEN.value, TicketStatus.PENDING_CUSTOMER.value)


def draft_for_update(*, draft_id: int) -> OutboundDraft:
    """The draft, locked until the surrounding transaction ends (404 when it does not exist)."""
    return get_object_or_404(OutboundDraft.objects.select_for_update(), pk=draft_id)


def customer_for_update(*, customer_id: int) -> Customer:
    return get_object_or_404(Customer.objects.select_for_update(), pk=customer_id)


def connector_for_update(*, customer_id: int, connector_key: str) -> CustomerConnector:
    return get_object_or_404(
        CustomerConnector.objects.select_for_update(),
        customer_id=customer_id,
        connector_key=connector_key,
    )


def ticket_for_update(*, ticket_id: int) -> Ticket:
    """The ticket, locked until the surrounding transaction ends (404 when it does not exist)."""
    return get_object_or_404(Ticket.objects.select_for_update(), pk=ticket_id)


def incident_for_update(*, incident_id: int) -> Incident:
    """The incident, locked until the surrounding transaction ends (404 when unknown)."""
    return get_object_or_404(Incident.objects.select_for_update(), pk=incident_id)


def touchpoint_for_update(*, touchpoint_id: int) -> SuccessTouchpoint:
    """The touchpoint with its plan, locked (404 when it does not exist)."""
    return get_object_or_404(
        SuccessTouchpoint.objects.select_for_update().select_related("plan"), pk=touchpoint_id
    )


def active_plan_step_for_update(*, incident_id: int, position: int) -> IncidentPlanStep:
    """Step `position` of the incident's active plan, locked (404 when there is none)."""
    return get_object_or_404(
        IncidentPlanStep.objects.select_for_update(),
        incident_id=incident_id,
        position=position,
        retired_at__isnull=True,
    )


def active_freeze_for_update() -> LiveActionsFreeze | None:
    """The active live-actions freeze, locked, or None when nothing is frozen."""
    return LiveActionsFreeze.objects.select_for_update().filter(active=True).first()


def own_notification_for_update(*, notification_id: int, recipient_id: int) -> Notification:
    """One of the recipient's own notifications, locked (someone else's is not found: 404)."""
    return get_object_or_404(
        Notification.objects.select_for_update(), pk=notification_id, recipient_id=recipient_id
    )


def open_ticket_for_contact(*, customer_id: int, channel: str) -> Ticket | None:
    """The customer's latest open (or waiting) ticket on `channel`, locked: a new message joins it."""
    return (
        Ticket.objects.select_for_update()
        .filter(customer_id=customer_id, channel=channel, status__in=OPEN_TICKET_STATUSES)
        .order_by("-opened_at", "-id")
        .first()
    )


def message_for_update(*, message_id: int) -> TicketMessage:
    return get_object_or_404(TicketMessage.objects.select_for_update(), pk=message_id)


def calendar_state_for_update() -> WorkingCalendarState:
    """The calendar's singleton row, created if missing, locked until the transaction ends.

    Every calendar change takes this lock first, so changes are serialised and each one bumps
    the version exactly once.
    """
    state, _ = WorkingCalendarState.objects.select_for_update().get_or_create(pk=CALENDAR_STATE_ID)
    return state


def holiday_override_for_update(*, day: dt.date) -> HolidayOverride | None:
    """The announcement for `day`, locked, or None when the day has none."""
    return HolidayOverride.objects.select_for_update().filter(date=day).first()


def calendar_period_for_update(*, period_id: int) -> CalendarPeriod:
    """One special period, locked (404 when it does not exist)."""
    return get_object_or_404(CalendarPeriod.objects.select_for_update(), pk=period_id)


def mailbox_cursor_for_update(*, mailbox: str) -> MailboxCursor:
    """The mailbox's read position, created on first use, locked: one poller stores at a time."""
    MailboxCursor.objects.get_or_create(mailbox=mailbox)
    return MailboxCursor.objects.select_for_update().get(mailbox=mailbox)
