"""Reads of stored connector states, summarised by the domain rules."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Prefetch,
    QuerySet,
)
from django.shortcuts import get_object_or_404

from customer_ops.domain import connectors as connector_rules
from customer_ops.domain import connectors as rules
from customer_ops.domain.connectors import SUPPORTED_CONNECTORS, Connector
from customer_ops.domain.transitions import (
    CONNECTOR_MOVES,
    ConnectorState,
    allowed_moves,
)
from customer_ops.models import (
    Customer,
    CustomerConnector,
)
from customer_ops.selectors.customers import customer_search, ready_for_first_service_expression


def connector_statuses_for(*, customer_id: int) -> dict[str, dict[str, str]]:
    """The customer's stored states in the shape the domain summary reads."""
    rows = CustomerConnector.objects.filter(customer_id=customer_id).values_list(
        "connector_key", "state", "notes"
    )
    return {key: {"state": state, "notes": notes} for key, state, notes in rows}


def connector_summary_for(*, customer_id: int) -> dict[str, Any]:
    """SPEC_RULES §3.3's summary for the stored states of one customer."""
    return rules.build_connector_setup_summary(
        customer_id=str(customer_id), statuses=connector_statuses_for(customer_id=customer_id)
    )


_STATE_ORDER = {state: index for index, state in enumerate(ConnectorState)}


# ── Connector board ─────────────────────────────────────────────────────────────────────────────
@dataclass(frozen=True, slots=True)
class BoardCell:
    connector: Connector
    state: ConnectorState
    notes: str
    moves: tuple[ConnectorState, ...]
    """The states this connector may move to now: the only buttons the board offers."""


@dataclass(frozen=True, slots=True)
class BoardRow:
    customer: Customer
    cells: tuple[BoardCell, ...]
    connected_count: int
    ready: bool
    blocking_missing: tuple[Connector, ...]


def connector_board_customers(*, filters: Mapping[str, Any]) -> QuerySet[Customer]:
    """Customers for the board, with their connectors prefetched in one more query."""
    queryset = Customer.objects.prefetch_related(
        Prefetch("connectors", queryset=CustomerConnector.objects.order_by("id"))
    )
    queryset = customer_search(queryset, filters.get("q") or "")
    readiness = filters.get("readiness")
    if readiness:
        queryset = queryset.annotate(ready=ready_for_first_service_expression()).filter(
            ready=readiness == "ready"
        )
    return queryset.order_by("company_name", "id")


def connector_board_ready_count(*, filters: Mapping[str, Any]) -> int:
    """How many of the board's customers (under these filters) are ready for the first service."""
    customers = connector_board_customers(filters=filters)
    return (
        customers.annotate(ready_now=ready_for_first_service_expression())
        .filter(ready_now=True)
        .count()
    )


def _board_row(customer: Customer) -> BoardRow:
    # `.all()` reads the prefetch cache: no query per customer.
    stored = {row.connector_key: row for row in customer.connectors.all()}
    summary = connector_rules.build_connector_setup_summary(
        customer_id=str(customer.pk),
        statuses={key: {"state": row.state, "notes": row.notes} for key, row in stored.items()},
    )
    cells = []
    for item, connector in zip(summary["items"], SUPPORTED_CONNECTORS, strict=True):
        state = ConnectorState(item["state"])
        moves = sorted(allowed_moves(CONNECTOR_MOVES, state), key=_STATE_ORDER.__getitem__)
        cells.append(BoardCell(connector, state, item["notes"], tuple(moves)))
    return BoardRow(
        customer=customer,
        cells=tuple(cells),
        connected_count=summary["connected_count"],
        ready=summary["ready_for_first_service"],
        blocking_missing=tuple(
            connector_rules.get_connector(key) for key in summary["blocking_missing"]
        ),
    )


def connector_board_rows(customers: Iterable[Customer]) -> list[BoardRow]:
    """One board row per customer (customers from `connector_board_customers`)."""
    return [_board_row(customer) for customer in customers]


def connector_board_row(*, customer_id: int) -> BoardRow:
    """The board row of one customer (after a change in place), or 404."""
    customer = get_object_or_404(
        Customer.objects.prefetch_related(
            Prefetch("connectors", queryset=CustomerConnector.objects.order_by("id"))
        ),
        pk=customer_id,
    )
    return _board_row(customer)
