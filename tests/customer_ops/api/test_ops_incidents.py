"""/api/v1/incidents/: triage, SEV1 by founders, timeline, plan steps, post-mortem, close."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from customer_ops.domain.incidents import POSTMORTEM_FIELDS
from customer_ops.models import Incident, IncidentTimelineEntry, LedgerEntry
from tests.factories import make_customer, make_incident

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 4, 5, 8, 0, tzinfo=dt.UTC)
URL = "/api/v1/incidents/"


@pytest.fixture(autouse=True)
def frozen() -> Iterator[Any]:
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def customers(founder: Any) -> list[Any]:
    return [
        make_customer(actor=founder, name=f"عميل {n}", now=T0, contact_email=f"c{n}@x.sa")
        for n in range(5)
    ]


def declare(api: APIClient, **extra: Any) -> Any:
    return api.post(URL, {"title": "تعطل مزامنة Gmail", **extra}, format="json")


def test_declare_triages_and_returns_the_plan(
    operator_api: APIClient, customers: list[Any]
) -> None:
    response = declare(operator_api, affected_customers=[customers[0].pk])

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["severity"] == body["triaged_severity"] == "SEV3"
    assert body["affected_customers"] == [{"id": customers[0].pk, "company_name": "عميل 0"}]
    assert [step["position"] for step in body["plan_steps"]] == list(range(1, 8))
    assert body["next_update_due_at"] == "2026-04-05T15:00:00+03:00"
    assert body["update_overdue"] is False
    assert body["pdpl_remaining_minutes"] is None


def test_leak_shows_the_pdpl_countdown(
    operator_api: APIClient, customers: list[Any], frozen: Any
) -> None:
    created = declare(
        operator_api,
        has_data_leak=True,
        detected_at="2026-04-05T06:00:00Z",
        affected_customers=[customers[0].pk],
    ).json()

    frozen.shift(dt.timedelta(hours=1))
    body = operator_api.get(f"{URL}{created['id']}/").json()

    assert body["severity"] == "SEV1"
    assert body["pdpl_deadline_at"] == "2026-04-08T09:00:00+03:00"
    assert body["pdpl_remaining_minutes"] == (72 - 3) * 60
    assert body["update_overdue"] is True  # SEV1 updates every 30 minutes


def test_only_founders_raise_to_sev1(
    operator_api: APIClient, founder_api: APIClient, customers: list[Any]
) -> None:
    by_operator = declare(operator_api, severity="SEV1")
    created = declare(operator_api).json()
    patched_by_operator = operator_api.patch(
        f"{URL}{created['id']}/", {"severity": "SEV1"}, format="json"
    )
    patched_by_founder = founder_api.patch(
        f"{URL}{created['id']}/", {"severity": "SEV1"}, format="json"
    )
    lowered = founder_api.patch(
        f"{URL}{declare(operator_api, affected_count=7).json()['id']}/",
        {"severity": "SEV3"},
        format="json",
    )

    assert by_operator.status_code == 403
    assert patched_by_operator.status_code == 403
    assert patched_by_founder.status_code == 200
    assert patched_by_founder.json()["severity"] == "SEV1"
    assert len(patched_by_founder.json()["plan_steps"]) == 8
    assert lowered.status_code == 400


def test_timeline_plan_steps_and_postmortem(
    operator_api: APIClient, customers: list[Any], operator: Any
) -> None:
    incident = declare(operator_api, affected_count=5).json()
    base = f"{URL}{incident['id']}"

    added = operator_api.post(
        f"{base}/timeline/", {"kind": "update", "text": "أبلغنا العملاء"}, format="json"
    )
    ticked = operator_api.post(f"{base}/plan-steps/2/", {}, format="json")
    missing_step = operator_api.post(f"{base}/plan-steps/99/", {}, format="json")
    blank = operator_api.get(f"{base}/postmortem/").json()
    put = operator_api.put(
        f"{base}/postmortem/", {field.key: "مكتوب" for field in POSTMORTEM_FIELDS}, format="json"
    )
    timeline = operator_api.get(f"{base}/timeline/").json()

    assert added.status_code == 201
    assert ticked.status_code == 200
    assert ticked.json()["done"] is True and ticked.json()["done_by"] == operator.username
    assert missing_step.status_code == 404
    assert blank["complete"] is False and len(blank["missing"]) == 8
    assert blank["required_to_close"] is True
    assert put.status_code == 200 and put.json()["complete"] is True
    assert [row["kind"] for row in timeline["results"]] == [
        "declared",
        "update",
        "plan_step",
        "postmortem",
    ]


def test_close_rule_through_the_api(operator_api: APIClient, customers: list[Any]) -> None:
    incident = declare(operator_api, affected_count=5).json()
    base = f"{URL}{incident['id']}"

    too_early = operator_api.post(f"{base}/close/", {}, format="json")
    operator_api.patch(f"{base}/", {"status": "resolved"}, format="json")
    no_postmortem = operator_api.post(f"{base}/close/", {}, format="json")
    operator_api.put(
        f"{base}/postmortem/", {field.key: "مكتوب" for field in POSTMORTEM_FIELDS}, format="json"
    )
    closed = operator_api.post(f"{base}/close/", {"note": "تمت المراجعة"}, format="json")

    assert too_early.status_code == 409
    assert no_postmortem.status_code == 400
    assert "postmortem" in no_postmortem.json()["errors"]
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"


def test_update_draft_for_every_affected_customer(
    operator_api: APIClient, customers: list[Any]
) -> None:
    incident = declare(operator_api, affected_customers=[c.pk for c in customers[:2]]).json()

    response = operator_api.post(
        f"{URL}{incident['id']}/update-draft/",
        {"values": {"service_name": "Gmail", "status": "تحت المراقبة"}},
        format="json",
    )
    missing = operator_api.post(f"{URL}{incident['id']}/update-draft/", {}, format="json")

    assert response.status_code == 201
    assert [draft["customer"] for draft in response.json()] == [customers[0].pk, customers[1].pk]
    assert all(draft["source"] == "incident_update" for draft in response.json())
    assert missing.status_code == 400
    assert "service_name" in missing.json()["errors"]


def test_incident_list_queries_do_not_grow_with_rows(
    operator_api: APIClient, customers: list[Any], operator: Any, django_assert_num_queries: Any
) -> None:
    make_incident(actor=operator, now=T0, customers=tuple(customers[:2]))
    operator_api.get(URL)
    with CaptureQueriesContext(connection) as few:
        assert operator_api.get(URL).json()["count"] == 1
    for n in range(20):
        make_incident(
            actor=operator, now=T0, customers=tuple(customers[: n % 5]), title=f"حادثة {n}"
        )

    with django_assert_num_queries(len(few)):
        assert len(operator_api.get(URL).json()["results"]) == 21


def test_list_filters(operator_api: APIClient, customers: list[Any], operator: Any) -> None:
    sev2 = make_incident(actor=operator, now=T0, customers=tuple(customers))
    make_incident(actor=operator, now=T0)

    by_severity = operator_api.get(URL, {"severity": "SEV2"}).json()["results"]
    by_customer = operator_api.get(URL, {"customer": customers[4].pk}).json()["results"]

    assert [row["id"] for row in by_severity] == [sev2.pk]
    assert [row["id"] for row in by_customer] == [sev2.pk]


def test_patch_of_severity_and_a_refused_status_writes_nothing(
    operator_api: APIClient, customers: list[Any]
) -> None:
    # Issue #13: the PATCH answered 409 yet committed SEV2 and its ledger row (two services,
    # two transactions). Now one service call, one transaction.
    incident = declare(operator_api, affected_customers=[customers[0].pk]).json()
    ledger_before = LedgerEntry.objects.count()
    timeline_before = IncidentTimelineEntry.objects.count()

    response = operator_api.patch(
        f"{URL}{incident['id']}/", {"severity": "SEV2", "status": "closed"}, format="json"
    )

    assert response.status_code == 409
    assert Incident.objects.get(pk=incident["id"]).severity == "SEV3"
    assert LedgerEntry.objects.count() == ledger_before
    assert IncidentTimelineEntry.objects.count() == timeline_before


def test_patch_of_severity_and_status_together_lands_both(
    operator_api: APIClient, customers: list[Any]
) -> None:
    incident = declare(operator_api, affected_customers=[customers[0].pk]).json()

    response = operator_api.patch(
        f"{URL}{incident['id']}/", {"severity": "SEV2", "status": "mitigating"}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert (response.json()["severity"], response.json()["status"]) == ("SEV2", "mitigating")
    verbs = set(
        LedgerEntry.objects.filter(object_id=str(incident["id"])).values_list("verb", flat=True)
    )
    assert {"incidents.severity_changed", "incidents.status_changed"} <= verbs
