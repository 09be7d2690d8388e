"""Reads of customers: the list with its filters and readiness, one customer, its ledger, body references."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from customer_ops.domain.connectors import CONNECTED_STATES, SUPPORTED_CONNECTORS
from customer_ops.domain.errors import InvalidValue
from customer_ops.domain.search import search_terms
from customer_ops.domain.transitions import DraftStatus, IncidentStatus, TicketStatus
from customer_ops.models import (
    Customer,
    CustomerConnector,
    Incident,
    LedgerEntry,
    OnboardingStep,
    OutboundDraft,
    SuccessPlan,
    SuccessTouchpoint,
    Ticket,
)
from customer_ops.models.customers import CustomerStatus
from customer_ops.selectors.search import customer_ids_matching
from positioning.lock import BUNDLES

_CONNECTED = [state.value for state in CONNECTED_STATES]


_BLOCKING = [connector.key for connector in SUPPORTED_CONNECTORS if connector.blocking]


# ── Customers ───────────────────────────────────────────────────────────────────────────────────
def ready_for_first_service_expression() -> ExpressionWrapper[Q]:
    """SQL for the domain's readiness rule: no blocking connector unconnected, ≥ 1 connected."""
    blocking_missing = Exists(
        CustomerConnector.objects.filter(
            customer=OuterRef("pk"), connector_key__in=_BLOCKING
        ).exclude(state__in=_CONNECTED)
    )
    any_connected = Exists(
        CustomerConnector.objects.filter(customer=OuterRef("pk"), state__in=_CONNECTED)
    )
    return ExpressionWrapper(~blocking_missing & any_connected, output_field=BooleanField())


def customer_search(queryset: QuerySet[Customer], text: str) -> QuerySet[Customer]:
    """The one search (`selectors.search`): name, contact name, email, phone, contact points."""
    terms = search_terms(text)
    return queryset.filter(pk__in=customer_ids_matching(terms)) if terms else queryset


def customer_list_for(*, filters: Mapping[str, Any]) -> QuerySet[Customer]:
    """Customers matching search/bundle/status, each with `steps_done` and `ready` annotated."""
    steps_done = (
        OnboardingStep.objects.filter(customer=OuterRef("pk"), completed=True)
        .order_by()
        .values("customer")
        .annotate(n=Count("id"))
        .values("n")
    )
    queryset: QuerySet[Customer] = Customer.objects.annotate(
        steps_done=Coalesce(Subquery(steps_done, output_field=IntegerField()), Value(0)),
        ready=ready_for_first_service_expression(),
    )
    queryset = customer_search(queryset, filters.get("q") or "")
    if filters.get("bundle"):
        queryset = queryset.filter(bundle=filters["bundle"])
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    return queryset.order_by("company_name", "id")


def customer_get(*, customer_id: int) -> Customer:
    """One customer, or 404."""
    return get_object_or_404(Customer, pk=customer_id)


def customer_ledger(*, customer_id: int) -> QuerySet[LedgerEntry]:
    """The customer's Action Ledger, newest first."""
    return (
        LedgerEntry.objects.filter(customer_id=customer_id)
        .select_related("actor")
        .order_by("-at", "-id")
    )


def customer_referenced(customer_id: int, *, field: str = "customer") -> Customer:
    """The customer a form or API body names, or InvalidValue on `field` (400, both languages)."""
    customer = Customer.objects.filter(pk=customer_id).first()
    if customer is None:
        raise InvalidValue(
            field,
            f"no customer with id {customer_id}",
            message_ar=f"لا يوجد عميل برقم {customer_id}",
        )
    return customer


def customer_choices() -> list[tuple[int, str]]:
    """Every customer as (id, company name), by name: one query."""
    return list(Customer.objects.order_by("company_name", "id").values_list("id", "company_name"))


@dataclass(frozen=True, slots=True)
class BundleCount:
    bundle_id: str
    name: str
    customers: int


@dataclass(frozen=True, slots=True)
class CustomerCounts:
    customers: int
    onboarding: int
    active: int
    drafts_pending: int
    by_bundle: tuple[BundleCount, ...]


def customer_counts() -> CustomerCounts:
    """Customers by status and by bundle, and the drafts waiting: two aggregates and a count."""
    per_status = dict(Customer.objects.values_list("status").annotate(n=Count("id")).order_by())
    per_bundle = dict(Customer.objects.values_list("bundle").annotate(n=Count("id")).order_by())
    return CustomerCounts(
        customers=sum(per_status.values()),
        onboarding=per_status.get(CustomerStatus.ONBOARDING, 0),
        active=per_status.get(CustomerStatus.ACTIVE, 0),
        drafts_pending=OutboundDraft.objects.filter(status=DraftStatus.PENDING).count(),
        by_bundle=tuple(
            BundleCount(bundle.id.value, bundle.name, per_bundle.get(bundle.id.value, 0))
            for bundle in BUNDLES
        ),
    )


CASES_LIMIT = 8


def customer_cases(*, customer_id: int) -> dict[str, Any]:
    """The customer's tickets, incidents and success plan with their state (the requester panel).

    Open tickets first (then the latest), the incidents that affect the customer (active first),
    and the success plan with its next touchpoint not done; each list capped, with its total.
    """
    tickets = Ticket.objects.filter(customer_id=customer_id)
    incidents = Incident.objects.filter(affected_customers=customer_id)
    plan = SuccessPlan.objects.filter(customer_id=customer_id).first()
    next_touchpoint = (
        SuccessTouchpoint.objects.filter(plan=plan, done_at__isnull=True).order_by("due_on").first()
        if plan is not None
        else None
    )
    open_states = [TicketStatus.OPEN, TicketStatus.PENDING_CUSTOMER]
    return {
        "tickets": list(
            tickets.annotate(
                is_open=Case(When(status__in=open_states, then=Value(0)), default=Value(1))
            ).order_by("is_open", "-opened_at", "-id")[:CASES_LIMIT]
        ),
        "tickets_total": tickets.count(),
        "tickets_open": tickets.filter(status__in=open_states).count(),
        "incidents": list(
            incidents.annotate(
                is_active=Case(
                    When(
                        status__in=[IncidentStatus.RESOLVED, IncidentStatus.CLOSED], then=Value(1)
                    ),
                    default=Value(0),
                )
            ).order_by("is_active", "-declared_at", "-id")[:CASES_LIMIT]
        ),
        "incidents_total": incidents.count(),
        "plan": plan,
        "next_touchpoint": next_touchpoint,
    }
