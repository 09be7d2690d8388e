"""POST /incidents/triage and GET /incidents/response-plan/{severity}."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.customer_ops.api.endpoints import assert_400

pytestmark = pytest.mark.django_db


# ── POST /incidents/triage ───────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize(
    ("body", "severity"),
    [
        ({"has_data_leak": True}, "SEV1"),
        ({"has_unauthorized_send": True}, "SEV1"),
        ({"has_data_leak": True, "affected_customers": 0}, "SEV1"),
        ({"affected_customers": 10}, "SEV2"),
        ({"affected_customers": 5}, "SEV2"),
        ({"affected_customers": 4}, "SEV3"),
        ({"affected_customers": 1}, "SEV3"),
        ({"affected_customers": 0}, "SEV3"),
        ({}, "SEV3"),
    ],
)
def test_triage_severity(post: Callable[..., Any], body: dict[str, Any], severity: str) -> None:
    response = post("incidents/triage", {"title": "حادثة", **body})

    assert response.status_code == 200
    assert response.json()["severity"] == severity


def test_triage_output(post: Callable[..., Any]) -> None:
    response = post(
        "incidents/triage",
        {
            "title": "t" * 150,
            "description": "d" * 600,
            "affected_customers": 5,
            "has_data_leak": False,
            "has_unauthorized_send": False,
        },
    )

    body = response.json()
    assert body["title"] == "t" * 120
    assert body["description"] == "d" * 500
    assert body["severity"] == "SEV2"
    assert "5 ≥ 5" in body["reason_ar"]
    assert body["severity_details"] == {
        "id": "SEV2",
        "label_ar": body["severity_details"]["label_ar"],
        "first_action_minutes": 30,
        "communication_cadence_minutes": 60,
    }
    assert body["affected_customers"] == 5
    assert body["has_data_leak"] is False
    assert body["has_unauthorized_send"] is False
    assert body["approval_required"] is True
    assert body["live_send_allowed"] is False


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("has_data_leak", "false"),
        ("has_data_leak", "true"),
        ("has_unauthorized_send", 1),
        ("has_unauthorized_send", None),
        ("affected_customers", "5"),
        ("affected_customers", "many"),
        ("affected_customers", -1),
        ("affected_customers", 2.5),
        ("title", 42),
        ("description", ["x"]),
    ],
)
def test_triage_refuses_bad_values(post: Callable[..., Any], field: str, value: Any) -> None:
    assert_400(post("incidents/triage", {"title": "x", field: value}), field)


def test_triage_string_false_is_never_sev1(post: Callable[..., Any]) -> None:
    response = post("incidents/triage", {"title": "x", "has_data_leak": "false"})

    assert response.status_code == 400


# ── GET /incidents/response-plan/{severity} ──────────────────────────────────────────────────────
@pytest.mark.parametrize(("severity", "steps"), [("SEV1", 8), ("SEV2", 7), ("SEV3", 7)])
def test_response_plan(get: Callable[..., Any], severity: str, steps: int) -> None:
    response = get(f"incidents/response-plan/{severity}")

    assert response.status_code == 200
    body = response.json()
    assert body["severity"] == severity
    assert len(body["plan_ar"]) == steps
    assert body["plan_ar"][0].startswith("1. ")
    assert "PDPL" in " ".join(body["plan_ar"])
    assert body["approval_required"] is True
    assert body["live_send_allowed"] is False


@pytest.mark.parametrize("severity", ["SEV9", "sev1", "SEV", "critical"])
def test_response_plan_for_an_unknown_severity_is_404(
    get: Callable[..., Any], severity: str
) -> None:
    response = get(f"incidents/response-plan/{severity}")

    assert response.status_code == 404
    body = response.json()
    assert body["error"] == f"unknown severity: {severity}"
    assert body["error_ar"]
