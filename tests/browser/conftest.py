"""Browser helpers shared by the console's Playwright tests: watch a page, log in a demo user."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

DEMO_PASSWORD = "dealix-demo"  # the password `seed_demo` gives its users

Watch = Callable[[Page], tuple[list[str], list[str]]]
LogIn = Callable[[Page, str], None]

# Assertions wait for htmx round trips (a region refreshing after an event, a poll): on a busy
# 2-core CI machine a live server and Chromium can take longer than Playwright's 5 s default.
expect.set_options(timeout=15_000)

# A region refreshed by events cancels its refresh in flight when a newer event arrives
# (`hx-sync="this:replace"`), and htmx logs that cancellation as an error. It is not one: a failed
# request still logs `htmx:responseError` or `htmx:sendError`, which are kept.
_CANCELLED_REFRESH = ("htmx:sendAbort", "htmx:afterRequest")


def is_console_error(msg: ConsoleMessage) -> bool:
    """A console message that is a real error (not a cancelled region refresh)."""
    return msg.type == "error" and not msg.text.startswith(_CANCELLED_REFRESH)


@pytest.fixture
def watch(live_server: Any) -> Watch:
    """Collect a page's console errors and page errors, and its requests off the live server."""

    def start(page: Page) -> tuple[list[str], list[str]]:
        errors: list[str] = []
        outside: list[str] = []
        page.on("console", lambda msg: errors.append(msg.text) if is_console_error(msg) else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on(
            "request",
            lambda req: None if req.url.startswith(live_server.url) else outside.append(req.url),
        )
        return errors, outside

    return start


@pytest.fixture
def log_in(live_server: Any) -> LogIn:
    """Sign a page in through the login form as a seeded demo user; it lands on the home page."""

    def sign_in(page: Page, username: str) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("button[type=submit].button--primary")
        expect(page).to_have_url(f"{live_server.url}/")

    return sign_in
