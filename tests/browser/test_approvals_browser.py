"""A real browser: the founder approves a draft in the inbox; an operator cannot."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

from customer_ops.models import Customer, OutboundDraft
from tests.factories import make_draft

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pending_draft() -> OutboundDraft:
    call_command("seed_demo", force=True)
    operator = get_user_model().objects.get(username="operator")
    customer = Customer.objects.get(company_name="شركة نمو للتدريب")
    return make_draft(
        customer=customer,
        author=operator,
        subject="ملخص الأسبوع الأول",
        to="reem@numuw-training.sa",
    )


def test_founder_approves_a_draft_in_place(
    live_server: Any,
    page: Page,
    pending_draft: OutboundDraft,
    watch: Callable[..., Any],
    log_in: Callable[..., Any],
) -> None:
    errors, outside = watch(page)
    pending = OutboundDraft.objects.filter(status="pending").count()  # the demo has its own too
    log_in(page, "founder")

    expect(page.locator("#nav-approvals-badge")).to_contain_text(str(pending))
    page.click("nav.nav a[href='/approvals/']")
    card = page.locator(f"#draft-{pending_draft.pk}")
    expect(card).to_contain_text("ملخص الأسبوع الأول")
    expect(card.locator(".claims--ok")).to_be_visible()
    card.locator("[data-action=approve]").click()

    card = page.locator(f"#draft-{pending_draft.pk}")
    expect(card.locator(".status")).to_have_text("معتمدة")
    expect(card.locator("[data-action=send]")).to_be_visible()
    expect(card.locator("[data-action=approve]")).to_have_count(0)
    # The navigation badge and the tab counts refresh themselves after the change.
    expect(page.locator("#nav-approvals-badge")).to_contain_text(str(pending - 1))
    expect(page.locator("#approvals-tabs a[aria-current=page] .tab__count")).to_have_text(
        str(pending - 1)
    )
    pending_draft.refresh_from_db()
    assert pending_draft.status == "approved"
    assert page.get_attribute("html", "dir") == "rtl"
    assert errors == []
    assert outside == []


def test_operator_sees_the_draft_but_cannot_approve_it(
    live_server: Any,
    browser: Browser,
    pending_draft: OutboundDraft,
    watch: Callable[..., Any],
    log_in: Callable[..., Any],
) -> None:
    context = browser.new_context()
    page = context.new_page()
    errors, outside = watch(page)
    log_in(page, "operator")

    page.click("nav.nav a[href='/approvals/']")
    card = page.locator(f"#draft-{pending_draft.pk}")
    expect(card.locator(".status")).to_have_text("بانتظار الموافقة")
    expect(card).to_contain_text("بانتظار قرار المؤسس")
    expect(card.locator("[data-action=approve]")).to_have_count(0)
    expect(card.locator("[data-action=reject]")).to_have_count(0)
    # A forged POST with a valid session and CSRF token is still refused by the role check.
    token = next(c["value"] for c in context.cookies() if c["name"] == "csrftoken")
    forged = page.request.post(
        f"{live_server.url}/approvals/{pending_draft.pk}/approve/",
        headers={"X-CSRFToken": token, "HX-Request": "true"},
    )

    assert forged.status == 403
    assert "CSRF" not in forged.text()
    pending_draft.refresh_from_db()
    assert pending_draft.status == "pending"
    assert page.get_attribute("html", "dir") == "rtl"
    assert errors == []
    assert outside == []
    context.close()
