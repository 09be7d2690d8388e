"""What all 20 rule endpoints share: staff only, JSON-object bodies, safety flags on drafts."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.customer_ops.api.endpoints import (
    BASE,
    BODY_OPTIONAL,
    BODY_REQUIRED,
    ENDPOINTS,
    POST_PATHS,
    assert_400,
)

pytestmark = pytest.mark.django_db


def test_there_are_20_endpoints() -> None:
    assert len(ENDPOINTS) == 20
    assert len(set(ENDPOINTS)) == 20


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_anonymous_callers_are_refused(anon_api: APIClient, method: str, path: str) -> None:
    response = getattr(anon_api, method)(BASE + path, {}, format="json")

    assert response.status_code in (401, 403)
    assert "error" in response.json()


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_signed_in_non_staff_users_are_refused(
    make_user: Callable[..., Any], method: str, path: str
) -> None:
    client = APIClient()
    client.force_authenticate(make_user("customer-contact"))

    response = getattr(client, method)(BASE + path, {}, format="json")

    assert response.status_code == 403


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_founders_may_call_every_endpoint(founder_api: APIClient, method: str, path: str) -> None:
    body = {"connector_key": "gmail", "step_id": "select_goal", "checklist": {"steps": []}}
    if path == "onboarding/update-step":
        body["checklist"] = founder_api.post(BASE + "onboarding/checklist").json()

    response = getattr(founder_api, method)(BASE + path, body, format="json")

    assert response.status_code == 200, response.content


@pytest.mark.parametrize("path", BODY_REQUIRED)
def test_body_required_endpoints_refuse_no_body(post: Callable[..., Any], path: str) -> None:
    body = assert_400(post(path), "non_field_errors")

    assert body["error"] == "a JSON object body is required"


@pytest.mark.parametrize("path", BODY_OPTIONAL)
def test_body_optional_endpoints_accept_no_body(post: Callable[..., Any], path: str) -> None:
    assert post(path).status_code == 200


@pytest.mark.parametrize("path", POST_PATHS)
@pytest.mark.parametrize("body", [[1, 2], [], "text", 3, None])
def test_a_body_that_is_not_a_json_object_is_400(
    operator_api: APIClient, path: str, body: Any
) -> None:
    response = operator_api.post(BASE + path, json.dumps(body), content_type="application/json")

    result = assert_400(response, "non_field_errors")
    assert result["error"] == "the request body must be a JSON object"


@pytest.mark.parametrize("path", POST_PATHS)
def test_malformed_json_is_400_with_an_error(operator_api: APIClient, path: str) -> None:
    response = operator_api.post(BASE + path, '{"text": ', content_type="application/json")

    assert response.status_code == 400
    assert "JSON parse error" in response.json()["error"]


@pytest.mark.parametrize("path", POST_PATHS)
def test_form_bodies_are_not_accepted(operator_api: APIClient, path: str) -> None:
    response = operator_api.post(BASE + path, {"text": "x"}, format="multipart")

    assert response.status_code == 415
    assert "error" in response.json()


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "support/route", {"text": "تسريب"}),
        ("get", "support/first-response/P2", None),
        ("post", "incidents/triage", {"has_data_leak": True}),
        ("get", "incidents/response-plan/SEV2", None),
        ("post", "cs/weekly-check-in", {}),
        ("post", "cs/at-risk-alert", {"days_inactive": 30}),
        ("post", "cs/success-plan", {"bundle_id": "partnership_growth"}),
    ],
)
def test_every_template_plan_alert_and_draft_needs_approval_and_is_never_live(
    operator_api: APIClient, method: str, path: str, body: Any
) -> None:
    if method == "get":
        response = operator_api.get(BASE + path)
    else:
        response = operator_api.post(BASE + path, body, format="json")

    data = response.json()
    assert data["approval_required"] is True
    assert data["live_send_allowed"] is False


@pytest.mark.parametrize("path", ["support/first-response/P0", "incidents/response-plan/SEV1"])
def test_path_endpoints_refuse_post(operator_api: APIClient, path: str) -> None:
    response = operator_api.post(BASE + path, {}, format="json")

    assert response.status_code == 405


def test_errors_come_in_arabic_too(post: Callable[..., Any]) -> None:
    body = assert_400(post("incidents/triage", {"affected_customers": "five"}))

    assert body["errors"]["affected_customers"] == ["A valid integer is required."]
    assert body["errors_ar"]["affected_customers"] != body["errors"]["affected_customers"]
