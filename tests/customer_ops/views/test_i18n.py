"""English console: every UI string translated; dates in Riyadh with Hijri; numbers localised."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from customer_ops.domain.connectors import SUPPORTED_CONNECTORS
from customer_ops.domain.onboarding import ONBOARDING_STEPS
from customer_ops.templatetags.ops import data_label, hijri_text, riyadh
from tests.factories import make_customer, make_draft

ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")
PO_FILE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


class VisibleText(HTMLParser):
    """The text a reader sees, minus elements marked lang="ar" (the switch back to Arabic)."""

    VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []
        self.chunks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            # An input's value is what the user typed (content); its labels are chrome.
            self.chunks.extend(
                value
                for name, value in attrs
                if name in {"placeholder", "aria-label", "title"} and value
            )
            return
        hidden = tag in {"script", "style"} or ("lang", "ar") in attrs
        self.stack.append(hidden or bool(self.stack and self.stack[-1]))
        if not self.stack[-1]:
            for name, value in attrs:
                if name in {"aria-label", "title", "placeholder", "hx-confirm"} and value:
                    self.chunks.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            self.chunks.append(data)


def arabic_in_ui(html: str, *, content: tuple[str, ...] = ()) -> list[str]:
    parser = VisibleText()
    # Stored text keeps its Latin runs isolated (`isolate_latin`: plain `<bdi>` inside the text);
    # read it as one piece so it still matches the stored content it is.
    parser.feed(re.sub(r"</?bdi>", "", html))
    text = " ".join(parser.chunks)
    for value in content:  # stored data (company names) stays as the customer wrote it
        text = text.replace(value, "")
    return [chunk for chunk in re.split(r"\s{2,}|\n", text) if ARABIC.search(chunk)]


@pytest.mark.django_db
def test_console_pages_are_fully_english_with_the_english_switch(
    english_client: Client, founder: Any, operator: Any
) -> None:
    customer = make_customer(actor=founder, name="Acme Trading", city="Riyadh", sector="Retail")
    make_draft(
        customer=customer,
        author=operator,
        subject="Weekly update",
        body="Hello, here is the update.",
    )
    urls = [
        reverse("home"),
        reverse("customers"),
        reverse("customer-new"),
        reverse("customer-page", kwargs={"customer_id": customer.pk}),
        reverse("connector-board"),
        reverse("approvals-inbox"),
    ]

    for url in urls:
        response = english_client.get(url)
        html = response.content.decode()

        assert response.status_code == 200, url
        assert '<html lang="en" dir="ltr">' in html, url
        assert arabic_in_ui(html) == [], url


@pytest.mark.django_db
def test_customer_list_heading_and_nav_are_english_while_content_stays_arabic(
    english_client: Client, founder: Any
) -> None:
    make_customer(actor=founder, name="شركة نمو للتدريب")

    html = english_client.get(reverse("customers")).content.decode()

    assert "<h1>Customers</h1>" in html
    assert arabic_in_ui(html, content=("شركة نمو للتدريب",)) == []
    assert "شركة نمو للتدريب" in html


@pytest.mark.django_db
def test_arabic_is_the_default_and_right_to_left(operator_client: Client) -> None:
    html = operator_client.get(reverse("customers")).content.decode()

    assert '<html lang="ar" dir="rtl">' in html
    assert "<h1>العملاء</h1>" in html
    assert arabic_in_ui(html)  # the checker does see Arabic chrome when it is there


def _po_entries(path: Path = PO_FILE) -> list[tuple[str, str]]:
    """(msgid, msgstr) pairs of the live entries; a plural entry gives one pair per form
    (msgid_plural with each msgstr[n]), so an empty or Arabic form is caught like any other."""
    entries: list[tuple[str, str]] = []
    parts: dict[str, str] = {}
    key = ""

    def flush() -> None:
        if parts.get("msgid"):
            forms = sorted(k for k in parts if k.startswith("msgstr"))
            source = parts.get("msgid_plural", parts["msgid"])
            entries.extend(
                (source if k != "msgstr[0]" else parts["msgid"], parts[k]) for k in forms
            )

    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith(("msgid ", "msgid_plural ", "msgstr ", "msgstr[")):
            key, _, rest = line.partition(" ")
            parts[key] = rest[1:-1]
        elif line.startswith('"') and key:
            parts[key] += line[1:-1]
        elif not line.strip() and key:
            flush()
            parts, key = {}, ""
    return entries


def test_english_catalogue_translates_every_arabic_string() -> None:
    entries = _po_entries()

    untranslated = [msgid for msgid, msgstr in entries if not msgstr and ARABIC.search(msgid)]
    still_arabic = [msgid for msgid, msgstr in entries if ARABIC.search(msgstr)]
    assert len(entries) > 300
    assert untranslated == []
    assert still_arabic == []


def test_compiled_catalogue_is_up_to_date(tmp_path: Path) -> None:
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(PO_FILE)], check=True)

    assert compiled.read_bytes() == PO_FILE.with_suffix(".mo").read_bytes()


def test_catalog_and_checklist_labels_have_english_text() -> None:
    labels = [c.label_ar for c in SUPPORTED_CONNECTORS] + [s.label_ar for s in ONBOARDING_STEPS]

    with translation.override("en"):
        english = [data_label(label) for label in labels]

    assert [label for label in english if ARABIC.search(label)] == []


def test_riyadh_shows_the_riyadh_day_with_its_hijri_date_in_arabic() -> None:
    # 21:30 UTC on 16 May 2026 is already 17 May in Riyadh (UTC+3): 30 Dhu al-Qa'dah 1447.
    moment = dt.datetime(2026, 5, 16, 21, 30, tzinfo=dt.UTC)

    with translation.override("ar"):
        html = str(riyadh(moment))

    assert 'datetime="2026-05-17T00:30:00+03:00"' in html
    assert "17 مايو" in html
    assert "30 ذو القعدة 1447 هـ" in html


def test_riyadh_names_months_in_english_in_the_english_console() -> None:
    moment = dt.datetime(2026, 5, 16, 21, 30, tzinfo=dt.UTC)

    with translation.override("en"):
        html = str(riyadh(moment))
        date_only = str(riyadh(dt.date(2026, 3, 20)))

    assert "May 17, 2026" in html
    assert "30 Dhu al-Qa&#x27;dah 1447 AH" in html
    assert "1 Shawwal 1447 AH" in date_only


def test_hijri_outside_the_supported_range_is_left_out() -> None:
    assert hijri_text(dt.date(1800, 1, 1)) == ""
    assert riyadh(None) == ""


@pytest.mark.django_db
def test_aria_values_stay_unlocalised_while_text_is_localised(
    operator_client: Client, founder: Any
) -> None:
    from customer_ops.services.onboarding import onboarding_set_step

    customer = make_customer(actor=founder)
    onboarding_set_step(
        customer_id=customer.pk,
        step_id="select_goal",
        completed=True,
        actor=founder,
        now=dt.datetime.now(dt.UTC),
    )

    html = operator_client.get(
        reverse("customer-page", kwargs={"customer_id": customer.pk})
    ).content.decode()

    assert 'aria-valuenow="12.5"' in html
    assert 'value="12.5"' in html
    assert "12,5%" in html  # Arabic formats use the decimal comma
