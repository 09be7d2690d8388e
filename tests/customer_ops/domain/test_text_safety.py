"""Which characters stored text may not contain: the refused classes, the allowed marks, emoji."""

from __future__ import annotations

import unicodedata

import pytest

from customer_ops.domain.text import character_name, find_unsafe_character

C0_REFUSED = [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"]
C1_REFUSED = [chr(c) for c in range(0x7F, 0xA0)]  # DEL and the C1 block
BIDI_CONTROLS = [chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]]
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u180e"]
INVISIBLE_OPERATORS = ["\u2061", "\u2062", "\u2063", "\u2064"]
LONE_SURROGATES = ["\ud800", "\udbff", "\udc00", "\udfff"]
NONCHARACTERS = [
    "\ufdd0",
    "\ufdef",
    "\ufffe",
    "\uffff",
    *(chr(plane * 0x10000 + last) for plane in range(1, 17) for last in (0xFFFE, 0xFFFF)),
]
REFUSED = (
    C0_REFUSED
    + C1_REFUSED
    + BIDI_CONTROLS
    + ZERO_WIDTH
    + INVISIBLE_OPERATORS
    + LONE_SURROGATES
    + NONCHARACTERS
)

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # man ZWJ woman ZWJ girl
RAINBOW_FLAG = "\U0001f3f3\ufe0f\u200d\U0001f308"  # white flag, VS16, ZWJ, rainbow
HEART_ON_FIRE = "\u2764\ufe0f\u200d\U0001f525"
POLAR_BEAR = "\U0001f43b\u200d\u2744\ufe0f"
WOMAN_TECHNOLOGIST_DARK = "\U0001f469\U0001f3ff\u200d\U0001f4bb"  # skin tone before the ZWJ
HANDSHAKE_MIXED = "\U0001faf1\U0001f3fb\u200d\U0001faf2\U0001f3ff"
GOLFER_WOMAN = "\U0001f3cc\ufe0f\u200d\u2640\ufe0f"
EMOJI_SEQUENCES = [
    FAMILY,
    RAINBOW_FLAG,
    HEART_ON_FIRE,
    POLAR_BEAR,
    WOMAN_TECHNOLOGIST_DARK,
    HANDSHAKE_MIXED,
    GOLFER_WOMAN,
]


def _label(char: str) -> str:
    return f"U+{ord(char):04X}"


@pytest.mark.parametrize("char", REFUSED, ids=_label)
def test_every_refused_character_is_found_alone(char: str) -> None:
    found = find_unsafe_character(char)

    assert found is not None
    assert (found.index, found.char) == (0, char)


@pytest.mark.parametrize("char", REFUSED, ids=_label)
def test_every_refused_character_is_found_inside_arabic_text(char: str) -> None:
    text = f"مرحبا{char}بكم"

    found = find_unsafe_character(text)

    assert found is not None
    assert found.index == 5
    assert found.position == 6
    assert found.char == char


@pytest.mark.parametrize(
    "text",
    [
        "",
        "plain ASCII, digits 0123 and punctuation !?#@",
        "عميلنا يطلب تقرير الأداء الأسبوعي",
        "مرحباً، هل وصل التقرير؟ ١٢٣ ۴۵۶",  # harakat, Arabic-Indic and Persian digits
        "line one\nline two\r\nwith\ttabs",
        "تقرير Q3\u200e جاهز",  # LRM after a Latin run
        "\u200fنص يبدأ بعلامة من اليمين إلى اليسار",  # RLM
        "السعر \u061c100 ريال",  # ALM
        "ﻻ ﷲ ﷺ",  # Arabic presentation forms are ordinary (printable) characters
        "noun\u00adlike soft hyphen and NBSP\u00a0here",
        "e\u0301 combining acute, and VS16 alone: \u2764\ufe0f",
        "شكراً 👍🏽 على المتابعة 🙏",
        "Emoji in the astral planes 😀 and CJK 𠀀 𪜀",
        "\U0001f1f8\U0001f1e6 flag by regional indicators",
    ],
)
def test_ordinary_text_is_clean(text: str) -> None:
    assert find_unsafe_character(text) is None


@pytest.mark.parametrize("mark", ["\u200e", "\u200f", "\u061c"], ids=_label)
def test_the_implicit_direction_marks_are_allowed(mark: str) -> None:
    assert find_unsafe_character(f"العنوان{mark}Gmail{mark}") is None


@pytest.mark.parametrize("sequence", EMOJI_SEQUENCES)
def test_a_zwj_inside_an_emoji_sequence_is_allowed(sequence: str) -> None:
    assert find_unsafe_character(f"تم الإعداد {sequence} شكراً") is None


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ("أ\u200dمان", 1),  # between two Arabic letters: hides the word from the matcher
        ("scr\u200dape", 3),
        ("\u200d\U0001f469", 0),  # nothing before it
        ("\U0001f469\u200d", 1),  # nothing after it
        ("\U0001f469\u200da", 1),  # a letter after it
        ("a\u200d\U0001f469", 1),  # a letter before it
        ("a\U0001f3fd\u200d\U0001f469", 2),  # a skin tone with no emoji before it
        ("\U0001f469\u200d\u200d\U0001f467", 1),  # two joiners in a row
        ("\U0001f469\ufe0f\ufe0f\ufe0f\u200d\U0001f467", 4),  # more than one modifier's worth
        (FAMILY + "\u200d" + "x", len(FAMILY)),
    ],
)
def test_a_zwj_outside_an_emoji_sequence_is_refused(text: str, index: int) -> None:
    found = find_unsafe_character(text)

    assert found is not None
    assert (found.index, found.char) == (index, "\u200d")


def test_the_first_refused_character_is_reported() -> None:
    text = "ok \u202e then \x00 then \u200b"

    found = find_unsafe_character(text)

    assert found is not None
    assert (found.index, found.code_point, found.position) == (3, "U+202E", 4)


def test_a_refused_character_after_allowed_emoji_joiners_is_still_found() -> None:
    text = FAMILY * 3 + "abc\u2067"

    found = find_unsafe_character(text)

    assert found is not None
    assert found.index == len(FAMILY) * 3 + 3


def test_an_astral_noncharacter_is_found_before_a_later_bmp_one() -> None:
    found = find_unsafe_character("a\U0010fffeb\x00")

    assert found is not None
    assert (found.index, found.code_point) == (1, "U+10FFFE")


def test_positions_count_code_points_not_utf16_units() -> None:
    found = find_unsafe_character("😀😀\u202e")  # two astral characters before it

    assert found is not None
    assert found.index == 2


@pytest.mark.parametrize(
    ("char", "name"),
    [
        ("\x00", "NULL"),
        ("\x1b", "ESCAPE"),
        ("\x7f", "DELETE"),
        ("\x85", "NEXT LINE"),
        ("\u202e", "RIGHT-TO-LEFT OVERRIDE"),
        ("\u2067", "RIGHT-TO-LEFT ISOLATE"),
        ("\u200b", "ZERO WIDTH SPACE"),
        ("\u200d", "ZERO WIDTH JOINER"),
        ("\ufeff", "ZERO WIDTH NO-BREAK SPACE"),
        ("\ud800", "LONE SURROGATE"),
        ("\uffff", "NONCHARACTER"),
    ],
)
def test_refused_characters_are_named(char: str, name: str) -> None:
    found = find_unsafe_character(char)

    assert found is not None
    assert found.name == name


@pytest.mark.parametrize("char", C0_REFUSED + C1_REFUSED, ids=_label)
def test_control_character_names_are_their_unicode_aliases(char: str) -> None:
    assert unicodedata.lookup(character_name(char)) == char


def test_the_check_does_not_change_what_normalize_drops() -> None:
    from customer_ops.domain.text import normalize

    assert normalize("أ\u200dمان\u200e") == "امان"
