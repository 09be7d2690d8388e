"""Customer success: due touchpoints, the at-risk list, the customer's plan, Proof Packs, check-ins."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from customer_ops.models import CheckIn, OutboundDraft, ProofPackDelivery, SuccessTouchpoint
from customer_ops.services.success import success_plan_create
from tests.factories import make_customer
from tests.helpers import HX

pytestmark = pytest.mark.django_db

LONG_AGO = dt.timedelta(days=40)


def success_url(customer: Any, name: str = "customer-success") -> str:
    return reverse(name, kwargs={"customer_id": customer.pk})


@pytest.fixture
def quiet(founder: Any) -> Any:
    """A customer created 40 days ago who has done nothing since and has no Proof Pack."""
    return make_customer(
        actor=founder,
        name="شركة هادئة",
        contact_email="quiet@example.sa",
        now=timezone.now() - LONG_AGO,
    )


@pytest.fixture
def busy(founder: Any) -> Any:
    return make_customer(actor=founder, name="شركة نشطة", contact_email="busy@example.sa")


# ── permissions ─────────────────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize("name", ["success-home", "success-at-risk"])
def test_success_pages_send_anonymous_users_to_login(client: Client, name: str) -> None:
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_success_pages_refuse_a_user_without_a_role(
    client: Client, make_user: Callable[..., Any], busy: Any
) -> None:
    client.force_login(make_user("outsider"))

    assert client.get(reverse("success-home")).status_code == 403
    assert client.get(reverse("success-at-risk")).status_code == 403
    assert client.get(success_url(busy)).status_code == 403
    assert client.post(success_url(busy, "success-plan-create")).status_code == 403


# ── at-risk list ────────────────────────────────────────────────────────────────────────────────
def test_at_risk_list_scores_customers_from_their_real_activity(
    operator_client: Client, quiet: Any, busy: Any
) -> None:
    response = operator_client.get(reverse("success-at-risk"))

    rows = list(response.context["page_obj"])
    html = response.content.decode()
    # Only customers at risk: the active customer (score 0, low) is not on the list.
    assert [row["company_name"] for row in rows] == ["شركة هادئة"]
    assert (rows[0]["risk_score"], rows[0]["severity"]) == (70, "high")
    assert "شركة نشطة" not in html
    assert "العميل غير نشط منذ 40 يوماً." in html
    assert "risk-bar__fill--70" in html
    assert 'class="risk risk--high"' in html


def test_at_risk_list_filters_by_severity_and_swaps_its_table(
    operator_client: Client, quiet: Any, busy: Any
) -> None:
    response = operator_client.get(reverse("success-at-risk"), {"severity": "low"}, headers=HX)

    html = response.content.decode()
    assert [row["company_name"] for row in response.context["page_obj"]] == ["شركة نشطة"]
    assert html.lstrip().startswith('<section id="at-risk-table"')
    assert "<html" not in html


def test_at_risk_query_count_does_not_grow_with_customers(
    operator_client: Client, founder: Any
) -> None:
    for index in range(2):
        make_customer(actor=founder, name=f"قليل {index}")
    with CaptureQueriesContext(connection) as small:
        operator_client.get(reverse("success-at-risk"))
    for index in range(18):
        make_customer(actor=founder, name=f"كثير {index}", now=timezone.now() - LONG_AGO)

    with CaptureQueriesContext(connection) as large:
        response = operator_client.get(reverse("success-at-risk"))

    assert len(response.context["page_obj"]) == 18  # the two new customers are not at risk
    assert len(large.captured_queries) == len(small.captured_queries)


# ── due touchpoints ─────────────────────────────────────────────────────────────────────────────
def test_success_home_lists_due_touchpoints_and_marks_one_done_in_place(
    operator_client: Client, operator: Any, quiet: Any
) -> None:
    success_plan_create(
        customer_id=quiet.pk,
        actor=operator,
        now=timezone.now(),
        start_on=timezone.localdate() - dt.timedelta(days=3),
    )
    page = operator_client.get(reverse("success-home"))
    due = list(page.context["page_obj"])
    assert [tp.day for tp in due] == [1, 3, 7]  # overdue first, then the coming week
    assert "touch--overdue" in page.content.decode()

    response = operator_client.post(
        reverse("touchpoint-done", kwargs={"touchpoint_id": due[0].pk}),
        {"show_customer": "1"},
        headers=HX,
    )

    html = response.content.decode()
    touchpoint = SuccessTouchpoint.objects.get(pk=due[0].pk)
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<li id="touchpoint-{touchpoint.pk}"')
    assert "<html" not in html
    assert "أُنجزت" in html and "شركة هادئة" in html
    assert touchpoint.done_by == operator
    assert "touchpoints-changed" in response["HX-Trigger"]


# ── one customer's success page ─────────────────────────────────────────────────────────────────
def test_plan_is_created_from_the_bundle_in_place(operator_client: Client, busy: Any) -> None:
    page = operator_client.get(success_url(busy)).content.decode()
    assert 'data-action="plan-create"' in page

    response = operator_client.post(success_url(busy, "success-plan-create"), {}, headers=HX)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="success-plan"')
    assert html.count('<li id="touchpoint-') == 5
    assert busy.success_plan.touchpoints.count() == 5


def test_proof_pack_is_recorded_and_errors_keep_the_input(
    operator_client: Client, quiet: Any
) -> None:
    bad = operator_client.post(
        success_url(quiet, "proof-pack-record"),
        {"title": "", "note": "ملاحظة محفوظة", "delivered_at": "غير تاريخ"},
        headers=HX,
    )
    good = operator_client.post(
        success_url(quiet, "proof-pack-record"), {"title": "Proof Pack v1"}, headers=HX
    )

    assert bad.status_code == 422
    assert "ملاحظة محفوظة" in bad.content.decode()
    assert good.status_code == 200
    assert good.content.decode().lstrip().startswith('<section id="proof-packs"')
    assert ProofPackDelivery.objects.filter(customer=quiet, title="Proof Pack v1").exists()
    risk = operator_client.get(success_url(quiet)).context["risk"]
    assert risk.last_proof_pack_days_ago == 0


def test_weekly_check_in_builds_a_draft_once_a_week(
    operator_client: Client, founder_client: Client, busy: Any
) -> None:
    data = {
        "replies": "3",
        "meetings": "1",
        "pipeline_sar": "15000",
        "csat": "8.5",
        "channel": "email",
    }

    first = operator_client.post(success_url(busy, "check-in-build"), data, headers=HX)
    second = operator_client.post(success_url(busy, "check-in-build"), data, headers=HX)

    check_in = CheckIn.objects.get()
    draft = OutboundDraft.objects.get()
    assert first.status_code == 200
    assert "drafts-changed" in first["HX-Trigger"]
    assert check_in.draft == draft
    assert (draft.source, draft.status, draft.to) == ("cs_check_in", "pending", "busy@example.sa")
    assert "وصلكم 3 رد" in draft.body
    assert second.status_code == 422
    assert "متابعة واحدة أسبوعياً كحد أقصى" in second.content.decode()
    assert (
        f'id="draft-{draft.pk}"' in founder_client.get(reverse("approvals-inbox")).content.decode()
    )


def test_check_in_field_errors_show_inline(operator_client: Client, busy: Any) -> None:
    response = operator_client.post(
        success_url(busy, "check-in-build"),
        {"replies": "-1", "meetings": "x", "pipeline_sar": "0", "channel": "email"},
        headers=HX,
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert html.lstrip().startswith('<section id="check-in"')
    assert html.count("field--error") >= 2
    assert CheckIn.objects.count() == 0
