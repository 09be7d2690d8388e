"""Reads of customers: the list with its filters and readiness, one customer, its ledger, body references."""

from __future__ import annotations

from collections.abc import Mapping
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
from customer_ops.domain.transitions import IncidentStatus, TicketStatus
from customer_ops.models import (
    Customer,
    CustomerConnector,
    Incident,
    LedgerEntry,
    OnboardingStep,
    SuccessPlan,
    SuccessTouchpoint,
    Ticket,
)

_CONNECTED = [state.value for state in CONNECTED_STATES]


_BLOCKING = [connector.key for connector in SUPPORTED_CONNECTORS if connector.blocking]


# ── Customers ───────────────────────────────────────────────────────────────────────────────────
def ready_for_first_service_expression() -> ExpressionWrapper:
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
    text = text.strip()
    if not text:
        return queryset
    return queryset.filter(
        Q(company_name__icontains=text)
        | Q(contact_name__icontains=text)
        | Q(contact_email__icontains=text)
    )


def customer_list_for(*, filters: Mapping[str, Any]) -> QuerySet[Customer]:
    """Customers matching search/bundle/status, each with `steps_done` and `ready` annotated."""
    steps_done = (
        OnboardingStep.objects.filter(customer=OuterRef("pk"), completed=True)
        .order_by()
        .values("customer")
        .annotate(n=Count("id"))
        .values("n")
    )
    queryset = Customer.objects.annotate(
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
