"""A draft is corrected in the console, not abandoned: the edit form, the live claims check, and
what a founder's own draft tells them to do (issue #19, dead ends)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from customer_ops.models import OutboundDraft
from customer_ops.roles import Role
from customer_ops.services.draft_delivery import draft_mark_sent
from customer_ops.services.drafts import draft_approve
from customer_ops.services.tickets import ticket_reply_draft
from tests.factories import make_draft, make_ticket
from tests.helpers import HX

pytestmark = pytest.mark.django_db

CLAIM = "نضمن لك عملاء جدد خلال أسبوع"
CLEAN = "نعمل على طلبكم وسنوافيكم بالتحديث خلال يومي عمل."


def edit_url(draft: OutboundDraft) -> str:
    return reverse("approvals-edit", kwargs={"draft_id": draft.pk})


def claims_url(draft: OutboundDraft) -> str:
    return reverse("approvals-claims-check", kwargs={"draft_id": draft.pk})


@pytest.fixture
def customer_fields() -> dict[str, Any]:
    return {"name": "شركة التعديل", "contact_email": "client@example.sa"}


@pytest.fixture
def flagged(customer: Any, operator: Any) -> OutboundDraft:
    return make_draft(customer=customer, author=operator, subject="تحديث", body=CLAIM)


def test_flagged_draft_card_opens_its_edit_form_with_the_claims_shown(
    founder_client: Client, flagged: OutboundDraft
) -> None:
    html = founder_client.get(reverse("approvals-inbox")).content.decode()

    assert f'data-draft-edit="{flagged.pk}"' in html
    assert '<details class="disclosure draft-edit" open' in html
    assert 'data-claims-live="bad"' in html
    assert f'action="{edit_url(flagged)}"' in html


def test_operator_corrects_a_flagged_draft_and_the_founder_can_then_approve_it(
    operator_client: Client, flagged: OutboundDraft, founder: Any
) -> None:
    response = operator_client.post(
        edit_url(flagged),
        {"to": "client@example.sa", "subject": "تحديث الطلب", "body": CLEAN},
        headers=HX,
    )

    html = response.content.decode()
    flagged.refresh_from_db()
    assert response.status_code == 200
    assert "drafts-changed" in response["HX-Trigger"]
    assert html.lstrip().startswith(f'<article id="draft-{flagged.pk}"')
    assert "data-edited" in html
    assert "claims--ok" in html
    assert (flagged.subject, flagged.body, flagged.status) == ("تحديث الطلب", CLEAN, "pending")
    approved = draft_approve(draft_id=flagged.pk, approver=founder, now=timezone.now())
    assert approved.status == "approved"


def test_a_refused_edit_keeps_what_was_typed_and_names_the_field(
    operator_client: Client, flagged: OutboundDraft
) -> None:
    response = operator_client.post(
        edit_url(flagged), {"to": "not-an-address", "subject": "س", "body": CLEAN}, headers=HX
    )

    html = response.content.decode()
    flagged.refresh_from_db()
    assert response.status_code == 422
    assert f'id="edit-{flagged.pk}-to-error"' in html
    assert 'value="not-an-address"' in html
    assert CLEAN in html  # the corrected body is not lost
    assert "HX-Trigger" not in response
    assert flagged.body == CLAIM


def test_editing_an_approved_draft_voids_the_approval(
    operator_client: Client, customer: Any, operator: Any, founder: Any
) -> None:
    draft = make_draft(customer=customer, author=operator, body=CLEAN)
    draft_approve(draft_id=draft.pk, approver=founder, now=timezone.now())

    operator_client.post(
        edit_url(draft), {"to": draft.to, "subject": draft.subject, "body": CLEAN + " شكراً."}
    )

    draft.refresh_from_db()
    assert (draft.status, draft.approved_by_id) == ("pending", None)


def test_live_claims_check_judges_the_typed_text_as_the_gate_does(
    operator_client: Client, flagged: OutboundDraft
) -> None:
    bad = operator_client.post(
        claims_url(flagged), {"subject": "تحديث", "body": f"مرحباً. {CLAIM}"}, headers=HX
    )
    good = operator_client.post(
        claims_url(flagged), {"subject": "تحديث", "body": CLEAN}, headers=HX
    )

    assert bad.status_code == good.status_code == 200
    assert 'data-claims-live="bad"' in bad.content.decode()
    assert 'data-claims-live="ok"' in good.content.decode()
    assert good.content.decode().lstrip().startswith(f'<div id="draft-{flagged.pk}-claims-live"')
    flagged.refresh_from_db()
    assert flagged.body == CLAIM  # checking never saves


def test_live_claims_check_lets_a_reply_quote_the_customers_words(
    operator_client: Client, customer: Any, operator: Any
) -> None:
    now = timezone.now()
    ticket = make_ticket(
        customer=customer,
        actor=operator,
        now=now,
        subject="أرسلتم رسالة بدون موافقتي",
        body="وصلت رسالة لعميلي بدون موافقتي.",
    )
    draft = ticket_reply_draft(ticket_id=ticket.pk, actor=operator, now=now)

    quoted = operator_client.post(
        claims_url(draft), {"subject": draft.subject, "body": CLEAN}, headers=HX
    )
    ours = operator_client.post(
        claims_url(draft), {"subject": draft.subject, "body": f"{CLEAN} {CLAIM}"}, headers=HX
    )

    assert 'data-claims-live="ok"' in quoted.content.decode()
    assert 'data-claims-live="bad"' in ours.content.decode()


def test_live_claims_check_refuses_unsafe_input_without_a_verdict(
    operator_client: Client, flagged: OutboundDraft
) -> None:
    response = operator_client.post(claims_url(flagged), {"subject": "a\x00b", "body": CLEAN})

    assert 'data-claims-live="refused"' in response.content.decode()


def test_ticket_reply_area_edits_its_own_drafts_only(
    operator_client: Client, customer: Any, operator: Any
) -> None:
    now = timezone.now()
    ticket = make_ticket(customer=customer, actor=operator, now=now)
    other = make_ticket(customer=customer, actor=operator, now=now, subject="تذكرة أخرى")
    draft = ticket_reply_draft(ticket_id=ticket.pk, actor=operator, now=now)
    page = operator_client.get(reverse("ticket-page", kwargs={"ticket_id": ticket.pk}))
    url = reverse("ticket-draft-edit", kwargs={"ticket_id": ticket.pk, "draft_id": draft.pk})
    data = {"to": draft.to, "subject": "رد على طلبكم", "body": CLEAN}

    edited = operator_client.post(url, data, headers=HX)
    foreign = operator_client.post(
        reverse("ticket-draft-edit", kwargs={"ticket_id": other.pk, "draft_id": draft.pk}),
        data,
        headers=HX,
    )

    draft.refresh_from_db()
    assert f'action="{url}"' in page.content.decode()
    assert edited.status_code == 200
    assert edited.content.decode().lstrip().startswith('<section id="ticket-reply"')
    assert "data-edited" in edited.content.decode()
    assert {"drafts-changed", "ticket-changed"} <= set(edited["HX-Trigger"].strip("{}").split('"'))
    assert draft.subject == "رد على طلبكم"
    assert foreign.status_code == 404


def test_founder_who_edited_a_draft_is_told_who_approves_it(
    founder_client: Client,
    flagged: OutboundDraft,
    make_user: Callable[..., Any],
) -> None:
    founder_client.post(edit_url(flagged), {"to": flagged.to, "subject": "ت", "body": CLEAN})

    alone = founder_client.get(reverse("approvals-inbox")).content.decode()
    make_user("sara", Role.FOUNDER)
    paired = founder_client.get(reverse("approvals-inbox")).content.decode()

    assert 'data-own-draft="hand-over"' in alone
    assert "سلّمها لمشغّل" in alone
    assert 'data-own-draft="another-founder"' in paired
    assert "<bdi>sara</bdi>" in paired
    assert 'data-action="approve"' not in paired


def test_a_founders_own_ticket_reply_points_to_the_ticket_for_the_hand_over(
    founder_client: Client, customer: Any, founder: Any
) -> None:
    now = timezone.now() - dt.timedelta(minutes=1)
    ticket = make_ticket(customer=customer, actor=founder, now=now)
    ticket_reply_draft(ticket_id=ticket.pk, actor=founder, now=now)

    html = founder_client.get(reverse("approvals-inbox")).content.decode()

    assert 'data-own-draft="hand-over"' in html
    assert f'href="{reverse("ticket-page", kwargs={"ticket_id": ticket.pk})}#ticket-reply"' in html


def test_sent_draft_offers_no_edit_form(
    founder_client: Client, customer: Any, operator: Any, founder: Any
) -> None:
    draft = make_draft(
        customer=customer, author=operator, body=CLEAN, channel="phone", to="+966501234567"
    )
    draft_approve(draft_id=draft.pk, approver=founder, now=timezone.now())
    draft_mark_sent(draft_id=draft.pk, actor=founder, now=timezone.now(), note="")

    html = founder_client.get(
        reverse("approvals-draft", kwargs={"draft_id": draft.pk})
    ).content.decode()

    assert f'data-draft-edit="{draft.pk}"' not in html
