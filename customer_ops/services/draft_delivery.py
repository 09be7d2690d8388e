"""Delivery of approved drafts: the send claim, the send, marking sent, releasing a stuck claim.

The approval gate (`services/drafts.py`) decides whether a draft may leave; this module makes it
leave at most once and tells what it answered (a ticket's first response, an incident's update)
that it went out. Every path re-checks approval against the content hash first.
"""

from __future__ import annotations

import datetime as dt
import smtplib
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core import mail
from django.db import transaction

from customer_ops.channels.whatsapp_client import (
    WhatsAppConfig,
    WhatsAppOutcomeUnknown,
    WhatsAppRejected,
    send_message,
)
from customer_ops.domain.approval import ensure_may_send
from customer_ops.domain.delivery import SEND_SETTLE, Route, SendFailed, SendOutcomeUnknown
from customer_ops.domain.email_threading import new_message_id, reply_headers, tagged_subject
from customer_ops.domain.errors import RoleRefused, RuleRefused
from customer_ops.domain.ledger import LedgerVerb
from customer_ops.domain.messages import MessageChannel
from customer_ops.domain.transitions import DraftStatus
from customer_ops.domain.whatsapp import ERROR_KIND_TEXT, message_request, whatsapp_send_rule
from customer_ops.models import OutboundDraft
from customer_ops.models.drafts import SENT_STATUSES, TICKET_DRAFT_SOURCES, DraftSource
from customer_ops.roles import SignedInUser, is_founder
from customer_ops.selectors.drafts import draft_content_hash, draft_route, whatsapp_send_facts
from customer_ops.selectors.locks import draft_for_update
from customer_ops.selectors.messages import email_thread_ids
from customer_ops.services.drafts import draft_move_status
from customer_ops.services.freeze import ensure_not_frozen
from customer_ops.services.incidents import incident_on_draft_sent
from customer_ops.services.ledger import ledger_record
from customer_ops.services.messages import message_record_outbound
from customer_ops.services.tickets import ticket_on_draft_sent


def _ensure_sendable(draft: OutboundDraft, *, manually: bool) -> None:
    ensure_may_send(
        status=DraftStatus(draft.status),
        approved_hash=draft.approved_hash,
        current_hash=draft_content_hash(draft),
        manually=manually,
    )


def _record_sent(
    draft: OutboundDraft,
    *,
    route: Route,
    actor: SignedInUser,
    now: dt.datetime,
    result: str,
    extra: dict[str, Any] | None = None,
    external_id: str = "",
    provider_id: str = "",
) -> None:
    """Mark the draft sent (by the app or by hand) and write the ledger row, in one transaction.

    Any send claim or earlier send error is cleared in the same save: a sent draft carries none.
    """
    manual = route == Route.MANUAL
    draft.sent_by = actor
    draft.sent_at = now
    draft.send_result = result[:500]
    draft.send_started_at = None
    draft.send_error = ""
    draft_move_status(
        draft,
        DraftStatus.SENT_MANUALLY if manual else DraftStatus.SENT,
        actor=actor,
        now=now,
        fields=["sent_by", "sent_at", "send_result", "send_started_at", "send_error"],
        verb=LedgerVerb.DRAFTS_SENT_MANUALLY if manual else LedgerVerb.DRAFTS_SENT,
        note=draft.send_result,
        extra={"route": route, "to": draft.to, **(extra or {})},
    )
    # What the message answered (a ticket's first response, an incident update) learns it went out.
    on_draft_sent(
        draft=draft, actor=actor, route=route, external_id=external_id, provider_id=provider_id
    )


def _message_channel(draft: OutboundDraft, route: Route) -> str:
    if route is Route.EMAIL:
        return MessageChannel.EMAIL.value
    if route is Route.WHATSAPP:
        return MessageChannel.WHATSAPP.value
    channels = {MessageChannel.EMAIL.value, MessageChannel.WHATSAPP.value}
    return draft.channel if draft.channel in channels else MessageChannel.INTERNAL.value


@transaction.atomic
def on_draft_sent(
    *,
    draft: OutboundDraft,
    actor: SignedInUser | None,
    route: Route = Route.MANUAL,
    external_id: str = "",
    provider_id: str = "",
) -> None:
    """What a sent (or marked-sent) draft means for tickets and incidents.

    Called inside the transaction that moves the draft to sent: a ticket reply records the first
    response and joins the ticket's thread (with the provider's message id, so status webhooks
    find it); an incident update resets the cadence.
    """
    if draft.sent_at is not None and draft.status in SENT_STATUSES:
        message_record_outbound(
            draft=draft,
            channel=_message_channel(draft, route),
            actor=actor,
            now=draft.sent_at,
            external_id=external_id,
            provider_id=provider_id,
        )
    if draft.source in TICKET_DRAFT_SOURCES:
        ticket_on_draft_sent(draft=draft, actor=actor)
    elif draft.source == DraftSource.INCIDENT_UPDATE:
        incident_on_draft_sent(draft=draft, actor=actor)


# ── Sending: at most once, even when the process dies mid-send ──────────────────────────────────
#
# `draft_send` commits a claim (`send_started_at`) before it hands the message to the provider,
# and records `sent` in a second transaction after. A process killed between the two leaves the
# claim: nobody knows whether the customer got the email, so every later send is refused (409)
# until a founder checks the sent mailbox and either marks the draft sent or releases it.

# Raised before the mail server took the message: nothing left, the claim can be released at once.
# Anything else (a timeout or a dropped connection after DATA, a failing QUIT after the message
# was accepted, an unexpected error) may come after the acceptance and leaves the claim in place.
NOT_DELIVERED: tuple[type[BaseException], ...] = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
    smtplib.SMTPAuthenticationError,
    smtplib.SMTPConnectError,
    smtplib.SMTPHeloError,
    smtplib.SMTPNotSupportedError,
    ConnectionRefusedError,
    socket.gaierror,
    ValueError,  # BadHeaderError, an address the backend cannot encode: refused before connecting
)


def _failure_text(exc: BaseException) -> str:
    """The error for the ledger and the caller, without the mail server's credentials."""
    text = f"{type(exc).__name__}: {exc}"
    hidden = [
        getattr(settings, "EMAIL_HOST_PASSWORD", ""),
        getattr(settings, "EMAIL_HOST_USER", ""),
    ]
    for mailer in getattr(settings, "MAILERS", {}).values():
        options = mailer.get("OPTIONS", {})
        hidden += [options.get("password", ""), options.get("username", "")]
    for secret in filter(None, map(str, hidden)):
        text = text.replace(secret, "***")
    return text[:300]


# ── Channel adapters: how an approved draft physically leaves ───────────────────────────────────
# Each adapter delivers outside any transaction and answers one of three ways: `Delivered`, or
# `NotDelivered` (the provider refused it, or was never reached: nothing left, release the
# claim), or any other exception (it may have left: keep the claim for a founder to resolve).
@dataclass(frozen=True, slots=True)
class Delivered:
    result: str
    external_id: str = ""
    provider_id: str = ""  # the provider's own id when it is not ours (Anymail's message_id)


class NotDelivered(Exception):
    def __init__(self, error: str, *, error_ar: str = "", details: dict[str, Any] | None = None):
        super().__init__(error)
        self.error = error
        self.error_ar = error_ar
        self.details = details or {}


def _deliver_email(draft: OutboundDraft, request: dict[str, Any] | None) -> Delivered:
    """One email with our Message-ID and the thread's headers (`email_request`)."""
    request = request or {}
    headers = {"Message-ID": request["message_id"]} if request.get("message_id") else {}
    if request.get("in_reply_to"):
        headers["In-Reply-To"] = request["in_reply_to"]
    if request.get("references"):
        headers["References"] = request["references"]
    message = mail.EmailMessage(
        subject=request.get("subject") or draft.subject or "Dealix",
        body=draft.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[draft.to],
        headers=headers,
    )
    try:
        delivered = message.send()
    except NOT_DELIVERED as exc:
        raise NotDelivered(_failure_text(exc)) from exc
    if not delivered:  # the backend took no message (and said so): nothing left
        raise NotDelivered("the mail backend accepted no message")
    status = getattr(message, "anymail_status", None)  # set by an Anymail backend only
    provider_id = ""
    if status is not None and status.message_id is not None:
        provider_id = str(status.message_id)
    return Delivered(
        result=f"email accepted by the mail server ({delivered})",
        external_id=request.get("message_id", ""),
        provider_id=provider_id[:255],
    )


def _message_id_domain() -> str:
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "dealix.invalid"


def email_request(draft: OutboundDraft) -> dict[str, str]:
    """What an approved email carries besides its text: our Message-ID (fixed on the draft when
    first claimed), the ticket's tag in the subject, and the thread's In-Reply-To/References."""
    request = {"message_id": draft.email_message_id, "subject": draft.subject or "Dealix"}
    if draft.ticket_id is None:
        return request
    customer_id, customer_refs, ours = email_thread_ids(ticket_id=draft.ticket_id)
    earlier = tuple(token for token in ours if token != draft.email_message_id)
    thread = reply_headers(
        customer_message_id=customer_id, customer_references=customer_refs, our_ids=earlier
    )
    request["subject"] = tagged_subject(draft.subject or "Dealix", ticket_id=draft.ticket_id)
    request["in_reply_to"] = thread.in_reply_to
    request["references"] = thread.references_header()
    return request


def whatsapp_config() -> WhatsAppConfig:
    """The Graph API endpoint and credentials, from settings (never logged)."""
    return WhatsAppConfig(
        api_base=settings.WHATSAPP_API_BASE,
        api_version=settings.WHATSAPP_API_VERSION,
        phone_number_id=settings.WHATSAPP_PHONE_NUMBER_ID,
        access_token=settings.WHATSAPP_ACCESS_TOKEN,
        timeout=float(settings.WHATSAPP_SEND_TIMEOUT),
    )


def _deliver_whatsapp(draft: OutboundDraft, request: dict[str, Any] | None) -> Delivered:
    if request is None:
        raise NotDelivered("no WhatsApp request was prepared")
    try:
        wamid = send_message(whatsapp_config(), request)
    except WhatsAppRejected as exc:
        kind = exc.error.kind
        raise NotDelivered(
            f"{exc.error.describe()} — {ERROR_KIND_TEXT[kind][0]}",
            error_ar=f"{exc.error.code} — {ERROR_KIND_TEXT[kind][1]}",
            details={
                "error_code": exc.error.code,
                "error_kind": kind.value,
                "http_status": exc.http_status,
            },
        ) from exc
    return Delivered(result=f"accepted by WhatsApp ({request['type']})", external_id=wamid)


Adapter = Callable[[OutboundDraft, dict[str, Any] | None], Delivered]
ADAPTERS: dict[Route, Adapter] = {Route.EMAIL: _deliver_email, Route.WHATSAPP: _deliver_whatsapp}


def _claim_send(
    *, draft_id: int, actor: SignedInUser, now: dt.datetime
) -> tuple[OutboundDraft, Route, dict[str, Any] | None]:
    """Step A: every check, then the claim, committed before anything leaves.

    Returns the draft, its route and (for WhatsApp) the request to send, built from the rules
    checked here, under the lock: opt-in, and free text inside the window or an approved template.
    `durable=True`: inside a caller's transaction the claim would commit only after the message
    left, which is the very bug this guards against, so Django raises RuntimeError instead.
    (A test's own wrapping transaction is exempt: there the crash guarantee cannot hold anyway.)
    """
    with transaction.atomic(durable=True):
        draft = draft_for_update(draft_id=draft_id)
        route = Route.MANUAL
        if draft.status in (DraftStatus.SENT, DraftStatus.SENT_MANUALLY):
            return draft, route, None  # idempotent: already sent, nothing more to do
        if draft.send_started_at is not None:
            raise SendOutcomeUnknown(draft.send_started_at, now=now)
        _ensure_sendable(draft, manually=False)
        route = draft_route(draft)
        if route not in ADAPTERS:
            raise RuleRefused(
                "this channel is not sent by the app: send it by hand, then mark it as sent",
                field="channel",
                message_ar="هذه القناة لا تُرسل آلياً: أرسلها يدوياً ثم سجّلها كمُرسلة",
            )
        request: dict[str, Any] | None = None
        fields = ["send_started_at", "updated_at"]
        if route is Route.EMAIL:
            if not draft.email_message_id:
                draft.email_message_id = new_message_id(
                    unique=uuid.uuid4().hex, domain=_message_id_domain()
                )
                fields.append("email_message_id")
            request = email_request(draft)
        if route is Route.WHATSAPP:
            facts = whatsapp_send_facts(draft)
            rule = whatsapp_send_rule(facts, now=now)  # the window may have closed since approval
            request = message_request(to=facts.to, body=draft.body, facts=facts, rule=rule)
        ensure_not_frozen()  # after a critical SLA review the app sends nothing by itself
        draft.send_started_at = now
        draft.save(update_fields=fields)
        ledger_record(
            verb=LedgerVerb.DRAFTS_SEND_STARTED,
            obj=draft,
            actor=actor,
            at=now,
            before={"send_started_at": None},
            after={"send_started_at": now, "to": draft.to, "route": route},
        )
    return draft, route, request


def _send_not_delivered(
    *,
    draft_id: int,
    actor: SignedInUser,
    now: dt.datetime,
    error: str,
    details: dict[str, Any] | None = None,
) -> None:
    """The provider refused the message: release the claim, and say why on the draft and ledger."""
    with transaction.atomic(durable=True):
        draft = draft_for_update(draft_id=draft_id)
        started = draft.send_started_at
        if draft.status != DraftStatus.APPROVED or started is None:
            return  # a founder resolved it meanwhile: their record stands
        draft.send_started_at = None
        draft.send_error = error[:300]
        draft.save(update_fields=["send_started_at", "send_error", "updated_at"])
        ledger_record(
            verb=LedgerVerb.DRAFTS_SEND_FAILED,
            obj=draft,
            actor=actor,
            at=now,
            before={"send_started_at": started},
            after={"send_started_at": None, "error": error, **(details or {})},
            note=error,
        )


def _send_outcome_unknown(
    *, draft_id: int, actor: SignedInUser, now: dt.datetime, error: str
) -> None:
    """Delivery broke where the message may already have gone: keep the claim, record the error."""
    with transaction.atomic(durable=True):
        draft = draft_for_update(draft_id=draft_id)
        if draft.status != DraftStatus.APPROVED or draft.send_started_at is None:
            return
        draft.send_error = f"outcome unknown: {error}"[:300]
        draft.save(update_fields=["send_error", "updated_at"])
        ledger_record(
            verb=LedgerVerb.DRAFTS_SEND_OUTCOME_UNKNOWN,
            obj=draft,
            actor=actor,
            at=now,
            after={"send_started_at": draft.send_started_at, "error": error},
            note=error,
        )


def _finish_send(
    *, draft_id: int, actor: SignedInUser, now: dt.datetime, route: Route, sent: Delivered
) -> OutboundDraft:
    """Step C: the provider took the message; record `sent` (and the provider's id) exactly once."""
    with transaction.atomic(durable=True):
        draft = draft_for_update(draft_id=draft_id)
        if draft.status in (DraftStatus.SENT, DraftStatus.SENT_MANUALLY):
            return draft  # a founder confirmed it from the sent mailbox while this one delivered
        _record_sent(
            draft,
            route=route,
            actor=actor,
            now=now,
            result=sent.result,
            extra={"external_id": sent.external_id} if sent.external_id else None,
            external_id=sent.external_id,
            provider_id=sent.provider_id,
        )
    return draft


def draft_send(*, draft_id: int, actor: SignedInUser, now: dt.datetime) -> OutboundDraft:
    """Send an approved draft through its channel's adapter (email, WhatsApp), at most once.

    Three steps, each its own transaction around the delivery: (A) check and commit the claim,
    (B) hand the message to the provider outside any transaction, (C) record `sent`. A second
    call after (C) returns the sent draft; a call while a claim stands gets `SendOutcomeUnknown`
    (409) and sends nothing. A refusal by the provider releases the claim and raises
    `SendFailed`; an error that may have come after the acceptance (a timeout once the request
    left) keeps the claim and raises `SendOutcomeUnknown`, for a founder to resolve
    (`draft_mark_sent` / `draft_release_send`).
    Not to be called inside a transaction (RuntimeError, see `_claim_send`).
    """
    draft, route, request = _claim_send(draft_id=draft_id, actor=actor, now=now)
    if draft.status in (DraftStatus.SENT, DraftStatus.SENT_MANUALLY):
        return draft
    try:
        sent = ADAPTERS[route](draft, request)
    except NotDelivered as exc:
        _send_not_delivered(
            draft_id=draft.pk, actor=actor, now=now, error=exc.error, details=exc.details
        )
        raise SendFailed(exc.error, route=route, error_ar=exc.error_ar) from exc
    except WhatsAppOutcomeUnknown as exc:
        error = str(exc)
        _send_outcome_unknown(draft_id=draft.pk, actor=actor, now=now, error=error)
        raise SendOutcomeUnknown(draft.send_started_at or now, now=now, cause=error) from exc
    except Exception as exc:
        error = _failure_text(exc)
        _send_outcome_unknown(draft_id=draft.pk, actor=actor, now=now, error=error)
        raise SendOutcomeUnknown(draft.send_started_at or now, now=now, cause=error) from exc
    return _finish_send(draft_id=draft.pk, actor=actor, now=now, route=route, sent=sent)


def _ensure_may_resolve(
    draft: OutboundDraft, *, actor: SignedInUser, now: dt.datetime, note: str
) -> dt.datetime:
    """A founder, past the settle window, saying what they checked; returns the claim's time."""
    started = draft.send_started_at
    if started is None:
        raise RuleRefused(
            "no send of this draft is waiting for a decision",
            field="status",
            message_ar="لا يوجد إرسال لهذه المسودة ينتظر قراراً",
        )
    if not is_founder(actor):
        raise RoleRefused(
            "only a founder may resolve a send whose outcome is unknown",
            field="actor",
            message_ar="حسم إرسالٍ نتيجته غير معروفة للمؤسس فقط",
        )
    if now - started < SEND_SETTLE:
        raise SendOutcomeUnknown(started, now=now)  # it may still be talking to the mail server
    if not note.strip():
        raise RuleRefused(
            "say what you checked (the sent mailbox, the mail server's log)",
            field="note",
            message_ar="اذكر ما راجعته (صندوق البريد المُرسل، سجل خادم البريد)",
        )
    return started


@transaction.atomic
def draft_release_send(
    *, draft_id: int, actor: SignedInUser, now: dt.datetime, note: str
) -> OutboundDraft:
    """A founder found no trace of the email: clear the claim so the draft may be sent again.

    Founders only, only for a draft whose send started and was never recorded, and only once
    `SEND_SETTLE` has passed (before that the send may still be delivering).
    """
    draft = draft_for_update(draft_id=draft_id)
    if draft.status in (DraftStatus.SENT, DraftStatus.SENT_MANUALLY):
        raise RuleRefused(
            "the draft is already recorded as sent", field="status", message_ar="المسودة مُرسلة"
        )
    started = _ensure_may_resolve(draft, actor=actor, now=now, note=note)
    draft.send_started_at = None
    draft.save(update_fields=["send_started_at", "updated_at"])
    ledger_record(
        verb=LedgerVerb.DRAFTS_SEND_RELEASED,
        obj=draft,
        actor=actor,
        at=now,
        before={"send_started_at": started},
        after={"send_started_at": None},
        note=note.strip(),
    )
    return draft


@transaction.atomic
def draft_mark_sent(
    *, draft_id: int, actor: SignedInUser, now: dt.datetime, note: str = ""
) -> OutboundDraft:
    """Record that an approved draft went out: sent by hand, or found in the sent mailbox.

    By hand only where the delivery route is manual (`domain/delivery.py`); an email the app
    sends cannot be marked sent by anyone while nothing was sent.

    For a draft whose email send started and was never recorded, a founder confirms it: the app
    did send it, so it becomes `sent` (not `sent_manually`), dated when that send started, which
    is when the customer got it (a ticket's first response is timed by it).
    """
    draft = draft_for_update(draft_id=draft_id)
    if draft.status in (DraftStatus.SENT, DraftStatus.SENT_MANUALLY):
        return draft
    if draft.send_started_at is not None:
        started = _ensure_may_resolve(draft, actor=actor, now=now, note=note)
        _ensure_sendable(draft, manually=False)
        _record_sent(
            draft,
            route=Route.EMAIL,
            actor=actor,
            now=started,
            result=f"found in the sent mailbox: {note.strip()}",
            extra={"confirmed_at": now},
            external_id=draft.email_message_id,  # the customer's reply still threads by it
        )
        return draft
    _ensure_sendable(draft, manually=True)
    # Only what goes out by hand may be marked sent by hand, whoever asks (console, API, a
    # script): an email the app sends is recorded by the send itself, or by a founder resolving
    # a send whose outcome is unknown above. `draft_route` also refuses ingest-only and
    # unconnected connectors.
    if draft_route(draft) != Route.MANUAL:
        raise RuleRefused(
            "this draft is sent by the app, not by hand: send it instead of marking it sent",
            field="status",
            message_ar="هذه المسودة يرسلها النظام لا يدوياً: أرسلها بدلاً من تسجيلها كمُرسلة",
        )
    _record_sent(
        draft, route=Route.MANUAL, actor=actor, now=now, result=note.strip() or "sent by hand"
    )
    return draft
