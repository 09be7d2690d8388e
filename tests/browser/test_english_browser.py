"""A real browser: the language switch gives a left-to-right English console, and back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_english_switch_gives_an_ltr_english_console(
    live_server: Any, page: Page, watch: Callable[..., Any], log_in: Callable[..., Any]
) -> None:
    call_command("seed_demo", force=True)
    errors, _outside = watch(page)
    log_in(page, "founder")
    assert page.get_attribute("html", "dir") == "rtl"

    page.click("button[name=language][value=en]")

    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    assert page.get_attribute("html", "lang") == "en"
    nav = page.locator("nav.nav")
    expect(nav).to_contain_text("Customers")
    expect(nav).to_contain_text("Connector board")
    expect(nav).to_contain_text("Approvals")
    page.click("nav.nav a[href='/customers/']")
    expect(page.locator("h1")).to_have_text("Customers")
    expect(page.locator("#customer-table thead")).to_contain_text("Bundle")
    page.click("nav.nav a[href='/connectors/']")
    expect(page.locator("h1")).to_have_text("Connector board")
    expect(page.locator(".board thead")).to_contain_text("Moyasar (manual invoice)")
    # The board's first column sits on the left in English (logical CSS, no RTL-only rules).
    first = page.locator(".board thead th").first.bounding_box()
    last = page.locator(".board thead th").last.bounding_box()
    assert first is not None and last is not None and first["x"] < last["x"]

    page.click("button[name=language][value=ar]")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("h1")).to_have_text("لوحة القنوات")
    assert errors == []
