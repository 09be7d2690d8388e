from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from customer_ops.domain.errors import DomainError
from customer_ops.domain.transitions import DraftStatus, InvalidTransition
from customer_ops.models import LedgerEntry, OutboundDraft
from customer_ops.roles import Role
from customer_ops.services.connectors import connector_set_state
from customer_ops.services.draft_delivery import draft_mark_sent, draft_send
from customer_ops.services.drafts import draft_approve, draft_edit, draft_reject
from tests.factories import make_draft, set_connector

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(customer: Any, operator: Any) -> OutboundDraft:
    return make_draft(customer=customer, author=operator)


def verbs(draft: OutboundDraft) -> list[str]:
    return list(
        LedgerEntry.objects.filter(object_type="outbounddraft", object_id=str(draft.pk))
        .order_by("id")
        .values_list("verb", flat=True)
    )


def test_new_draft_waits_for_approval(draft: OutboundDraft) -> None:
    assert draft.status == DraftStatus.PENDING
    assert verbs(draft) == ["drafts.created"]


def test_founder_approves_and_the_approval_records_the_content_hash(
    draft: OutboundDraft, founder: Any
) -> None:
    approved = draft_approve(draft_id=draft.pk, approver=founder, now=timezone.now())

    assert approved.status == DraftStatus.APPROVED
    assert approved.approved_by == founder
    assert approved.approved_hash == approved.content_hash
    assert verbs(draft) == ["drafts.created", "drafts.approved"]


def test_operator_cannot_approve(draft: OutboundDraft, make_user: Any) -> None:
    other_operator = make_user("operator2", Role.OPERATOR)

    with pytest.raises(DomainError):
        draft_approve(draft_id=draft.pk, approver=other_operator, now=timezone.now())

    draft.refresh_from_db()
    assert draft.status == DraftStatus.PENDING


def test_founder_cannot_approve_own_draft(customer: Any, founder: Any) -> None:
    own = make_draft(customer=customer, author=founder)

    with pytest.raises(DomainError):
        draft_approve(draft_id=own.pk, approver=founder, now=timezone.now())

    own.refresh_from_db()
    assert own.status == DraftStatus.PENDING


def test_draft_with_prohibited_claim_cannot_be_approved(
    customer: Any, operator: Any, founder: Any
) -> None:
    bad = make_draft(customer=customer, author=operator, body="نضمن لك عملاء جدد خلال أسبوع")

    with pytest.raises(DomainError, match="prohibited"):
        draft_approve(draft_id=bad.pk, approver=founder, now=timezone.now())

    bad.refresh_from_db()
    assert bad.status == DraftStatus.PENDING


def test_negated_claim_in_draft_can_be_approved(customer: Any, operator: Any, founder: Any) -> None:
    fine = make_draft(
        customer=customer, author=operator, body="لا نضمن نتائج، لكن نرسل لك Proof Pack بالأرقام."
    )

    assert (
        draft_approve(draft_id=fine.pk, approver=founder, now=timezone.now()).status == "approved"
    )


def test_approving_twice_has_no_second_effect(draft: OutboundDraft, founder: Any) -> None:
    first = draft_approve(draft_id=draft.pk, approver=founder, now=timezone.now())

    second = draft_approve(draft_id=draft.pk, approver=founder, now=timezone.now())

    assert second.approved_at == first.approved_at
    assert verbs(draft).count("drafts.approved") == 1


def test_edit_after_approval_voids_it(draft: OutboundDraft, founder: Any, operator: Any) -> None:
    draft_approve(draft_id=draft.pk, approver=founder, now=timezone.now())

    edited = draft_edit(draft_id=draft.pk, actor=operator, now=timezone.now(), body="نص جديد")

    assert edited.status == DraftStatus.PENDING
    assert edited.approved_by is None
    assert edited.approved_hash == ""
    with pytest.raises(InvalidTransition):
        draft_send(draft_id=draft.pk, actor=operator, now=timezone.now())
    assert mail.outbox == []


def test_send_needs_approval(draft: OutboundDraft, operator: Any) -> None:
    with pytest.raises(InvalidTransition):
        draft_send(draft_id=draft.pk, actor=operator, now=timezone.now())

    assert mail.outbox == []


def test_send_refuses_content_changed_behind_the_services_back(
    draft: OutboundDraft, founder: Any, operator: Any
) -> None:
    draft_approve(draft_id=draft.pk, approver=founder, now=timezone.now())
    OutboundDraft.objects.filter(pk=draft.pk).update(body="نص لم يُعتمد")

    with pytest.raises(DomainError, match="changed"):
        draft_send(draft_id=draft.pk, actor=operator, now=timezone.now())

    assert mail.outbox == []


def test_send_emails_once_and_twice_is_a_no_op(
    draft: OutboundDraft, founder: Any, operator: Any
) -> None:
    draft_approve(draft_id=draft.pk, approver=founder, now=timezone.now())

    sent = draft_send(draft_id=draft.pk, actor=operator, now=timezone.now())
    again = draft_send(draft_id=draft.pk, actor=operator, now=timezone.now())

    assert sent.status == again.status == DraftStatus.SENT
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["client@example.sa"]
    assert verbs(draft).count("drafts.sent") == 1


def test_whatsapp_draft_is_marked_sent_by_hand(customer: Any, operator: Any, founder: Any) -> None:
    whatsapp = make_draft(
        customer=customer, author=operator, channel="whatsapp", to="+966500000000"
    )
    draft_approve(draft_id=whatsapp.pk, approver=founder, now=timezone.now())

    with pytest.raises(DomainError, match="by hand"):
        draft_send(draft_id=whatsapp.pk, actor=operator, now=timezone.now())
    marked = draft_mark_sent(draft_id=whatsapp.pk, actor=operator, now=timezone.now(), note="أُرسلت")

    assert marked.status == DraftStatus.SENT_MANUALLY
    assert marked.sent_by == operator
    assert mail.outbox == []


def test_ingest_only_connector_carries_no_outbound(
    customer: Any, operator: Any, founder: Any
) -> None:
    set_connector(customer, "instagram_graph", actor=operator)
    connector = customer.connectors.get(connector_key="instagram_graph")
    draft = make_draft(
        customer=customer,
        author=operator,
        channel="whatsapp",
        to="+966500000002",
        connector_id=connector.pk,
    )
    draft_approve(draft_id=draft.pk, approver=founder, now=timezone.now())

    with pytest.raises(DomainError, match="ingest-only"):
        draft_mark_sent(draft_id=draft.pk, actor=operator, now=timezone.now())


def test_draft_only_gmail_connector_means_manual(
    customer: Any, operator: Any, founder: Any
) -> None:
    for state in ("configuring", "connected_draft_only"):
        connector_set_state(
            customer_id=customer.pk,
            connector_key="gmail",
            to=state,
            actor=operator,
            now=timezone.now(),
        )
    gmail = customer.connectors.get(connector_key="gmail")
    draft = make_draft(customer=customer, author=operator, connector_id=gmail.pk)
    draft_approve(draft_id=draft.pk, approver=founder, now=timezone.now())

    with pytest.raises(DomainError, match="by hand"):
        draft_send(draft_id=draft.pk, actor=operator, now=timezone.now())
    assert mail.outbox == []


def test_reject_needs_founder_and_reason(draft: OutboundDraft, founder: Any, operator: Any) -> None:
    with pytest.raises(DomainError):
        draft_reject(draft_id=draft.pk, actor=operator, now=timezone.now(), reason="لا")
    with pytest.raises(DomainError, match="reason"):
        draft_reject(draft_id=draft.pk, actor=founder, now=timezone.now(), reason="  ")

    rejected = draft_reject(draft_id=draft.pk, actor=founder, now=timezone.now(), reason="النبرة")

    assert rejected.status == DraftStatus.REJECTED
    with pytest.raises(InvalidTransition):
        draft_approve(draft_id=draft.pk, approver=founder, now=timezone.now())


def test_database_refuses_sent_draft_without_approver(draft: OutboundDraft) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        OutboundDraft.objects.filter(pk=draft.pk).update(status="sent", sent_at=timezone.now())


def test_database_refuses_self_approval(draft: OutboundDraft, operator: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        OutboundDraft.objects.filter(pk=draft.pk).update(
            status="approved", approved_by=operator, approved_at=timezone.now()
        )
