"""Template helpers for the console: labels for stored codes."""

from __future__ import annotations

from django import template

from customer_ops.domain.transitions import ConnectorState
from customer_ops.models.connectors import STATE_LABELS

register = template.Library()


@register.filter
def connector_state_label(state: str) -> str:
    """The translated label of a connector state code."""
    return str(STATE_LABELS.get(ConnectorState(state), state))
