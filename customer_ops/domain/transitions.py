"""Status enums and their allowed moves: one table per entity, used to enforce and to draw buttons.

Each table maps a status to the set of statuses it may move to. Same-state moves are never listed
(a no-op is not a transition). `ensure_transition` is what services call before saving;
`allowed_moves` is what the UI uses to show only the buttons that would succeed.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from customer_ops.domain.errors import Conflict


class InvalidTransition(Conflict):
    """A status move that the entity's table does not allow; the API answers 409."""

    def __init__(self, current: StrEnum, target: StrEnum) -> None:
        super().__init__(
            f"cannot move from {current} to {target}",
            field="status",
            message_ar=f"لا يمكن الانتقال من {current} إلى {target}",
        )
        self.current = current
        self.target = target


def allowed_moves[S: StrEnum](moves: Mapping[S, frozenset[S]], current: S) -> frozenset[S]:
    """The statuses reachable from `current` in one move (empty for a final status)."""
    return moves.get(current, frozenset())


def ensure_transition[S: StrEnum](moves: Mapping[S, frozenset[S]], current: S, target: S) -> S:
    """Return `target` if the table allows `current → target`, else raise `InvalidTransition`."""
    if target not in allowed_moves(moves, current):
        raise InvalidTransition(current, target)
    return target


# ── Connectors (SPEC.md §2; SPEC_RULES §3.2 documented these moves but never enforced them) ─────
class ConnectorState(StrEnum):
    NOT_STARTED = "not_started"
    CONFIGURING = "configuring"
    CONNECTED_DRAFT_ONLY = "connected_draft_only"
    CONNECTED_APPROVED_EXECUTE = "connected_approved_execute"
    FAILED = "failed"
    SKIPPED = "skipped"


_C = ConnectorState
CONNECTOR_MOVES: Mapping[ConnectorState, frozenset[ConnectorState]] = {
    _C.NOT_STARTED: frozenset({_C.CONFIGURING, _C.SKIPPED}),
    _C.CONFIGURING: frozenset(
        {_C.CONNECTED_DRAFT_ONLY, _C.CONNECTED_APPROVED_EXECUTE, _C.FAILED, _C.SKIPPED}
    ),
    # Switching between the two connected modes goes back through `configuring` on purpose:
    # widening to approved_execute is a reconfiguration, recorded as such in the ledger.
    _C.CONNECTED_DRAFT_ONLY: frozenset({_C.CONFIGURING, _C.SKIPPED}),
    _C.CONNECTED_APPROVED_EXECUTE: frozenset({_C.CONFIGURING, _C.SKIPPED}),
    _C.FAILED: frozenset({_C.CONFIGURING, _C.SKIPPED}),  # the runbook's "retry"
    _C.SKIPPED: frozenset({_C.CONFIGURING}),  # the customer changed their mind
}


# ── Outbound drafts (the approval gate, STYLE §2.3) ────────────────────────────────────────────
class DraftStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    SENT = "sent"
    SENT_MANUALLY = "sent_manually"


_D = DraftStatus
DRAFT_MOVES: Mapping[DraftStatus, frozenset[DraftStatus]] = {
    _D.PENDING: frozenset({_D.APPROVED, _D.REJECTED}),
    # approved → pending: an edit voids the approval (the content hash no longer matches).
    _D.APPROVED: frozenset({_D.SENT, _D.SENT_MANUALLY, _D.PENDING}),
    # rejected → pending: edited and resubmitted.
    _D.REJECTED: frozenset({_D.PENDING}),
    _D.SENT: frozenset(),
    _D.SENT_MANUALLY: frozenset(),
}


# ── Tickets ─────────────────────────────────────────────────────────────────────────────────────
class TicketStatus(StrEnum):
    OPEN = "open"
    PENDING_CUSTOMER = "pending_customer"
    RESOLVED = "resolved"
    CLOSED = "closed"


_T = TicketStatus
TICKET_MOVES: Mapping[TicketStatus, frozenset[TicketStatus]] = {
    _T.OPEN: frozenset({_T.PENDING_CUSTOMER, _T.RESOLVED}),
    _T.PENDING_CUSTOMER: frozenset({_T.OPEN, _T.RESOLVED}),
    # resolved → open is a reopen; resolved → closed needs the customer's confirmation, which the
    # service checks before calling ensure_transition.
    _T.RESOLVED: frozenset({_T.OPEN, _T.CLOSED}),
    _T.CLOSED: frozenset(),
}


# ── Incidents ───────────────────────────────────────────────────────────────────────────────────
class IncidentStatus(StrEnum):
    OPEN = "open"
    MITIGATING = "mitigating"
    RESOLVED = "resolved"
    CLOSED = "closed"


_I = IncidentStatus
INCIDENT_MOVES: Mapping[IncidentStatus, frozenset[IncidentStatus]] = {
    # open → resolved directly covers a false alarm or an instant fix; there is no way back from
    # mitigating to open (mitigation is not undone, the incident is resolved or stays mitigating).
    _I.OPEN: frozenset({_I.MITIGATING, _I.RESOLVED}),
    _I.MITIGATING: frozenset({_I.RESOLVED}),
    # resolved → open is a reopen (it came back); resolved → closed needs a complete post-mortem
    # for SEV1/SEV2 (incidents.ensure_may_close).
    _I.RESOLVED: frozenset({_I.OPEN, _I.CLOSED}),
    _I.CLOSED: frozenset(),
}


# The status filter of the ticket queue and the incident list: two "views" beside each stored
# status ("active": what still needs work; "all": everything).
STATUS_ACTIVE = "active"
STATUS_ALL = "all"
