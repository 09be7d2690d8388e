"""GET /support/priorities, POST /support/classify, POST /support/route, GET /support/first-response."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.customer_ops.api.endpoints import assert_400

pytestmark = pytest.mark.django_db


# ── GET /support/priorities ──────────────────────────────────────────────────────────────────────
def test_priorities_are_the_4_tiers(get: Callable[..., Any]) -> None:
    response = get("support/priorities")

    assert response.status_code == 200
    priorities = response.json()["priorities"]
    assert [
        (p["id"], p["first_response_minutes"], p["resolution_target_hours"], p["escalation_owner"])
        for p in priorities
    ] == [
        ("P0", 30, 4, "founder"),
        ("P1", 120, 24, "operator_oncall"),
        ("P2", 480, 72, "operator_oncall"),
        ("P3", 1440, 168, "operator_team"),
    ]
    assert all(p["label_ar"] for p in priorities)


# ── POST /support/classify ───────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize(
    ("text", "priority", "keyword"),
    [
        ("اكتشفت تسريب في trace logs", "P0", "تسريب"),
        ("Dealix أرسل رسالة بدون موافقتي", "P0", "بدون موافقتي"),
        ("Pilot stopped working today", "P1", "Pilot stopped"),
        ("My Gmail connector won't authenticate", "P2", "connector"),
        ("GMAIL sync is slow", "P2", "Gmail"),
    ],
)
def test_classify_the_original_examples(
    post: Callable[..., Any], text: str, priority: str, keyword: str
) -> None:
    response = post("support/classify", {"text": text})

    assert response.status_code == 200
    body = response.json()
    assert body["priority"] == priority
    assert body["matched_keyword"] == keyword
    assert keyword in body["reason_ar"]


@pytest.mark.parametrize("text", ["سؤال بسيط عن الأسعار", "", "   "])
def test_classify_defaults_to_p3_without_a_keyword(post: Callable[..., Any], text: str) -> None:
    body = post("support/classify", {"text": text}).json()

    assert body["priority"] == "P3"
    assert "matched_keyword" not in body
    assert body["reason_ar"]


def test_classify_with_an_empty_object_is_p3(post: Callable[..., Any]) -> None:
    response = post("support/classify", {})

    assert response.status_code == 200
    assert response.json()["priority"] == "P3"


@pytest.mark.parametrize("text", [5, None, ["leak"], {"t": 1}, True])
def test_classify_refuses_text_that_is_not_text(post: Callable[..., Any], text: Any) -> None:
    assert_400(post("support/classify", {"text": text}), "text")


# ── POST /support/route ──────────────────────────────────────────────────────────────────────────
def test_route_attaches_sla_and_first_response(post: Callable[..., Any]) -> None:
    response = post(
        "support/route",
        {"text": "تسريب أمان", "customer_id": "c-7", "contact_email": "ops@client.sa"},
    )

    assert response.status_code == 200
    body = response.json()
    assert body["customer_id"] == "c-7"
    assert body["contact_email"] == "ops@client.sa"
    assert body["priority"] == "P0"
    assert body["classification"]["priority"] == "P0"
    assert body["classification"]["matched_keyword"] == "أمان"
    assert body["sla"]["first_response_minutes"] == 30
    assert body["sla"]["escalation_owner"] == "founder"
    assert body["first_response_template"]["priority"] == "P0"
    assert "30 دقيقة" in body["first_response_template"]["body_ar"]
    assert body["first_response_template"]["approval_required"] is True
    assert body["first_response_template"]["live_send_allowed"] is False
    assert body["approval_required"] is True
    assert body["live_send_allowed"] is False


def test_route_defaults(post: Callable[..., Any]) -> None:
    body = post("support/route", {}).json()

    assert (body["customer_id"], body["contact_email"], body["priority"]) == ("", "", "P3")
    assert body["sla"]["first_response_minutes"] == 1440


@pytest.mark.parametrize(
    ("field", "value"), [("text", 1), ("contact_email", "not-an-email"), ("customer_id", False)]
)
def test_route_refuses_bad_fields(post: Callable[..., Any], field: str, value: Any) -> None:
    assert_400(post("support/route", {"text": "x", field: value}), field)


# ── GET /support/first-response/{priority} ───────────────────────────────────────────────────────
@pytest.mark.parametrize(
    ("priority", "fragment"),
    [("P0", "30 دقيقة"), ("P1", "ساعتين"), ("P2", "8 ساعات عمل"), ("P3", "'حرج'")],
)
def test_first_response_template(get: Callable[..., Any], priority: str, fragment: str) -> None:
    response = get(f"support/first-response/{priority}")

    assert response.status_code == 200
    body = response.json()
    assert body["priority"] == priority
    assert fragment in body["body_ar"]
    assert body["approval_required"] is True
    assert body["live_send_allowed"] is False


@pytest.mark.parametrize("priority", ["P9", "p0", "P", "urgent"])
def test_first_response_for_an_unknown_priority_is_404(
    get: Callable[..., Any], priority: str
) -> None:
    response = get(f"support/first-response/{priority}")

    assert response.status_code == 404
    body = response.json()
    assert body["error"] == f"unknown priority: {priority}"
    assert body["error_ar"]
