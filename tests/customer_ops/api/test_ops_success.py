"""/api/v1/customers/{id}/success-plan/ and /api/v1/at-risk/."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from rest_framework.test import APIClient

from customer_ops.services import drafts as draft_services
from customer_ops.services.success import proof_pack_record
from tests.factories import make_customer

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 5, 10, 9, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[Any]:
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def test_success_plan_get_post(operator_api: APIClient, founder: Any) -> None:
    customer = make_customer(actor=founder, bundle="partnership_growth", now=T0)
    url = f"/api/v1/customers/{customer.pk}/success-plan/"

    missing = operator_api.get(url)
    created = operator_api.post(url, {"start_on": "2026-05-03"}, format="json")
    again = operator_api.post(url, {}, format="json")
    fetched = operator_api.get(url)

    assert missing.status_code == 404
    assert created.status_code == 201
    assert again.status_code == 200
    body = fetched.json()
    assert body["bundle"] == "partnership_growth"
    assert [(tp["day"], tp["due_on"]) for tp in body["touchpoints"]] == [
        (1, "2026-05-03"),
        (5, "2026-05-07"),
        (10, "2026-05-12"),
        (14, "2026-05-16"),
        (30, "2026-06-01"),
    ]
    assert body["health"]["score"] is None
    assert "csat" in body["health"]["missing"]
    assert operator_api.get("/api/v1/customers/999999/success-plan/").status_code == 404


def test_customer_routes_of_the_router_still_work(operator_api: APIClient, founder: Any) -> None:
    customer = make_customer(actor=founder, now=T0)

    assert operator_api.get(f"/api/v1/customers/{customer.pk}/").status_code == 200
    assert operator_api.get(f"/api/v1/customers/{customer.pk}/onboarding/").status_code == 200


def test_at_risk_lists_riskiest_first(operator_api: APIClient, founder: Any, operator: Any) -> None:
    quiet = make_customer(actor=founder, name="هادئ", now=T0 - 30 * DAY)
    proof_pack_record(customer_id=quiet.pk, title="v1", actor=operator, now=T0 - 20 * DAY)
    busy = make_customer(actor=founder, name="نشط", now=T0 - 30 * DAY)
    proof_pack_record(customer_id=busy.pk, title="v2", actor=operator, now=T0 - DAY)
    draft_services.draft_create(
        customer_id=busy.pk,
        channel="email",
        to="x@x.sa",
        subject="s",
        body="b",
        author=operator,
        now=T0,
    )

    response = operator_api.get("/api/v1/at-risk/")
    high = operator_api.get("/api/v1/at-risk/", {"severity": "medium"})

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(row["company_name"], row["risk_score"]) for row in rows] == [("هادئ", 70), ("نشط", 0)]
    assert rows[0]["days_inactive"] == 20
    assert rows[1]["drafts_pending"] == 1
    assert high.json()["count"] == 0
    assert operator_api.get("/api/v1/at-risk/", {"severity": "extreme"}).status_code == 400
