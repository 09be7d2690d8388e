"""Reads of outbound drafts: their content hash, how they leave, the inbox, cards and counts."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings

from customer_ops.domain.approval import content_hash
from customer_ops.domain.connectors import get_connector
from customer_ops.domain.delivery import ConnectorView, Route, delivery_route
from customer_ops.domain.transitions import ConnectorState
from customer_ops.models import CustomerConnector, OutboundDraft, Ticket
from customer_ops.models.drafts import DraftSource
from positioning.claims import ClaimsReport, check_claims


def draft_content_hash(draft: OutboundDraft) -> str:
    """The hash an approval is bound to: channel, recipient, subject and body."""
    return content_hash(channel=draft.channel, to=draft.to, subject=draft.subject, body=draft.body)


def _connector_view(connector: CustomerConnector | None) -> ConnectorView | None:
    if connector is None:
        return None
    catalog = get_connector(connector.connector_key)
    flag = catalog.live_flag
    return ConnectorView(
        key=connector.connector_key,
        state=ConnectorState(connector.state),
        default_mode=str(catalog.default_mode),
        live_flag_on=bool(flag and getattr(settings, flag, False)),
    )


def draft_route(draft: OutboundDraft) -> Route:
    """How this draft leaves once approved (raises RuleRefused when it cannot leave)."""
    return delivery_route(channel=draft.channel, connector=_connector_view(draft.connector))


_TICKET_REPLIES = frozenset({DraftSource.TICKET_FIRST_RESPONSE, DraftSource.TICKET_REPLY})


def _ticket_id(draft: OutboundDraft) -> int | None:
    if draft.source not in _TICKET_REPLIES:
        return None
    source_id = draft.source_id
    return (
        int(source_id)
        if source_id.isascii() and source_id.isdigit() and len(source_id) < 19
        else None
    )


def draft_customer_words(drafts: Iterable[OutboundDraft]) -> dict[int, tuple[str, ...]]:
    """For each reply draft, the words of the customer's ticket it answers: one query in all."""
    by_ticket: dict[int, list[OutboundDraft]] = {}
    for draft in drafts:
        ticket_id = _ticket_id(draft)
        if ticket_id is not None:
            by_ticket.setdefault(ticket_id, []).append(draft)
    words: dict[int, tuple[str, ...]] = {}
    if not by_ticket:
        return words
    rows = Ticket.objects.filter(pk__in=by_ticket).values_list(
        "pk", "customer_id", "subject", "body"
    )
    for ticket_id, customer_id, subject, body in rows:
        for draft in by_ticket[ticket_id]:
            if draft.customer_id == customer_id:
                words[draft.pk] = (subject, body)
    return words


def draft_claims(
    draft: OutboundDraft, *, customer_words: tuple[str, ...] | None = None
) -> ClaimsReport:
    """The claims check of what the customer will read (subject and body), as the gate runs it.

    The customer's own words quoted back in a reply ("رد: <their subject>") are theirs, not a
    claim of ours; `customer_words` saves the query when the caller loaded them for many drafts.
    """
    if customer_words is None:
        customer_words = draft_customer_words([draft]).get(draft.pk, ())
    return check_claims(f"{draft.subject}\n{draft.body}", quoting=customer_words)
