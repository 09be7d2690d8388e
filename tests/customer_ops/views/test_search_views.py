"""The header's search box and its page: grouped results, marks, escaping, htmx partial."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def test_every_console_page_has_the_search_box(operator_client: Client) -> None:
    html = operator_client.get("/tickets/").content.decode()
    assert 'role="search" class="header-search"' in html
    assert 'action="/search/"' in html


def test_the_page_groups_results_and_marks_matches_escaped(
    operator_client: Client, customer: Any, operator: Any
) -> None:
    ticket = make_ticket(
        customer=customer,
        actor=operator,
        now=timezone.now(),
        subject="<script>x</script> إسراء",
        body="طلب أسراء",
    )

    response = operator_client.get("/search/", {"q": "اسراء"})

    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="/tickets/{ticket.pk}/"' in html
    assert "&lt;script&gt;x&lt;/script&gt; <mark>إسراء</mark>" in html
    assert "<mark>أسراء</mark>" in html
    assert "<script>x" not in html


def test_htmx_gets_the_results_region_only(
    operator_client: Client, customer: Any, operator: Any
) -> None:
    make_ticket(customer=customer, actor=operator, now=timezone.now(), subject="عاجل")

    response = operator_client.get("/search/", {"q": "لا شيء هنا"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert html.lstrip().startswith('<section id="search-results"')
    assert "<header" not in html
