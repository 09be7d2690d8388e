"""The approval gate: four eyes, content hash and sending (SPEC.md §2)."""

from __future__ import annotations

import pytest

from customer_ops.domain.approval import (
    ApprovalRefused,
    approval_still_valid,
    content_hash,
    ensure_may_approve,
    ensure_may_send,
)
from customer_ops.domain.transitions import DraftStatus, InvalidTransition

DRAFT = {
    "channel": "email",
    "to": "ops@example.sa",
    "subject": "تحديث",
    "body": "مرحباً،\nتم الإصلاح.",
}


def test_content_hash_is_stable_sha256_hex():
    first = content_hash(**DRAFT)

    assert first == content_hash(**DRAFT)
    assert len(first) == 64
    assert int(first, 16) >= 0


@pytest.mark.parametrize("field", ["channel", "to", "subject", "body"])
def test_content_hash_changes_when_any_field_changes(field):
    assert content_hash(**(DRAFT | {field: DRAFT[field] + "!"})) != content_hash(**DRAFT)


def test_content_hash_does_not_confuse_field_boundaries():
    assert content_hash(channel="email", to="a", subject="bc", body="") != content_hash(
        channel="email", to="ab", subject="c", body=""
    )


def test_content_hash_ignores_line_ending_and_unicode_composition_differences():
    windows = DRAFT | {"body": DRAFT["body"].replace("\n", "\r\n")}
    decomposed = DRAFT | {"to": "cafe\u0301@example.sa"}
    composed = DRAFT | {"to": "café@example.sa"}

    assert content_hash(**windows) == content_hash(**DRAFT)
    assert content_hash(**decomposed) == content_hash(**composed)


def test_ensure_may_approve_allows_the_founder_on_someone_elses_draft():
    ensure_may_approve(approver_id=1, author_id=2, approver_is_founder=True)


def test_ensure_may_approve_refuses_a_non_founder():
    with pytest.raises(ApprovalRefused) as raised:
        ensure_may_approve(approver_id=1, author_id=2, approver_is_founder=False)

    assert raised.value.reason == "not_founder"
    assert raised.value.field == "approver"
    assert raised.value.message_ar


def test_ensure_may_approve_refuses_own_draft_even_for_the_founder():
    with pytest.raises(ApprovalRefused) as raised:
        ensure_may_approve(approver_id=7, author_id=7, approver_is_founder=True)

    assert raised.value.reason == "own_draft"


def test_ensure_may_approve_refuses_a_draft_with_prohibited_claims():
    with pytest.raises(ApprovalRefused) as raised:
        ensure_may_approve(
            approver_id=1,
            author_id=2,
            approver_is_founder=True,
            prohibited_claims=["نضمن لك عملاء"],
        )

    assert raised.value.reason == "prohibited_claim"
    assert "نضمن لك عملاء" in str(raised.value)


def test_approval_still_valid_only_for_the_same_content():
    approved = content_hash(**DRAFT)
    edited = content_hash(**(DRAFT | {"body": "نص آخر"}))

    assert approval_still_valid(approved_hash=approved, current_hash=approved) is True
    assert approval_still_valid(approved_hash=approved, current_hash=edited) is False
    assert approval_still_valid(approved_hash=None, current_hash=approved) is False


def test_ensure_may_send_an_approved_unchanged_draft():
    digest = content_hash(**DRAFT)

    assert (
        ensure_may_send(status=DraftStatus.APPROVED, approved_hash=digest, current_hash=digest)
        is DraftStatus.SENT
    )
    assert (
        ensure_may_send(
            status=DraftStatus.APPROVED, approved_hash=digest, current_hash=digest, manually=True
        )
        is DraftStatus.SENT_MANUALLY
    )


def test_ensure_may_send_refuses_an_edited_draft():
    with pytest.raises(ApprovalRefused) as raised:
        ensure_may_send(status=DraftStatus.APPROVED, approved_hash="a" * 64, current_hash="b" * 64)

    assert raised.value.reason == "content_changed"


@pytest.mark.parametrize("status", [DraftStatus.PENDING, DraftStatus.REJECTED, DraftStatus.SENT])
def test_ensure_may_send_refuses_unapproved_or_already_sent_drafts(status):
    digest = content_hash(**DRAFT)

    with pytest.raises(InvalidTransition):
        ensure_may_send(status=status, approved_hash=digest, current_hash=digest)
