"""Delivery of approved drafts: the send claim, the send, marking sent, releasing a stuck claim.

The approval gate (`services/drafts.py`) decides whether a draft may leave; this module makes it
leave at most once and tells what it answered (a ticket's first response, an incident's update)
that it went out. Every path re-checks approval against the content hash first.
"""

from __future__ import annotations

import datetime as dt
import smtplib
import socket
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core import mail
from django.db import transaction

from customer_ops.domain.approval import ensure_may_send
from customer_ops.domain.delivery import SEND_SETTLE, Route, SendFailed, SendOutcomeUnknown
from customer_ops.domain.errors import RoleRefused, RuleRefused
from customer_ops.domain.ledger import LedgerVerb
from customer_ops.domain.transitions import DraftStatus
from customer_ops.models import OutboundDraft
from customer_ops.models.drafts import TICKET_DRAFT_SOURCES, DraftSource
from customer_ops.roles import is_founder
from customer_ops.selectors.drafts import draft_content_hash, draft_route
from customer_ops.selectors.locks import draft_for_update
from customer_ops.services.drafts import draft_move_status
from customer_ops.services.freeze import ensure_not_frozen
from customer_ops.services.incidents import incident_on_draft_sent
from customer_ops.services.ledger import ledger_record
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
    actor: AbstractBaseUser,
    now: dt.datetime,
    result: str,
    extra: dict[str, Any] | None = None,
) -> None:
    """Mark the draft sent (by the app or by hand) and write the ledger row, in one transaction.

    Any send claim is cleared in the same save: a sent draft never carries one.
    """
    manual = route == Route.MANUAL
    draft.sent_by = actor
    draft.sent_at = now
    draft.send_result = result[:500]
    draft.send_started_at = None
    draft_move_status(
        draft,
        DraftStatus.SENT_MANUALLY if manual else DraftStatus.SENT,
        actor=actor,
        now=now,
        fields=["sent_by", "sent_at", "send_result", "send_started_at"],
        verb=LedgerVerb.DRAFTS_SENT_MANUALLY if manual else "drafts.sent",
        note=draft.send_result,
        extra={"route": route, "to": draft.to, **(extra or {})},
    )
    # What the message answered (a ticket's first response, an incident update) learns it went out.
    on_draft_sent(draft=draft, actor=actor)


@transaction.atomic
def on_draft_sent(*, draft: OutboundDraft, actor: AbstractBaseUser | None) -> None:
    """What a sent (or marked-sent) draft means for tickets and incidents.

    Called inside the transaction that moves the draft to sent: a ticket reply records the first
    response; an incident update resets the cadence.
    """
    if draft.source in TICKET_DRAFT_SOURCES:
        ticket_on_draft_sent(draft=draft, actor=actor)
    elif draft.source == DraftSource.INCIDENT_UPDATE:
        incident_on_draft_sent(draft=draft, actor=actor)


# ── Sending by email: at most once, even when the process dies mid-send ──────────────────────────
#
# `draft_send` commits a claim (`send_started_at`) before it hands the email to the mail server,
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


def _claim_send(*, draft_id: int, actor: AbstractBaseUser, now: dt.datetime) -> OutboundDraft:
    """Step A: every check, then the claim, committed before anything leaves.

    `durable=True`: inside a caller's transaction the claim would commit only after the email
    left, which is the very bug this guards against, so Django raises RuntimeError instead.
    (A test's own wrapping transaction is exempt: there the crash guarantee cannot hold anyway.)
    """
    with transaction.atomic(durable=True):
        draft = draft_for_update(draft_id=draft_id)
        if draft.status in (DraftStatus.SENT, DraftStatus.SENT_MANUALLY):
            return draft  # idempotent: already sent, nothing more to do
        if draft.send_started_at is not None:
            raise SendOutcomeUnknown(draft.send_started_at, now=now)
        _ensure_sendable(draft, manually=False)
        if draft_route(draft) != Route.EMAIL:
            raise RuleRefused(
                "this channel is not sent by the app: send it by hand, then mark it as sent",
                field="channel",
                message_ar="هذه القناة لا تُرسل آلياً: أرسلها يدوياً ثم سجّلها كمُرسلة",
            )
        ensure_not_frozen()  # after a critical SLA review the app sends nothing by itself
        draft.send_started_at = now
        draft.save(update_fields=["send_started_at", "updated_at"])
        ledger_record(
            verb=LedgerVerb.DRAFTS_SEND_STARTED,
            obj=draft,
            actor=actor,
            at=now,
            before={"send_started_at": None},
            after={"send_started_at": now, "to": draft.to},
        )
    return draft


def _send_not_delivered(
    *, draft_id: int, actor: AbstractBaseUser, now: dt.datetime, error: str
) -> None:
    """The mail server refused the email: release the claim and say why in the ledger."""
    with transaction.atomic(durable=True):
        draft = draft_for_update(draft_id=draft_id)
        started = draft.send_started_at
        if draft.status != DraftStatus.APPROVED or started is None:
            return  # a founder resolved it meanwhile: their record stands
        draft.send_started_at = None
        draft.save(update_fields=["send_started_at", "updated_at"])
        ledger_record(
            verb=LedgerVerb.DRAFTS_SEND_FAILED,
            obj=draft,
            actor=actor,
            at=now,
            before={"send_started_at": started},
            after={"send_started_at": None, "error": error},
            note=error,
        )


def _send_outcome_unknown(
    *, draft_id: int, actor: AbstractBaseUser, now: dt.datetime, error: str
) -> None:
    """Delivery broke where the email may already have gone: keep the claim, record the error."""
    with transaction.atomic(durable=True):
        draft = draft_for_update(draft_id=draft_id)
        if draft.status != DraftStatus.APPROVED or draft.send_started_at is None:
            return
        ledger_record(
            verb=LedgerVerb.DRAFTS_SEND_OUTCOME_UNKNOWN,
            obj=draft,
            actor=actor,
            at=now,
            after={"send_started_at": draft.send_started_at, "error": error},
            note=error,
        )


def _finish_send(
    *, draft_id: int, actor: AbstractBaseUser, now: dt.datetime, delivered: int
) -> OutboundDraft:
    """Step C: the mail server took the email; record `sent` exactly once."""
    with transaction.atomic(durable=True):
        draft = draft_for_update(draft_id=draft_id)
        if draft.status in (DraftStatus.SENT, DraftStatus.SENT_MANUALLY):
            return draft  # a founder confirmed it from the sent mailbox while this one delivered
        _record_sent(
            draft,
            route=Route.EMAIL,
            actor=actor,
            now=now,
            result=f"email accepted by the mail server ({delivered})",
        )
    return draft


def draft_send(*, draft_id: int, actor: AbstractBaseUser, now: dt.datetime) -> OutboundDraft:
    """Send an approved email draft through the mail framework, at most once.

    Three steps, each its own transaction around the delivery: (A) check and commit the claim,
    (B) hand the email to the mail server outside any transaction, (C) record `sent`. A second
    call after (C) returns the sent draft; a call while a claim stands gets `SendOutcomeUnknown`
    (409) and sends nothing. A refusal by the mail server releases the claim and raises
    `SendFailed`; an error that may have come after the acceptance keeps the claim and raises
    `SendOutcomeUnknown`, for a founder to resolve (`draft_mark_sent` / `draft_release_send`).
    Not to be called inside a transaction (RuntimeError, see `_claim_send`).
    """
    draft = _claim_send(draft_id=draft_id, actor=actor, now=now)
    if draft.status in (DraftStatus.SENT, DraftStatus.SENT_MANUALLY):
        return draft
    try:
        delivered = mail.send_mail(
            subject=draft.subject or "Dealix",
            message=draft.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[draft.to],
        )
    except NOT_DELIVERED as exc:
        error = _failure_text(exc)
        _send_not_delivered(draft_id=draft.pk, actor=actor, now=now, error=error)
        raise SendFailed(error) from exc
    except Exception as exc:
        error = _failure_text(exc)
        _send_outcome_unknown(draft_id=draft.pk, actor=actor, now=now, error=error)
        raise SendOutcomeUnknown(draft.send_started_at or now, now=now, cause=error) from exc
    if not delivered:  # the backend took no message (and said so): nothing left
        error = "the mail backend accepted no message"
        _send_not_delivered(draft_id=draft.pk, actor=actor, now=now, error=error)
        raise SendFailed(error)
    return _finish_send(draft_id=draft.pk, actor=actor, now=now, delivered=delivered)


def _ensure_may_resolve(
    draft: OutboundDraft, *, actor: AbstractBaseUser, now: dt.datetime, note: str
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
    *, draft_id: int, actor: AbstractBaseUser, now: dt.datetime, note: str
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
    *, draft_id: int, actor: AbstractBaseUser, now: dt.datetime, note: str = ""
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
