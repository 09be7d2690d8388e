"""POST /sla/event, POST /sla/classify-breach, POST /sla/health-report, GET /sla/health-report/demo."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from tests.customer_ops.api.endpoints import assert_400

pytestmark = pytest.mark.django_db


# ── POST /sla/event ──────────────────────────────────────────────────────────────────────────────
def test_event_is_validated_and_echoed_with_the_server_time(post: Callable[..., Any]) -> None:
    before = time.time()

    response = post("sla/event", {"ticket_id": "T-1", "priority": "P0", "event": "first_response"})

    after = time.time()
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"ticket_id", "priority", "event", "ts"}
    assert (body["ticket_id"], body["priority"], body["event"]) == ("T-1", "P0", "first_response")
    assert isinstance(body["ts"], float)
    assert before - 1 <= body["ts"] <= after + 1


def test_event_defaults(post: Callable[..., Any]) -> None:
    body = post("sla/event", {}).json()

    assert (body["ticket_id"], body["priority"], body["event"]) == ("", "P3", "opened")


@pytest.mark.parametrize("event", ["opened", "first_response", "resolved", "escalated"])
def test_event_accepts_the_original_events(post: Callable[..., Any], event: str) -> None:
    assert post("sla/event", {"ticket_id": 12, "event": event}).json()["event"] == event


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"event": "bogus"}, "event"),
        ({"priority": "P9"}, "priority"),
        ({"priority": "p0"}, "priority"),
        ({"ticket_id": ["T"]}, "ticket_id"),
    ],
)
def test_event_refuses_bad_values(post: Callable[..., Any], body: Any, field: str) -> None:
    response = assert_400(post("sla/event", body), field)

    if field == "event":
        assert response["errors"]["event"] == ["Unknown SLA event: bogus"]


# ── POST /sla/classify-breach ────────────────────────────────────────────────────────────────────
def test_breach_within_target(post: Callable[..., Any]) -> None:
    body = post(
        "sla/classify-breach",
        {"priority": "P0", "minutes_to_first_response": 20, "hours_to_resolve": 3},
    ).json()

    assert body == {"priority": "P0", "breached": False, "breaches": []}


def test_breach_exceeded(post: Callable[..., Any]) -> None:
    body = post(
        "sla/classify-breach",
        {"priority": "P0", "minutes_to_first_response": 120, "hours_to_resolve": 10},
    ).json()

    assert body == {
        "priority": "P0",
        "breached": True,
        "breaches": ["first_response: 120 > 30 min", "resolution: 10.0h > 4h"],
    }


def test_breach_exactly_on_target_is_not_a_breach(post: Callable[..., Any]) -> None:
    body = post(
        "sla/classify-breach",
        {"priority": "P0", "minutes_to_first_response": 30, "hours_to_resolve": 4},
    ).json()

    assert body["breached"] is False


def test_breach_defaults_to_p3_with_nothing_measured(post: Callable[..., Any]) -> None:
    body = post("sla/classify-breach", {"minutes_to_first_response": None}).json()

    assert body == {"priority": "P3", "breached": False, "breaches": []}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"priority": "P7"}, "priority"),
        ({"minutes_to_first_response": "120"}, "minutes_to_first_response"),
        ({"hours_to_resolve": "abc"}, "hours_to_resolve"),
        ({"hours_to_resolve": -1}, "hours_to_resolve"),
        ({"minutes_to_first_response": True}, "minutes_to_first_response"),
    ],
)
def test_breach_refuses_bad_values(post: Callable[..., Any], body: Any, field: str) -> None:
    assert_400(post("sla/classify-breach", body), field)


# ── POST /sla/health-report ──────────────────────────────────────────────────────────────────────
def test_health_report_aggregates(post: Callable[..., Any]) -> None:
    tickets = [
        {"priority": "P0", "first_response_min": 12, "resolution_hours": 2},
        {"priority": "P1", "first_response_min": 90, "resolution_hours": 18},
        {"priority": "P3", "first_response_min": 1500, "resolution_hours": 200},
    ]

    body = post("sla/health-report", {"tickets": tickets}).json()

    assert body["total_tickets"] == 3
    assert body["total_breached"] == 1
    assert body["breach_rate"] == 0.333
    assert body["verdict"] == "critical"
    assert body["by_priority"]["P3"]["breaches"] == 1
    assert body["by_priority"]["P0"]["breaches"] == 0


def test_health_report_all_p0_over_target_is_critical(post: Callable[..., Any]) -> None:
    tickets = [{"priority": "P0", "first_response_min": 60, "resolution_hours": 8}] * 4

    body = post("sla/health-report", {"tickets": tickets}).json()

    assert body["verdict"] == "critical"
    assert body["breach_rate"] == 1.0


def test_health_report_bucket_averages_only_when_measured(post: Callable[..., Any]) -> None:
    tickets = [
        {"priority": "P2", "first_response_min": 100},
        {"priority": "P2", "first_response_min": 201},
        {"priority": "P2"},
    ]

    bucket = post("sla/health-report", {"tickets": tickets}).json()["by_priority"]["P2"]

    assert bucket == {
        "count": 3,
        "breaches": 0,
        "total_first_response_min": 301,
        "total_resolution_hours": 0,
        "responded_count": 2,
        "resolved_count": 0,
        "avg_first_response_min": 150.5,
    }


@pytest.mark.parametrize("body", [None, {}, {"tickets": []}])
def test_health_report_of_nothing_is_healthy(post: Callable[..., Any], body: Any) -> None:
    response = post("sla/health-report") if body is None else post("sla/health-report", body)

    assert response.status_code == 200
    assert response.json() == {
        "total_tickets": 0,
        "total_breached": 0,
        "breach_rate": 0.0,
        "by_priority": {},
        "verdict": "healthy",
    }


@pytest.mark.parametrize(
    ("tickets", "field"),
    [
        ([{"priority": "P0", "first_response_min": "12"}], "tickets.0.first_response_min"),
        ([{"priority": "PX"}], "tickets.0.priority"),
        ([{}, {"resolution_hours": -2}], "tickets.1.resolution_hours"),
        (["P0"], "tickets.0.non_field_errors"),
        ({"priority": "P0"}, "tickets"),
    ],
)
def test_health_report_refuses_bad_tickets(
    post: Callable[..., Any], tickets: Any, field: str
) -> None:
    assert_400(post("sla/health-report", {"tickets": tickets}), field)


# ── GET /sla/health-report/demo ──────────────────────────────────────────────────────────────────
def test_health_report_demo(get: Callable[..., Any]) -> None:
    response = get("sla/health-report/demo")

    assert response.status_code == 200
    body = response.json()
    assert body["total_tickets"] == 4
    assert body["total_breached"] == 1
    assert body["breach_rate"] == 0.25
    assert body["verdict"] == "critical"
    assert list(body["by_priority"]) == ["P0", "P1", "P2", "P3"]
    assert body["by_priority"]["P2"]["breaches"] == 1
    assert body["by_priority"]["P0"]["avg_resolution_hours"] == 2.5
    assert body["by_priority"]["P3"]["avg_first_response_min"] == 1200
