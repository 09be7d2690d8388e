"""The rule endpoints under test and a check of the project's 400 shape."""

from __future__ import annotations

from typing import Any

BASE = "/api/v1/customer-ops/"

# Every endpoint of SPEC_RULES §8: (method, path under BASE).
ENDPOINTS: list[tuple[str, str]] = [
    ("post", "onboarding/checklist"),
    ("post", "onboarding/update-step"),
    ("get", "onboarding/checklist/demo"),
    ("get", "connectors/catalog"),
    ("post", "connectors/summary"),
    ("post", "connectors/update"),
    ("get", "connectors/demo"),
    ("get", "support/priorities"),
    ("post", "support/classify"),
    ("post", "support/route"),
    ("get", "support/first-response/P0"),
    ("post", "sla/event"),
    ("post", "sla/classify-breach"),
    ("post", "sla/health-report"),
    ("get", "sla/health-report/demo"),
    ("post", "incidents/triage"),
    ("get", "incidents/response-plan/SEV1"),
    ("post", "cs/weekly-check-in"),
    ("post", "cs/at-risk-alert"),
    ("post", "cs/success-plan"),
]
POST_PATHS = [path for method, path in ENDPOINTS if method == "post"]
BODY_REQUIRED = [
    "onboarding/update-step",
    "connectors/update",
    "support/classify",
    "support/route",
    "sla/event",
    "sla/classify-breach",
    "incidents/triage",
]
BODY_OPTIONAL = [path for path in POST_PATHS if path not in BODY_REQUIRED]


def assert_400(response: Any, field: str | None = None) -> dict[str, Any]:
    """A 400 in the project's shape, blaming `field` when given."""
    assert response.status_code == 400, response.content
    body = response.json()
    assert {"error", "error_ar", "errors", "errors_ar"} <= body.keys()
    if field is not None:
        assert field in body["errors"], body
        assert field in body["errors_ar"], body
    return body
