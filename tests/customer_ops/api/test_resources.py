from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from rest_framework.test import APIClient

from customer_ops.models import Customer, LedgerEntry, OutboundDraft

pytestmark = pytest.mark.django_db


def create_customer(api: APIClient, **extra: Any) -> dict[str, Any]:
    response = api.post(
        "/api/v1/customers/",
        {"company_name": "شركة واجهة البرمجة", "bundle": "data_to_revenue", **extra},
        format="json",
    )
    assert response.status_code == 201, response.json()
    return response.json()


def create_draft(api: APIClient, customer_id: int, **extra: Any) -> dict[str, Any]:
    body = {
        "customer": customer_id,
        "channel": "email",
        "to": "client@example.sa",
        "subject": "متابعة",
        "body": "هلا، هذه خطة الأسبوع القادم.",
        **extra,
    }
    response = api.post("/api/v1/drafts/", body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_customer_create_needs_only_name_and_bundle(operator_api: APIClient) -> None:
    body = create_customer(operator_api)

    assert body["company_name"] == "شركة واجهة البرمجة"
    assert isinstance(body["id"], int)
    assert (
        operator_api.get(f"/api/v1/customers/{body['id']}/").json()["bundle"] == "data_to_revenue"
    )


def test_customer_create_refuses_unknown_bundle_in_both_languages(operator_api: APIClient) -> None:
    response = operator_api.post(
        "/api/v1/customers/", {"company_name": "x", "bundle": "gold"}, format="json"
    )

    assert response.status_code == 400
    body = response.json()
    assert "bundle" in body["errors"]
    assert "bundle" in body["errors_ar"]
    assert body["errors"]["bundle"] != body["errors_ar"]["bundle"]
    assert Customer.objects.count() == 0


def test_customer_update_is_recorded(operator_api: APIClient) -> None:
    customer = create_customer(operator_api)

    response = operator_api.patch(
        f"/api/v1/customers/{customer['id']}/", {"city": "الدمام"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["city"] == "الدمام"
    entry = LedgerEntry.objects.get(verb="customers.updated")
    assert entry.before == {"city": ""} and entry.after == {"city": "الدمام"}


def test_onboarding_endpoint_reads_and_ticks(operator_api: APIClient) -> None:
    customer = create_customer(operator_api)
    url = f"/api/v1/customers/{customer['id']}/onboarding/"

    fresh = operator_api.get(url).json()
    ticked = operator_api.post(url, {"step_id": "select_goal", "completed": True}, format="json")
    bogus = operator_api.post(url, {"step_id": "bogus_step"}, format="json")

    assert fresh["total_steps"] == 8 and fresh["progress_pct"] == 0.0
    assert ticked.status_code == 200
    assert ticked.json()["progress_pct"] == 12.5
    assert ticked.json()["current_step_id"] == "select_bundle"
    assert bogus.status_code == 400
    assert "step_id" in bogus.json()["errors"]


def test_connectors_endpoint_moves_along_the_table(operator_api: APIClient) -> None:
    customer = create_customer(operator_api)
    url = f"/api/v1/customers/{customer['id']}/connectors/"

    illegal = operator_api.post(
        url, {"connector_key": "gmail", "state": "connected_draft_only"}, format="json"
    )
    legal = operator_api.post(
        url, {"connector_key": "gmail", "state": "configuring"}, format="json"
    )

    assert illegal.status_code == 409
    assert legal.status_code == 200
    assert legal.json()["by_state"]["configuring"] == 1
    assert operator_api.get(url).json()["total_connectors"] == 11


def test_progress_link_create_and_revoke(operator_api: APIClient, client: Any) -> None:
    customer = create_customer(operator_api)
    url = f"/api/v1/customers/{customer['id']}/progress-link/"

    created = operator_api.post(url)
    link_path = "/" + created.json()["url"].split("://", 1)[1].split("/", 1)[1]
    shown = client.get(link_path)
    revoked = operator_api.delete(url)

    assert created.status_code == 201
    assert "expires_at" in created.json()
    assert shown.status_code == 200
    assert revoked.status_code == 204
    assert client.get(link_path).status_code == 404


def test_draft_flow_through_the_api(operator_api: APIClient, founder_api: APIClient) -> None:
    customer = create_customer(operator_api)
    draft = create_draft(operator_api, customer["id"])
    base = f"/api/v1/drafts/{draft['id']}"

    operator_approve = operator_api.post(f"{base}/approve/")
    approved = founder_api.post(f"{base}/approve/")
    sent = operator_api.post(f"{base}/send/")
    sent_again = operator_api.post(f"{base}/send/")

    assert draft["status"] == "pending"
    assert operator_approve.status_code == 403
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert sent.status_code == 200 and sent.json()["status"] == "sent"
    assert sent_again.status_code == 200
    assert len(mail.outbox) == 1


def test_founder_cannot_approve_own_draft_via_api(founder_api: APIClient) -> None:
    customer = create_customer(founder_api)
    draft = create_draft(founder_api, customer["id"])

    response = founder_api.post(f"/api/v1/drafts/{draft['id']}/approve/")

    assert response.status_code in (400, 403)
    assert OutboundDraft.objects.get().status == "pending"


def test_edit_after_approval_sends_back_to_pending(
    operator_api: APIClient, founder_api: APIClient
) -> None:
    customer = create_customer(operator_api)
    draft = create_draft(operator_api, customer["id"])
    founder_api.post(f"/api/v1/drafts/{draft['id']}/approve/")

    edited = operator_api.patch(
        f"/api/v1/drafts/{draft['id']}/", {"body": "نص معدل"}, format="json"
    )
    send = operator_api.post(f"/api/v1/drafts/{draft['id']}/send/")

    assert edited.json()["status"] == "pending"
    assert send.status_code == 409
    assert mail.outbox == []


def test_claims_finding_blocks_approval_via_api(
    operator_api: APIClient, founder_api: APIClient
) -> None:
    customer = create_customer(operator_api)
    draft = create_draft(operator_api, customer["id"], body="نتائج مضمونة 100% خلال أسبوع")

    response = founder_api.post(f"/api/v1/drafts/{draft['id']}/approve/")

    assert response.status_code == 400
    assert "prohibited" in response.json()["error"]
    assert OutboundDraft.objects.get().status == "pending"


def test_reject_and_mark_sent(operator_api: APIClient, founder_api: APIClient) -> None:
    customer = create_customer(operator_api)
    wa = create_draft(operator_api, customer["id"], channel="whatsapp", to="+966500000001")
    rejected_without_reason = founder_api.post(
        f"/api/v1/drafts/{wa['id']}/reject/", {}, format="json"
    )
    founder_api.post(f"/api/v1/drafts/{wa['id']}/approve/")

    marked = operator_api.post(
        f"/api/v1/drafts/{wa['id']}/mark-sent/", {"note": "أرسلت من جوال الشركة"}, format="json"
    )

    assert rejected_without_reason.status_code == 400
    assert marked.json()["status"] == "sent_manually"


def test_ledger_is_read_only_and_filterable(operator_api: APIClient) -> None:
    customer = create_customer(operator_api)

    listed = operator_api.get(
        "/api/v1/ledger/", {"object_type": "customer", "object_id": customer["id"]}
    )
    post = operator_api.post("/api/v1/ledger/", {}, format="json")

    assert listed.status_code == 200
    assert [row["verb"] for row in listed.json()["results"]] == ["customers.created"]
    assert post.status_code == 405


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/v1/customers/"),
        ("post", "/api/v1/customers/"),
        ("get", "/api/v1/drafts/"),
        ("post", "/api/v1/drafts/1/approve/"),
        ("get", "/api/v1/ledger/"),
    ],
)
def test_anonymous_callers_are_refused(anon_api: APIClient, method: str, url: str) -> None:
    response = getattr(anon_api, method)(url)

    assert response.status_code in (401, 403)


def test_schema_and_docs_need_a_staff_caller(anon_api: APIClient, operator_api: APIClient) -> None:
    assert anon_api.get("/api/schema/").status_code in (401, 403)
    assert anon_api.get("/api/docs/").status_code in (401, 403)
    assert operator_api.get("/api/schema/").status_code == 200


def test_malformed_json_is_a_bilingual_400(operator_api: APIClient) -> None:
    response = operator_api.post(
        "/api/v1/customers/", data="{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["error"]
    assert response.json()["error_ar"]


def test_a_body_over_one_megabyte_is_refused_with_413(operator_api: APIClient) -> None:
    huge = '{"text": "' + "ا" * (600 * 1024) + '"}'  # ~1.2 MB of UTF-8

    response = operator_api.post(
        "/api/v1/positioning/check-claims", data=huge, content_type="application/json"
    )

    assert response.status_code == 413
    assert response.json()["error_ar"]
