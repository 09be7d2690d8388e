"""What every API operation promises beyond its own fields: documented refusals, JSON 404s and
strict page numbers (found by schema fuzzing, tests/fuzz)."""

from __future__ import annotations

from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    ]


def test_every_operation_documents_the_refusals_around_it(schema: dict[str, Any]) -> None:
    for path, method, operation in _operations(schema):
        codes = set(operation["responses"])
        assert {"403", "429"} <= codes, (method, path)
        if "requestBody" in operation:
            assert {"400", "413", "415"} <= codes, (method, path)
        if any(p["in"] == "path" for p in operation.get("parameters", [])):
            assert "404" in codes, (method, path)


def test_refusal_bodies_are_documented_with_both_languages(schema: dict[str, Any]) -> None:
    components = schema["components"]["schemas"]
    assert {"error", "error_ar"} <= set(components["Refusal"]["required"])
    assert {"errors", "errors_ar"} <= set(components["ErrorOutput"]["required"])


def test_malformed_json_gets_the_same_400_shape_as_field_errors(operator_api: APIClient) -> None:
    response = operator_api.post(
        "/api/v1/customer-ops/support/classify", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) >= {"error", "error_ar", "errors", "errors_ar"}
    assert body["errors_ar"]["non_field_errors"]


@pytest.mark.parametrize("query", ["page=x", "page=", "page=0", "page=-1", "page=1&page=2"])
def test_page_must_be_one_positive_number(operator_api: APIClient, query: str) -> None:
    response = operator_api.get(f"/api/v1/customers/?{query}")
    assert response.status_code == 400
    assert "page" in response.json()["errors"] and "page" in response.json()["errors_ar"]


def test_page_past_the_end_is_404_and_last_works(operator_api: APIClient) -> None:
    assert operator_api.get("/api/v1/customers/?page=1").status_code == 200
    assert operator_api.get("/api/v1/customers/?page=last").status_code == 200
    assert operator_api.get("/api/v1/customers/?page=7").status_code == 404


def test_unrouted_api_paths_answer_json_404(operator_api: APIClient) -> None:
    for path in ("/api/v1/customers/0.5/connectors/", "/api/v1/nothing-here/"):
        response = operator_api.get(path)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json()["error_ar"] == "غير موجود"


def test_console_paths_keep_the_html_404(operator_client: Any) -> None:
    response = operator_client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_dropped_id_is_a_404_not_another_route(operator_api: APIClient) -> None:
    # `/customers//onboarding/` arrives as `/customers/onboarding/`: no detail route for "onboarding".
    response = operator_api.post("/api/v1/customers/onboarding/", {"step_id": "select_goal"})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_numbers_too_large_to_add_up_are_refused_not_a_500(operator_api: APIClient) -> None:
    ticket = {"priority": "P2", "first_response_min": 1.7e308, "resolution_hours": 1.7e308}
    response = operator_api.post(
        "/api/v1/customer-ops/sla/health-report", {"tickets": [ticket, ticket]}
    )
    assert response.status_code == 400
    assert {"tickets.0.first_response_min", "tickets.0.resolution_hours"} <= set(
        response.json()["errors"]
    )


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("/api/v1/tickets/", "breached=null", "breached"),
        ("/api/v1/tickets/", "breached=yes", "breached"),
        ("/api/v1/tickets/", "priority=P0&priority=P1", "priority"),
        ("/api/v1/tickets/", "status=", "status"),
        ("/api/v1/incidents/", "status=AAA", "status"),
        ("/api/v1/incidents/", "customer=x", "customer"),
        ("/api/v1/at-risk/", "severity=", "severity"),
    ],
)
def test_list_filters_are_strict(
    operator_api: APIClient, path: str, query: str, field: str
) -> None:
    response = operator_api.get(f"{path}?{query}")
    assert response.status_code == 400
    assert field in response.json()["errors"] and field in response.json()["errors_ar"]


def test_valid_filters_still_filter(operator_api: APIClient) -> None:
    for url in (
        "/api/v1/tickets/?breached=false&priority=P2",
        "/api/v1/incidents/?status=open&severity=SEV2",
        "/api/v1/at-risk/?severity=high",
    ):
        assert operator_api.get(url).status_code == 200, url


def test_ids_past_the_database_range_are_400_not_a_500(operator_api: APIClient) -> None:
    huge = 2**64
    response = operator_api.post(
        "/api/v1/incidents/", {"title": "x", "affected_customers": [huge], "affected_count": huge}
    )
    assert response.status_code == 400
    assert {"affected_customers.0", "affected_count"} <= set(response.json()["errors"])
    assert (
        operator_api.post(
            "/api/v1/tickets/", {"customer": huge, "subject": "x", "channel": "email"}
        ).status_code
        == 400
    )
