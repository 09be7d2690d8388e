"""Arabic/English text normalisation and negation cues shared by every keyword matcher.

The ticket classifier (`priority.py`) and the claims checker (`positioning/claims.py`) both match
phrases "after Arabic normalisation" and both must ignore a phrase that is negated a few words
before it. This module is the one place those two rules live. Stdlib only.
"""

from __future__ import annotations

import re
import unicodedata

# Characters dropped outright: Arabic diacritics (harakat, tanwin, shadda, sukun, superscript
# alef, Quranic marks), tatweel, and invisible format characters (zero-width, bidi controls, BOM)
# that would otherwise split a keyword without changing how it looks.
_DROPPED = (
    [chr(c) for c in range(0x064B, 0x0660)]
    + ["\u0670", "\u0640"]
    + [chr(c) for c in range(0x06D6, 0x06EE)]
    + ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\ufeff", "\u061c"]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
)

_REPLACED = {
    # alef with hamza above/below, madda, wasla -> bare alef
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    # hamza carried on waw / ya -> the carrier letter
    "ؤ": "و",
    "ئ": "ي",
    # taa marbuta -> haa; alef maqsura -> ya
    "ة": "ه",
    "ى": "ي",
    # Arabic comma/semicolon/question mark keep their meaning as punctuation
    "،": ",",
    "؛": ";",
    "؟": "?",
}
# Arabic-Indic and Eastern Arabic-Indic (Persian) digits -> ASCII digits.
_REPLACED.update({chr(0x0660 + i): str(i) for i in range(10)})
_REPLACED.update({chr(0x06F0 + i): str(i) for i in range(10)})

_TABLE: dict[int, str | None] = {ord(c): None for c in _DROPPED}
_TABLE.update({ord(k): v for k, v in _REPLACED.items()})

# Presentation forms (e.g. the "ﻻ" ligature) need NFKC before the table applies; plain text
# almost never has them, so NFKC runs only when one is present.
_PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff\uff00-\uffef]")


def normalize(text: str) -> str:
    """Fold `text` for matching: Arabic letter variants unified, marks dropped, Latin lower-cased."""
    if _PRESENTATION_FORMS.search(text):
        text = unicodedata.normalize("NFKC", text)
    return text.translate(_TABLE).lower()


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """Normalise like `normalize`, returning also the original index of every output character.

    `offsets[i]` is the index in `text` of the character that produced output character `i`,
    plus one final entry equal to `len(text)`, so a match `[s, e)` in the normalised text maps
    back to `text[offsets[s]:offsets[e - 1] + 1]`.
    """
    out: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        folded = normalize(char)
        for produced in folded:
            out.append(produced)
            offsets.append(index)
    offsets.append(len(text))
    return "".join(out), offsets


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

# A negation does not reach across these: "لا تسريب. لكن هناك تسريب" is still a leak.
_CLAUSE_BREAK = re.compile(r"[.!?;,:\n—–()\[\]\"«»]|\b(?:but|however|لكن|ولكن|بل)\b")
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
