"""A real browser: an operator opens a ticket and sees its priority appear while typing; the queue's
countdowns tick without a reload; the reply draft reaches the approvals inbox."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from customer_ops.models import OutboundDraft, Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_operator_creates_a_ticket_and_sees_the_auto_priority_as_they_type(
    live_server: Any, page: Page, watch: Callable[..., Any], log_in: Callable[..., Any]
) -> None:
    call_command("seed_demo", force=True)
    before = Ticket.objects.count()
    errors, outside = watch(page)
    log_in(page, "operator")

    page.click("nav.nav a[href='/tickets/']")
    page.click("a[href='/tickets/new/']")
    preview = page.locator("#priority-preview")
    expect(preview).to_contain_text("اكتب الموضوع")
    page.select_option("#id_customer", label="شركة نمو للتدريب")
    page.locator("#id_subject").press_sequentially("سؤال عن الفاتورة", delay=20)
    expect(preview.locator("[data-priority]")).to_have_attribute("data-priority", "P3")
    page.locator("#id_body").press_sequentially("يبدو أن هناك تسريب في البيانات", delay=20)
    # The debounced request answers once typing pauses: the leak keyword makes it P0.
    expect(preview.locator("[data-priority]")).to_have_attribute("data-priority", "P0")
    expect(preview.locator(".keyword")).to_have_text("تسريب")
    assert Ticket.objects.count() == before  # classifying saved nothing

    page.click("#ticket-form button[type=submit]")

    expect(page.locator("h1")).to_contain_text("سؤال عن الفاتورة")
    ticket = Ticket.objects.order_by("-pk").first()
    assert ticket is not None and (ticket.priority, ticket.matched_keyword) == ("P0", "تسريب")
    expect(page.locator("#ticket-panel .prio--P0")).to_be_visible()
    # The first-response clock counts down in the page, without a reload.
    countdown = page.locator("#ticket-panel .countdown__value").first
    first = countdown.inner_text()
    page.wait_for_timeout(1600)
    assert countdown.inner_text() != first

    page.click("#ticket-reply [data-action=reply]")
    expect(page.locator("#ticket-reply .message--success")).to_be_visible()
    assert OutboundDraft.objects.filter(ticket=ticket, status="pending").exists()
    assert page.get_attribute("html", "dir") == "rtl"
    assert errors == []
    assert outside == []


def test_queue_filters_by_htmx_keep_the_url_and_pause_a_ticket(
    live_server: Any, page: Page, watch: Callable[..., Any], log_in: Callable[..., Any]
) -> None:
    call_command("seed_demo", force=True)
    errors, outside = watch(page)
    log_in(page, "operator")

    page.goto(f"{live_server.url}/tickets/")
    rows = page.locator("#queue-table tbody tr[data-sla-row]")
    expect(rows.first).to_be_visible()
    page.select_option("#id_priority", "P0")
    expect(page).to_have_url(re.compile(r"/tickets/\?.*priority=P0"))  # hx-push-url
    for text in rows.all_inner_texts():
        assert "P0" in text
    rows.first.locator("a.strong-link").click()
    page.click("#ticket-panel [data-move=pending_customer]")
    expect(page.locator("#ticket-status")).to_have_text("بانتظار العميل")
    expect(page.locator("#ticket-events")).to_contain_text("إيقاف مؤقت")
    assert page.get_attribute("html", "dir") == "rtl"
    assert errors == []
    assert outside == []
