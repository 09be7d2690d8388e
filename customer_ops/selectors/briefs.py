"""The operator modes of SPEC_RULES §9 fed from the database (no synthetic companies).

- self-growth brief: the targets are real customers still in their pilot (status onboarding),
  the ones Dealix has to convert; nothing is invented;
- service-delivery brief: the customer's intake is its own record once the intake step is done;
- SLA status for delivery: the customer's open tickets with their clocks measured now, so an open
  ticket past its target is flagged (the original never flagged an unanswered ticket).
The handoff, which writes, is `services.success.delivery_handoff`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F, Prefetch

from customer_ops.domain.modes import (
    DEALIX_ICP_FOCUSES,
    IcpFocus,
    build_operator_self_growth_brief,
    build_service_delivery_brief,
    build_sla_status_for_delivery,
)
from customer_ops.domain.onboarding import StepId
from customer_ops.domain.priority import parse_priority
from customer_ops.domain.sla import SLA_CLOCK_BASIS, ClockBasis
from customer_ops.models import Customer, OnboardingStep, SlaEvent, Ticket
from customer_ops.models.customers import CustomerStatus
from customer_ops.selectors.calendar import calendar_for_span
from customer_ops.selectors.tickets import OPEN_STATUSES, ticket_sla

MAX_TARGETS = 50


def self_growth_targets(*, limit: int = MAX_TARGETS) -> list[dict[str, Any]]:
    """Customers still in their pilot, longest-running first: who Dealix should convert next."""
    customers = Customer.objects.filter(status=CustomerStatus.ONBOARDING).order_by(
        F("pilot_started_on").asc(nulls_last=True), "id"
    )[:limit]
    return [
        {
            "customer_id": customer.pk,
            "company_name": customer.company_name,
            "sector": customer.sector,
            "city": customer.city,
            "bundle": customer.bundle,
            "pilot_started_on": customer.pilot_started_on,
        }
        for customer in customers
    ]


def self_growth_brief(
    *, include_outreach_hint: bool = True, focus: IcpFocus = DEALIX_ICP_FOCUSES[0]
) -> dict[str, Any]:
    """Today's self-growth brief over the real pilot customers.

    With `candidate_count` beside the spec's keys, so a screen words the summary in its language.
    """
    targets = self_growth_targets()
    brief = build_operator_self_growth_brief(
        targets=targets, include_outreach_hint=include_outreach_hint, focus=focus
    )
    return {**brief, "candidate_count": len(targets)}


def service_delivery_brief(*, customer_id: int, service_id: str) -> dict[str, Any]:
    """The day-one delivery brief; the intake is the customer's record once its intake is done."""
    customer = Customer.objects.get(pk=customer_id)
    intake_done = OnboardingStep.objects.filter(
        customer=customer, step_id=StepId.COMPANY_INTAKE, completed=True
    ).exists()
    intake = (
        {
            "company_name": customer.company_name,
            "sector": customer.sector,
            "city": customer.city,
            "bundle": customer.bundle,
            "contact_name": customer.contact_name,
        }
        if intake_done
        else None
    )
    return build_service_delivery_brief(
        customer_id=str(customer.pk), service_id=service_id, intake=intake
    )


def sla_status_for_delivery(*, customer_id: int, now: dt.datetime) -> dict[str, Any]:
    """The health of the customer's open tickets, measured now, and the breached ones."""
    tickets = list(
        Ticket.objects.filter(customer_id=customer_id, status__in=OPEN_STATUSES)
        .prefetch_related(Prefetch("sla_events", queryset=SlaEvent.objects.order_by("at", "id")))
        .order_by("opened_at", "id")
    )
    working = [
        t
        for t in tickets
        if SLA_CLOCK_BASIS[parse_priority(t.priority)] is ClockBasis.WORKING_HOURS
    ]
    calendar = calendar_for_span(min(t.opened_at for t in working), now) if working else None
    rows = []
    for ticket in tickets:
        sla = ticket_sla(
            priority=ticket.priority,
            events=[(event.event, event.at) for event in ticket.sla_events.all()],
            now=now,
            calendar=calendar,
        )
        rows.append(
            {
                "ticket_id": ticket.pk,
                "subject": ticket.subject,
                "priority": ticket.priority,
                "status": ticket.status,
                "first_response_min": round(sla.first_response.elapsed.total_seconds() / 60, 1),
                "resolution_hours": round(sla.resolution.elapsed.total_seconds() / 3600, 2),
            }
        )
    return build_sla_status_for_delivery(customer_id=str(customer_id), tickets=rows)
