"""The approval gate: every outbound message is a draft until a founder approves that content.

Authoring and approval live here; delivery (the send claim, sending, marking sent, releasing)
in `services/draft_delivery.py`.

Rules (SPEC.md §2, enforced here and, where a database can, by constraints on OutboundDraft):
only the Founder group approves; nobody approves a draft they wrote or edited (every editor is
recorded in `editor_ids`); a recipient is one valid recipient for the channel
(`domain/recipients.py`), checked wherever one is set; the approval records the
content hash and any edit voids it; a draft the claims checker objects to cannot be approved;
sending needs `approved` with an unchanged hash; approving twice has no second effect.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from customer_ops.domain.approval import (
    approval_still_valid,
    ensure_may_approve,
)
from customer_ops.domain.delivery import SendOutcomeUnknown
from customer_ops.domain.errors import RoleRefused, RuleRefused
from customer_ops.domain.ledger import LedgerVerb
from customer_ops.domain.notifications import NotificationTarget
from customer_ops.domain.recipients import require_recipient
from customer_ops.domain.transitions import (
    DRAFT_MOVES,
    DraftStatus,
    ensure_transition,
)
from customer_ops.domain.whatsapp import whatsapp_send_rule
from customer_ops.models import CustomerConnector, MessageTemplate, OutboundDraft
from customer_ops.roles import SignedInUser, is_founder
from customer_ops.selectors.customers import customer_referenced
from customer_ops.selectors.drafts import (
    draft_claims,
    draft_content_hash,
    whatsapp_live,
    whatsapp_send_facts,
)
from customer_ops.selectors.locks import draft_for_update
from customer_ops.services.ledger import ledger_record
from customer_ops.services.notifications import notify

EDITABLE_FIELDS = ("to", "subject", "body")


def draft_move_status(
    draft: OutboundDraft,
    to: DraftStatus,
    *,
    actor: SignedInUser | None,
    now: dt.datetime,
    fields: list[str],
    verb: LedgerVerb,
    note: str = "",
    extra: dict[str, Any] | None = None,
    previous: DraftStatus | None = None,
) -> None:
    """Move `draft` to `to`, save `fields` with it and write the ledger row.

    `previous` is the status before the change when the caller already set `to` on the draft
    (to validate the whole new state before saving it).
    """
    previous = previous or DraftStatus(draft.status)
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
    author: SignedInUser,
    now: dt.datetime,
    source: str = "manual",
    ticket_id: int | None = None,
    incident_id: int | None = None,
    connector_id: int | None = None,
    template_id: int | None = None,
    template_params: list[str] | None = None,
) -> OutboundDraft:
    """Write a draft; it waits in the founder's inbox as `pending`.

    A WhatsApp draft may name a registered template (and its parameter values): outside the
    24-hour window that is the only thing WhatsApp delivers.
    """
    customer_referenced(customer_id)
    template = None
    if template_id is not None:
        template = MessageTemplate.objects.filter(pk=template_id).first()
        if template is None or channel != "whatsapp":
            raise RuleRefused(
                "templates are for WhatsApp drafts, and must be in the registry",
                field="template",
                message_ar="القوالب لمسودات واتساب فقط، ويجب أن تكون مسجّلة",
            )
    draft = OutboundDraft(
        customer_id=customer_id,
        channel=channel,
        to=require_recipient(channel=channel, to=to),
        subject=subject.strip(),
        body=body,
        source=source,
        ticket_id=ticket_id,
        incident_id=incident_id,
        connector_id=connector_id,
        template=template,
        template_params=[str(value) for value in template_params or []],
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
    draft.content_hash = draft_content_hash(draft)
    draft.full_clean()
    draft.save()
    ledger_record(
        verb=LedgerVerb.DRAFTS_CREATED,
        obj=draft,
        actor=author,
        at=now,
        after={"status": draft.status, "channel": channel, "to": draft.to, "source": source},
    )
    return draft


@transaction.atomic
def draft_edit(
    *, draft_id: int, actor: SignedInUser, now: dt.datetime, **changes: str
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
    if "to" in changes:
        changes["to"] = require_recipient(channel=draft.channel, to=changes["to"])
    before = {field: getattr(draft, field) for field in changes}
    for field, value in changes.items():
        setattr(draft, field, value.strip() if field != "body" else value)
    fields = [*changes, "content_hash"]
    if any(before[field] != getattr(draft, field) for field in changes):
        # Whoever changes the content is one of its authors from now on (four eyes).
        editors = draft.content_author_ids - {draft.author_id}
        if actor.pk != draft.author_id and actor.pk not in editors:
            draft.editor_ids = "".join(f",{pk}" for pk in sorted([*editors, actor.pk])) + ","
            fields.append("editor_ids")
    draft.content_hash = draft_content_hash(draft)
    if status != DraftStatus.PENDING:
        # The approval (or rejection) was for other content: it no longer stands.
        ensure_transition(DRAFT_MOVES, status, DraftStatus.PENDING)
        draft.status = DraftStatus.PENDING
        draft.approved_by = None
        draft.approved_at = None
        draft.approved_hash = ""
        draft.rejected_by = None
        draft.rejected_at = None
        draft.rejection_reason = ""
    draft.full_clean()
    if status == DraftStatus.PENDING:
        draft.save(update_fields=[*fields, "updated_at"])
        ledger_record(
            verb=LedgerVerb.DRAFTS_EDITED,
            obj=draft,
            actor=actor,
            at=now,
            before=before,
            after=dict(changes),
        )
        return draft
    draft_move_status(
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
        verb=LedgerVerb.DRAFTS_EDITED,
        note="edit voided the earlier decision",
        extra=dict(changes),
        previous=status,
    )
    return draft


@transaction.atomic
def draft_approve(*, draft_id: int, approver: SignedInUser, now: dt.datetime) -> OutboundDraft:
    """Approve this exact content. A second approval of the same content changes nothing."""
    draft = draft_for_update(draft_id=draft_id)
    current_hash = draft_content_hash(draft)
    if draft.status == DraftStatus.APPROVED and approval_still_valid(
        approved_hash=draft.approved_hash, current_hash=current_hash
    ):
        return draft  # idempotent: already approved, nothing more to record
    report = draft_claims(draft)
    ensure_may_approve(
        approver_id=approver.pk,
        author_id=draft.author_id,
        editor_ids=draft.content_author_ids,
        approver_is_founder=is_founder(approver),
        prohibited_claims=[finding.phrase for finding in report.findings],
    )
    if whatsapp_live(draft):
        # The app will send it itself: opt-in and window (or template) must hold now, and are
        # checked again at send time.
        whatsapp_send_rule(whatsapp_send_facts(draft), now=now)
    draft.approved_by = approver
    draft.approved_at = now
    draft.approved_hash = current_hash
    draft_move_status(
        draft,
        DraftStatus.APPROVED,
        actor=approver,
        now=now,
        fields=["approved_by", "approved_at", "approved_hash"],
        verb=LedgerVerb.DRAFTS_APPROVED,
        extra={"content_hash": current_hash},
    )
    return draft


@transaction.atomic
def draft_reject(
    *, draft_id: int, actor: SignedInUser, now: dt.datetime, reason: str
) -> OutboundDraft:
    """Reject with a reason (founders only); the author may edit and resubmit."""
    draft = draft_for_update(draft_id=draft_id)
    if draft.status == DraftStatus.REJECTED:
        return draft
    if not is_founder(actor):
        raise RoleRefused(
            "only a founder may reject drafts", field="actor", message_ar="رفض المسودات للمؤسس فقط"
        )
    if not reason.strip():
        raise RuleRefused(
            "a rejection needs a reason", field="reason", message_ar="الرفض يحتاج إلى سبب"
        )
    draft.rejected_by = actor
    draft.rejected_at = now
    draft.rejection_reason = reason.strip()[:500]
    draft_move_status(
        draft,
        DraftStatus.REJECTED,
        actor=actor,
        now=now,
        fields=["rejected_by", "rejected_at", "rejection_reason"],
        verb=LedgerVerb.DRAFTS_REJECTED,
        note=draft.rejection_reason,
    )
    _notify_author_of_rejection(draft, actor=actor, now=now)
    return draft


def _notify_author_of_rejection(
    draft: OutboundDraft, *, actor: SignedInUser, now: dt.datetime
) -> None:
    """Tell the draft's author it was rejected, and why (it opens where the draft belongs)."""
    if draft.author_id is None or draft.author_id == actor.pk:
        return
    if draft.ticket_id:
        target = NotificationTarget.ticket(draft.ticket_id)
    elif draft.incident_id:
        target = NotificationTarget.incident(draft.incident_id)
    else:
        target = NotificationTarget.customer(draft.customer_id)
    notify(
        recipients=[draft.author],
        kind="draft_rejected",
        title=f"رُفضت مسودتك: {draft.subject or draft.customer.company_name}",
        body=draft.rejection_reason,
        target=target,
        now=now,
    )
