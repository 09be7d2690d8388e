"""The landing pages in a real browser: Debian's Chromium, opened straight from the files.

Skipped, with the reason, when /usr/bin/chromium is missing; REQUIRE_BROWSER=1 makes that a
failure (CI sets it). Install with `apt-get install -y chromium fonts-noto-core`; never with
`playwright install`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.positioning.corpus import LANDING_DIR, PAGE_NAMES

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT_DIR = Path("/tmp")  # noqa: S108 - a place to look at the pages, not a secret


@pytest.fixture(scope="module")
def chromium(request: pytest.FixtureRequest) -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {CHROMIUM} is missing")
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install -y chromium fonts-noto-core)")
    # pytest-playwright's session `playwright` fixture is the sync API's one instance per
    # session: a second sync_playwright() next to the app's browser tests would refuse to start.
    # The launch arguments (Debian's Chromium and its flags) are the shared ones of tests/conftest.py.
    playwright = request.getfixturevalue("playwright")
    browser = playwright.chromium.launch(**request.getfixturevalue("browser_type_launch_args"))
    yield browser
    browser.close()


@pytest.fixture
def opened(chromium: Any, request: pytest.FixtureRequest) -> Iterator[dict[str, Any]]:
    name = request.param
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="ar-SA")
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda req: requests.append(req.url))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto((LANDING_DIR / name).resolve().as_uri(), wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    yield {"name": name, "page": page, "requests": requests, "errors": errors}
    context.close()


@pytest.mark.parametrize("opened", PAGE_NAMES, indirect=True)
def test_landing_page_renders_rtl_with_its_stylesheet_and_nothing_else(
    opened: dict[str, Any],
) -> None:
    page = opened["page"]

    h1 = page.locator("h1")
    font_family = page.evaluate("getComputedStyle(document.body).fontFamily")
    body_background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    hero_background = page.evaluate(
        "getComputedStyle(document.querySelector('.hero')).backgroundImage"
    )
    page.screenshot(
        path=str(SCREENSHOT_DIR / f"dealix-landing-{opened['name']}.png"), full_page=True
    )

    assert page.get_attribute("html", "dir") == "rtl"
    assert page.get_attribute("html", "lang") == "ar"
    assert h1.count() == 1
    assert h1.is_visible()
    assert "Noto Sans Arabic" in font_family
    assert body_background == "rgb(246, 247, 251)"
    assert "linear-gradient" in hero_background
    assert [url for url in opened["requests"] if not url.startswith("file://")] == []
    assert opened["errors"] == []


@pytest.mark.parametrize("opened", PAGE_NAMES, indirect=True)
def test_landing_page_headline_sits_on_the_right(opened: dict[str, Any]) -> None:
    page = opened["page"]

    box = page.locator("h1").bounding_box()
    width = page.evaluate("document.documentElement.clientWidth")

    assert box is not None
    # RTL: the heading starts at the right edge of the content column.
    assert box["x"] + box["width"] > width / 2


@pytest.mark.parametrize("opened", PAGE_NAMES, indirect=True)
def test_landing_page_fits_a_phone_screen(opened: dict[str, Any]) -> None:
    page = opened["page"]

    page.set_viewport_size({"width": 375, "height": 740})
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )

    assert overflow <= 0
    assert page.locator("h1").is_visible()
