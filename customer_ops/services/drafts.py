"""The approval gate: every outbound message is a draft until a founder approves that content.

Rules (SPEC.md §2, enforced here and, where a database can, by constraints on OutboundDraft):
only the Founder group approves; nobody approves their own draft; the approval records the
content hash and any edit voids it; a draft the claims checker objects to cannot be approved;
sending needs `approved` with an unchanged hash; approving or sending twice has no second effect.
"""

from __future__ import annotations

import datetime as dt
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
    ensure_transition,
)
from customer_ops.models import CustomerConnector, OutboundDraft
from customer_ops.roles import is_founder
from customer_ops.selectors.locks import draft_for_update
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
    if connector_id is not None and (
        draft.connector is None or draft.connector.customer_id != customer_id
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
    draft: OutboundDraft, *, route: Route, actor: AbstractBaseUser, now: dt.datetime, result: str
) -> None:
    """Mark the draft sent (by the app or by hand) and write the ledger row, in one transaction."""
    manual = route == Route.MANUAL
    draft.sent_by = actor
    draft.sent_at = now
    draft.send_result = result[:500]
    _move(
        draft,
        DraftStatus.SENT_MANUALLY if manual else DraftStatus.SENT,
        actor=actor,
        now=now,
        fields=["sent_by", "sent_at", "send_result"],
        verb="drafts.sent_manually" if manual else "drafts.sent",
        note=draft.send_result,
        extra={"route": route, "to": draft.to},
    )
    # What the message answered (a ticket's first response, an incident update) learns it went out.
    from customer_ops.services.tickets import on_draft_sent  # noqa: PLC0415 - tickets imports drafts

    on_draft_sent(draft=draft, actor=actor)


@transaction.atomic
def draft_send(*, draft_id: int, actor: AbstractBaseUser, now: dt.datetime) -> OutboundDraft:
    """Send an approved email draft through the mail framework; a second call sends nothing."""
    draft = draft_for_update(draft_id=draft_id)
    if draft.status in (DraftStatus.SENT, DraftStatus.SENT_MANUALLY):
        return draft  # idempotent: the row lock made sure only one caller sent it
    _ensure_sendable(draft, manually=False)
    if draft_route(draft) != Route.EMAIL:
        raise RuleRefused(
            "this channel is not sent by the app: send it by hand, then mark it as sent",
            field="channel",
            message_ar="هذه القناة لا تُرسل آلياً: أرسلها يدوياً ثم سجّلها كمُرسلة",
        )
    ensure_not_frozen()  # after a critical SLA review the app sends nothing by itself
    # Sent while the row is locked: a concurrent send waits, then sees `sent` and stops.
    delivered = mail.send_mail(
        subject=draft.subject or "Dealix",
        message=draft.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[draft.to],
    )
    _record_sent(
        draft,
        route=Route.EMAIL,
        actor=actor,
        now=now,
        result=f"email accepted by the mail server ({delivered})",
    )
    return draft


@transaction.atomic
def draft_mark_sent(
    *, draft_id: int, actor: AbstractBaseUser, now: dt.datetime, note: str = ""
) -> OutboundDraft:
    """Record that an operator sent an approved draft by hand (channels the app does not send)."""
    draft = draft_for_update(draft_id=draft_id)
    if draft.status in (DraftStatus.SENT, DraftStatus.SENT_MANUALLY):
        return draft
    _ensure_sendable(draft, manually=True)
    draft_route(draft)  # refuses ingest-only and unconnected connectors
    _record_sent(
        draft, route=Route.MANUAL, actor=actor, now=now, result=note.strip() or "sent by hand"
    )
    return draft
