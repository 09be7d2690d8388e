"""The approval gate: every outbound message is a draft until a founder approves that content.

Rules (SPEC.md §2, enforced here and, where a database can, by constraints on OutboundDraft):
only the Founder group approves; nobody approves their own draft; the approval records the
content hash and any edit voids it; a draft the claims checker objects to cannot be approved;
sending needs `approved` with an unchanged hash; approving or sending twice has no second effect,
even when the process dies mid-send: an email goes out at most once (see `draft_send`).
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

from customer_ops.domain.approval import (
    approval_still_valid,
    content_hash,
    ensure_may_approve,
    ensure_may_send,
)
from customer_ops.domain.connectors import get_connector
from customer_ops.domain.delivery import ConnectorView, Route, delivery_route
from customer_ops.domain.errors import RuleRefused
from customer_ops.domain.transitions import (
    DRAFT_MOVES,
    ConnectorState,
    DraftStatus,
    InvalidTransition,
    ensure_transition,
)
from customer_ops.models import CustomerConnector, OutboundDraft
from customer_ops.roles import is_founder
from customer_ops.selectors.locks import draft_for_update
from customer_ops.selectors.references import customer_referenced
from customer_ops.services.freeze import ensure_not_frozen
from customer_ops.services.ledger import ledger_record
from positioning.claims import check_claims

EDITABLE_FIELDS = ("to", "subject", "body")


def _hash_of(draft: OutboundDraft) -> str:
    return content_hash(channel=draft.channel, to=draft.to, subject=draft.subject, body=draft.body)


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
    return delivery_route(channel=draft.channel, connector=_connector_view(draft.connector))


def _move(
    draft: OutboundDraft,
    to: DraftStatus,
    *,
    actor: AbstractBaseUser | None,
    now: dt.datetime,
    fields: list[str],
    verb: str,
    note: str = "",
    extra: dict[str, Any] | None = None,
) -> None:
    previous = DraftStatus(draft.status)
    ensure_transition(DRAFT_MOVES, previous, to)
    draft.status = to
    draft.status_changed_at = now
    draft.save(update_fields=[*fields, "status", "status_changed_at", "updated_at"])
    ledger_record(
        verb=verb,
        obj=draft,
        actor=actor,
        at=now,
        before={"status": previous},
        after={"status": to, **(extra or {})},
        note=note,
    )


@transaction.atomic
def draft_create(
    *,
    customer_id: int,
    channel: str,
    to: str,
    subject: str,
    body: str,
    author: AbstractBaseUser,
    now: dt.datetime,
    source: str = "manual",
    source_id: str = "",
    connector_id: int | None = None,
) -> OutboundDraft:
    """Write a draft; it waits in the founder's inbox as `pending`."""
    customer_referenced(customer_id)
    draft = OutboundDraft(
        customer_id=customer_id,
        channel=channel,
        to=to.strip(),
        subject=subject.strip(),
        body=body,
        source=source,
        source_id=source_id,
        connector_id=connector_id,
        author=author,
        status=DraftStatus.PENDING,
        status_changed_at=now,
    )
    if (
        connector_id is not None
        and not CustomerConnector.objects.filter(pk=connector_id, customer_id=customer_id).exists()
    ):
        raise RuleRefused(
            "the connector belongs to another customer",
            field="connector",
            message_ar="قناة الربط تخص عميلاً آخر",
        )
    draft.content_hash = _hash_of(draft)
    draft.full_clean()
    draft.save()
    ledger_record(
        verb="drafts.created",
        obj=draft,
        actor=author,
        at=now,
        after={"status": draft.status, "channel": channel, "to": draft.to, "source": source},
    )
    return draft


@transaction.atomic
def draft_edit(
    *, draft_id: int, actor: AbstractBaseUser, now: dt.datetime, **changes: str
) -> OutboundDraft:
    """Edit the text or recipient; an approved or rejected draft goes back to `pending`."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise RuleRefused(f"cannot edit {sorted(unknown)}", field=sorted(unknown)[0])
    draft = draft_for_update(draft_id=draft_id)
    status = DraftStatus(draft.status)
    if status in (DraftStatus.SENT, DraftStatus.SENT_MANUALLY):
        raise RuleRefused("a sent draft cannot be edited", message_ar="لا يمكن تعديل مسودة أُرسلت")
    if draft.send_started_at is not None:
        # The email may already be with the customer: this content is what they got.
        raise SendOutcomeUnknown(draft.send_started_at, now=now)
    before = {field: getattr(draft, field) for field in changes}
    for field, value in changes.items():
        setattr(draft, field, value.strip() if field != "body" else value)
    draft.content_hash = _hash_of(draft)
    draft.full_clean()
    fields = [*changes, "content_hash"]
    if status == DraftStatus.PENDING:
        draft.save(update_fields=[*fields, "updated_at"])
        ledger_record(
            verb="drafts.edited", obj=draft, actor=actor, at=now, before=before, after=dict(changes)
        )
        return draft
    # The approval (or rejection) was for other content: it no longer stands.
    draft.approved_by = None
    draft.approved_at = None
    draft.approved_hash = ""
    draft.rejected_by = None
    draft.rejected_at = None
    draft.rejection_reason = ""
    _move(
        draft,
        DraftStatus.PENDING,
        actor=actor,
        now=now,
        fields=[
            *fields,
            "approved_by",
            "approved_at",
            "approved_hash",
            "rejected_by",
            "rejected_at",
            "rejection_reason",
        ],
        verb="drafts.edited",
        note="edit voided the earlier decision",
        extra=dict(changes),
    )
    return draft


@transaction.atomic
def draft_approve(*, draft_id: int, approver: AbstractBaseUser, now: dt.datetime) -> OutboundDraft:
    """Approve this exact content. A second approval of the same content changes nothing."""
    draft = draft_for_update(draft_id=draft_id)
    current_hash = _hash_of(draft)
    if draft.status == DraftStatus.APPROVED and approval_still_valid(
        approved_hash=draft.approved_hash, current_hash=current_hash
    ):
        return draft  # idempotent: already approved, nothing more to record
    report = check_claims(f"{draft.subject}\n{draft.body}")
    ensure_may_approve(
        approver_id=approver.pk,
        author_id=draft.author_id,
        approver_is_founder=is_founder(approver),
        prohibited_claims=[finding.phrase for finding in report.findings],
    )
    draft.approved_by = approver
    draft.approved_at = now
    draft.approved_hash = current_hash
    _move(
        draft,
        DraftStatus.APPROVED,
        actor=approver,
        now=now,
        fields=["approved_by", "approved_at", "approved_hash"],
        verb="drafts.approved",
        extra={"content_hash": current_hash},
    )
    return draft


@transaction.atomic
def draft_reject(
    *, draft_id: int, actor: AbstractBaseUser, now: dt.datetime, reason: str
) -> OutboundDraft:
    """Reject with a reason (founders only); the author may edit and resubmit."""
    draft = draft_for_update(draft_id=draft_id)
    if draft.status == DraftStatus.REJECTED:
        return draft
    if not is_founder(actor):
        raise RuleRefused(
            "only a founder may reject drafts", field="actor", message_ar="رفض المسودات للمؤسس فقط"
        )
    if not reason.strip():
        raise RuleRefused(
            "a rejection needs a reason", field="reason", message_ar="الرفض يحتاج إلى سبب"
        )
    draft.rejected_by = actor
    draft.rejected_at = now
    draft.rejection_reason = reason.strip()[:500]
    _move(
        draft,
        DraftStatus.REJECTED,
        actor=actor,
        now=now,
        fields=["rejected_by", "rejected_at", "rejection_reason"],
        verb="drafts.rejected",
        note=draft.rejection_reason,
    )
    return draft


def _ensure_sendable(draft: OutboundDraft, *, manually: bool) -> None:
    ensure_may_send(
        status=DraftStatus(draft.status),
        approved_hash=draft.approved_hash,
        current_hash=_hash_of(draft),
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
    _move(
        draft,
        DraftStatus.SENT_MANUALLY if manual else DraftStatus.SENT,
        actor=actor,
        now=now,
        fields=["sent_by", "sent_at", "send_result", "send_started_at"],
        verb="drafts.sent_manually" if manual else "drafts.sent",
        note=draft.send_result,
        extra={"route": route, "to": draft.to, **(extra or {})},
    )
    # What the message answered (a ticket's first response, an incident update) learns it went out.
    from customer_ops.services.tickets import on_draft_sent  # noqa: PLC0415 - tickets imports drafts

    on_draft_sent(draft=draft, actor=actor)


# ── Sending by email: at most once, even when the process dies mid-send ──────────────────────────
#
# `draft_send` commits a claim (`send_started_at`) before it hands the email to the mail server,
# and records `sent` in a second transaction after. A process killed between the two leaves the
# claim: nobody knows whether the customer got the email, so every later send is refused (409)
# until a founder checks the sent mailbox and either marks the draft sent or releases it.

# How long a send may still be talking to the mail server. Inside this window a claim is "in
# progress" and nobody may release or confirm it; after it, its outcome counts as unknown.
SEND_SETTLE = dt.timedelta(minutes=2)

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


def _utc(moment: dt.datetime) -> str:
    return f"{moment.astimezone(dt.UTC):%Y-%m-%d %H:%M:%S} UTC"


class SendOutcomeUnknown(InvalidTransition):
    """A send of this draft was started and never recorded as sent or failed: the API answers 409.

    Within `SEND_SETTLE` it may still be in progress; after that the process probably died while
    delivering. Either way a second send could email the customer twice, so it is refused.
    """

    def __init__(self, started_at: dt.datetime, *, now: dt.datetime, cause: str = "") -> None:
        when = _utc(started_at)
        self.started_at = started_at
        self.in_progress = not cause and now - started_at < SEND_SETTLE
        if self.in_progress:
            message = (
                f"a send of this draft started at {when} and may still be in progress: "
                "try again in a few minutes"
            )
            message_ar = (
                f"بدأ إرسال هذه المسودة في {when} وقد يكون ما زال جارياً: أعد المحاولة بعد دقائق"
            )
        else:
            why = f" ({cause})" if cause else ""
            message = (
                f"a send of this draft started at {when} and its outcome is unknown{why}: "
                "check the sent mailbox, then mark it sent or release it for sending again"
            )
            message_ar = (
                f"بدأ إرسال هذه المسودة في {when} ولا نعرف هل وصلت{why}: "
                "راجع صندوق البريد المُرسل، ثم سجّلها كمُرسلة أو أطلقها لإعادة الإرسال"
            )
        Exception.__init__(self, message)
        self.current = DraftStatus.APPROVED
        self.target = DraftStatus.SENT
        self.field = "status"
        self.message = message
        self.message_ar = message_ar


class SendFailed(RuleRefused):
    """The mail server refused the email before taking it: nothing was sent.

    A 400 like every DomainError (the request was fine, but nothing was done); the claim is
    already released, so the draft can be sent again once the cause is fixed.
    """

    def __init__(self, error: str) -> None:
        super().__init__(
            f"the mail server did not take the email, nothing was sent ({error}): "
            "fix the cause, then send again",
            field="status",
            message_ar=f"لم يقبل خادم البريد الرسالة ولم يُرسل شيء ({error}): عالج السبب ثم أعد الإرسال",
        )
        self.error = error


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
            verb="drafts.send_started",
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
            verb="drafts.send_failed",
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
            verb="drafts.send_outcome_unknown",
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
        raise RuleRefused(
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
        verb="drafts.send_released",
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
    draft_route(draft)  # refuses ingest-only and unconnected connectors
    _record_sent(
        draft, route=Route.MANUAL, actor=actor, now=now, result=note.strip() or "sent by hand"
    )
    return draft
