"""Status tables: what each entity may move to (STYLE §2.3)."""

from __future__ import annotations

import pytest

from customer_ops.domain.errors import DomainError, RoleRefused
from customer_ops.domain.transitions import (
    CONNECTOR_MOVES,
    DRAFT_MOVES,
    INCIDENT_MOVES,
    TICKET_MOVES,
    ConnectorState,
    DraftStatus,
    IncidentStatus,
    InvalidTransition,
    TicketStatus,
    allowed_moves,
    ensure_transition,
)

C, D, T, INC = ConnectorState, DraftStatus, TicketStatus, IncidentStatus
TABLES = [(CONNECTOR_MOVES, C), (DRAFT_MOVES, D), (TICKET_MOVES, T), (INCIDENT_MOVES, INC)]


@pytest.mark.parametrize(("moves", "enum"), TABLES)
def test_every_status_has_a_row_and_no_same_state_move(moves, enum):
    assert set(moves) == set(enum)
    assert all(status not in targets for status, targets in moves.items())


@pytest.mark.parametrize(
    ("moves", "current", "target"),
    [
        (CONNECTOR_MOVES, C.NOT_STARTED, C.CONFIGURING),
        (CONNECTOR_MOVES, C.CONFIGURING, C.CONNECTED_DRAFT_ONLY),
        (CONNECTOR_MOVES, C.CONFIGURING, C.CONNECTED_APPROVED_EXECUTE),
        (CONNECTOR_MOVES, C.CONFIGURING, C.FAILED),
        (CONNECTOR_MOVES, C.FAILED, C.CONFIGURING),
        (CONNECTOR_MOVES, C.CONNECTED_DRAFT_ONLY, C.SKIPPED),
        (CONNECTOR_MOVES, C.SKIPPED, C.CONFIGURING),
        (DRAFT_MOVES, D.PENDING, D.APPROVED),
        (DRAFT_MOVES, D.PENDING, D.REJECTED),
        (DRAFT_MOVES, D.APPROVED, D.SENT),
        (DRAFT_MOVES, D.APPROVED, D.SENT_MANUALLY),
        (DRAFT_MOVES, D.APPROVED, D.PENDING),
        (DRAFT_MOVES, D.REJECTED, D.PENDING),
        (TICKET_MOVES, T.OPEN, T.PENDING_CUSTOMER),
        (TICKET_MOVES, T.PENDING_CUSTOMER, T.OPEN),
        (TICKET_MOVES, T.PENDING_CUSTOMER, T.RESOLVED),
        (TICKET_MOVES, T.RESOLVED, T.OPEN),
        (TICKET_MOVES, T.RESOLVED, T.CLOSED),
        (INCIDENT_MOVES, INC.OPEN, INC.MITIGATING),
        (INCIDENT_MOVES, INC.MITIGATING, INC.RESOLVED),
        (INCIDENT_MOVES, INC.RESOLVED, INC.OPEN),
        (INCIDENT_MOVES, INC.RESOLVED, INC.CLOSED),
    ],
)
def test_ensure_transition_allows_listed_moves(moves, current, target):
    assert ensure_transition(moves, current, target) is target


@pytest.mark.parametrize(
    ("moves", "current", "target"),
    [
        (CONNECTOR_MOVES, C.NOT_STARTED, C.CONNECTED_DRAFT_ONLY),
        (CONNECTOR_MOVES, C.CONNECTED_DRAFT_ONLY, C.CONNECTED_APPROVED_EXECUTE),
        (CONNECTOR_MOVES, C.FAILED, C.CONNECTED_DRAFT_ONLY),
        (CONNECTOR_MOVES, C.CONFIGURING, C.CONFIGURING),
        (CONNECTOR_MOVES, C.SKIPPED, C.NOT_STARTED),
        (DRAFT_MOVES, D.PENDING, D.SENT),
        (DRAFT_MOVES, D.REJECTED, D.APPROVED),
        (DRAFT_MOVES, D.SENT, D.SENT),
        (DRAFT_MOVES, D.SENT_MANUALLY, D.PENDING),
        (TICKET_MOVES, T.OPEN, T.CLOSED),
        (TICKET_MOVES, T.CLOSED, T.OPEN),
        (INCIDENT_MOVES, INC.MITIGATING, INC.OPEN),
        (INCIDENT_MOVES, INC.OPEN, INC.CLOSED),
        (INCIDENT_MOVES, INC.CLOSED, INC.OPEN),
    ],
)
def test_ensure_transition_refuses_other_moves(moves, current, target):
    with pytest.raises(InvalidTransition) as raised:
        ensure_transition(moves, current, target)

    assert raised.value.current is current
    assert raised.value.target is target
    assert raised.value.message_ar


def test_allowed_moves_feeds_the_ui_buttons():
    assert allowed_moves(TICKET_MOVES, T.RESOLVED) == {T.OPEN, T.CLOSED}
    assert allowed_moves(DRAFT_MOVES, D.SENT) == frozenset()


def test_any_connector_state_may_be_skipped_or_reconfigured():
    for state in C:
        targets = allowed_moves(CONNECTOR_MOVES, state)
        assert state is C.SKIPPED or C.SKIPPED in targets
        assert state is C.CONFIGURING or C.CONFIGURING in targets


def test_invalid_transition_is_the_conflict_kind_of_domain_error():
    # One refusal family: the API answers 409 for a refused move and 400 for bad input, read
    # from the kind's status, so the two never overlap.
    assert issubclass(InvalidTransition, DomainError)
    assert InvalidTransition.http_status == 409
    assert DomainError.http_status == 400
    assert RoleRefused.http_status == 403
    assert not issubclass(InvalidTransition, RoleRefused)
