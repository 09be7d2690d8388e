"""Reads of outbound drafts: their content hash, how they leave, the inbox, cards and counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import (
    Count,
    QuerySet,
)
from django.shortcuts import get_object_or_404
from django.utils import timezone

from customer_ops.domain.approval import content_hash
from customer_ops.domain.connectors import (
    get_connector,
)
from customer_ops.domain.contacts import to_e164
from customer_ops.domain.delivery import SEND_SETTLE, ConnectorView, Route, delivery_route
from customer_ops.domain.errors import DomainError
from customer_ops.domain.messages import MessageChannel
from customer_ops.domain.transitions import (
    DRAFT_MOVES,
    ConnectorState,
    DraftStatus,
    allowed_moves,
)
from customer_ops.domain.whatsapp import SendFacts, SendRule, TemplateView, whatsapp_send_rule
from customer_ops.models import (
    CustomerConnector,
    LedgerEntry,
    OutboundDraft,
    Ticket,
)
from customer_ops.models.drafts import SENT_STATUSES, DraftSource
from customer_ops.models.message_templates import TemplateStatus
from customer_ops.roles import Role, User, is_founder
from customer_ops.selectors.contacts import contact_opt_in
from customer_ops.selectors.messages import last_inbound_at
from positioning.claims import ClaimsReport, Finding, check_claims


def draft_content_hash(draft: OutboundDraft) -> str:
    """The hash an approval is bound to: channel, recipient, subject, body (and template, if any)."""
    template = ""
    if draft.template_id is not None:
        template = f"{draft.template_id}:{draft.template_params!r}"
    return content_hash(
        channel=draft.channel,
        to=draft.to,
        subject=draft.subject,
        body=draft.body,
        template=template,
    )


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
    return delivery_route(
        channel=draft.channel,
        connector=_connector_view(draft.connector),
        whatsapp_live=bool(settings.WHATSAPP_ALLOW_LIVE_SEND),
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
    whatsapp: dict[str, Any] | None = None
    """For WhatsApp drafts: opt-in, the 24-hour window and which rule applies (selectors.messages)."""
    can_edit: bool = False
    """Its subject, recipient or body may still change (not sent, no send started)."""
    other_approvers: tuple[str, ...] = ()
    """For a founder's own draft: the founders who may approve it instead (four eyes)."""


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
    own = user.pk in draft.content_author_ids  # wrote it or changed its content
    approve_blocked = ""
    if approvable and own:
        approve_blocked = "own_draft"
    elif approvable and not report.ok:
        approve_blocked = "claims"
    sendable = status == DraftStatus.APPROVED and route is not None
    return DraftCard(
        can_edit=draft_editable(draft),
        other_approvers=draft_other_approvers(draft) if approve_blocked == "own_draft" else (),
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
        can_send=sendable and route in (Route.EMAIL, Route.WHATSAPP) and not send_state,
        can_mark_sent=sendable and route == Route.MANUAL and not send_state,
        send_state=send_state,
        can_resolve_send=founder and send_state == "unknown",
        whatsapp=whatsapp_advice(draft, now=now or timezone.now()),
    )


def draft_editable(draft: OutboundDraft) -> bool:
    """Whether the content may still change: `draft_edit` refuses a sent draft or a started send."""
    return draft.status not in SENT_STATUSES and draft.send_started_at is None


def draft_other_approvers(draft: OutboundDraft) -> tuple[str, ...]:
    """The active founders who wrote none of this draft's content: who may approve it (four eyes)."""
    authors = draft.content_author_ids
    founders = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.FOUNDER)
        .distinct()
        .order_by("username")
    )
    return tuple(founder.get_username() for founder in founders if founder.pk not in authors)


def draft_cards(*, drafts: Iterable[OutboundDraft], user: User) -> list[DraftCard]:
    drafts = list(drafts)
    words = draft_customer_words(drafts)
    return [
        draft_card(draft=draft, user=user, customer_words=words.get(draft.pk, ()))
        for draft in drafts
    ]


def ticket_drafts(*, ticket_id: int) -> list[OutboundDraft]:
    """The reply drafts written for a ticket, newest first."""
    return list(
        OutboundDraft.objects.filter(
            source__in=[DraftSource.TICKET_FIRST_RESPONSE, DraftSource.TICKET_REPLY],
            ticket_id=ticket_id,
        )
        .select_related("author")
        .order_by("-created_at", "-id")
    )


def ticket_draft_get(*, ticket_id: int, draft_id: int) -> OutboundDraft:
    """One of the ticket's drafts (404 for a draft of another ticket)."""
    return get_object_or_404(OutboundDraft, pk=draft_id, ticket_id=ticket_id)


def incident_drafts(*, incident_id: int) -> list[OutboundDraft]:
    """The customer-update drafts written for an incident, newest first."""
    return list(
        OutboundDraft.objects.filter(source=DraftSource.INCIDENT_UPDATE, incident_id=incident_id)
        .select_related("customer", "author")
        .order_by("-created_at", "-id")
    )


def whatsapp_send_facts(draft: OutboundDraft) -> SendFacts:
    """Opt-in, window and template of a WhatsApp draft, for `domain.whatsapp.whatsapp_send_rule`."""
    try:
        to = to_e164(draft.to, field="to")
    except DomainError:
        to = draft.to
    template = draft.template
    return SendFacts(
        to=to,
        opt_in=contact_opt_in(channel=MessageChannel.WHATSAPP, value=to),
        last_inbound_at=last_inbound_at(channel=MessageChannel.WHATSAPP, sender=to),
        template=TemplateView(
            name=template.name,
            language=template.language,
            parameter_count=template.parameter_count,
            approved=template.status == TemplateStatus.APPROVED,
        )
        if template is not None
        else None,
        template_params=[str(value) for value in draft.template_params or []],
    )


def whatsapp_live(draft: OutboundDraft) -> bool:
    """True when the app itself sends this draft through the Graph API once approved."""
    try:
        return draft_route(draft) == Route.WHATSAPP
    except DomainError:
        return False


def whatsapp_advice(draft: OutboundDraft, *, now: dt.datetime) -> dict[str, object] | None:
    """What the draft card tells the founder before approving a WhatsApp draft (None otherwise).

    `rule` is free text or template when it may go now; `refusal` says why it may not.
    """
    if draft.channel != MessageChannel.WHATSAPP:
        return None
    facts = whatsapp_send_facts(draft)
    advice: dict[str, object] = {
        "live": whatsapp_live(draft) and bool(settings.WHATSAPP_ALLOW_LIVE_SEND),
        "facts": facts,
        "window_closes_at": facts.window_closes_at(),
        "rule": "",
        "refusal": "",
    }
    try:
        rule: SendRule = whatsapp_send_rule(facts, now=now)
        advice["rule"] = rule.value
    except DomainError as refusal:
        advice["refusal"] = refusal
    return advice


def draft_customer_words(drafts: Iterable[OutboundDraft]) -> dict[int, tuple[str, ...]]:
    """For each reply draft, the words of the customer's ticket it answers: one query in all."""
    by_ticket: dict[int, list[OutboundDraft]] = {}
    for draft in drafts:
        if draft.ticket_id is not None:
            by_ticket.setdefault(draft.ticket_id, []).append(draft)
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


def draft_claims_preview(*, draft: OutboundDraft, subject: str, body: str) -> ClaimsReport:
    """The gate's claims check on text typed over `draft` before it is saved (the live check).

    The same text (subject, newline, body) and the same customer words as `draft_claims`, so what
    the editor shows while typing is the verdict the approval will reach once it is saved.
    """
    words = draft_customer_words([draft]).get(draft.pk, ())
    return check_claims(f"{subject.strip()}\n{body}", quoting=words)
