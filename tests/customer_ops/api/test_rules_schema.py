"""The OpenAPI schema documents every request and response field of the 20 rule endpoints."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.customer_ops.api.endpoints import ENDPOINTS

pytestmark = pytest.mark.django_db

SCHEMA_PATHS = {
    "onboarding/checklist": "onboarding/checklist",
    "onboarding/update-step": "onboarding/update-step",
    "onboarding/checklist/demo": "onboarding/checklist/demo",
    "support/first-response/P0": "support/first-response/{priority}",
    "incidents/response-plan/SEV1": "incidents/response-plan/{severity}",
}
# Fields the 200 response schema must list, per endpoint (nested ones as "parent.child").
RESPONSE_FIELDS: dict[str, set[str]] = {
    "onboarding/checklist": {"progress_pct", "current_step_id", "steps.completed", "steps.id"},
    "onboarding/update-step": {"progress_pct", "steps.completed_by", "live_send_allowed"},
    "onboarding/checklist/demo": {"estimated_total_minutes", "total_steps"},
    "connectors/catalog": {"total", "connectors.blocking", "connectors.phase"},
    "connectors/summary": {
        "ready_for_first_service",
        "blocking_missing",
        "by_state",
        "items.state",
    },
    "connectors/update": {"statuses"},
    "connectors/demo": {"ready_for_first_service", "connected_pct"},
    "support/priorities": {"priorities.first_response_minutes", "priorities.escalation_owner"},
    "support/classify": {"priority", "matched_keyword", "reason_ar"},
    "support/route": {"classification.matched_keyword", "sla.resolution_target_hours"},
    "support/first-response/{priority}": {"body_ar", "approval_required", "live_send_allowed"},
    "sla/event": {"ticket_id", "priority", "event", "ts"},
    "sla/classify-breach": {"breached", "breaches"},
    "sla/health-report": {"verdict", "breach_rate", "by_priority"},
    "sla/health-report/demo": {"verdict", "total_breached"},
    "incidents/triage": {"severity", "severity_details.first_action_minutes", "reason_ar"},
    "incidents/response-plan/{severity}": {"plan_ar", "approval_required", "live_send_allowed"},
    "cs/weekly-check-in": {"agenda_ar", "talking_points_ar", "live_send_allowed"},
    "cs/at-risk-alert": {"risk_score", "severity", "reasons_ar", "recommended_action_ar"},
    "cs/success-plan": {"cadence_ar", "default_cadence_type", "live_send_allowed"},
}
# Fields each request body schema must list.
REQUEST_FIELDS: dict[str, set[str]] = {
    "onboarding/checklist": {"customer_id", "company_name", "bundle_id"},
    "onboarding/update-step": {"customer_id", "checklist", "step_id", "completed", "notes"},
    "connectors/summary": {"customer_id", "statuses"},
    "connectors/update": {"customer_id", "statuses", "connector_key", "state", "notes"},
    "support/classify": {"text"},
    "support/route": {"text", "customer_id", "contact_email"},
    "sla/event": {"ticket_id", "priority", "event"},
    "sla/classify-breach": {"priority", "minutes_to_first_response", "hours_to_resolve"},
    "sla/health-report": {"tickets"},
    "incidents/triage": {
        "title",
        "description",
        "affected_customers",
        "has_data_leak",
        "has_unauthorized_send",
    },
    "cs/weekly-check-in": {"customer_id", "company_name", "metrics"},
    "cs/at-risk-alert": {
        "customer_id",
        "days_inactive",
        "drafts_pending",
        "last_proof_pack_days_ago",
    },
    "cs/success-plan": {"customer_id", "bundle_id"},
}


_FETCHED: dict[str, dict[str, Any]] = {}


@pytest.fixture
def schema(operator_api: APIClient) -> dict[str, Any]:
    """The schema as a staff member gets it, fetched once per run (generating it takes ~1 s)."""
    if "schema" not in _FETCHED:
        response = operator_api.get("/api/schema/?format=json")
        assert response.status_code == 200
        _FETCHED["schema"] = response.json()
    return _FETCHED["schema"]


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node or "allOf" in node:
        if "$ref" in node:
            node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
        else:
            node = node["allOf"][0]
    return node


def _fields(schema: dict[str, Any], node: dict[str, Any], prefix: str = "") -> set[str]:
    """Every property name, nested ones (objects, arrays of objects) as "parent.child"."""
    node = _resolve(schema, node)
    if node.get("type") == "array":
        return _fields(schema, node["items"], prefix)
    names: set[str] = set()
    for name, prop in node.get("properties", {}).items():
        names.add(prefix + name)
        names |= _fields(schema, prop, f"{prefix}{name}.")
    return names


def _operation(schema: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    full = "/api/v1/customer-ops/" + SCHEMA_PATHS.get(path, path)
    assert full in schema["paths"], full
    return schema["paths"][full][method]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_schema_documents_the_endpoint(schema: dict[str, Any], method: str, path: str) -> None:
    operation = _operation(schema, method, path)
    key = SCHEMA_PATHS.get(path, path)

    assert operation["tags"] == ["customer-ops"]
    assert operation["summary"]
    response = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert RESPONSE_FIELDS[key] <= _fields(schema, response)
    if method == "post":
        request = operation["requestBody"]["content"]["application/json"]["schema"]
        assert REQUEST_FIELDS[key] <= _fields(schema, request)
        assert "400" in operation["responses"]
    else:
        assert "requestBody" not in operation


def test_schema_has_exactly_the_20_rule_operations(schema: dict[str, Any]) -> None:
    operations = [
        (method, path)
        for path, item in schema["paths"].items()
        if path.startswith("/api/v1/customer-ops/")
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    ]

    assert len(operations) == 20


def test_schema_lists_the_enums_and_error_codes(schema: dict[str, Any]) -> None:
    update = _operation(schema, "post", "connectors/update")
    request = _resolve(schema, update["requestBody"]["content"]["application/json"]["schema"])
    state = _resolve(schema, request["properties"]["state"])
    plan = _operation(schema, "get", "incidents/response-plan/SEV1")
    parameter = next(p for p in plan["parameters"] if p["name"] == "severity")

    assert "connected_draft_only" in state["enum"]
    assert "409" in update["responses"]
    assert parameter["schema"]["enum"] == ["SEV1", "SEV2", "SEV3"]
    assert "404" in plan["responses"]
