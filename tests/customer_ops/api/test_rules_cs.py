"""POST /cs/weekly-check-in, POST /cs/at-risk-alert, POST /cs/success-plan."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.customer_ops.api.endpoints import assert_400

pytestmark = pytest.mark.django_db


# ── POST /cs/weekly-check-in ─────────────────────────────────────────────────────────────────────
def test_weekly_check_in(post: Callable[..., Any]) -> None:
    metrics = {
        "drafts_approved": 12,
        "replies": 4,
        "meetings": 2,
        "risks_blocked": 3,
        "pipeline_sar": 45000.6,
    }

    response = post(
        "cs/weekly-check-in",
        {"customer_id": "c-1", "company_name": "شركة نمو", "metrics": metrics},
    )

    assert response.status_code == 200
    body = response.json()
    assert body["customer_id"] == "c-1"
    assert body["company_name"] == "شركة نمو"
    assert body["type"] == "weekly_check_in"
    assert len(body["agenda_ar"]) == 5
    points = body["talking_points_ar"]
    assert len(points) == 4
    assert "12" in points[0]
    assert "4" in points[0]
    assert points[1] == "تم تجهيز اجتماعين."
    assert "3" in points[2]
    assert "Pipeline" in points[3]
    assert "45,001 ريال" in points[3]
    assert body["approval_required"] is True
    assert body["live_send_allowed"] is False


def test_weekly_check_in_without_a_body(post: Callable[..., Any]) -> None:
    response = post("cs/weekly-check-in")

    assert response.status_code == 200
    assert any("Pipeline" in point for point in response.json()["talking_points_ar"])


@pytest.mark.parametrize(
    ("metrics", "field"),
    [
        ({"replies": "4"}, "metrics.replies"),
        ({"meetings": -1}, "metrics.meetings"),
        ({"drafts_approved": 1.5}, "metrics.drafts_approved"),
        ({"pipeline_sar": "45000"}, "metrics.pipeline_sar"),
        ({"pipeline_sar": -10}, "metrics.pipeline_sar"),
        ([1, 2], "metrics.non_field_errors"),
    ],
)
def test_weekly_check_in_refuses_bad_metrics(
    post: Callable[..., Any], metrics: Any, field: str
) -> None:
    assert_400(post("cs/weekly-check-in", {"metrics": metrics}), field)


# ── POST /cs/at-risk-alert ───────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize(
    ("days_inactive", "drafts_pending", "proof_days", "score", "severity"),
    [
        (20, 15, 21, 95, "high"),
        (2, 1, 3, 0, "low"),
        (7, 5, 0, 30, "medium"),
        (14, 0, 0, 40, "medium"),
        (7, 0, 14, 50, "medium"),
        (0, 0, 14, 30, "medium"),
    ],
)
def test_at_risk_alert_worked_values(
    post: Callable[..., Any],
    days_inactive: int,
    drafts_pending: int,
    proof_days: int,
    score: int,
    severity: str,
) -> None:
    response = post(
        "cs/at-risk-alert",
        {
            "customer_id": "c-3",
            "days_inactive": days_inactive,
            "drafts_pending": drafts_pending,
            "last_proof_pack_days_ago": proof_days,
        },
    )

    assert response.status_code == 200
    body = response.json()
    assert body["risk_score"] == score
    assert body["severity"] == severity
    assert body["customer_id"] == "c-3"
    assert body["type"] == "at_risk_alert"
    assert body["recommended_action_ar"]
    assert body["approval_required"] is True
    assert body["live_send_allowed"] is False


def test_at_risk_alert_high_lists_the_reasons(post: Callable[..., Any]) -> None:
    body = post(
        "cs/at-risk-alert",
        {"days_inactive": 20, "drafts_pending": 15, "last_proof_pack_days_ago": 21},
    ).json()

    assert len(body["reasons_ar"]) == 3
    assert "20" in body["reasons_ar"][0]


def test_at_risk_alert_without_a_body_is_low(post: Callable[..., Any]) -> None:
    body = post("cs/at-risk-alert").json()

    assert (body["risk_score"], body["severity"], body["reasons_ar"]) == (0, "low", [])


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("days_inactive", "20"),
        ("drafts_pending", -3),
        ("last_proof_pack_days_ago", None),
        ("days_inactive", True),
    ],
)
def test_at_risk_alert_refuses_bad_values(post: Callable[..., Any], field: str, value: Any) -> None:
    assert_400(post("cs/at-risk-alert", {field: value}), field)


# ── POST /cs/success-plan ────────────────────────────────────────────────────────────────────────
def test_success_plan_growth_starter_by_default(post: Callable[..., Any]) -> None:
    response = post("cs/success-plan", {"customer_id": "c-1"})

    assert response.status_code == 200
    body = response.json()
    assert body["customer_id"] == "c-1"
    assert body["bundle_id"] == "growth_starter"
    assert len(body["cadence_ar"]) == 5
    assert body["cadence_ar"][0].startswith("Day 1")
    assert body["cadence_ar"][-1].startswith("Day 30")
    assert body["default_cadence_type"] == "weekly_check_in"
    assert body["approval_required"] is True
    assert body["live_send_allowed"] is False


def test_success_plan_executive_has_the_founder_shadow_board(post: Callable[..., Any]) -> None:
    body = post("cs/success-plan", {"bundle_id": "executive_growth_os"}).json()

    assert any("Founder Shadow Board" in line for line in body["cadence_ar"])


@pytest.mark.parametrize("bundle_id", ["data_to_revenue", "full_growth_control_tower"])
def test_success_plan_every_bundle_has_its_own_plan(
    post: Callable[..., Any], bundle_id: str
) -> None:
    growth = post("cs/success-plan", {}).json()["cadence_ar"]

    body = post("cs/success-plan", {"bundle_id": bundle_id}).json()

    assert body["bundle_id"] == bundle_id
    assert body["cadence_ar"] != growth


def test_success_plan_without_a_body(post: Callable[..., Any]) -> None:
    response = post("cs/success-plan")

    assert response.status_code == 200
    assert response.json()["bundle_id"] == "growth_starter"


@pytest.mark.parametrize("bundle_id", ["platinum", "Growth Starter", "", None, 3])
def test_success_plan_refuses_an_unknown_bundle(post: Callable[..., Any], bundle_id: Any) -> None:
    assert_400(post("cs/success-plan", {"bundle_id": bundle_id}), "bundle_id")
