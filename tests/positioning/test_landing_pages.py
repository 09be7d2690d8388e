"""The two landing pages as files: Arabic RTL, CSP-safe, self-contained, and honest."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from positioning.claims import check_claims
from tests.positioning.corpus import LANDING_DIR, PAGE_NAMES, page, parse_page, read_required

STYLESHEET_HREF = "../landing/landing.css"
COMPANY_ADDRESS = "hello@dealix.sa"

# Claims of the legacy marketers page that nobody can prove (SPEC_RULES §11.2), in any form.
LEGACY_UNPROVEN = (
    "ROAS",
    "+34%",
    "34%",
    "88%",
    "4.8",
    "★",
    "99.9",
    "uptime",
    "SOC 2",
    "SOC2",
    "24/7",
    "ZATCA",
    "الزكاة",
    "mobile app",
    "تطبيق جوال",
    "تطبيق الجوال",
    "autonomous",
    "ضمانات",
)


def _attributes(name: str) -> list[tuple[str, dict[str, str]]]:
    return list(parse_page(page(name)).tags)


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_landing_page_is_arabic_right_to_left(name: str) -> None:
    html = page(name)
    tags = _attributes(name)

    assert re.search(r'<html lang="ar" dir="rtl">', html)
    assert ("meta", {"charset": "utf-8"}) in tags
    assert sum(1 for tag, _ in tags if tag == "h1") == 1


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_landing_page_has_no_inline_script_or_style(name: str) -> None:
    html = page(name)
    tags = _attributes(name)

    assert "<script" not in html.lower()
    assert "<style" not in html.lower()
    assert [tag for tag, attrs in tags if "style" in attrs] == []
    assert [(tag, a) for tag, attrs in tags for a in attrs if a.startswith("on")] == []
    assert "javascript:" not in html.lower()


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_landing_page_links_the_shared_stylesheet_relatively(name: str) -> None:
    stylesheets = [attrs for tag, attrs in _attributes(name) if tag == "link"]

    assert stylesheets == [{"rel": "stylesheet", "href": STYLESHEET_HREF}]
    assert (LANDING_DIR / STYLESHEET_HREF).resolve() == (LANDING_DIR / "landing.css").resolve()


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_landing_page_makes_no_request_to_another_host(name: str) -> None:
    html = page(name)
    urls = [
        value
        for _, attrs in _attributes(name)
        for key, value in attrs.items()
        if key in {"href", "src", "srcset", "action", "poster", "data"}
    ]

    assert not re.search(r"https?://|(?<![:\w])//[\w.-]+\.\w", html)
    for url in urls:
        parts = urlsplit(url)
        assert parts.scheme in {"", "mailto"}, url
        assert not parts.netloc, url


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_landing_page_links_resolve(name: str) -> None:
    tags = _attributes(name)
    ids = {attrs["id"] for _, attrs in tags if "id" in attrs}

    for _, attrs in tags:
        href = attrs.get("href")
        if href is None:
            continue
        parts = urlsplit(href)
        if parts.scheme == "mailto":
            # A company address, never a person's mailbox.
            assert parts.path == COMPANY_ADDRESS, href
        elif href.startswith("#"):
            assert href[1:] in ids, href
        else:
            assert (LANDING_DIR / parts.path).resolve().is_file(), href


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_landing_page_passes_the_claims_checker(name: str) -> None:
    report = check_claims(parse_page(page(name)).text)

    assert report.findings == ()


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_landing_page_passes_the_claims_checker_as_raw_html(name: str) -> None:
    # Attributes and markup too: nothing hides in a title or an alt text.
    assert check_claims(page(name)).ok


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_landing_page_carries_approval_first_and_proof_pack(name: str) -> None:
    text = parse_page(page(name)).text

    assert "Approval-first" in text
    assert "Proof Pack" in text


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_landing_page_repeats_none_of_the_legacy_unproven_claims(name: str) -> None:
    text = parse_page(page(name)).text

    assert [claim for claim in LEGACY_UNPROVEN if claim.lower() in text.lower()] == []


def test_companies_page_follows_the_locked_structure() -> None:
    html = page("companies.html")
    parsed = parse_page(html)
    section_ids = [attrs["id"] for tag, attrs in parsed.tags if tag == "section" and "id" in attrs]

    assert section_ids == [
        "problem",
        "how",
        "bundles",
        "commitments",
        "proof-pack",
        "security",
        "start",
    ]
    assert "<title>Dealix للشركات — Saudi Revenue Execution OS</title>" in html
    assert '<h1 id="hero-title">Dealix للشركات</h1>' in html
    assert "حوّل بياناتك وقنواتك إلى فرص ورسائل واجتماعات وProof Pack." in parsed.text
    assert "التزامات Dealix" in parsed.text
    assert html.count('class="metric"') == 6
    assert "Free%20Diagnostic" in html
    assert "12-minute%20demo" in html


def test_marketers_page_is_the_agency_path() -> None:
    text = parse_page(page("marketers.html")).text

    for fragment in (
        "Agency Growth OS",
        "Agency Partner Mode",
        "Private Beta",
        "Pilot مشتركاً على عميل حقيقي",
        "بعلامتك وعلامتنا",
        "مشاركة في الإيراد",
    ):
        assert fragment in text


# ── The stylesheet ────────────────────────────────────────────────────────────────────────────


def _css() -> str:
    return read_required(LANDING_DIR / "landing.css")


def test_stylesheet_loads_nothing_from_another_host() -> None:
    css = _css()

    assert "@import" not in css
    for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css):
        assert not urlsplit(url).scheme, url
        assert not urlsplit(url).netloc, url
        assert (LANDING_DIR / url).resolve().is_file(), url


def test_stylesheet_uses_logical_properties_only() -> None:
    css = re.sub(r"/\*.*?\*/", "", _css(), flags=re.S)

    physical = re.findall(
        r"(?<![\w-])(?:margin|padding|border)-(?:left|right)\b|(?<![\w-])(?:left|right)\s*:"
        r"|text-align:\s*(?:left|right)|float:\s*(?:left|right)",
        css,
    )

    assert physical == []


def test_stylesheet_names_the_arabic_font_stack() -> None:
    assert 'font-family: "Noto Sans Arabic", "Noto Naskh Arabic", Tahoma, sans-serif;' in _css()
