"""Reads of tickets: the queue, one ticket with its live SLA clocks, its events, row locks.

The clocks come from the domain (`first_response_clock`, `resolution_clock`) over the ticket's
SLA events; `ticket_sla_columns` turns them into the denormalised columns the services store, so
the queue can filter "breached now" in SQL with `breached_now_q`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet
from django.shortcuts import get_object_or_404

from customer_ops.domain.priority import parse_priority
from customer_ops.domain.sla import (
    DEFAULT_CALENDAR,
    SLA_CLOCK_BASIS,
    ClockBasis,
    TicketSla,
    WorkingCalendar,
    ticket_clocks,
)
from customer_ops.domain.transitions import TicketStatus
from customer_ops.models import SlaEvent, Ticket
from customer_ops.selectors.calendar import calendar_for_span

ORDERINGS: Mapping[str, tuple[Any, ...]] = {
    "next_due_at": (F("next_due_at").asc(nulls_last=True), "-opened_at", "-id"),
    "-next_due_at": (F("next_due_at").desc(nulls_last=True), "-opened_at", "-id"),
    "opened_at": ("opened_at", "id"),
    "-opened_at": ("-opened_at", "-id"),
    "priority": ("priority", F("next_due_at").asc(nulls_last=True), "-id"),
    "-priority": ("-priority", F("next_due_at").asc(nulls_last=True), "-id"),
}
DEFAULT_ORDERING = "next_due_at"
OPEN_STATUSES = (TicketStatus.OPEN.value, TicketStatus.PENDING_CUSTOMER.value)


# ── Clocks ──────────────────────────────────────────────────────────────────────────────────────
def ticket_sla(
    *,
    priority: str,
    events: Sequence[tuple[str, dt.datetime]],
    now: dt.datetime,
    calendar: WorkingCalendar | None = None,
) -> TicketSla:
    """Both clocks from the ticket's events; builds the working calendar when not given."""
    if calendar is None:
        # Only working-hours clocks need the holidays (one query for the announced ones).
        opened = min((at for _, at in events), default=now)
        working = SLA_CLOCK_BASIS[parse_priority(priority)] is ClockBasis.WORKING_HOURS
        calendar = calendar_for_span(opened, now) if working else DEFAULT_CALENDAR
    return ticket_clocks(priority=priority, events=events, now=now, calendar=calendar)


def ticket_event_pairs(ticket_id: int) -> list[tuple[str, dt.datetime]]:
    """The ticket's SLA events as (event, at) pairs, in recorded order."""
    return list(
        SlaEvent.objects.filter(ticket_id=ticket_id).order_by("at", "id").values_list("event", "at")
    )


def ticket_sla_now(*, ticket: Ticket, now: dt.datetime) -> TicketSla:
    """The live clocks of a stored ticket at `now` (events; plus the overrides for P2/P3)."""
    return ticket_sla(priority=ticket.priority, events=ticket_event_pairs(ticket.pk), now=now)


# ── Queries ─────────────────────────────────────────────────────────────────────────────────────
def breached_now_q(now: dt.datetime, prefix: str = "") -> Q:
    """Tickets breached at `now`: a clock already past target, or a running one overdue by now."""
    return (
        Q(**{f"{prefix}first_response_breached": True})
        | Q(**{f"{prefix}resolution_breached": True})
        # `IS NOT NULL AND`: a bare `overdue_after < now` is NULL, not false, for a ticket with
        # no running clock, and would make the annotation NULL instead of false.
        | Q(**{f"{prefix}overdue_after__isnull": False, f"{prefix}overdue_after__lt": now})
    )


def ticket_queue(
    *,
    now: dt.datetime,
    priority: str | None = None,
    status: str | None = None,
    customer_id: int | None = None,
    assignee_id: int | None = None,
    breached: bool | None = None,
    ordering: str = DEFAULT_ORDERING,
) -> QuerySet[Ticket]:
    """The ticket queue, filtered and sorted in SQL; each row carries `breached_now`."""
    queryset = Ticket.objects.select_related("customer", "assignee").annotate(
        breached_now=ExpressionWrapper(breached_now_q(now), output_field=BooleanField())
    )
    if priority:
        queryset = queryset.filter(priority=priority)
    if status:
        queryset = queryset.filter(status=status)
    if customer_id is not None:
        queryset = queryset.filter(customer_id=customer_id)
    if assignee_id is not None:
        queryset = queryset.filter(assignee_id=assignee_id)
    if breached is True:
        queryset = queryset.filter(breached_now_q(now))
    elif breached is False:
        queryset = queryset.exclude(breached_now_q(now))
    return queryset.order_by(*ORDERINGS.get(ordering, ORDERINGS[DEFAULT_ORDERING]))


def ticket_get(*, ticket_id: int, now: dt.datetime) -> Ticket:
    """One ticket with its customer and assignee, carrying `breached_now` (404 when unknown)."""
    return get_object_or_404(ticket_queue(now=now), pk=ticket_id)


def ticket_events(*, ticket_id: int) -> QuerySet[SlaEvent]:
    """The ticket's SLA events, oldest first, with who recorded them."""
    return SlaEvent.objects.filter(ticket_id=ticket_id).select_related("actor").order_by("at", "id")


def ticket_for_update(*, ticket_id: int) -> Ticket:
    """The ticket, locked until the surrounding transaction ends (404 when it does not exist)."""
    return get_object_or_404(Ticket.objects.select_for_update(), pk=ticket_id)


def open_breached_ticket_count(*, customer_id: int, now: dt.datetime) -> int:
    """How many of the customer's open tickets are past their SLA now."""
    return (
        Ticket.objects.filter(customer_id=customer_id, status__in=OPEN_STATUSES)
        .filter(breached_now_q(now))
        .count()
    )


def open_ticket_for_contact(*, customer_id: int, channel: str) -> Ticket | None:
    """The customer's latest open (or waiting) ticket on `channel`, locked: a new message joins it."""
    return (
        Ticket.objects.select_for_update()
        .filter(customer_id=customer_id, channel=channel, status__in=OPEN_STATUSES)
        .order_by("-opened_at", "-id")
        .first()
    )
