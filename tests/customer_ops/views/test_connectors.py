"""The connector status board: customers × 11 connectors, changed in place along allowed moves."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from customer_ops.models import CustomerConnector, LedgerEntry
from customer_ops.services.connectors import connector_set_state
from tests.factories import make_customer, set_connector
from tests.helpers import HX

pytestmark = pytest.mark.django_db


def move_url(customer: Any, key: str) -> str:
    return reverse("connector-state-set", kwargs={"customer_id": customer.pk, "connector_key": key})


def state_of(customer: Any, key: str) -> str:
    return CustomerConnector.objects.get(customer=customer, connector_key=key).state


def offered_moves(html: str, customer: Any, key: str) -> set[str]:
    menu = html.split(f'id="move-{customer.pk}-{key}"', 1)[1].split("</div>", 1)[0]
    return set(re.findall(r'name="to" value="([a-z_]+)"', menu))


def test_board_sends_anonymous_users_to_login(client: Client) -> None:
    response = client.get(reverse("connector-board"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_board_refuses_a_user_without_a_role(client: Client, make_user: Callable[..., Any]) -> None:
    client.force_login(make_user("outsider"))

    assert client.get(reverse("connector-board")).status_code == 403


def test_board_shows_all_11_connectors_marks_blocking_and_readiness(
    operator_client: Client, founder: Any
) -> None:
    customer = make_customer(actor=founder, name="شركة اللوحة")

    response = operator_client.get(reverse("connector-board"))

    html = response.content.decode()
    row = html.split(f'id="connector-row-{customer.pk}"', 1)[1].split("</tr>", 1)[0]
    assert response.status_code == 200
    assert row.count('class="board__cell') == 11
    assert html.count("board__conn--blocking") == 1  # WhatsApp is the one blocking connector
    assert row.count("board__cell--blocking") == 1
    assert "غير جاهز" in row
    assert "state--not_started" in row
    assert "○" in row  # colour is never the only signal


def test_board_offers_only_the_allowed_moves(operator_client: Client, founder: Any) -> None:
    customer = make_customer(actor=founder)
    connector_set_state(
        customer_id=customer.pk,
        connector_key="gmail",
        to="configuring",
        actor=founder,
        now=timezone.now(),
    )

    html = operator_client.get(reverse("connector-board")).content.decode()

    assert offered_moves(html, customer, "moyasar") == {"configuring", "skipped"}
    assert offered_moves(html, customer, "gmail") == {
        "connected_draft_only",
        "connected_approved_execute",
        "failed",
        "skipped",
    }


def test_changing_a_state_in_place_returns_the_row_and_records_it(
    operator_client: Client, founder: Any, operator: Any
) -> None:
    customer = make_customer(actor=founder)

    response = operator_client.post(move_url(customer, "gmail"), {"to": "configuring"}, headers=HX)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<tr id="connector-row-{customer.pk}"')
    assert "<html" not in html
    assert "connectors-changed" in response["HX-Trigger"]
    assert state_of(customer, "gmail") == "configuring"
    entry = LedgerEntry.objects.get(verb="connectors.state_changed")
    assert entry.actor == operator


def test_a_forged_illegal_move_is_refused_inline_with_the_reason(
    operator_client: Client, founder: Any
) -> None:
    customer = make_customer(actor=founder)

    response = operator_client.post(
        move_url(customer, "whatsapp_cloud"), {"to": "connected_approved_execute"}, headers=HX
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert 'role="alert"' in html
    assert "لا يمكن الانتقال من not_started إلى connected_approved_execute" in html
    assert state_of(customer, "whatsapp_cloud") == "not_started"
    assert not LedgerEntry.objects.filter(verb="connectors.state_changed").exists()


def test_the_refusal_is_english_in_the_english_console(
    operator_client: Client, founder: Any
) -> None:
    customer = make_customer(actor=founder)
    operator_client.cookies["django_language"] = "en"

    response = operator_client.post(
        move_url(customer, "gmail"), {"to": "connected_draft_only"}, headers=HX
    )

    assert response.status_code == 422
    assert "cannot move from not_started to connected_draft_only" in response.content.decode()


def test_an_unknown_state_is_refused_and_an_unknown_connector_is_404(
    operator_client: Client, founder: Any
) -> None:
    customer = make_customer(actor=founder)

    bad_state = operator_client.post(move_url(customer, "gmail"), {"to": "live"}, headers=HX)
    bad_key = operator_client.post(move_url(customer, "telex"), {"to": "configuring"}, headers=HX)
    bad_customer = operator_client.post(
        reverse("connector-state-set", kwargs={"customer_id": 999, "connector_key": "gmail"}),
        {"to": "configuring"},
        headers=HX,
    )

    assert bad_state.status_code == 422
    assert bad_key.status_code == 404
    assert bad_customer.status_code == 404
    assert state_of(customer, "gmail") == "not_started"


def test_without_javascript_a_move_redirects_back_to_the_page_it_came_from(
    operator_client: Client, founder: Any
) -> None:
    customer = make_customer(actor=founder)
    page = reverse("customer-page", kwargs={"customer_id": customer.pk})

    back = operator_client.post(move_url(customer, "gmail"), {"to": "configuring", "next": page})
    elsewhere = operator_client.post(
        move_url(customer, "gmail"), {"to": "failed", "next": "https://evil.example/"}
    )

    assert back["Location"] == page
    assert elsewhere["Location"] == reverse("connector-board")


def test_board_htmx_filter_returns_only_the_board(operator_client: Client, founder: Any) -> None:
    ready = make_customer(actor=founder, name="جاهزة")
    make_customer(actor=founder, name="ليست جاهزة")
    set_connector(ready, "whatsapp_cloud", actor=founder)

    response = operator_client.get(reverse("connector-board"), {"readiness": "ready"}, headers=HX)
    not_ready = operator_client.get(reverse("connector-board"), {"readiness": "not_ready"})

    html = response.content.decode()
    assert html.lstrip().startswith('<section id="connector-board"')
    assert "<html" not in html
    assert [row.customer.company_name for row in response.context["rows"]] == ["جاهزة"]
    assert [row.customer.company_name for row in not_ready.context["rows"]] == ["ليست جاهزة"]
    assert 'hx-push-url="true"' in operator_client.get(reverse("connector-board")).content.decode()


def test_board_query_count_is_the_same_for_2_and_20_customers(
    operator_client: Client, founder: Any, django_assert_num_queries: Any
) -> None:
    for index in range(2):
        make_customer(actor=founder, name=f"قليل {index}")
    with CaptureQueriesContext(connection) as small:
        operator_client.get(reverse("connector-board"))
    for index in range(18):
        make_customer(actor=founder, name=f"كثير {index:02d}")

    with django_assert_num_queries(len(small.captured_queries)):
        response = operator_client.get(reverse("connector-board"))

    assert len(response.context["rows"]) == 20


def test_board_is_paginated_by_customer(operator_client: Client, founder: Any) -> None:
    for index in range(23):
        make_customer(actor=founder, name=f"عميل {index:02d}")

    first = operator_client.get(reverse("connector-board"))
    second = operator_client.get(reverse("connector-board"), {"page": 2})

    assert len(first.context["rows"]) == 20
    assert len(second.context["rows"]) == 3
