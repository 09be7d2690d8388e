"""A real browser: a step ticked in place, the customer's link shows it, revoked it is a 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

from customer_ops.models import Customer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_customer_link_shows_progress_and_404s_after_revocation(
    live_server: Any,
    page: Page,
    browser: Browser,
    settings: Any,
    watch: Callable[..., Any],
    log_in: Callable[..., Any],
) -> None:
    settings.PUBLIC_BASE_URL = live_server.url
    call_command("seed_demo", force=True)
    customer = Customer.objects.get(company_name="دار الإعمار العقارية")  # just signed: step 0
    errors, _outside = watch(page)
    page.on("dialog", lambda dialog: dialog.accept())  # the revoke button asks first
    log_in(page, "operator")

    # The operator ticks the first step in place and creates the link from the customer page.
    page.click("nav.nav a[href='/customers/']")
    page.click(f"a[href='/customers/{customer.pk}/']")
    page.check("#step-select_goal")
    expect(page.locator("#onboarding-checklist .progress__label")).to_have_text("12,5%")
    page.click("#progress-link-create")
    link_field = page.locator("#progress-link-url")
    expect(link_field).to_be_visible()
    url = link_field.input_value()
    assert url.startswith(f"{live_server.url}/progress/")
    assert page.get_attribute("html", "dir") == "rtl"

    # The customer, with no account, sees their progress and nothing else.
    visitor = browser.new_context().new_page()
    visitor_errors: list[str] = []
    visitor.on(
        "console", lambda msg: visitor_errors.append(msg.text) if msg.type == "error" else None
    )
    response = visitor.goto(url)
    assert response is not None and response.status == 200
    expect(visitor.locator("h1")).to_have_text(customer.company_name)
    assert visitor.locator("progress").get_attribute("value") == "12.5"
    assert visitor.get_attribute("html", "dir") == "rtl"
    assert visitor_errors == []

    # Revoked from the same box, the link is a plain 404.
    page.click("#progress-link-revoke")
    expect(page.locator("#progress-link")).to_contain_text("أُلغي الرابط")
    expect(page.locator("#progress-link-revoke")).to_have_count(0)
    gone = browser.new_context().new_page()  # its 404 is logged by the browser: not watched
    response = gone.goto(url)
    assert response is not None and response.status == 404
    assert customer.company_name not in gone.content()
    assert errors == []
