"""A 390 px phone: the queue keeps its SLA countdowns visible as cards, the menu collapses behind
its button, and the customer's progress page never scrolls sideways."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from customer_ops.models import Customer
from customer_ops.services.links import progress_link_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _phone(browser: Browser) -> Page:
    return browser.new_context(viewport=PHONE, locale="ar").new_page()


def _page_width(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def test_queue_shows_each_sla_countdown_on_a_phone_without_sideways_scroll(
    live_server: Any, browser: Browser, watch: Callable[..., Any], log_in: Callable[..., Any]
) -> None:
    call_command("seed_demo", force=True)
    page = _phone(browser)
    errors, _outside = watch(page)
    log_in(page, "operator")

    page.goto(f"{live_server.url}/tickets/?status=open")

    countdowns = page.locator("#queue-table .queue__row .countdown")
    expect(countdowns.first).to_be_visible()
    assert countdowns.count() >= 1
    for index in range(countdowns.count()):
        box = countdowns.nth(index).bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], index
    assert _page_width(page) <= PHONE["width"]
    assert page.evaluate(
        "document.querySelector('#queue-table .table-scroll').scrollWidth"
        " <= document.querySelector('#queue-table .table-scroll').clientWidth"
    )
    head = page.locator("#queue-table thead").bounding_box()  # kept for screen readers only
    assert head is not None and head["height"] <= 1
    assert errors == []


def test_menu_collapses_behind_its_button_on_a_phone(
    live_server: Any, browser: Browser, watch: Callable[..., Any], log_in: Callable[..., Any]
) -> None:
    call_command("seed_demo", force=True)
    page = _phone(browser)
    errors, _outside = watch(page)
    log_in(page, "operator")

    toggle = page.locator(".menu-toggle")
    expect(toggle).to_be_visible()
    expect(page.locator("#main-nav")).not_to_be_visible()
    assert _page_width(page) <= PHONE["width"]

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#main-nav")).to_be_visible()
    page.click("#main-nav a[href='/tickets/']")
    expect(page).to_have_url(f"{live_server.url}/tickets/")
    expect(page.locator("#main-nav")).not_to_be_visible()  # a new page starts collapsed
    assert errors == []


def test_menu_stays_open_on_a_desktop(
    live_server: Any, page: Page, log_in: Callable[..., Any]
) -> None:
    call_command("seed_demo", force=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, "operator")

    expect(page.locator("#main-nav")).to_be_visible()
    expect(page.locator(".menu-toggle")).not_to_be_visible()


def test_customer_progress_page_never_overflows_a_phone(
    live_server: Any, browser: Browser, settings: Any
) -> None:
    settings.PUBLIC_BASE_URL = live_server.url
    call_command("seed_demo", force=True)
    founder = get_user_model().objects.get(username="founder")
    for customer in Customer.objects.all():
        issued = progress_link_create(customer_id=customer.pk, actor=founder, now=timezone.now())
        page = _phone(browser)

        response = page.goto(issued.url)

        assert response is not None and response.status == 200
        expect(page.locator(".progress__label")).to_be_visible()
        assert "٪" not in page.locator(".progress__label").inner_text()
        assert _page_width(page) <= PHONE["width"], customer.company_name
        page.context.close()
