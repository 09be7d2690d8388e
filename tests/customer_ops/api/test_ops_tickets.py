"""/api/v1/tickets/ and /api/v1/sla/health/: filters, SLA block, raise-only, events, replies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from customer_ops.models import Notification, SlaEvent, Ticket
from tests.factories import make_customer, make_ticket

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 1, 7, 0, tzinfo=dt.UTC)  # Sunday 10:00 in Riyadh
URL = "/api/v1/tickets/"


@pytest.fixture(autouse=True)
def frozen() -> Iterator[Any]:
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def customer_fields() -> dict[str, Any]:
    return {
        "now": T0 - dt.timedelta(days=10),
        "contact_email": "client@example.sa",
    }


def create(api: APIClient, customer: Any, **extra: Any) -> dict[str, Any]:
    body = {
        "customer": customer.pk,
        "subject": "تسريب بيانات",
        "body": "وصلت رسالة لعميل آخر",
        "channel": "email",
        **extra,
    }
    response = api.post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_create_classifies_and_returns_the_sla_block(
    operator_api: APIClient, customer: Any
) -> None:
    body = create(operator_api, customer)

    assert body["priority"] == body["classified_priority"] == "P0"
    assert body["matched_keyword"] == "تسريب"
    assert body["status"] == "open"
    assert body["breached"] is False
    sla = body["sla"]
    assert sla["basis"] == "24_7"
    assert sla["first_response"]["target_minutes"] == 30
    assert sla["first_response"]["remaining_minutes"] == 30
    assert sla["first_response"]["due_at"] == "2026-03-01T10:30:00+03:00"
    assert sla["resolution"]["target_minutes"] == 240
    assert sla["paused"] is False


def test_create_refuses_bad_input_in_both_languages(operator_api: APIClient, customer: Any) -> None:
    bad = operator_api.post(
        URL, {"customer": customer.pk, "subject": "x", "channel": "fax"}, format="json"
    )
    unknown = operator_api.post(
        URL, {"customer": 999999, "subject": "x", "channel": "email"}, format="json"
    )

    assert bad.status_code == 400
    assert "channel" in bad.json()["errors"] and "channel" in bad.json()["errors_ar"]
    # An unknown customer in the body is a field error, not a missing page.
    assert unknown.status_code == 400
    assert "customer" in unknown.json()["errors"] and "customer" in unknown.json()["errors_ar"]
    assert Ticket.objects.count() == 0


def test_anonymous_callers_are_refused(anon_api: APIClient) -> None:
    assert anon_api.get(URL).status_code in (401, 403)


def test_detail_shows_breach_and_remaining_as_time_passes(
    operator_api: APIClient, customer: Any, frozen: Any
) -> None:
    ticket = create(operator_api, customer)

    frozen.shift(dt.timedelta(minutes=45))
    body = operator_api.get(f"{URL}{ticket['id']}/").json()

    assert body["breached"] is True
    assert body["sla"]["breached"] is True
    assert body["sla"]["first_response"]["remaining_minutes"] == -15


def test_list_filters_and_paginates(
    operator_api: APIClient, customer: Any, founder: Any, operator: Any, frozen: Any
) -> None:
    other = make_customer(actor=founder, name="عميل آخر", now=T0)
    p0 = create(operator_api, customer)
    p3 = create(operator_api, customer, subject="سؤال عام", body="")
    p2 = create(operator_api, other, subject="Gmail connector", body="", assignee=operator.pk)
    frozen.shift(dt.timedelta(hours=1))  # the P0 is now past its 30 minutes

    def ids(**params: Any) -> list[int]:
        response = operator_api.get(URL, params)
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    assert ids(priority="P0") == [p0["id"]]
    assert ids(customer=other.pk) == [p2["id"]]
    assert ids(assignee=operator.pk) == [p2["id"]]
    assert ids(breached="true") == [p0["id"]]
    assert sorted(ids(breached="false")) == sorted([p2["id"], p3["id"]])
    assert ids(status="open", ordering="next_due_at")[0] == p0["id"]
    assert operator_api.get(URL).json()["count"] == 3
    assert operator_api.get(URL, {"priority": "P9"}).status_code == 400


def test_ticket_list_queries_do_not_grow_with_rows(
    operator_api: APIClient,
    customer: Any,
    founder: Any,
    operator: Any,
    django_assert_num_queries: Any,
) -> None:
    for n in range(2):
        make_ticket(
            customer=customer, actor=operator, now=T0, assignee_id=operator.pk, subject=f"س {n}"
        )
    operator_api.get(URL)  # warm the role cache of the signed-in user
    with CaptureQueriesContext(connection) as few:
        assert len(operator_api.get(URL).json()["results"]) == 2
    for n in range(25):
        other = make_customer(actor=founder, name=f"عميل {n}", now=T0)
        make_ticket(customer=other, actor=operator, now=T0, assignee_id=founder.pk)

    with django_assert_num_queries(len(few)):
        assert len(operator_api.get(URL).json()["results"]) == 27


def test_patch_raises_but_never_lowers_below_classified(
    operator_api: APIClient, customer: Any
) -> None:
    ticket = create(operator_api, customer, subject="Gmail connector", body="")

    raised = operator_api.patch(f"{URL}{ticket['id']}/", {"priority": "P1"}, format="json")
    lowered = operator_api.patch(f"{URL}{ticket['id']}/", {"priority": "P3"}, format="json")

    assert raised.status_code == 200
    assert raised.json()["priority"] == "P1"
    assert raised.json()["sla"]["basis"] == "24_7"
    assert lowered.status_code == 400
    assert "priority" in lowered.json()["errors"]


def test_patch_status_moves_and_close_rule(operator_api: APIClient, customer: Any) -> None:
    ticket = create(operator_api, customer)
    url = f"{URL}{ticket['id']}/"

    illegal = operator_api.patch(url, {"status": "closed"}, format="json")
    paused = operator_api.patch(url, {"status": "pending_customer"}, format="json")
    resolved = operator_api.patch(url, {"status": "resolved"}, format="json")
    unconfirmed = operator_api.patch(url, {"status": "closed"}, format="json")
    closed = operator_api.patch(
        url,
        {"status": "closed", "customer_confirmation": "العميل أكد بالبريد"},
        format="json",
    )

    assert illegal.status_code == 409
    assert paused.json()["sla"]["paused"] is True
    assert resolved.status_code == 200
    assert unconfirmed.status_code == 400
    assert "customer_confirmation" in unconfirmed.json()["errors"]
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"
    assert closed.json()["customer_confirmation"] == "العميل أكد بالبريد"


def test_events_post_and_list(operator_api: APIClient, customer: Any) -> None:
    ticket = create(operator_api, customer)
    url = f"{URL}{ticket['id']}/events/"

    posted = operator_api.post(url, {"event": "paused", "note": "ننتظر العميل"}, format="json")
    refused = operator_api.post(url, {"event": "paused"}, format="json")
    unknown = operator_api.post(url, {"event": "teleported"}, format="json")
    listed = operator_api.get(url)

    assert posted.status_code == 201
    assert posted.json()["event"] == "paused"
    assert refused.status_code == 409
    assert unknown.status_code == 400
    assert [row["event"] for row in listed.json()["results"]] == ["opened", "paused"]
    assert operator_api.get(f"{URL}{ticket['id']}/").json()["status"] == "pending_customer"


def test_reply_draft_creates_a_pending_draft(operator_api: APIClient, customer: Any) -> None:
    ticket = create(operator_api, customer)

    response = operator_api.post(f"{URL}{ticket['id']}/reply-draft/", {}, format="json")

    assert response.status_code == 201
    draft = response.json()
    assert draft["status"] == "pending"
    assert draft["source"] == "ticket_first_response"
    assert draft["to"] == "client@example.sa"
    assert "30 دقيقة" in draft["body"]
    assert SlaEvent.objects.filter(event="first_response").count() == 0


# ── SLA health ──────────────────────────────────────────────────────────────────────────────────
def test_sla_health_needs_a_period(operator_api: APIClient) -> None:
    response = operator_api.get("/api/v1/sla/health/", {"from": "2026-03-01"})

    assert response.status_code == 400
    assert "to" in response.json()["errors"]


def test_sla_health_reports_and_notifies_founders_once(
    operator_api: APIClient, customer: Any, founder: Any, frozen: Any
) -> None:
    create(operator_api, customer)
    create(operator_api, customer, subject="سؤال", body="")
    frozen.shift(dt.timedelta(hours=2))
    params = {"from": "2026-03-01", "to": "2026-03-07"}

    first = operator_api.get("/api/v1/sla/health/", params)
    second = operator_api.get("/api/v1/sla/health/", params)

    body = first.json()
    assert first.status_code == 200
    assert body["from"] == "2026-03-01" and body["to"] == "2026-03-07"
    assert body["total_tickets"] == 2
    assert body["total_breached"] == 1
    assert body["breach_rate"] == 0.5
    assert body["verdict"] == "critical"
    assert body["by_priority"]["P0"]["breaches"] == 1
    assert body["weekly"][0]["week_start"] == "2026-03-01"  # a Sunday: the week starts there
    assert body["weekly"][0]["iso_week"] == "2026-W10"
    assert body["founders_notified"] is True
    assert second.json()["founders_notified"] is False
    assert Notification.objects.filter(recipient=founder).count() == 1


def test_rules_sla_event_stores_the_event_for_a_stored_ticket(
    operator_api: Any, founder: Any, operator: Any
) -> None:
    from django.utils import timezone

    from customer_ops.models import SlaEvent
    from tests.factories import make_customer, make_ticket

    ticket = make_ticket(customer=make_customer(actor=founder), actor=operator, now=timezone.now())

    stored = operator_api.post(
        "/api/v1/customer-ops/sla/event",
        {"ticket_id": str(ticket.pk), "event": "paused"},
        format="json",
    )
    echoed = operator_api.post(
        "/api/v1/customer-ops/sla/event",
        {"ticket_id": "T-legacy", "event": "opened"},
        format="json",
    )

    assert stored.status_code == 201
    assert stored.json()["priority"] == ticket.priority
    assert SlaEvent.objects.filter(ticket=ticket, event="paused").count() == 1
    assert echoed.status_code == 200
    assert echoed.json()["ticket_id"] == "T-legacy"
