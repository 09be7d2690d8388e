"""Row-lock helpers: services lock what they are about to change before asking the domain."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from customer_ops.models import (
    Customer,
    CustomerConnector,
    Incident,
    OutboundDraft,
    Ticket,
)


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
