"""The approval gate's rules: four eyes, content hash, and what may be sent (SPEC.md §2, STYLE §2.3).

- Only the founder approves, and never a draft they wrote: its author and everyone who changed
  its content (text or recipient) are authors of what would be approved.
- A draft containing a prohibited claim cannot be approved (the claims checker finds them).
- An approval records the hash of exactly what was approved; any later edit changes the hash and
  voids it, so a draft can only be sent while it is `approved` *and* its hash still matches.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import unicodedata
from collections.abc import Collection, Sequence

from customer_ops.domain.errors import DomainError, RoleRefused
from customer_ops.domain.transitions import DRAFT_MOVES, DraftStatus, ensure_transition

HASH_SCHEME = "dealix-draft-v1"


class ApprovalRefused(DomainError):
    """An approval or a send that the gate refuses; `reason` is a stable code for the UI and tests."""

    default_field = "approver"

    def __init__(self, reason: str, message: str, *, message_ar: str) -> None:
        super().__init__(message, message_ar=message_ar)
        self.reason = reason


class ApprovalRoleRefused(ApprovalRefused, RoleRefused):
    """The approver is not a founder: a rule about who may approve (HTTP 403)."""


def _canonical(value: str) -> str:
    # The same text typed on two machines must hash alike: NFC and "\n" line endings.
    return unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")


def content_hash(*, channel: str, to: str, subject: str, body: str, template: str = "") -> str:
    """SHA-256 (hex) of a canonical JSON encoding of what would be sent, and to whom.

    `template` (a WhatsApp template and its parameters) joins the hash only when set, so the
    hashes of drafts without one, approved before templates existed, still match.
    """
    parts = [
        HASH_SCHEME,
        _canonical(channel),
        _canonical(to),
        _canonical(subject),
        _canonical(body),
    ]
    if template:
        parts.append(_canonical(template))
    payload = json.dumps(
        parts,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def ensure_may_approve(
    *,
    approver_id: object,
    author_id: object,
    approver_is_founder: bool,
    editor_ids: Collection[object] = (),
    prohibited_claims: Sequence[str] = (),
) -> None:
    """Raise `ApprovalRefused` unless a founder who wrote none of it approves a clean draft.

    `editor_ids` are everyone who changed the content since it was created: an edit by a founder
    followed by their own approval would be one pair of eyes on the words that leave.
    """
    if not approver_is_founder:
        raise ApprovalRoleRefused(
            "not_founder",
            "only the founder may approve drafts",
            message_ar="الاعتماد من صلاحية المؤسس فقط",
        )
    if approver_id == author_id:
        raise ApprovalRefused(
            "own_draft",
            "nobody approves their own draft (four eyes)",
            message_ar="لا يمكن اعتماد مسودة كتبتها بنفسك (مبدأ العينين الأربع)",
        )
    if approver_id in editor_ids:
        raise ApprovalRefused(
            "own_edit",
            "you changed this draft's content: another founder must approve it (four eyes)",
            message_ar="عدّلتَ محتوى هذه المسودة: يعتمدها مؤسس آخر (مبدأ العينين الأربع)",
        )
    if prohibited_claims:
        claims = ", ".join(prohibited_claims)
        raise ApprovalRefused(
            "prohibited_claim",
            f"the draft contains prohibited claims: {claims}",
            message_ar=f"المسودة تحتوي ادعاءات محظورة: {claims}",
        )


def approval_still_valid(*, approved_hash: str | None, current_hash: str) -> bool:
    """Whether the content is still exactly what was approved (constant-time comparison)."""
    if not approved_hash:
        return False
    return hmac.compare_digest(approved_hash.encode(), current_hash.encode())


def ensure_may_send(
    *, status: DraftStatus, approved_hash: str | None, current_hash: str, manually: bool = False
) -> DraftStatus:
    """The status after sending, if the draft is approved and unchanged since; else raise.

    Sending twice is an `InvalidTransition` (a sent draft has no moves), so it has no second effect.
    """
    target = DraftStatus.SENT_MANUALLY if manually else DraftStatus.SENT
    ensure_transition(DRAFT_MOVES, status, target)
    if not approval_still_valid(approved_hash=approved_hash, current_hash=current_hash):
        raise ApprovalRefused(
            "content_changed",
            "the draft changed after it was approved; it needs a new approval",
            message_ar="تغيّرت المسودة بعد اعتمادها؛ تحتاج اعتماداً جديداً",
        )
    return target
