"""Reads behind the console screens: filtered lists, the connector board and the approvals inbox.

Every list here is one queryset filtered and ordered in the database, with what its rows show
fetched in a constant number of queries (`select_related`, `prefetch_related`, subqueries), so a
page costs the same whether there are 2 customers or 20,000. Views paginate the querysets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from customer_ops.domain import connectors as connector_rules
from customer_ops.domain.connectors import CONNECTED_STATES, SUPPORTED_CONNECTORS, Connector
from customer_ops.domain.delivery import SEND_SETTLE, Route
from customer_ops.domain.errors import DomainError
from customer_ops.domain.transitions import (
    CONNECTOR_MOVES,
    DRAFT_MOVES,
    ConnectorState,
    DraftStatus,
    allowed_moves,
)
from customer_ops.models import (
    Customer,
    CustomerConnector,
    LedgerEntry,
    OnboardingStep,
    OutboundDraft,
)
from customer_ops.models.drafts import SENT_STATUSES
from customer_ops.roles import is_founder
from customer_ops.selectors.drafts import draft_claims, draft_customer_words, draft_route
from positioning.claims import ClaimsReport, Finding

User = AbstractBaseUser | AnonymousUser

_CONNECTED = [state.value for state in CONNECTED_STATES]
_BLOCKING = [connector.key for connector in SUPPORTED_CONNECTORS if connector.blocking]
_STATE_ORDER = {state: index for index, state in enumerate(ConnectorState)}


# ── Customers ───────────────────────────────────────────────────────────────────────────────────
def _ready_for_first_service() -> ExpressionWrapper:
    """SQL for the domain's readiness rule: no blocking connector unconnected, ≥ 1 connected."""
    blocking_missing = Exists(
        CustomerConnector.objects.filter(
            customer=OuterRef("pk"), connector_key__in=_BLOCKING
        ).exclude(state__in=_CONNECTED)
    )
    any_connected = Exists(
        CustomerConnector.objects.filter(customer=OuterRef("pk"), state__in=_CONNECTED)
    )
    return ExpressionWrapper(~blocking_missing & any_connected, output_field=BooleanField())


def _search(queryset: QuerySet[Customer], text: str) -> QuerySet[Customer]:
    text = text.strip()
    if not text:
        return queryset
    return queryset.filter(
        Q(company_name__icontains=text)
        | Q(contact_name__icontains=text)
        | Q(contact_email__icontains=text)
    )


def customer_list_for(*, filters: Mapping[str, Any]) -> QuerySet[Customer]:
    """Customers matching search/bundle/status, each with `steps_done` and `ready` annotated."""
    steps_done = (
        OnboardingStep.objects.filter(customer=OuterRef("pk"), completed=True)
        .order_by()
        .values("customer")
        .annotate(n=Count("id"))
        .values("n")
    )
    queryset = Customer.objects.annotate(
        steps_done=Coalesce(Subquery(steps_done, output_field=IntegerField()), Value(0)),
        ready=_ready_for_first_service(),
    )
    queryset = _search(queryset, filters.get("q") or "")
    if filters.get("bundle"):
        queryset = queryset.filter(bundle=filters["bundle"])
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    return queryset.order_by("company_name", "id")


def customer_get(*, customer_id: int) -> Customer:
    """One customer, or 404."""
    return get_object_or_404(Customer, pk=customer_id)


def customer_ledger(*, customer_id: int) -> QuerySet[LedgerEntry]:
    """The customer's Action Ledger, newest first."""
    return (
        LedgerEntry.objects.filter(customer_id=customer_id)
        .select_related("actor")
        .order_by("-at", "-id")
    )


def customer_recent_drafts(*, customer_id: int, limit: int) -> list[OutboundDraft]:
    """The customer's latest drafts (the inbox, filtered by customer, has them all)."""
    return list(
        OutboundDraft.objects.filter(customer_id=customer_id)
        .select_related("author")
        .order_by("-created_at", "-id")[:limit]
    )


def customer_draft_count(*, customer_id: int) -> int:
    return OutboundDraft.objects.filter(customer_id=customer_id).count()


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
    queryset = _search(queryset, filters.get("q") or "")
    readiness = filters.get("readiness")
    if readiness:
        queryset = queryset.annotate(ready=_ready_for_first_service()).filter(
            ready=readiness == "ready"
        )
    return queryset.order_by("company_name", "id")


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


# ── Drafts and the approvals inbox ──────────────────────────────────────────────────────────────
TAB_STATUSES: dict[str, list[str]] = {
    "pending": [DraftStatus.PENDING.value],
    "approved": [DraftStatus.APPROVED.value],
    "rejected": [DraftStatus.REJECTED.value],
    "sent": SENT_STATUSES,
}


def _drafts_visible_to(user: User) -> QuerySet[OutboundDraft]:
    # Founders decide on every draft; an operator's inbox is the drafts they wrote.
    queryset = OutboundDraft.objects.all()
    if not is_founder(user):
        queryset = queryset.filter(author_id=user.pk)
    return queryset


def drafts_inbox_for(*, user: User, filters: Mapping[str, Any]) -> QuerySet[OutboundDraft]:
    """The inbox tab: pending oldest first (a queue), the other tabs newest first."""
    queryset = _drafts_visible_to(user).select_related(
        "customer", "author", "approved_by", "rejected_by", "sent_by", "connector"
    )
    if filters.get("customer"):
        queryset = queryset.filter(customer_id=filters["customer"])
    tab = filters.get("status") or "all"
    if tab in TAB_STATUSES:
        queryset = queryset.filter(status__in=TAB_STATUSES[tab])
    if tab == "pending":
        return queryset.order_by("created_at", "id")
    return queryset.order_by("-created_at", "-id")


def draft_tab_counts_for(*, user: User, customer_id: int | None = None) -> dict[str, int]:
    """How many drafts each inbox tab holds, in one aggregate query."""
    queryset = _drafts_visible_to(user)
    if customer_id:
        queryset = queryset.filter(customer_id=customer_id)
    per_status = dict(queryset.values_list("status").annotate(n=Count("id")).order_by())
    counts = {
        tab: sum(per_status.get(s, 0) for s in statuses) for tab, statuses in TAB_STATUSES.items()
    }
    counts["all"] = sum(per_status.values())
    return counts


def draft_get(*, draft_id: int) -> OutboundDraft:
    """One draft with everything its card shows, or 404 (any staff member may read a draft)."""
    return get_object_or_404(
        OutboundDraft.objects.select_related(
            "customer", "author", "approved_by", "rejected_by", "sent_by", "connector"
        ),
        pk=draft_id,
    )


def draft_history(*, draft_id: int) -> QuerySet[LedgerEntry]:
    """The draft's ledger rows, oldest first: created, approved or rejected, sent."""
    return (
        LedgerEntry.objects.filter(object_type="outbounddraft", object_id=str(draft_id))
        .select_related("actor")
        .order_by("at", "id")
    )


def pending_drafts_count() -> int:
    return OutboundDraft.objects.filter(status=DraftStatus.PENDING).count()


def drafts_waiting(*, limit: int) -> list[OutboundDraft]:
    """The founder's queue on the home page: pending drafts, oldest first."""
    return list(
        OutboundDraft.objects.filter(status=DraftStatus.PENDING)
        .select_related("customer", "author")
        .order_by("created_at", "id")[:limit]
    )


def my_drafts(*, user: User, limit: int) -> list[OutboundDraft]:
    """An operator's latest drafts, whatever their state, newest first."""
    return list(
        OutboundDraft.objects.filter(author_id=user.pk)
        .select_related("customer")
        .order_by("-status_changed_at", "-id")[:limit]
    )


@dataclass(frozen=True, slots=True)
class TextSegment:
    text: str
    finding: Finding | None = None


def _segments(text: str, offset: int, findings: Iterable[Finding]) -> tuple[TextSegment, ...]:
    """`text` cut into plain and flagged pieces; findings are positions in the checked text."""
    pieces: list[TextSegment] = []
    cursor = 0
    for finding in sorted(findings, key=lambda f: f.start):
        start = max(finding.start - offset, cursor)
        end = min(finding.end - offset, len(text))
        if end <= start:
            continue
        if start > cursor:
            pieces.append(TextSegment(text[cursor:start]))
        pieces.append(TextSegment(text[start:end], finding))
        cursor = end
    if cursor < len(text):
        pieces.append(TextSegment(text[cursor:]))
    return tuple(pieces)


@dataclass(frozen=True, slots=True)
class DraftCard:
    """A draft as the inbox shows it: the claims check, how it would leave, which buttons apply."""

    draft: OutboundDraft
    claims: ClaimsReport
    subject_segments: tuple[TextSegment, ...]
    body_segments: tuple[TextSegment, ...]
    route: Route | None
    route_refusal: DomainError | None
    can_approve: bool
    approve_blocked: str
    """Why a founder sees no approve button: "own_draft" or "claims" (empty otherwise)."""
    can_reject: bool
    can_send: bool
    can_mark_sent: bool
    send_state: str = ""
    """A send that started and was never recorded: "in_progress" or, after `SEND_SETTLE`, "unknown"."""
    can_resolve_send: bool = False
    """A founder may mark the unknown send as sent or release it for sending again."""


def draft_card(
    *,
    draft: OutboundDraft,
    user: User,
    now: dt.datetime | None = None,
    customer_words: tuple[str, ...] | None = None,
) -> DraftCard:
    """The card of one draft for this user (pure Python over the draft and its related rows)."""
    status = DraftStatus(draft.status)
    send_state = ""
    if draft.send_started_at is not None and status == DraftStatus.APPROVED:
        settled = (now or timezone.now()) - draft.send_started_at >= SEND_SETTLE
        send_state = "unknown" if settled else "in_progress"
    # Exactly the text the approval gate checks, so the highlights match its verdict.
    report = draft_claims(draft, customer_words=customer_words)
    route: Route | None = None
    refusal: DomainError | None = None
    try:
        # How an approved draft leaves is the gate's own rule; the card shows the same answer.
        route = draft_route(draft)
    except DomainError as exc:
        refusal = exc
    founder = is_founder(user)
    moves = allowed_moves(DRAFT_MOVES, status)
    approvable = founder and DraftStatus.APPROVED in moves
    own = draft.author_id == user.pk
    approve_blocked = ""
    if approvable and own:
        approve_blocked = "own_draft"
    elif approvable and not report.ok:
        approve_blocked = "claims"
    sendable = status == DraftStatus.APPROVED and route is not None
    return DraftCard(
        draft=draft,
        claims=report,
        subject_segments=_segments(draft.subject, 0, report.findings),
        body_segments=_segments(draft.body, len(draft.subject) + 1, report.findings),
        route=route,
        route_refusal=refusal,
        can_approve=approvable and not approve_blocked,
        approve_blocked=approve_blocked,
        can_reject=founder and DraftStatus.REJECTED in moves,
        # While a send's outcome is unknown, sending again could email the customer twice.
        can_send=sendable and route == Route.EMAIL and not send_state,
        can_mark_sent=sendable and route == Route.MANUAL and not send_state,
        send_state=send_state,
        can_resolve_send=founder and send_state == "unknown",
    )


def draft_cards(*, drafts: Iterable[OutboundDraft], user: User) -> list[DraftCard]:
    drafts = list(drafts)
    words = draft_customer_words(drafts)
    return [
        draft_card(draft=draft, user=user, customer_words=words.get(draft.pk, ()))
        for draft in drafts
    ]
