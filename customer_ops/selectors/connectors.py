"""Reads of stored connector states, summarised by the domain rules."""

from __future__ import annotations

from typing import Any

from customer_ops.domain import connectors as rules
from customer_ops.models import CustomerConnector


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
