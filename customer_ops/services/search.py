"""Writes of the search text: each service that writes a searchable thing calls one of these in
its own transaction, so the stored text is never older than what it stands for.

One upsert per call (`INSERT … ON CONFLICT (kind, object_id) DO UPDATE`), on both databases. The
`*_search_row` functions only read attributes, so the data migration that fills the rows of an
existing database builds them from its historical models with the same code.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from customer_ops.domain.search import SearchKind, search_text
from customer_ops.models import ContactPoint, Customer, Incident, SearchEntry, Ticket, TicketMessage

_UPDATED = ["ticket_id", "customer_id", "at", "text"]


def ticket_search_row(ticket: Any) -> dict[str, Any]:
    """A ticket is found by its subject, body and the keyword that set its priority."""
    return {
        "kind": SearchKind.TICKET.value,
        "object_id": ticket.pk,
        "ticket_id": ticket.pk,
        "customer_id": ticket.customer_id,
        "at": ticket.opened_at,
        "text": search_text(ticket.subject, ticket.body, ticket.matched_keyword),
    }


def message_search_row(message: Any) -> dict[str, Any]:
    """A message is found by its text and who sent it (a number, an address, a name)."""
    return {
        "kind": SearchKind.MESSAGE.value,
        "object_id": message.pk,
        "ticket_id": message.ticket_id,
        "customer_id": message.customer_id,
        "at": message.at,
        "text": search_text(message.text, message.sender_name, message.sender),
    }


def customer_search_row(customer: Any, contact_values: Iterable[str]) -> dict[str, Any]:
    """A customer is found by its name, its contact's name, email and phone, and every number or
    address it reaches us from."""
    return {
        "kind": SearchKind.CUSTOMER.value,
        "object_id": customer.pk,
        "ticket_id": None,
        "customer_id": customer.pk,
        "at": customer.created_at,
        "text": search_text(
            customer.company_name,
            customer.contact_name,
            customer.contact_email,
            customer.contact_phone,
            *contact_values,
        ),
    }


def incident_search_row(incident: Any) -> dict[str, Any]:
    """An incident is found by its title and description."""
    return {
        "kind": SearchKind.INCIDENT.value,
        "object_id": incident.pk,
        "ticket_id": None,
        "customer_id": None,
        "at": incident.declared_at,
        "text": search_text(incident.title, incident.description),
    }


def _upsert(rows: list[dict[str, Any]]) -> None:
    SearchEntry.objects.bulk_create(
        [SearchEntry(**row) for row in rows],
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=_UPDATED,
    )


def search_index_ticket(ticket: Ticket) -> None:
    _upsert([ticket_search_row(ticket)])


def search_index_messages(messages: Iterable[TicketMessage]) -> None:
    rows = [message_search_row(message) for message in messages]
    if rows:
        _upsert(rows)


def search_index_customer(
    customer: Customer, *, contact_values: Iterable[str] | None = None
) -> None:
    """Index the customer; its contact points are read unless the caller knows them (none yet)."""
    if contact_values is None:
        contact_values = ContactPoint.objects.filter(customer_id=customer.pk).values_list(
            "value", flat=True
        )
    _upsert([customer_search_row(customer, contact_values)])


def search_index_customer_id(customer_id: int) -> None:
    """Re-index a customer whose contact points changed."""
    search_index_customer(Customer.objects.get(pk=customer_id))


def search_index_incident(incident: Incident) -> None:
    _upsert([incident_search_row(incident)])
