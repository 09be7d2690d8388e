"""The documents and landing pages under test, and small readers for their Markdown and HTML.

A missing document or page is a test failure, never a skip: the original suite read a missing
file as "" and silently scanned nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
POSITIONING_DIR = REPO_ROOT / "positioning"
LANDING_DIR = REPO_ROOT / "landing"

DOC_NAMES: tuple[str, ...] = (
    "POSITIONING_LOCK.md",
    "PROHIBITED_CLAIMS.md",
    "APPROVED_MARKET_MESSAGING.md",
    "ONBOARDING_RUNBOOK.md",
    "SUPPORT_SLA.md",
    "INCIDENT_RESPONSE.md",
    "CUSTOMER_SUCCESS_PLAYBOOK.md",
    "CONNECTOR_SETUP_GUIDES.md",
)
PAGE_NAMES: tuple[str, ...] = ("companies.html", "marketers.html")


def read_required(path: Path) -> str:
    """The file's text; a missing or empty file fails the calling test."""
    if not path.is_file():
        pytest.fail(f"required file is missing: {path.relative_to(REPO_ROOT)}")
    text = path.read_text(encoding="utf-8")
    if not text.strip():
        pytest.fail(f"required file is empty: {path.relative_to(REPO_ROOT)}")
    return text


def doc(name: str) -> str:
    return read_required(POSITIONING_DIR / name)


def page(name: str) -> str:
    return read_required(LANDING_DIR / name)


# ── Markdown ──────────────────────────────────────────────────────────────────────────────────

_TABLE_ROW = re.compile(r"^\|(.*)\|[ \t]*$")
_SEPARATOR = re.compile(r"^[\s|:-]+$")


def markdown_tables(markdown: str) -> list[list[dict[str, str]]]:
    """Every pipe table in the document, as a list of rows keyed by the header cells."""
    tables: list[list[dict[str, str]]] = []
    block: list[list[str]] = []
    for line in [*markdown.splitlines(), ""]:
        row = _TABLE_ROW.match(line.strip())
        if row:
            block.append([cell.strip() for cell in row.group(1).split("|")])
            continue
        if len(block) >= 2 and _SEPARATOR.match("|".join(block[1])):
            header, *rows = [block[0], *block[2:]]
            tables.append([dict(zip(header, cells, strict=True)) for cells in rows])
        block = []
    return tables


def table_with_header(markdown: str, first_header: str) -> list[dict[str, str]]:
    """The one table whose first header cell is `first_header`."""
    found = [t for t in markdown_tables(markdown) if t and next(iter(t[0])) == first_header]
    assert len(found) == 1, f"expected one table headed {first_header!r}, found {len(found)}"
    return found[0]


def unquote_code(cell: str) -> str:
    """`gmail` -> gmail; text without backticks is returned stripped."""
    return cell.strip().strip("`")


def markdown_sections(markdown: str, level: int = 2) -> dict[str, str]:
    """Heading text -> the section body up to the next heading of the same or a higher level."""
    heading = re.compile(rf"^#{{1,{level}}} (.+)$", re.M)
    marks = list(heading.finditer(markdown))
    return {
        mark.group(1).strip(): markdown[mark.end() : nxt.start() if nxt else len(markdown)]
        for mark, nxt in zip(marks, [*marks[1:], None], strict=True)
    }


# ── HTML ──────────────────────────────────────────────────────────────────────────────────────

_BLOCK_TAGS = frozenset(
    {
        "p", "li", "ul", "ol", "h1", "h2", "h3", "h4", "section", "article", "header", "footer",
        "main", "nav", "div", "summary", "details", "title", "br", "td", "th", "tr",
    }
)  # fmt: skip
_TEXT_ATTRIBUTES = frozenset({"alt", "title", "aria-label", "placeholder"})


class _PageReader(HTMLParser):
    """Collects visible text (plus meta descriptions and text attributes), one block per line,
    every start tag with its attributes, and the texts of the bundle cards."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.bundles: dict[str, dict[str, str]] = {}
        self._bundle: str | None = None
        self._field: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.tags.append((tag, values))
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if tag == "meta" and values.get("name") == "description":
            self.parts.append("\n" + values.get("content", "") + "\n")
        for name in sorted(_TEXT_ATTRIBUTES & values.keys()):
            self.parts.append("\n" + values[name] + "\n")
        if "data-bundle" in values:
            self._bundle = values["data-bundle"]
            self.bundles[self._bundle] = {}
        elif self._bundle is not None:
            bundle_classes = [
                c for c in values.get("class", "").split() if c.startswith("bundle__")
            ]
            self._field = bundle_classes[0].removeprefix("bundle__") if bundle_classes else None

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if tag == "article":
            self._bundle = None
        self._field = None

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
        if self._bundle is not None and self._field is not None:
            card = self.bundles[self._bundle]
            card[self._field] = (card.get(self._field, "") + data).strip()


@dataclass(frozen=True)
class ParsedPage:
    text: str
    """Visible text, one block per line: what a reader (and the claims checker) sees."""
    tags: tuple[tuple[str, dict[str, str]], ...]
    bundles: dict[str, dict[str, str]]
    """data-bundle id -> {"name": ..., "name-ar": ..., "price": ..., "contents": ...}"""


def parse_page(html: str) -> ParsedPage:
    reader = _PageReader()
    reader.feed(html)
    reader.close()
    text = re.sub(r"[ \t]*\n\s*", "\n", "".join(reader.parts)).strip()
    return ParsedPage(text=text, tags=tuple(reader.tags), bundles=reader.bundles)
