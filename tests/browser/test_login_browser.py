"""A real browser: Debian's Chromium driven by Playwright against the live test server."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_operator_logs_in_and_sees_the_arabic_home_page(
    live_server: Any, page: Page, watch: Callable[..., Any]
) -> None:
    call_command("seed_demo", force=True)
    console_errors, outside = watch(page)

    page.goto(f"{live_server.url}/")
    page.fill("#id_username", "operator")
    page.fill("#id_password", "dealix-demo")
    page.click("button[type=submit].button--primary")

    expect(page).to_have_url(f"{live_server.url}/")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.get_attribute("html", "lang") == "ar"
    expect(page.locator("h1")).to_contain_text("أهلاً")
    expect(page.locator(".stat__label").first).to_be_visible()
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Noto Sans Arabic" in font
    assert console_errors == []
    assert outside == []
