"""The landing pages as the app serves them: no login, strict CSP, and clean in a real browser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page

LANDING = Path(settings.BASE_DIR) / "landing"
PAGES = ["companies", "marketers"]


@pytest.mark.parametrize("name", PAGES)
def test_landing_page_is_served_without_login(client: Client, name: str) -> None:
    response = client.get(f"/landing/{name}/", follow=True)

    assert response.redirect_chain == [(f"/landing/{name}.html", 301)]
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert b"".join(response.streaming_content) == (LANDING / f"{name}.html").read_bytes()
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_landing_stylesheet_is_served(client: Client) -> None:
    response = client.get("/landing/landing.css")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")


@pytest.mark.parametrize("path", ["/landing/secret/", "/landing/../manage.py", "/landing/x.css"])
def test_only_the_landing_files_are_served(client: Client, path: str) -> None:
    assert client.get(path).status_code == 404


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", PAGES)
def test_served_landing_page_renders_cleanly_in_chromium(
    live_server: Any, page: Page, name: str
) -> None:
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on(
        "request",
        lambda req: (
            problems.append(f"outside request {req.url}")
            if not req.url.startswith(live_server.url)
            else None
        ),
    )
    page.on(
        "response",
        lambda res: problems.append(f"{res.status} {res.url}") if res.status >= 400 else None,
    )

    page.goto(f"{live_server.url}/landing/{name}/")
    page.wait_for_load_state("networkidle")

    assert page.get_attribute("html", "dir") == "rtl"
    assert page.locator("h1").first.is_visible()
    assert "Noto Sans Arabic" in page.evaluate("getComputedStyle(document.body).fontFamily")
    assert problems == []
