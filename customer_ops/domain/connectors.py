"""The 11-connector catalog, connector states and the setup summary (SPEC_RULES §3, SPEC.md §2).

Better than the original: an unknown connector key or state is an error everywhere (update and
summary), statuses are never mutated in place, and each channel's live-action flag is data here
(the settings layer reads the environment; every flag is off unless set).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from customer_ops.domain.errors import InvalidValue, UnknownConnector, UnknownConnectorState
from customer_ops.domain.inputs import require_text
from customer_ops.domain.transitions import ConnectorState


class ConnectorMode(StrEnum):
    DRAFT_ONLY = "draft_only"
    MANUAL = "manual"
    INGEST_ONLY = "ingest_only"
    APPROVED_EXECUTE = "approved_execute"


class ConnectorPhase(StrEnum):
    PHASE_1 = "phase_1"
    PHASE_2 = "phase_2"
    PHASE_3 = "phase_3"


@dataclass(frozen=True, slots=True)
class Connector:
    """A catalog entry. `live_flag` names the env flag that, with an approval, allows live actions."""

    key: str
    label_ar: str
    default_mode: ConnectorMode
    blocking: bool
    phase: ConnectorPhase
    live_flag: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The original catalog dict (the live flag is not part of the API shape)."""
        return {
            "key": self.key,
            "label_ar": self.label_ar,
            "default_mode": self.default_mode.value,
            "blocking": self.blocking,
            "phase": self.phase.value,
        }


_M, _P = ConnectorMode, ConnectorPhase
SUPPORTED_CONNECTORS: tuple[Connector, ...] = (
    Connector("gmail", "Gmail", _M.DRAFT_ONLY, False, _P.PHASE_1, "GMAIL_ALLOW_LIVE_SEND"),
    Connector(
        "google_calendar",
        "Google Calendar",
        _M.DRAFT_ONLY,
        False,
        _P.PHASE_1,
        "CALENDAR_ALLOW_LIVE_INSERT",
    ),
    Connector("google_sheets", "Google Sheets", _M.APPROVED_EXECUTE, False, _P.PHASE_1),
    Connector("moyasar", "Moyasar (فاتورة يدوية)", _M.MANUAL, False, _P.PHASE_1),
    # The only blocking connector: no first service before WhatsApp passes its opt-in audit.
    Connector(
        "whatsapp_cloud",
        "WhatsApp Business",
        _M.DRAFT_ONLY,
        True,
        _P.PHASE_1,
        "WHATSAPP_ALLOW_LIVE_SEND",
    ),
    Connector("website_forms", "Website Forms", _M.APPROVED_EXECUTE, False, _P.PHASE_1),
    Connector("linkedin_lead_forms", "LinkedIn Lead Gen Forms", _M.INGEST_ONLY, False, _P.PHASE_2),
    Connector(
        "google_business_profile",
        "Google Business Profile",
        _M.DRAFT_ONLY,
        False,
        _P.PHASE_2,
        "GBP_ALLOW_LIVE_REPLY",
    ),
    Connector(
        "crm_generic", "CRM (HubSpot/Salesforce/Zoho/Close)", _M.DRAFT_ONLY, False, _P.PHASE_2
    ),
    Connector("google_meet", "Google Meet (تفريغ الاجتماعات)", _M.INGEST_ONLY, False, _P.PHASE_2),
    Connector(
        "instagram_graph", "Instagram (التعليقات والرسائل)", _M.INGEST_ONLY, False, _P.PHASE_3
    ),
)
CONNECTORS_BY_KEY: dict[str, Connector] = {c.key: c for c in SUPPORTED_CONNECTORS}
# Connector key → the env flag that gates its live action (send, insert, reply).
LIVE_SEND_FLAGS: dict[str, str] = {
    c.key: c.live_flag for c in SUPPORTED_CONNECTORS if c.live_flag is not None
}

CONNECTED_STATES: frozenset[ConnectorState] = frozenset(
    {ConnectorState.CONNECTED_DRAFT_ONLY, ConnectorState.CONNECTED_APPROVED_EXECUTE}
)
NOTES_MAX_CHARS = 200


def get_connector(key: object) -> Connector:
    """The catalog entry for a key; unknown is `UnknownConnector`."""
    if not isinstance(key, str) or key not in CONNECTORS_BY_KEY:
        raise UnknownConnector(key)
    return CONNECTORS_BY_KEY[key]


def parse_connector_state(value: object) -> ConnectorState:
    """The state for its code; anything else is `UnknownConnectorState`."""
    if not isinstance(value, str):  # no other type is a member either
        raise UnknownConnectorState(value)
    try:
        return ConnectorState(value)
    except ValueError:
        raise UnknownConnectorState(value) from None


def update_connector_status(
    statuses: Mapping[str, Any] | None,
    *,
    connector_key: object,
    state: object,
    notes: str = "",
) -> dict[str, Any]:
    """A new statuses dict with this connector's entry replaced by `{state, notes[:200]}`.

    This is the stateless computation of POST /connectors/update; for a stored customer the
    service also enforces `transitions.CONNECTOR_MOVES`.
    """
    connector = get_connector(connector_key)
    new_state = parse_connector_state(state)
    require_text("notes", notes)
    return {
        **(statuses or {}),
        connector.key: {"state": new_state.value, "notes": notes[:NOTES_MAX_CHARS]},
    }


def _read_statuses(statuses: Mapping[str, Any]) -> dict[str, tuple[ConnectorState, str]]:
    if not isinstance(statuses, Mapping):
        raise InvalidValue("statuses", "statuses must be an object keyed by connector")
    read: dict[str, tuple[ConnectorState, str]] = {}
    for key, entry in statuses.items():
        get_connector(key)
        if not isinstance(entry, Mapping):
            raise InvalidValue(f"statuses.{key}", "each status must be an object with a state")
        state = parse_connector_state(entry.get("state", ConnectorState.NOT_STARTED.value))
        notes = entry.get("notes", "")
        read[key] = (state, notes if isinstance(notes, str) else str(notes))
    return read


def build_connector_setup_summary(
    *, customer_id: str = "", statuses: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Readiness across the 11 connectors (SPEC_RULES §3.3): ready ⇔ no blocking one missing."""
    read = _read_statuses(statuses or {})
    connected = 0
    blocking_missing: list[str] = []
    by_state: dict[str, int] = {}
    items: list[dict[str, Any]] = []
    for connector in SUPPORTED_CONNECTORS:
        state, notes = read.get(connector.key, (ConnectorState.NOT_STARTED, ""))
        by_state[state.value] = by_state.get(state.value, 0) + 1
        if state in CONNECTED_STATES:
            connected += 1
        elif connector.blocking:
            blocking_missing.append(connector.key)
        items.append({**connector.as_dict(), "state": state.value, "notes": notes})
    total = len(SUPPORTED_CONNECTORS)
    return {
        "customer_id": customer_id,
        "total_connectors": total,
        "connected_count": connected,
        "connected_pct": round(100 * connected / total, 1),
        "blocking_missing": blocking_missing,
        "by_state": by_state,
        "items": items,
        # The ≥ 1 clause never decides today (the blocking connector is itself a connection),
        # but it keeps "ready" honest if the catalog ever has no blocking connector.
        "ready_for_first_service": not blocking_missing and connected >= 1,
    }


def catalog() -> dict[str, Any]:
    """GET /connectors/catalog: the 11 entries in catalog order."""
    return {
        "total": len(SUPPORTED_CONNECTORS),
        "connectors": [connector.as_dict() for connector in SUPPORTED_CONNECTORS],
    }


# The demo of GET /connectors/demo: 2 connected, Moyasar configuring, WhatsApp missing → not ready.
DEMO_CONNECTOR_STATUSES: dict[str, dict[str, str]] = {
    "gmail": {"state": "connected_draft_only"},
    "google_calendar": {"state": "connected_draft_only"},
    "moyasar": {"state": "configuring"},
    "whatsapp_cloud": {"state": "not_started"},
}
