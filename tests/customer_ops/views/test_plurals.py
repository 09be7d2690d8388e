"""Every count goes through plural forms: six in Arabic (locale/ar), two in English (locale/en).

Arabic source strings cannot agree a noun with a number by themselves («3 يوم», «منذ 5 ساعة»):
each count is a `{% blocktranslate count %}` / `ngettext` message whose six Arabic forms live in
locale/ar and whose two English ones live in locale/en; the domain's text goes through
`domain/plurals.py`. A scan of the templates and the code fails on a number written straight
before a counted noun.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.translation import ngettext

from customer_ops.templatetags.ops import ago, minutes_short

ROOT = Path(settings.BASE_DIR)
AR_PO = ROOT / "locale" / "ar" / "LC_MESSAGES" / "django.po"
EN_PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
ARABIC = re.compile(r"[\u0600-\u06FF]")
# Nouns that are counted somewhere in the console or in text sent to customers.
NOUNS = (
    "يوم|يوماً|أيام|ساعة|ساعات|دقيقة|دقائق|أسبوع|أسابيع|خطوة|خطوات|حقل|حقول|قناة|قنوات|تذكرة|"
    "تذاكر|مسودة|مسودات|رد|ردود|رسالة|رسائل|شركة|شركات|اجتماع|اجتماعات|عميل|عملاء|مخاطر"
)
NUMBER_BEFORE_NOUN = re.compile(
    r"(?:\{\{ *\w+ *\}\}|%\(\w+\)s|\{[^{}]+\})\s*(?:" + NOUNS + r")(?![\w\u0600-\u06FF])"
)
PLURAL_CALLS = {"ngettext", "ngettext_lazy", "npgettext"}


def _plural_entries(path: Path) -> dict[tuple[str, str], list[str]]:
    """(msgid, msgid_plural) → the msgstr forms, of the plural entries of a catalogue."""
    entries: dict[tuple[str, str], list[str]] = {}
    parts: dict[str, str] = {}
    key = ""
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
        if match:
            key = match.group(1)
            parts[key] = match.group(2)
        elif line.startswith('"') and key:
            parts[key] += line[1:-1]
        elif not line.strip():
            if parts.get("msgid") and "msgid_plural" in parts:
                forms = sorted(k for k in parts if k.startswith("msgstr["))
                entries[(parts["msgid"], parts["msgid_plural"])] = [parts[k] for k in forms]
            parts, key = {}, ""
    return entries


def _placeholders(text: str) -> dict[str, object]:
    return dict.fromkeys(re.findall(r"%\((\w+)\)s", text), 7)


def test_arabic_catalogue_declares_six_plural_forms() -> None:
    header = AR_PO.read_text(encoding="utf-8")

    assert (
        '"Plural-Forms: nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && '
        'n%100<=10 ? 3 : n%100>=11 ? 4 : 5);\\n"'
    ) in header


def test_every_plural_message_has_six_arabic_forms_and_two_english_ones() -> None:
    arabic, english = _plural_entries(AR_PO), _plural_entries(EN_PO)

    assert len(arabic) >= 10
    assert set(arabic) == set(english)
    for key, forms in arabic.items():
        assert len(forms) == 6 and all(forms), key
        assert all(ARABIC.search(form) for form in forms), key
    for key, forms in english.items():
        assert len(forms) == 2 and all(forms), key
        assert not any(ARABIC.search(form) for form in forms), key


def test_compiled_arabic_catalogue_is_up_to_date(tmp_path: Path) -> None:
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(AR_PO)], check=True)

    assert compiled.read_bytes() == AR_PO.with_suffix(".mo").read_bytes()


@pytest.mark.parametrize("n", [0, 1, 2, 3, 11, 100])
def test_every_plural_message_renders_its_own_arabic_form(n: int) -> None:
    arabic = _plural_entries(AR_PO)
    form = 0 if n == 0 else 1 if n == 1 else 2 if n == 2 else 3 if n == 3 else 4 if n == 11 else 5

    with translation.override("ar"):
        for (singular, plural), forms in arabic.items():
            text = ngettext(singular, plural, n) % _placeholders(plural)
            assert text == forms[form] % _placeholders(plural), singular


@pytest.mark.parametrize(("n", "form"), [(1, 0), (2, 1)])
def test_every_plural_message_renders_its_english_form(n: int, form: int) -> None:
    english = _plural_entries(EN_PO)

    with translation.override("en"):
        for (singular, plural), forms in english.items():
            assert ngettext(singular, plural, n) % _placeholders(plural) == (
                forms[form] % _placeholders(plural)
            )


def test_no_template_writes_a_number_straight_before_a_counted_noun() -> None:
    found = []
    block = re.compile(
        r"\{% blocktranslate(?P<args>[^%]*)%\}(?P<body>.*?)\{% endblocktranslate %\}", re.S
    )
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for match in block.finditer(text):
            if " count " in f" {match['args']} ":
                continue
            found += [
                f"{path.name}: {m.group()}" for m in NUMBER_BEFORE_NOUN.finditer(match["body"])
            ]
        outside = block.sub("", text)
        found += [f"{path.name}: {m.group()}" for m in NUMBER_BEFORE_NOUN.finditer(outside)]

    assert found == []


def _strings_outside_plural_calls(tree: ast.AST) -> list[str]:
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in PLURAL_CALLS:
            skip.update(id(child) for arg in node.args for child in ast.walk(arg))
    return [
        ast.unparse(node) if isinstance(node, ast.JoinedStr) else node.value
        for node in ast.walk(tree)
        if id(node) not in skip
        and (
            isinstance(node, ast.JoinedStr)
            or (isinstance(node, ast.Constant) and isinstance(node.value, str))
        )
    ]


def test_no_code_writes_a_number_straight_before_a_counted_noun() -> None:
    found = []
    for path in sorted((ROOT / "customer_ops").rglob("*.py")):
        if path.name == "plurals.py" or "migrations" in path.parts:
            continue  # the six forms themselves
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for text in _strings_outside_plural_calls(tree):
            found += [f"{path.name}: {m.group()}" for m in NUMBER_BEFORE_NOUN.finditer(text)]

    assert found == []


@pytest.mark.parametrize(
    ("minutes", "arabic", "english"),
    [
        (2, "منذ دقيقتين", "2 minutes ago"),
        (5, "منذ 5 دقائق", "5 minutes ago"),
        (11, "منذ 11 دقيقة", "11 minutes ago"),
        (60, "منذ ساعة", "an hour ago"),
        (5 * 60, "منذ 5 ساعات", "5 hours ago"),
        (2 * 24 * 60, "منذ يومين", "2 days ago"),
        (3 * 24 * 60, "منذ 3 أيام", "3 days ago"),
        (12 * 24 * 60, "منذ 12 يوماً", "12 days ago"),
    ],
)
def test_ago_agrees_in_arabic_where_naturaltime_did_not(
    minutes: int, arabic: str, english: str
) -> None:
    then = timezone.now() - dt.timedelta(minutes=minutes, seconds=5)

    with translation.override("ar"):
        assert ago(then) == arabic
    with translation.override("en"):
        assert ago(then) == english


def test_whole_days_agree_with_their_number() -> None:
    with translation.override("ar"):
        assert [minutes_short(d * 24 * 60) for d in (7, 14, 30)] == ["7 أيام", "14 يوماً", "30 يوماً"]
    with translation.override("en"):
        assert minutes_short(7 * 24 * 60) == "7 days"


def test_blocktranslate_count_gives_each_arabic_form() -> None:
    template = Template(
        "{% load i18n %}{% blocktranslate count n=n %}آخر أسبوع{% plural %}"
        "آخر {{ n }} أسابيع{% endblocktranslate %}"
    )

    with translation.override("ar"):
        texts = [template.render(Context({"n": n})) for n in (1, 2, 3, 11, 100)]

    assert texts == ["آخر أسبوع", "آخر أسبوعين", "آخر 3 أسابيع", "آخر 11 أسبوعاً", "آخر 100 أسبوع"]
