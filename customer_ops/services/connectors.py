"""Writes for a customer's connectors: moves only along the transition table, each in the ledger."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from customer_ops.domain import connectors as rules
from customer_ops.domain.ledger import LedgerVerb
from customer_ops.domain.transitions import CONNECTOR_MOVES, ConnectorState, ensure_transition
from customer_ops.models import CustomerConnector
from customer_ops.roles import SignedInUser
from customer_ops.selectors.locks import connector_for_update
from customer_ops.services.ledger import ledger_record


def connectors_create(*, customer_id: int) -> None:
    """The 11 catalog connectors of a new customer, all `not_started`."""
    CustomerConnector.objects.bulk_create(
        CustomerConnector(customer_id=customer_id, connector_key=connector.key)
        for connector in rules.SUPPORTED_CONNECTORS
    )


@transaction.atomic
def connector_set_state(
    *,
    customer_id: int,
    connector_key: str,
    to: str,
    actor: SignedInUser | None,
    now: dt.datetime,
    notes: str = "",
) -> CustomerConnector:
    """Move one connector; an illegal move raises InvalidTransition (409 in the API)."""
    rules.get_connector(connector_key)  # unknown key → UnknownConnector
    target = rules.parse_connector_state(to)  # unknown state → UnknownConnectorState
    connector = connector_for_update(customer_id=customer_id, connector_key=connector_key)
    previous = ConnectorState(connector.state)
    ensure_transition(CONNECTOR_MOVES, previous, target)
    connector.state = target
    connector.state_changed_at = now
    connector.notes = notes[:200]
    connector.save(update_fields=["state", "state_changed_at", "notes"])
    ledger_record(
        verb=LedgerVerb.CONNECTORS_STATE_CHANGED,
        obj=connector,
        actor=actor,
        at=now,
        before={"connector_key": connector_key, "state": previous},
        after={"connector_key": connector_key, "state": target},
        note=notes,
    )
    return connector
