"""The OpenAPI schema documents every request and response field of the 20 rule endpoints."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from rest_framework.test import APIClient

from tests.customer_ops.api.endpoints import ENDPOINTS
from tests.factories import make_customer

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


# ── Real responses against the published schema ─────────────────────────────────────────────────
def _strict(node: Any) -> Any:
    """OpenAPI 3.0 → JSON Schema: `nullable` as a null alternative, documented objects closed."""
    if isinstance(node, list):
        return [_strict(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _strict(value) for key, value in node.items() if key != "nullable"}
    if "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    if node.get("nullable"):
        return {"anyOf": [out, {"type": "null"}]}
    return out


CALLS: list[tuple[str, str, Any]] = [
    ("post", "onboarding/checklist", {"customer_id": "c", "bundle_id": "growth_starter"}),
    ("post", "onboarding/checklist", None),
    ("get", "onboarding/checklist/demo", None),
    ("get", "connectors/catalog", None),
    ("post", "connectors/summary", {"statuses": {"gmail": {"state": "connected_draft_only"}}}),
    ("post", "connectors/update", {"connector_key": "gmail", "state": "configuring"}),
    ("get", "connectors/demo", None),
    ("get", "support/priorities", None),
    ("post", "support/classify", {"text": "تسريب بيانات"}),
    ("post", "support/classify", {"text": "سؤال عن الأسعار"}),
    ("post", "support/route", {"text": "Gmail لا يعمل", "contact_email": "a@b.sa"}),
    ("get", "support/first-response/P1", None),
    ("post", "sla/event", {"ticket_id": "T-1", "event": "escalated"}),
    ("post", "sla/classify-breach", {"priority": "P0", "minutes_to_first_response": 45}),
    ("post", "sla/health-report", {"tickets": [{"priority": "P1"}, {"first_response_min": 9}]}),
    ("get", "sla/health-report/demo", None),
    ("post", "incidents/triage", {"title": "x", "affected_customers": 7}),
    ("get", "incidents/response-plan/SEV2", None),
    ("post", "cs/weekly-check-in", {"metrics": {"replies": 3}}),
    ("post", "cs/at-risk-alert", {"days_inactive": 9}),
    ("post", "cs/success-plan", {"bundle_id": "data_to_revenue"}),
]


def _template(path: str) -> str:
    """The schema's path for a concrete one ("support/first-response/P1" → "…/{priority}")."""
    for prefix, parameter in (
        ("support/first-response/", "{priority}"),
        ("incidents/response-plan/", "{severity}"),
    ):
        if path.startswith(prefix):
            return prefix + parameter
    return path


def _validate(schema: dict[str, Any], method: str, path: str, body: Any) -> None:
    operation = _operation(schema, method, path)
    response_schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    document = {
        **_strict(response_schema),
        "components": {"schemas": _strict(schema["components"]["schemas"])},
    }
    jsonschema.validate(body, document)


@pytest.mark.parametrize(("method", "path", "body"), CALLS)
def test_responses_match_the_published_schema(
    schema: dict[str, Any], operator_api: APIClient, method: str, path: str, body: Any
) -> None:
    url = "/api/v1/customer-ops/" + path
    if method == "get":
        response = operator_api.get(url)
    elif body is None:
        response = operator_api.post(url)
    else:
        response = operator_api.post(url, body, format="json")

    assert response.status_code == 200, response.content
    _validate(schema, method, _template(path), response.json())


def test_stored_responses_match_the_published_schema(
    schema: dict[str, Any], operator_api: APIClient, founder: Any
) -> None:
    customer = make_customer(actor=founder)
    base = "/api/v1/customer-ops/"

    step = operator_api.post(
        base + "onboarding/update-step",
        {"customer_id": customer.pk, "step_id": "select_bundle", "notes": "ok"},
        format="json",
    )
    moved = operator_api.post(
        base + "connectors/update",
        {"customer_id": customer.pk, "connector_key": "gmail", "state": "configuring"},
        format="json",
    )

    assert step.status_code == 200
    assert moved.status_code == 200
    _validate(schema, "post", "onboarding/update-step", step.json())
    _validate(schema, "post", "connectors/update", moved.json())


def test_the_schema_is_closed_enough_to_catch_an_undocumented_key(schema: dict[str, Any]) -> None:
    with pytest.raises(jsonschema.ValidationError):
        _validate(
            schema,
            "get",
            "incidents/response-plan/SEV1",
            {
                "severity": "SEV1",
                "plan_ar": [],
                "approval_required": True,
                "live_send_allowed": False,
                "surprise": 1,
            },
        )
