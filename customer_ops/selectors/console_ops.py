"""Reads behind the operations screens of the console (tickets, incidents, success, notifications).

What the issue-#6 selectors do not offer yet, composed on top of them: the queue's search and its
"active" view, the home page's short lists, due touchpoints across plans, the drafts made from a
ticket or an incident, and the signed-in user's notifications. Read-only; every list is one
queryset filtered and ordered in the database with what its rows show fetched in a fixed number
of queries, so a page costs the same with 2 rows or 100,000.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import urlencode

from customer_ops.domain.transitions import IncidentStatus, TicketStatus
from customer_ops.models import (
    Customer,
    Incident,
    Notification,
    OutboundDraft,
    SuccessTouchpoint,
    Ticket,
)
from customer_ops.models.customers import CustomerStatus
from customer_ops.models.drafts import DraftSource
from customer_ops.roles import Role
from customer_ops.selectors.incidents import incident_list
from customer_ops.selectors.tickets import OPEN_STATUSES, ORDERINGS, breached_now_q, ticket_queue

User = AbstractBaseUser | AnonymousUser

# The queue's status filter: the two "views" plus each stored status.
STATUS_ACTIVE = "active"
STATUS_ALL = "all"
ASSIGNEE_ME = "me"
ASSIGNEE_NONE = "none"
ACTIVE_INCIDENT_STATUSES = (IncidentStatus.OPEN.value, IncidentStatus.MITIGATING.value)
_TICKET_REF = re.compile(r"^#?\s*(\d{1,9})$")
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


# ── People and customers (filter and form choices) ──────────────────────────────────────────────
def staff_users() -> QuerySet[Any]:
    """Active operators and founders, by username (assignee choices)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[Role.OPERATOR, Role.FOUNDER])
        .distinct()
        .order_by("username")
    )


def customer_choices() -> list[tuple[int, str]]:
    """Every customer as (id, company name), by name: one query."""
    return list(Customer.objects.order_by("company_name", "id").values_list("id", "company_name"))


# ── Ticket queue ────────────────────────────────────────────────────────────────────────────────
def _search_tickets(queryset: QuerySet[Ticket], text: str) -> QuerySet[Ticket]:
    text = text.strip()
    if not text:
        return queryset
    ref = _TICKET_REF.match(text)
    condition = (
        Q(subject__icontains=text)
        | Q(body__icontains=text)
        | Q(matched_keyword__icontains=text)
        | Q(customer__company_name__icontains=text)
    )
    if ref:
        condition |= Q(pk=int(ref.group(1)))
    return queryset.filter(condition)


def ticket_queue_for(
    *, filters: Mapping[str, Any], now: dt.datetime, user: User
) -> QuerySet[Ticket]:
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


def page_by_ids(queryset: QuerySet[Any], *, number: Any, per_page: int) -> Page[Any]:
    """One page of `queryset` in its order: the page's ids first, then those rows in full.

    Sorting and counting only the ids lets the database answer from an index; the rows (with their
    joins and annotations) are then fetched for the page alone. Three queries, whatever the size.
    """
    page = Paginator(queryset.values_list("pk", flat=True), per_page).get_page(number)
    ids = list(page.object_list)
    rows = {row.pk: row for row in queryset.filter(pk__in=ids).order_by()}
    page.object_list = [rows[pk] for pk in ids if pk in rows]
    return page


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


def ticket_drafts(*, ticket_id: int) -> list[OutboundDraft]:
    """The reply drafts written for a ticket, newest first."""
    return list(
        OutboundDraft.objects.filter(
            source__in=[DraftSource.TICKET_FIRST_RESPONSE, DraftSource.TICKET_REPLY],
            source_id=str(ticket_id),
        )
        .select_related("author")
        .order_by("-created_at", "-id")
    )


# ── Incidents ───────────────────────────────────────────────────────────────────────────────────
def incidents_for(*, filters: Mapping[str, Any]) -> QuerySet[Incident]:
    """The incident list as filtered on screen ("" or "active": open and mitigating)."""
    status = filters.get("status") or STATUS_ACTIVE
    queryset = incident_list(
        status=None if status in (STATUS_ACTIVE, STATUS_ALL) else status,
        severity=filters.get("severity") or None,
        customer_id=filters.get("customer") or None,
    )
    if status == STATUS_ACTIVE:
        queryset = queryset.filter(status__in=ACTIVE_INCIDENT_STATUSES)
    return queryset


def incidents_update_due(*, limit: int) -> list[Incident]:
    """Active incidents by when customers are owed the next update, soonest (or overdue) first."""
    return list(
        Incident.objects.filter(
            status__in=ACTIVE_INCIDENT_STATUSES, next_update_due_at__isnull=False
        ).order_by("next_update_due_at", "id")[:limit]
    )


def active_incident_counts(*, now: dt.datetime) -> dict[str, int]:
    """Active incidents in total, SEV1 and SEV2, and those owing customers an overdue update."""
    return Incident.objects.filter(status__in=ACTIVE_INCIDENT_STATUSES).aggregate(
        total=Count("id"),
        sev1=Count("id", filter=Q(severity="SEV1")),
        sev2=Count("id", filter=Q(severity="SEV2")),
        overdue=Count("id", filter=Q(next_update_due_at__lt=now)),
    )


def active_incident_count() -> int:
    return Incident.objects.filter(status__in=ACTIVE_INCIDENT_STATUSES).count()


def incident_drafts(*, incident_id: int) -> list[OutboundDraft]:
    """The customer-update drafts written for an incident, newest first."""
    return list(
        OutboundDraft.objects.filter(source=DraftSource.INCIDENT_UPDATE, source_id=str(incident_id))
        .select_related("customer", "author")
        .order_by("-created_at", "-id")
    )


# ── Customer success ────────────────────────────────────────────────────────────────────────────
def touchpoints_due(*, until: dt.date) -> QuerySet[SuccessTouchpoint]:
    """Touchpoints not yet done and due by `until` (overdue ones first), across every plan."""
    return (
        SuccessTouchpoint.objects.filter(done_at__isnull=True, due_on__lte=until)
        .select_related("plan__customer")
        .order_by("due_on", "plan__customer__company_name", "id")
    )


def touchpoint_get(*, touchpoint_id: int) -> SuccessTouchpoint:
    """One touchpoint with its plan's customer and who completed it (404 when unknown)."""
    return get_object_or_404(
        SuccessTouchpoint.objects.select_related("plan__customer", "done_by"), pk=touchpoint_id
    )


def customers_without_plan() -> QuerySet[Customer]:
    """Current customers that have no success plan yet."""
    return (
        Customer.objects.filter(success_plan__isnull=True)
        .exclude(status=CustomerStatus.CHURNED)
        .order_by("company_name", "id")
    )


def customer_check_ins(*, customer_id: int, limit: int) -> list[Any]:
    """The customer's latest weekly check-ins with their drafts."""
    from customer_ops.models import CheckIn

    return list(
        CheckIn.objects.filter(customer_id=customer_id)
        .select_related("draft", "created_by")
        .order_by("-week_start", "-id")[:limit]
    )


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
