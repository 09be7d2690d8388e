"""Arabic/English text normalisation and negation cues shared by every keyword matcher.

The ticket classifier (`priority.py`) and the claims checker (`positioning/claims.py`) both match
phrases "after Arabic normalisation" and both must ignore a phrase that is negated a few words
before it. This module is the one place those two rules live. It also decides which characters
stored text may not contain (`find_unsafe_character`), which the API and the console forms both
ask before anything is written. Stdlib only.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from customer_ops.domain.look_alikes import LOOK_ALIKES

# ── What a reader sees: the one character fold ─────────────────────────────────────────────────
# Both matchers must read what the customer will read, so every character folds to what a reader
# takes it for. The classes come from Unicode's own data, not from a list of examples:
#   - compatibility forms (NFKD): presentation forms "ﻻ" → "لا", full-width "ｓ", math "𝐬",
#     ligatures, superscripts;
#   - marks are read as part of the letter they sit on, so every mark (Mn, Me) is dropped: Arabic
#     harakat, Quranic and extended-block marks, hamza written as a mark (أ = ا + ٔ → ا, ؤ → و),
#     variation selectors (U+FE00–FE0F, U+E0100–E01EF), Latin accents ("é" → "e");
#   - invisible format characters (Cf) are dropped: soft hyphen, zero-width characters, bidi
#     controls, word joiner, BOM, tag characters (U+E0000–E007F), Arabic number signs; so are
#     the "filler" letters that draw nothing (HANGUL FILLER …) and tatweel, which only stretches;
#   - every space (Zs: no-break, en/em, thin, narrow, ideographic …) is " ", every line or
#     paragraph separator (Zl, Zp) is a line break, every decimal digit (Nd) its ASCII digit;
#   - look-alike letters (`look_alikes.py`, generated from Unicode's confusables.txt): Persian and
#     Urdu forms ی ک ە ھ ہ → ي ك ه, Cyrillic/Greek letters in a Latin word ("ѕеcrеt") → Latin;
#   - case is folded (`str.lower`), and Arabic spelling variants are unified: alef wasla ٱ → ا,
#     taa marbuta ة → ه, alef maqsura ى → ي; Arabic comma, semicolon and question mark → ASCII.
# Mixed-script words are therefore folded, not refused: "gսaranteed" is read as "guaranteed".
_SPELLING = {"ٱ": "ا", "ة": "ه", "ى": "ي", "،": ",", "؛": ";", "؟": "?", "\u0640": ""}
_DROPPED_CATEGORIES = frozenset({"Mn", "Me", "Cf"})


def _fold_piece(char: str) -> str:
    category = unicodedata.category(char)
    if category in _DROPPED_CATEGORIES:
        return ""
    if category == "Zs":
        return " "
    if category in ("Zl", "Zp"):
        return "\n"
    if category == "Nd":
        return str(unicodedata.decimal(char))
    if category == "Lo" and unicodedata.name(char, "").endswith(" FILLER"):
        return ""
    char = LOOK_ALIKES.get(char, char)
    out = []
    for lowered in char.lower():  # "İ".lower() is "i" + a combining dot: drop the mark again
        if unicodedata.category(lowered) not in _DROPPED_CATEGORIES:
            out.append(_SPELLING.get(lowered, lowered))
    return "".join(out)


def _fold_char(char: str) -> str:
    folded = char
    for _ in range(4):  # a look-alike may itself decompose or fold further; settles in two rounds
        step = "".join(map(_fold_piece, unicodedata.normalize("NFKD", folded)))
        # NFC only recomposes what NFKD split and the fold kept (Hangul syllables).
        step = unicodedata.normalize("NFC", step)
        if step == folded:
            break
        folded = step
    return folded


class _FoldTable(dict[int, str]):
    """Code point → its fold, computed on first sight: a `str.translate` table for any text.

    Every character seen is stored, unchanged ones too, so `translate` never meets a missing key
    (a miss raises inside `translate`, which makes it ~10× slower on non-ASCII text). Bounded,
    because a text may bring any of the 1.1 million code points.
    """

    def __missing__(self, code: int) -> str:
        if len(self) > 50_000:
            self.clear()
        folded = self[code] = _fold_char(chr(code))
        return folded


class _CharFolds(dict[str, str]):
    """The same, keyed by the character: `fold_char` is its C-level `__getitem__`."""

    def __missing__(self, char: str) -> str:
        if len(self) > 50_000:
            self.clear()
        folded = self[char] = _FOLDS[ord(char)]
        return folded


_FOLDS = _FoldTable()
# What one character reads as (see above): itself, nothing, or one or more others. Bound to the
# memo's own `__getitem__` because the claims checker calls it once per character of a text.
fold_char = _CharFolds().__getitem__


def normalize(text: str) -> str:
    """Fold `text` to what a reader sees (see above), one character at a time."""
    return text.translate(_FOLDS)


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """Normalise like `normalize`, returning also the original index of every output character.

    `offsets[i]` is the index in `text` of the character that produced output character `i`,
    plus one final entry equal to `len(text)`, so a match `[s, e)` in the normalised text maps
    back to `text[offsets[s]:offsets[e - 1] + 1]`.
    """
    out: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        for produced in normalize(char):
            out.append(produced)
            offsets.append(index)
    offsets.append(len(text))
    return "".join(out), offsets


# A line break inside a paragraph is a wrapped line: the reader reads on, so a phrase may span it
# ("نضمن لك⏎عملاء" is one claim, "إرسال بدون⏎موافقة" one keyword). A blank line ends the paragraph.
# Only phrase matching reads through a wrapped line; a negation does not reach back across one
# (`negated_before` stops at a line break), so "لا مشكلة⏎تسريب بيانات" is still a leak.
_PARAGRAPH_BREAK = re.compile(r"((?>\r\n|\r|\n)(?:[ \t]*(?>\r\n|\r|\n))+)")


def read_through_wrapped_lines(normalized: str) -> str:
    """`normalized` with each wrapped line's break turned into spaces; same length, same offsets."""
    if "\n" not in normalized and "\r" not in normalized:
        return normalized
    parts = _PARAGRAPH_BREAK.split(normalized)  # paragraphs at even indices, breaks at odd ones
    parts[::2] = [part.replace("\r", " ").replace("\n", " ") for part in parts[::2]]
    return "".join(parts)


# Negation cues, already in normalised form. A phrase preceded by one of these within a few words
# (and not separated from it by sentence punctuation or a contrast word) is a negated restatement:
# "لا يوجد اي تسريب", "no leak", "we never scrape", "بدون scraping".
NEGATION_CUES: frozenset[str] = frozenset(
    {
        # Arabic
        "لا",
        "لم",
        "لن",
        "ليس",
        "ليست",
        "لسنا",
        "مافي",
        "مافيه",
        "مش",
        "مو",
        "بدون",
        "دون",
        "بلا",
        "غير",
        "ابدا",
        "عدم",
        "ولا",
        "ولم",
        "ولن",
        "وليس",
        "وبدون",
        "ودون",
        "بعدم",
        "يمنع",
        "نمنع",
        "نرفض",
        "يرفض",
        "ممنوع",
        "يحظر",
        "محظور",
        # English
        "no",
        "not",
        "never",
        "without",
        "nor",
        "none",
        "nothing",
        "dont",
        "don't",
        "doesn't",
        "doesnt",
        "didn't",
        "didnt",
        "won't",
        "wont",
        "isn't",
        "isnt",
        "wasn't",
        "wasnt",
        "aren't",
        "arent",
        "cannot",
        "can't",
        "cant",
        "zero",
        "refuse",
        "refuses",
        "forbid",
        "forbids",
        "prohibit",
        "prohibits",
    }
)

# A negation does not reach across these: "لا تسريب. لكن هناك تسريب" is still a leak. Of the
# white space, only a line break ends a clause.
CONTRAST_WORDS: frozenset[str] = frozenset({"but", "however", "لكن", "ولكن", "بل"})
_CLAUSE_BREAK = re.compile(
    r"[.!?;,:\n—–()\[\]\"«»]|\b(?:" + "|".join(sorted(CONTRAST_WORDS)) + r")\b"
)
_WORD = re.compile(r"[\w'’]+")

NEGATION_WINDOW_WORDS = 4


def negated_before(normalized: str, start: int, *, window: int = NEGATION_WINDOW_WORDS) -> bool:
    """Whether one of the `window` words just before `start` (same clause) is a negation cue.

    `normalized` must be the output of `normalize`; `start` is where the phrase begins in it.
    """
    # Only the current clause counts: cut at the last clause break before the phrase.
    head = normalized[:start]
    breaks = [match.end() for match in _CLAUSE_BREAK.finditer(head)]
    if breaks:
        head = head[breaks[-1] :]
    words = _WORD.findall(head)[-window:]
    return any(word.replace("’", "'") in NEGATION_CUES for word in words)


# ── Characters refused in stored text ───────────────────────────────────────────────────────────
# Text a person typed is stored, shown to founders for approval and sent to customers. Some
# characters in it are never meant to be seen: they reorder what a reader sees (an RLO, U+202E,
# before "txt.exe" shows it as "exe.txt"), hide inside a word so that the keyword matchers above
# and a human reviewer read different text (zero-width characters, invisible operators), or are
# not text at all (controls, lone surrogates, noncharacters). PostgreSQL refuses NUL outright, so
# before this check a NUL reached the database as a 500. Refused:
#   - every C0/C1 control character (and DEL) except TAB, LF and CR, which pasted text carries;
#   - the explicit bidi embeddings/overrides U+202A–U+202E and isolates U+2066–U+2069;
#   - zero-width U+200B, U+200C, U+200D, U+2060, U+FEFF, U+180E and the invisible operators
#     U+2061–U+2064, except a ZWJ inside an emoji sequence (man ZWJ woman ZWJ girl is one
#     family emoji): customers paste emoji;
#   - lone surrogates (reachable only through JSON "\ud800" escapes) and the 66 noncharacters
#     (U+FDD0–U+FDEF and the last two code points of every plane, U+FFFE/U+FFFF among them).
# Allowed on purpose: the implicit marks LRM U+200E, RLM U+200F and ALM U+061C. Keyboards and
# editors put them into ordinary mixed Arabic/English text (an LRM after "Q3" or an email
# address in an Arabic sentence keeps the punctuation beside it in place); they only set the
# direction of the neutral characters beside them, reorder nothing and cannot hide a word, so
# refusing them would turn away honest text for no protection. (`normalize` still drops them.)
ZWJ = "\u200d"
_UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # control characters but TAB, LF, CR
    "\u202a-\u202e\u2066-\u2069"  # bidi embeddings, overrides and isolates
    "\u200b-\u200d\u2060-\u2064\ufeff\u180e"  # zero-width characters, invisible operators
    "\ud800-\udfff"  # surrogates: in a Python str only ever lone ones
    "\ufdd0-\ufdef\ufffe\uffff"  # the noncharacters of the BMP
    # Every code point from U+1FFFE on, the other 32 noncharacters among them (U+1FFFE, U+1FFFF,
    # … U+10FFFF): listing those 32 one by one makes every search about six times slower, so
    # the range matches and `_refused` lets the rest (rare CJK extensions, tags) through.
    "\U0001fffe-\U0010ffff]"
)
# Emoji that join into ZWJ sequences: the pictographic blocks (people, hearts, objects, flags,
# and the dingbats and symbols ❤ ♀ ⚕ ☠ ❄ ⬛). None of them is a letter, so a ZWJ between two of
# them cannot split a word.
_PICTOGRAPHIC = (
    (0x00A9, 0x00A9),
    (0x00AE, 0x00AE),
    (0x203C, 0x203C),
    (0x2049, 0x2049),
    (0x2122, 0x2122),
    (0x2139, 0x2139),
    (0x2190, 0x21FF),
    (0x2300, 0x23FF),
    (0x24C2, 0x24C2),
    (0x25A0, 0x27BF),
    (0x2900, 0x297F),
    (0x2B00, 0x2BFF),
    (0x3030, 0x3030),
    (0x303D, 0x303D),
    (0x3297, 0x3297),
    (0x3299, 0x3299),
    (0x1F000, 0x1F3FA),
    (0x1F400, 0x1FAFF),  # 1F3FB–1F3FF are the skin-tone modifiers, not emoji of their own
)
_EMOJI_PRESENTATION = "\ufe0f"
_SKIN_TONES = range(0x1F3FB, 0x1F400)

# Control characters have no Unicode name, only aliases (NameAliases.txt); these are the ones
# `unicodedata.lookup` resolves, so a message can say "U+0000 NULL" rather than a bare number.
_C0_NAMES = [
    "NULL",
    "START OF HEADING",
    "START OF TEXT",
    "END OF TEXT",
    "END OF TRANSMISSION",
    "ENQUIRY",
    "ACKNOWLEDGE",
    "ALERT",
    "BACKSPACE",
    "CHARACTER TABULATION",
    "LINE FEED",
    "LINE TABULATION",
    "FORM FEED",
    "CARRIAGE RETURN",
    "SHIFT OUT",
    "SHIFT IN",
    "DATA LINK ESCAPE",
    "DEVICE CONTROL ONE",
    "DEVICE CONTROL TWO",
    "DEVICE CONTROL THREE",
    "DEVICE CONTROL FOUR",
    "NEGATIVE ACKNOWLEDGE",
    "SYNCHRONOUS IDLE",
    "END OF TRANSMISSION BLOCK",
    "CANCEL",
    "END OF MEDIUM",
    "SUBSTITUTE",
    "ESCAPE",
    "INFORMATION SEPARATOR FOUR",
    "INFORMATION SEPARATOR THREE",
    "INFORMATION SEPARATOR TWO",
    "INFORMATION SEPARATOR ONE",
]
_C1_NAMES = [
    "PADDING CHARACTER",
    "HIGH OCTET PRESET",
    "BREAK PERMITTED HERE",
    "NO BREAK HERE",
    "INDEX",
    "NEXT LINE",
    "START OF SELECTED AREA",
    "END OF SELECTED AREA",
    "CHARACTER TABULATION SET",
    "CHARACTER TABULATION WITH JUSTIFICATION",
    "LINE TABULATION SET",
    "PARTIAL LINE FORWARD",
    "PARTIAL LINE BACKWARD",
    "REVERSE LINE FEED",
    "SINGLE SHIFT TWO",
    "SINGLE SHIFT THREE",
    "DEVICE CONTROL STRING",
    "PRIVATE USE ONE",
    "PRIVATE USE TWO",
    "SET TRANSMIT STATE",
    "CANCEL CHARACTER",
    "MESSAGE WAITING",
    "START OF GUARDED AREA",
    "END OF GUARDED AREA",
    "START OF STRING",
    "SINGLE GRAPHIC CHARACTER INTRODUCER",
    "SINGLE CHARACTER INTRODUCER",
    "CONTROL SEQUENCE INTRODUCER",
    "STRING TERMINATOR",
    "OPERATING SYSTEM COMMAND",
    "PRIVACY MESSAGE",
    "APPLICATION PROGRAM COMMAND",
]


def character_name(char: str) -> str:
    """The Unicode name of `char`, with the alias for controls and a label for unnamed ones."""
    point = ord(char)
    if point < 0x20:
        return _C0_NAMES[point]
    if point == 0x7F:
        return "DELETE"
    if 0x80 <= point <= 0x9F:
        return _C1_NAMES[point - 0x80]
    if 0xD800 <= point <= 0xDFFF:
        return "LONE SURROGATE"
    return unicodedata.name(char, "NONCHARACTER")


@dataclass(frozen=True, slots=True)
class UnsafeCharacter:
    """A refused character found in a text: where it is and which one it is."""

    index: int  # 0-based, in code points: text[index] is the character
    char: str

    @property
    def position(self) -> int:
        """1-based, for people: "the 5th character"."""
        return self.index + 1

    @property
    def code_point(self) -> str:
        return f"U+{ord(self.char):04X}"

    @property
    def name(self) -> str:
        return character_name(self.char)


def _is_pictographic(char: str) -> bool:
    point = ord(char)
    return any(low <= point <= high for low, high in _PICTOGRAPHIC)


def _joins_emoji(text: str, index: int) -> bool:
    """Whether the ZWJ at `index` sits inside an emoji ZWJ sequence (emoji, ZWJ, emoji)."""
    if index + 1 >= len(text) or not _is_pictographic(text[index + 1]):
        return False
    before = index - 1
    # An emoji may carry its presentation selector or a skin tone before the joiner: the rainbow
    # flag is U+1F3F3 U+FE0F ZWJ U+1F308, a handshake U+1FAF1 U+1F3FB ZWJ U+1FAF2 U+1F3FF.
    while (
        before >= 0
        and index - before <= 2
        and (text[before] == _EMOJI_PRESENTATION or ord(text[before]) in _SKIN_TONES)
    ):
        before -= 1
    return before >= 0 and _is_pictographic(text[before])


def _refused(text: str, index: int) -> bool:
    char = text[index]
    if char == ZWJ:
        return not _joins_emoji(text, index)
    point = ord(char)
    return point < 0x1FFFE or point & 0xFFFE == 0xFFFE


def find_unsafe_character(text: str, *, start: int = 0) -> UnsafeCharacter | None:
    """The first refused character in `text[start:]` (see the list above), or None if clean."""
    for match in _UNSAFE.finditer(text, start):
        index = match.start()
        if _refused(text, index):
            return UnsafeCharacter(index=index, char=text[index])
    return None


# ── One-line fields ─────────────────────────────────────────────────────────────────────────────
# A subject, a title, a name or a recipient is one line: it ends up in an email header, a
# notification title, a table cell. A line break there is how a header is injected ("Bcc:"), and
# it made the staff notification email raise after the change had been committed. So a one-line
# field refuses, besides what `find_unsafe_character` refuses, every character that breaks a
# line or a header (the ones `str.splitlines` splits on: LF, CR, VT, FF, FS, GS, RS, NEL, LINE
# SEPARATOR, PARAGRAPH SEPARATOR) and TAB.
_LINE_BREAKS = re.compile("[\t\n\x0b\x0c\r\x1c\x1d\x1e\x85\u2028\u2029]")


def find_line_break(text: str) -> UnsafeCharacter | None:
    """The first character in `text` that a one-line field refuses on top of the unsafe ones."""
    match = _LINE_BREAKS.search(text)
    return None if match is None else UnsafeCharacter(index=match.start(), char=match.group())


def find_one_line_refusal(text: str) -> UnsafeCharacter | None:
    """The first character a one-line field refuses (unsafe or a line break), or None."""
    unsafe, line_break = find_unsafe_character(text), find_line_break(text)
    found = [c for c in (unsafe, line_break) if c is not None]
    return min(found, key=lambda c: c.index) if found else None
