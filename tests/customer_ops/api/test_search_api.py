"""GET /api/v1/search/: staff only, grouped results with marked snippets, 400 in both languages."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import make_incident, make_ticket

pytestmark = pytest.mark.django_db

URL = "/api/v1/search/"


def test_results_carry_kind_id_title_and_an_escaped_marked_snippet(
    operator_api: APIClient, customer: Any, operator: Any, founder: Any
) -> None:
    now = timezone.now()
    ticket = make_ticket(
        customer=customer, actor=operator, now=now, subject="سؤال", body="<b>الفاتورة</b> لم تصل"
    )
    incident = make_incident(actor=founder, now=now, title="فواتير مكررة", description="الفاتوره")

    response = operator_api.get(URL, {"q": "فاتوره"})

    assert response.status_code == 200
    body = response.json()
    assert body["terms"] == ["فاتوره"]
    assert [(hit["kind"], hit["id"]) for hit in body["results"]] == [
        ("ticket", ticket.pk),
        ("incident", incident.pk),
    ]
    assert body["results"][0]["title"] == f"#{ticket.pk} سؤال"
    assert body["results"][0]["snippet"] == "&lt;b&gt;ال<mark>فاتورة</mark>&lt;/b&gt; لم تصل"


@pytest.mark.parametrize(
    "query",
    [{}, {"q": ""}, {"q": " ؟ # "}, {"q": "x" * 201}],
    ids=["none", "empty", "punct", "long"],
)
def test_a_bad_query_is_a_400_in_both_languages(operator_api: APIClient, query: Any) -> None:
    response = operator_api.get(URL, query)

    assert response.status_code == 400
    body = response.json()
    assert set(body["errors"]) == {"q"} and set(body["errors_ar"]) == {"q"}
    assert body["errors"]["q"] != body["errors_ar"]["q"]


def test_anonymous_callers_are_refused(anon_api: APIClient) -> None:
    assert anon_api.get(URL, {"q": "فاتورة"}).status_code in (401, 403)
