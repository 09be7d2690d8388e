"""What "sending" an approved draft means, given its channel and the connector it goes through.

The approval gate decides *whether* a draft may leave; this decides *how*. No route sends
anything that is not approved — the service checks approval first and asks this second.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from customer_ops.domain.connectors import CONNECTED_STATES
from customer_ops.domain.errors import RuleRefused
from customer_ops.domain.transitions import ConnectorState


class Route(StrEnum):
    EMAIL = "email"
    """Sent by the app through Django's mail framework (SMTP in production)."""
    MANUAL = "manual"
    """An operator sends it by hand (or places it as a draft on the customer's side) and records it."""


@dataclass(frozen=True, slots=True)
class ConnectorView:
    key: str
    state: ConnectorState
    default_mode: str
    live_flag_on: bool


def delivery_route(*, channel: str, connector: ConnectorView | None) -> Route:
    """How an approved draft leaves; raises RuleRefused when it may not leave this way at all.

    - No connector: email goes out through our own mail server; any other channel is manual.
    - Through a customer connector: it must be connected; `ingest_only` connectors never carry
      outbound messages; `draft_only` (by mode or state) and `manual` connectors, and any channel
      whose live flag is off, are manual — an operator acts on the customer's side and records it.
      Only an email through a connector in `connected_approved_execute` with its live flag on is
      sent by the app.
    """
    if connector is None:
        return Route.EMAIL if channel == "email" else Route.MANUAL
    if connector.state not in CONNECTED_STATES:
        raise RuleRefused(
            f"connector {connector.key} is not connected ({connector.state})",
            field="connector",
            message_ar=f"قناة {connector.key} غير متصلة ({connector.state})",
        )
    if connector.default_mode == "ingest_only":
        raise RuleRefused(
            f"connector {connector.key} is ingest-only: it carries no outbound messages",
            field="connector",
            message_ar=f"قناة {connector.key} للاستقبال فقط ولا تُرسل رسائل",
        )
    live = (
        connector.state == ConnectorState.CONNECTED_APPROVED_EXECUTE
        and connector.default_mode != "manual"
        and connector.live_flag_on
    )
    if live and channel == "email":
        return Route.EMAIL
    return Route.MANUAL
