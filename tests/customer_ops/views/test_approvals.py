"""The approvals inbox: founders approve or reject, then a draft is sent or marked sent by hand."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from customer_ops.models import CustomerConnector, OutboundDraft
from customer_ops.services.drafts import draft_approve
from tests.factories import make_customer, make_draft, set_connector
from tests.helpers import HX

pytestmark = pytest.mark.django_db

CLAIM = "نضمن لك عملاء جدد خلال أسبوع"


def url(name: str, draft: OutboundDraft) -> str:
    return reverse(name, kwargs={"draft_id": draft.pk})


@pytest.fixture
def customer_fields() -> dict[str, Any]:
    return {
        "name": "شركة الموافقات",
    }


def test_inbox_sends_anonymous_users_to_login(client: Client) -> None:
    response = client.get(reverse("approvals-inbox"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_inbox_refuses_a_user_without_a_role(client: Client, make_user: Callable[..., Any]) -> None:
    client.force_login(make_user("outsider"))

    assert client.get(reverse("approvals-inbox")).status_code == 403


def test_founder_inbox_opens_on_pending_drafts_with_their_context(
    founder_client: Client, customer: Any, operator: Any
) -> None:
    draft = make_draft(
        customer=customer, author=operator, to="client@example.sa", subject="تحديث الأسبوع"
    )

    response = founder_client.get(reverse("approvals-inbox"))

    html = response.content.decode()
    assert response.context["filters"]["status"] == "pending"
    assert f'id="draft-{draft.pk}"' in html
    assert "شركة الموافقات" in html
    assert "<bdi>operator</bdi>" in html
    assert '<bdi class="mono">client@example.sa</bdi>' in html
    assert "لا ادعاءات محظورة" in html
    assert url("approvals-approve", draft) in html
    assert url("approvals-reject", draft) in html


def test_a_prohibited_claim_is_highlighted_with_its_suggestion_and_cannot_be_approved(
    founder_client: Client, customer: Any, operator: Any
) -> None:
    draft = make_draft(customer=customer, author=operator, body=CLAIM)

    html = founder_client.get(reverse("approvals-inbox")).content.decode()
    forged = founder_client.post(url("approvals-approve", draft), headers=HX)

    assert '<mark class="claim"' in html
    assert "وعود بنتائج مضمونة" in html
    assert "البديل المقترح" in html
    assert url("approvals-approve", draft) not in html
    assert forged.status_code == 422
    assert "ادعاءات محظورة" in forged.content.decode()
    draft.refresh_from_db()
    assert draft.status == "pending"


def test_founder_approves_in_place_and_then_sees_send(
    founder_client: Client, customer: Any, operator: Any, founder: Any
) -> None:
    draft = make_draft(customer=customer, author=operator)

    response = founder_client.post(url("approvals-approve", draft), headers=HX)

    html = response.content.decode()
    draft.refresh_from_db()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<article id="draft-{draft.pk}"')
    assert "<html" not in html
    assert draft.status == "approved" and draft.approved_by == founder
    assert "drafts-changed" in response["HX-Trigger"]
    assert url("approvals-send", draft) in html
    assert url("approvals-approve", draft) not in html


def test_operator_sees_state_but_no_approve_or_reject_and_a_forged_post_is_403(
    operator_client: Client, customer: Any, operator: Any
) -> None:
    draft = make_draft(customer=customer, author=operator)

    html = operator_client.get(reverse("approvals-inbox")).content.decode()
    approve = operator_client.post(url("approvals-approve", draft), headers=HX)
    reject = operator_client.post(url("approvals-reject", draft), {"reason": "لا"}, headers=HX)

    assert f'id="draft-{draft.pk}"' in html
    assert "بانتظار قرار المؤسس" in html
    assert url("approvals-approve", draft) not in html
    assert url("approvals-reject", draft) not in html
    assert approve.status_code == 403
    assert reject.status_code == 403
    draft.refresh_from_db()
    assert draft.status == "pending"


def test_operator_inbox_holds_only_their_own_drafts(
    operator_client: Client, customer: Any, operator: Any, make_user: Callable[..., Any]
) -> None:
    from customer_ops.roles import Role

    mine = make_draft(customer=customer, author=operator, subject="مسودتي")
    colleague = make_user("colleague", Role.OPERATOR)
    theirs = make_draft(customer=customer, author=colleague, subject="مسودة زميل")

    response = operator_client.get(reverse("approvals-inbox"))

    assert response.context["filters"]["status"] == "all"
    assert [card.draft.pk for card in response.context["cards"]] == [mine.pk]
    assert theirs.subject not in response.content.decode()


def test_founder_cannot_approve_their_own_draft(
    founder_client: Client, customer: Any, founder: Any
) -> None:
    draft = make_draft(customer=customer, author=founder)

    html = founder_client.get(reverse("approvals-inbox")).content.decode()
    forged = founder_client.post(url("approvals-approve", draft), headers=HX)

    assert url("approvals-approve", draft) not in html
    assert "مبدأ العينين الأربع" in html
    assert forged.status_code == 422
    draft.refresh_from_db()
    assert draft.status == "pending"


def test_reject_needs_a_reason_shown_inline_then_records_it(
    founder_client: Client, customer: Any, operator: Any
) -> None:
    draft = make_draft(customer=customer, author=operator)

    empty = founder_client.post(url("approvals-reject", draft), {"reason": "  "}, headers=HX)
    rejected = founder_client.post(
        url("approvals-reject", draft), {"reason": "النبرة رسمية أكثر من اللازم"}, headers=HX
    )

    draft.refresh_from_db()
    assert empty.status_code == 422
    assert "الرفض يحتاج إلى سبب" in empty.content.decode()
    assert 'aria-invalid="true"' in empty.content.decode()
    assert rejected.status_code == 200
    assert draft.status == "rejected"
    assert "النبرة رسمية أكثر من اللازم" in rejected.content.decode()


def test_an_approved_email_draft_is_sent_once(
    operator_client: Client, customer: Any, operator: Any, founder: Any
) -> None:
    draft = make_draft(customer=customer, author=operator)
    draft_approve(draft_id=draft.pk, approver=founder, now=timezone.now())

    first = operator_client.post(url("approvals-send", draft), headers=HX)
    again = operator_client.post(url("approvals-send", draft), headers=HX)

    draft.refresh_from_db()
    assert first.status_code == again.status_code == 200
    assert draft.status == "sent"
    assert len(mail.outbox) == 1
    assert url("approvals-send", draft) not in again.content.decode()


def test_a_whatsapp_draft_is_marked_sent_by_hand_not_sent(
    founder_client: Client, customer: Any, operator: Any, founder: Any
) -> None:
    draft = make_draft(customer=customer, author=operator, channel="whatsapp", to="+966500000000")
    draft_approve(draft_id=draft.pk, approver=founder, now=timezone.now())

    html = founder_client.get(url("approvals-draft", draft)).content.decode()
    sent = founder_client.post(
        url("approvals-mark-sent", draft), {"note": "أُرسلت من جوال الشركة"}, headers=HX
    )
    forged_send = founder_client.post(url("approvals-send", draft), headers=HX)

    draft.refresh_from_db()
    assert url("approvals-mark-sent", draft) in html
    assert url("approvals-send", draft) not in html
    assert sent.status_code == 200
    assert draft.status == "sent_manually"
    assert draft.send_result == "أُرسلت من جوال الشركة"
    assert forged_send.status_code == 200  # sending twice has no second effect
    assert mail.outbox == []


def test_a_draft_through_an_unconnected_or_ingest_only_connector_shows_the_refusal(
    founder_client: Client, customer: Any, operator: Any, founder: Any
) -> None:
    whatsapp = CustomerConnector.objects.get(customer=customer, connector_key="whatsapp_cloud")
    linkedin = CustomerConnector.objects.get(customer=customer, connector_key="linkedin_lead_forms")
    set_connector(customer, "linkedin_lead_forms", actor=founder)
    unconnected = make_draft(
        customer=customer,
        author=operator,
        channel="whatsapp",
        to="+966500000001",
        connector_id=whatsapp.pk,
    )
    ingest = make_draft(
        customer=customer, author=operator, channel="email", to="a@b.sa", connector_id=linkedin.pk
    )
    for draft in (unconnected, ingest):
        draft_approve(draft_id=draft.pk, approver=founder, now=timezone.now())

    unconnected_html = founder_client.get(url("approvals-draft", unconnected)).content.decode()
    ingest_html = founder_client.get(url("approvals-draft", ingest)).content.decode()
    forced = founder_client.post(url("approvals-mark-sent", ingest), headers=HX)

    assert "غير متصلة" in unconnected_html
    assert "للاستقبال فقط" in ingest_html
    for html, draft in ((unconnected_html, unconnected), (ingest_html, ingest)):
        assert url("approvals-send", draft) not in html
        assert url("approvals-mark-sent", draft) not in html
    assert forced.status_code == 422
    assert "للاستقبال فقط" in forced.content.decode()


def test_tabs_filter_by_status_count_each_tab_and_push_the_url(
    founder_client: Client, customer: Any, operator: Any, founder: Any
) -> None:
    pending = make_draft(customer=customer, author=operator, subject="معلقة")
    approved = make_draft(customer=customer, author=operator, subject="معتمدة")
    draft_approve(draft_id=approved.pk, approver=founder, now=timezone.now())

    response = founder_client.get(reverse("approvals-inbox"), {"status": "approved"}, headers=HX)

    html = response.content.decode()
    tabs = {tab["value"]: tab["count"] for tab in response.context["tabs"]}
    assert html.lstrip().startswith('<div id="approvals"')
    assert "<html" not in html
    assert [card.draft.pk for card in response.context["cards"]] == [approved.pk]
    assert pending.subject not in html
    assert tabs == {"pending": 1, "approved": 1, "rejected": 0, "sent": 0, "all": 2}
    assert 'hx-push-url="true"' in html


def test_tabs_refresh_alone_after_a_change(
    founder_client: Client, customer: Any, operator: Any
) -> None:
    make_draft(customer=customer, author=operator)

    response = founder_client.get(
        reverse("approvals-inbox"), headers={**HX, "HX-Target": "approvals-tabs"}
    )

    assert response.content.decode().lstrip().startswith('<nav id="approvals-tabs"')


def test_inbox_filters_by_customer(
    founder_client: Client, customer: Any, operator: Any, founder: Any
) -> None:
    other = make_customer(actor=founder, name="عميل آخر")
    mine = make_draft(customer=customer, author=operator)
    make_draft(customer=other, author=operator)

    response = founder_client.get(
        reverse("approvals-inbox"), {"customer": customer.pk, "status": "all"}
    )

    assert [card.draft.pk for card in response.context["cards"]] == [mine.pk]
    assert f"customer={customer.pk}" in response.context["tabs"][0]["url"]


def test_inbox_query_count_is_the_same_for_2_and_20_drafts(
    founder_client: Client,
    customer: Any,
    operator: Any,
    founder: Any,
    django_assert_num_queries: Any,
) -> None:
    for _ in range(2):
        make_draft(customer=customer, author=operator)
    with CaptureQueriesContext(connection) as small:
        founder_client.get(reverse("approvals-inbox"), {"status": "all"})
    other = make_customer(actor=founder, name="عميل ثانٍ")
    for index in range(18):
        draft = make_draft(customer=other if index % 2 else customer, author=operator)
        if index % 3 == 0:
            draft_approve(draft_id=draft.pk, approver=founder, now=timezone.now())

    with django_assert_num_queries(len(small.captured_queries)):
        response = founder_client.get(reverse("approvals-inbox"), {"status": "all"})

    assert len(response.context["cards"]) == 10  # one page
    assert response.context["page_obj"].paginator.count == 20


def test_draft_page_shows_the_card_and_its_history(
    operator_client: Client, customer: Any, operator: Any, founder: Any
) -> None:
    draft = make_draft(customer=customer, author=operator)
    draft_approve(draft_id=draft.pk, approver=founder, now=timezone.now())

    response = operator_client.get(url("approvals-draft", draft))

    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="draft-{draft.pk}"' in html
    assert "كُتبت مسودة" in html
    assert "اعتُمدت مسودة" in html


def test_navigation_badge_counts_pending_drafts_for_founders_only(
    founder_client: Client, operator_client: Client, customer: Any, operator: Any
) -> None:
    make_draft(customer=customer, author=operator)
    make_draft(customer=customer, author=operator)

    founder_html = founder_client.get(reverse("home")).content.decode()
    badge = founder_client.get(reverse("approvals-badge"), headers=HX)
    operator_html = operator_client.get(reverse("home")).content.decode()

    assert 'id="nav-approvals-badge"' in founder_html
    assert badge.content.decode().strip().startswith('<span id="nav-approvals-badge"')
    assert ">2<" in badge.content.decode().replace(" ", "").replace("\n", "")
    assert 'id="nav-approvals-badge"' not in operator_html
    assert "مسوداتي" in operator_html
    assert operator_client.get(reverse("approvals-badge")).status_code == 403
