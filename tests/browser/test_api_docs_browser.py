"""/api/docs/ renders Swagger UI under our CSP, from our own pinned static files (#17)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_docs_list_the_operations_without_leaving_the_site(
    live_server: Any, page: Page
) -> None:
    call_command("seed_demo", force=True)
    blocked: list[str] = []
    page.on("console", lambda msg: blocked.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: blocked.append(str(exc)))
    outside: list[str] = []
    page.on(
        "request",
        lambda req: outside.append(req.url) if not req.url.startswith(live_server.url) else None,
    )
    page.goto(f"{live_server.url}/")
    page.fill("#id_username", "founder")
    page.fill("#id_password", "dealix-demo")
    page.click("button[type=submit].button--primary")

    page.goto(f"{live_server.url}/api/docs/")

    expect(page.locator(".opblock").first).to_be_visible()
    expect(page.locator(".opblock-summary-path").first).to_contain_text("/api/")
    assert page.locator(".opblock").count() > 20
    assert outside == []
    assert blocked == []
