"""Reads of tickets: the queue, one ticket with its live SLA clocks, its events, row locks.

The clocks come from the domain (`first_response_clock`, `resolution_clock`) over the ticket's
SLA events; `ticket_sla_columns` turns them into the denormalised columns the services store, so
the queue can filter "breached now" in SQL with `breached_now_q`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict

from django.core.paginator import Page
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
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
from customer_ops.domain.transitions import STATUS_ACTIVE, STATUS_ALL, TicketStatus
from customer_ops.models import (
    SlaEvent,
    Ticket,
)
from customer_ops.roles import User
from customer_ops.selectors.calendar import calendar_for_span
from customer_ops.selectors.pagination import page_by_ids
from customer_ops.selectors.search import ticket_search_q

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

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


class QueueRow(TypedDict):
    breached_now: bool


# A ticket of the queue: it carries `breached_now`, computed in SQL.
type QueueTicket = WithAnnotations[Ticket, QueueRow]


def ticket_queue(
    *,
    now: dt.datetime,
    priority: str | None = None,
    status: str | None = None,
    customer_id: int | None = None,
    assignee_id: int | None = None,
    breached: bool | None = None,
    ordering: str = DEFAULT_ORDERING,
) -> QuerySet[QueueTicket]:
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


def ticket_get(*, ticket_id: int, now: dt.datetime) -> QueueTicket:
    """One ticket with its customer and assignee, carrying `breached_now` (404 when unknown)."""
    return get_object_or_404(ticket_queue(now=now), pk=ticket_id)


def ticket_events(*, ticket_id: int) -> QuerySet[SlaEvent]:
    """The ticket's SLA events, oldest first, with who recorded them."""
    return SlaEvent.objects.filter(ticket_id=ticket_id).select_related("actor").order_by("at", "id")


def open_breached_ticket_count(*, customer_id: int, now: dt.datetime) -> int:
    """How many of the customer's open tickets are past their SLA now."""
    return (
        Ticket.objects.filter(customer_id=customer_id, status__in=OPEN_STATUSES)
        .filter(breached_now_q(now))
        .count()
    )


# The queue's status filter: the two "views" plus each stored status.


ASSIGNEE_ME = "me"


ASSIGNEE_NONE = "none"


# The queue's default sort: first the open tickets with no clock left running (an open ticket's
# resolution clock stops running only when breached), then by the next due time — overdue ones
# first — then what waits on the customer or is done. Ties break on the id (newest first), so the
# sort reads only the (status, next_due_at) index: no row is touched until the page's 25 are
# fetched, whatever the table's size.
_FULLY_BREACHED_FIRST = Case(
    When(Q(status=TicketStatus.OPEN.value, next_due_at__isnull=True), then=Value(0)),
    default=Value(1),
    output_field=IntegerField(),
)


QUEUE_ORDERINGS = {
    **ORDERINGS,
    "next_due_at": (_FULLY_BREACHED_FIRST.asc(), F("next_due_at").asc(nulls_last=True), "-id"),
}


# ── Ticket queue ────────────────────────────────────────────────────────────────────────────────
def _search_tickets[T: Ticket](queryset: QuerySet[T], text: str) -> QuerySet[T]:
    """The one search (`selectors.search`): subject, body, keyword, messages, customer."""
    condition = ticket_search_q(text)
    return queryset if condition is None else queryset.filter(condition)


def ticket_queue_for(
    *, filters: Mapping[str, Any], now: dt.datetime, user: User
) -> QuerySet[QueueTicket]:
    """The queue as filtered on screen: `ticket_queue` plus search, the active view, "me"/none.

    Status: "" or "active" shows open and waiting-on-customer tickets (the working queue),
    "all" every status, anything else that one status.
    """
    status = filters.get("status") or STATUS_ACTIVE
    assignee = filters.get("assignee") or ""
    assignee_id: int | None = None
    if assignee == ASSIGNEE_ME:
        assignee_id = user.pk
    elif assignee.isdigit():
        assignee_id = int(assignee)
    breached = {"yes": True, "no": False}.get(filters.get("breached") or "")
    sort = filters.get("sort") or "next_due_at"
    queryset = ticket_queue(
        now=now,
        priority=filters.get("priority") or None,
        status=None if status in (STATUS_ACTIVE, STATUS_ALL) else status,
        customer_id=filters.get("customer") or None,
        assignee_id=assignee_id,
        breached=breached,
    ).order_by(*QUEUE_ORDERINGS.get(sort, QUEUE_ORDERINGS["next_due_at"]))
    if status == STATUS_ACTIVE:
        queryset = queryset.filter(status__in=OPEN_STATUSES)
    if assignee == ASSIGNEE_NONE:
        queryset = queryset.filter(assignee__isnull=True)
    return _search_tickets(queryset, filters.get("q") or "")


def ticket_queue_page(
    *, filters: Mapping[str, Any], now: dt.datetime, user: User, number: Any, per_page: int
) -> Page[QueueTicket]:
    """One page of the queue as filtered on screen (`ticket_queue_for`), with the total.

    The filters (a search above all) run once, in the query that sorts and counts the ids; the
    page's rows are then read by id alone, with their customer, assignee and `breached_now`.
    """
    return page_by_ids(
        ticket_queue_for(filters=filters, now=now, user=user),
        number=number,
        per_page=per_page,
        rows=ticket_queue(now=now).order_by(),
    )


@dataclass(frozen=True, slots=True)
class QueueCounts:
    open: int
    waiting: int
    breached: int
    unassigned: int


def queue_counts(*, now: dt.datetime) -> QueueCounts:
    """The working queue at a glance, in one aggregate query over the active tickets."""
    counts = Ticket.objects.filter(status__in=OPEN_STATUSES).aggregate(
        open=Count("id", filter=Q(status=TicketStatus.OPEN)),
        waiting=Count("id", filter=Q(status=TicketStatus.PENDING_CUSTOMER)),
        breached=Count("id", filter=breached_now_q(now)),
        unassigned=Count("id", filter=Q(assignee__isnull=True)),
    )
    return QueueCounts(**counts)


def tickets_nearest_breach(*, now: dt.datetime, limit: int) -> list[Ticket]:
    """Open tickets whose running clock runs out first (already overdue ones lead).

    The ids come straight off the (status, next_due_at) index in its order; then those rows.
    """
    ids = list(
        Ticket.objects.filter(status=TicketStatus.OPEN.value, next_due_at__isnull=False)
        .order_by("next_due_at", "-id")
        .values_list("pk", flat=True)[:limit]
    )
    rows = {row.pk: row for row in ticket_queue(now=now).filter(pk__in=ids).order_by()}
    return [rows[pk] for pk in ids if pk in rows]
