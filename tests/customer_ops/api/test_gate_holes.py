"""Holes in the approval gate an attacker found (issue #17), closed for every caller.

- four eyes by authorship: whoever changed the content is one of its authors and may not approve
  it, in the service and in the database;
- what may be marked sent by hand follows the delivery route, whoever asks;
- one recipient rule per channel wherever a recipient is set.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from customer_ops.domain.approval import ApprovalRefused
from customer_ops.models import CheckIn, LedgerEntry, OutboundDraft
from customer_ops.roles import Role
from customer_ops.services.drafts import draft_approve, draft_edit
from tests.factories import make_customer, make_draft, make_ticket

pytestmark = pytest.mark.django_db

BAD_RECIPIENTS = [
    "not-an-email",
    "a@x.sa, b@y.sa",
    "client@example.sa\nBcc: attacker@evil.sa",
]


@pytest.fixture
def customer(operator: Any) -> Any:
    return make_customer(actor=operator, contact_email="client@example.sa")


@pytest.fixture
def second_founder(make_user: Any) -> Any:
    return make_user("founder-2", Role.FOUNDER)


# ── Four eyes by authorship ─────────────────────────────────────────────────────────────────────
def test_founder_who_patched_a_draft_cannot_approve_it(
    founder_api: APIClient, customer: Any, operator: Any, founder: Any
) -> None:
    draft = make_draft(customer=customer, author=operator)

    patched = founder_api.patch(
        f"/api/v1/drafts/{draft.pk}/",
        {"body": "نص كتبه المؤسس", "to": "other@example.sa"},
        format="json",
    )
    approved = founder_api.post(f"/api/v1/drafts/{draft.pk}/approve/", {}, format="json")

    draft.refresh_from_db()
    assert patched.status_code == 200, patched.json()
    assert approved.status_code == 400
    assert "approver" in approved.json()["errors"]
    assert draft.status == "pending"
    assert draft.approved_by is None


def test_an_editor_stays_an_author_after_a_later_edit_by_someone_else(
    customer: Any, operator: Any, founder: Any, second_founder: Any
) -> None:
    draft = make_draft(customer=customer, author=operator)
    now = timezone.now()
    draft_edit(draft_id=draft.pk, actor=founder, now=now, body="جملة المؤسس الأول")
    draft_edit(draft_id=draft.pk, actor=operator, now=now, subject="موضوع أحدث")

    with pytest.raises(ApprovalRefused) as refused:
        draft_approve(draft_id=draft.pk, approver=founder, now=now)
    approved = draft_approve(draft_id=draft.pk, approver=second_founder, now=now)

    assert refused.value.reason == "own_edit"
    assert approved.status == "approved"
    assert approved.content_author_ids == {operator.pk, founder.pk}


def test_editing_an_approved_draft_voids_the_approval_and_makes_the_approver_an_author(
    customer: Any, operator: Any, founder: Any, second_founder: Any
) -> None:
    draft = make_draft(customer=customer, author=operator)
    now = timezone.now()
    draft_approve(draft_id=draft.pk, approver=founder, now=now)

    draft_edit(draft_id=draft.pk, actor=founder, now=now, body="تعديل بعد الاعتماد")

    draft.refresh_from_db()
    assert (draft.status, draft.approved_by_id) == ("pending", None)
    with pytest.raises(ApprovalRefused):
        draft_approve(draft_id=draft.pk, approver=founder, now=now)


def test_database_refuses_an_approval_by_an_editor(
    customer: Any, operator: Any, founder: Any
) -> None:
    draft = make_draft(customer=customer, author=operator)
    draft_edit(draft_id=draft.pk, actor=founder, now=timezone.now(), body="نص المؤسس")

    with pytest.raises(IntegrityError), transaction.atomic():
        OutboundDraft.objects.filter(pk=draft.pk).update(
            status="approved",
            approved_by=founder,
            approved_at=timezone.now(),
            approved_hash=draft.content_hash,
        )


# ── Marking sent follows the delivery route ─────────────────────────────────────────────────────
def test_operator_cannot_mark_an_approved_email_sent_by_hand_through_the_api(
    operator_api: APIClient, customer: Any, operator: Any, founder: Any
) -> None:
    ticket = make_ticket(customer=customer, actor=operator, now=timezone.now())
    draft = operator_api.post(f"/api/v1/tickets/{ticket.pk}/reply-draft/", {}, format="json")
    assert draft.status_code == 201, draft.json()
    draft_approve(draft_id=draft.json()["id"], approver=founder, now=timezone.now())

    marked = operator_api.post(f"/api/v1/drafts/{draft.json()['id']}/mark-sent/", {}, format="json")

    ticket.refresh_from_db()
    assert marked.status_code == 400
    assert OutboundDraft.objects.get(pk=draft.json()["id"]).status == "approved"
    assert ticket.first_response_at is None
    assert not LedgerEntry.objects.filter(verb="drafts.sent_manually").exists()


def test_operator_cannot_mark_an_approved_email_sent_by_hand_through_the_console(
    operator_client: Any, customer: Any, operator: Any, founder: Any
) -> None:
    draft = make_draft(customer=customer, author=operator)
    draft_approve(draft_id=draft.pk, approver=founder, now=timezone.now())

    operator_client.post(reverse("approvals-mark-sent", args=[draft.pk]), {"note": "by hand"})

    draft.refresh_from_db()
    assert draft.status == "approved"
    assert not LedgerEntry.objects.filter(verb="drafts.sent_manually").exists()


def test_a_manual_channel_may_still_be_marked_sent_by_hand(
    operator_api: APIClient, customer: Any, operator: Any, founder: Any
) -> None:
    draft = make_draft(customer=customer, author=operator, channel="whatsapp", to="+966500000000")
    draft_approve(draft_id=draft.pk, approver=founder, now=timezone.now())

    marked = operator_api.post(f"/api/v1/drafts/{draft.pk}/mark-sent/", {}, format="json")

    assert marked.status_code == 200
    assert marked.json()["status"] == "sent_manually"


# ── One recipient rule, wherever a recipient is set ─────────────────────────────────────────────
@pytest.mark.parametrize("to", BAD_RECIPIENTS)
def test_draft_create_and_patch_refuse_a_bad_recipient(
    operator_api: APIClient, customer: Any, operator: Any, to: str
) -> None:
    draft = make_draft(customer=customer, author=operator)
    body = {"customer": customer.pk, "channel": "email", "to": to, "body": "نص"}

    created = operator_api.post("/api/v1/drafts/", body, format="json")
    patched = operator_api.patch(f"/api/v1/drafts/{draft.pk}/", {"to": to}, format="json")

    assert created.status_code == 400
    assert patched.status_code == 400
    assert "to" in created.json()["errors"] and "to" in patched.json()["errors_ar"]
    assert list(OutboundDraft.objects.values_list("to", flat=True)) == ["client@example.sa"]


@pytest.mark.parametrize("to", BAD_RECIPIENTS)
def test_ticket_reply_draft_refuses_a_bad_recipient(
    operator_api: APIClient, customer: Any, operator: Any, to: str
) -> None:
    ticket = make_ticket(customer=customer, actor=operator, now=timezone.now())

    response = operator_api.post(
        f"/api/v1/tickets/{ticket.pk}/reply-draft/", {"to": to}, format="json"
    )

    assert response.status_code == 400
    assert "to" in response.json()["errors"]
    assert not OutboundDraft.objects.exists()


@pytest.mark.parametrize("to", BAD_RECIPIENTS)
def test_check_in_refuses_a_bad_recipient_in_the_api_and_the_console(
    operator_api: APIClient, operator_client: Any, customer: Any, to: str
) -> None:
    api = operator_api.post(
        f"/api/v1/customers/{customer.pk}/check-ins/", {"channel": "email", "to": to}, format="json"
    )
    console = operator_client.post(
        reverse("check-in-build", args=[customer.pk]),
        {"replies": "1", "meetings": "0", "pipeline_sar": "0", "channel": "email", "to": to},
        headers={"HX-Request": "true"},
    )

    assert api.status_code == 400
    assert "to" in api.json()["errors"]
    assert console.status_code == 422
    assert not CheckIn.objects.exists()
    assert not OutboundDraft.objects.exists()


def test_customer_contacts_are_held_to_the_same_rule(operator_api: APIClient) -> None:
    response = operator_api.post(
        "/api/v1/customers/",
        {"company_name": "شركة", "bundle": "growth_starter", "contact_phone": "+9665, +9665"},
        format="json",
    )

    assert response.status_code == 400
    assert "contact_phone" in response.json()["errors"]
