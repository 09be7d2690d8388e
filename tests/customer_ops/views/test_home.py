"""Home per user (founder: drafts waiting; operator: my drafts) and the console navigation."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from customer_ops.services.drafts import draft_approve
from tests.factories import make_customer, make_draft

pytestmark = pytest.mark.django_db

CONSOLE_URL_NAMES = [
    "home",
    "customers",
    "customer-new",
    "customer-page",
    "customer-ledger",
    "onboarding-step-set",
    "onboarding-step-approve",
    "connector-state-set",
    "customer-draft-create",
    "progress-link-create",
    "progress-link-revoke",
    "connector-board",
    "approvals-inbox",
    "approvals-badge",
    "approvals-draft",
    "approvals-approve",
    "approvals-reject",
    "approvals-send",
    "approvals-mark-sent",
]


def test_console_url_names_do_not_collide_with_the_api_router() -> None:
    # The DRF router names its routes customer-list, draft-detail, …; a console route with the
    # same name would make reverse() silently point at the API.
    from django.urls import get_resolver

    for name in CONSOLE_URL_NAMES:
        patterns = get_resolver().reverse_dict.getlist(name)
        assert len(patterns) == 1, name
        assert not patterns[0][1].startswith("api/"), name


def test_founder_home_lists_drafts_waiting_oldest_first_with_links(
    founder_client: Client, founder: Any, operator: Any
) -> None:
    customer = make_customer(actor=founder, name="شركة الانتظار")
    first = make_draft(customer=customer, author=operator, subject="الأقدم")
    second = make_draft(customer=customer, author=operator, subject="الأحدث")
    approved = make_draft(customer=customer, author=operator, subject="معتمدة سابقاً")
    draft_approve(draft_id=approved.pk, approver=founder, now=timezone.now())

    response = founder_client.get(reverse("home"))

    html = response.content.decode()
    assert [d.pk for d in response.context["waiting"]] == [first.pk, second.pk]
    assert reverse("approvals-draft", kwargs={"draft_id": first.pk}) in html
    assert "معتمدة سابقاً" not in html
    assert "شركة الانتظار" in html


def test_operator_home_shows_the_state_of_my_drafts(
    operator_client: Client, founder: Any, operator: Any
) -> None:
    customer = make_customer(actor=founder)
    mine = make_draft(customer=customer, author=operator, subject="مسودتي الأولى")
    draft_approve(draft_id=mine.pk, approver=founder, now=timezone.now())
    make_draft(customer=customer, author=founder, subject="ليست لي")

    response = operator_client.get(reverse("home"))

    html = response.content.decode()
    assert "waiting" not in response.context
    assert response.context["my_counts"]["approved"] == 1
    assert "مسودتي الأولى" in html
    assert "ليست لي" not in html
    assert reverse("approvals-draft", kwargs={"draft_id": mine.pk}) in html


def test_navigation_links_only_pages_that_exist_and_marks_the_current_one(
    operator_client: Client,
) -> None:
    html = operator_client.get(reverse("customers")).content.decode()
    nav = html.split('<nav class="nav"', 1)[1].split("</nav>", 1)[0]

    for name in ("home", "customers", "connector-board", "approvals-inbox"):
        assert f'href="{reverse(name)}"' in nav
    assert f'href="{reverse("customers")}" aria-current="page"' in nav


def test_home_query_count_does_not_grow_with_drafts(
    founder_client: Client, founder: Any, operator: Any, django_assert_num_queries: Any
) -> None:
    customer = make_customer(actor=founder)
    make_draft(customer=customer, author=operator)
    with CaptureQueriesContext(connection) as small:
        founder_client.get(reverse("home"))
    for index in range(15):
        make_draft(customer=make_customer(actor=founder, name=f"ع {index}"), author=operator)

    with django_assert_num_queries(len(small.captured_queries)):
        founder_client.get(reverse("home"))


def test_home_query_count_for_an_operator_does_not_grow_with_drafts(
    operator_client: Client, founder: Any, operator: Any, django_assert_num_queries: Any
) -> None:
    customer = make_customer(actor=founder)
    make_draft(customer=customer, author=operator)
    with CaptureQueriesContext(connection) as small:
        operator_client.get(reverse("home"))
    for _ in range(15):
        make_draft(customer=customer, author=operator)

    with django_assert_num_queries(len(small.captured_queries)):
        operator_client.get(reverse("home"))


@pytest.mark.parametrize("name", ["customers", "connector-board", "approvals-inbox"])
def test_pages_that_answer_htmx_with_a_partial_vary_on_hx_request(
    operator_client: Client, name: str
) -> None:
    response = operator_client.get(reverse(name))

    assert "HX-Request" in response["Vary"]
