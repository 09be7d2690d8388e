"""The one search's rules over plain text: what is stored, what a query looks for, what is marked.

Everything goes through `text.normalize`, the fold the classifier and the claims checker read
with, so a search reads Arabic the way people type it: hamza and alef forms (أ إ آ ٱ → ا), taa
marbuta and haa (ة → ه), alef maqsura and yaa (ى → ي), diacritics and tatweel dropped,
Arabic-Indic and Persian digits as ASCII ones, English case folded. The stored search text is
the fold of a thing's searchable parts; a query is folded the same way and split into terms; a
thing matches when its folded text contains every term, as a substring ("فاتوره" finds
"الفاتورة"; "فاتور" also finds "فاتورتي"). Stdlib only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from customer_ops.domain.text import normalize, normalize_with_offsets

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
# What the database indexes read: PostgreSQL's trigram GIN index and SQLite's FTS5 trigram
# tokenizer both need three characters; a shorter term is still matched, by a scan.
INDEXED_TERM_LENGTH = 3


class SearchKind(StrEnum):
    """What a search finds, in the order the results are grouped."""

    TICKET = "ticket"
    MESSAGE = "message"
    CUSTOMER = "customer"
    INCIDENT = "incident"


def search_text(*parts: str) -> str:
    """The stored, folded search text of a thing: each non-empty part folded, one per line."""
    return "\n".join(normalize(part) for part in parts if part and part.strip())


# Punctuation around a word is not part of what is looked for ("(فاتورة)", "#123", "invoice?");
# inside a word it is ("ahmed@example.com", "INV-2024").
_EDGE_PUNCTUATION = "\"'`«»“”‘’()[]{}<>#.,;:!?،؛؟*"


def search_terms(query: str) -> list[str]:
    """The folded terms of a query, each looked for as a substring: distinct, longest first, at
    most `MAX_TERMS`, none already inside another (looking for "فاتوره" finds "فات")."""
    words = [word.strip(_EDGE_PUNCTUATION) for word in normalize(query).split()]
    terms: list[str] = []
    for word in sorted({word for word in words if word}, key=lambda w: (-len(w), w)):
        if not any(word in kept for kept in terms):
            terms.append(word)
    return terms[:MAX_TERMS]


def matches(folded: str, terms: Sequence[str]) -> bool:
    """Whether a stored search text holds every term (what the database is asked, in Python)."""
    return bool(terms) and all(term in folded for term in terms)


def _whole_word(folded: str, term: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(term)}(?!\w)", folded) is not None


def relevance(*, title: str, text: str, terms: Sequence[str]) -> int:
    """How well a thing answers the terms: a term in the title counts more than one in the body,
    a whole word more than part of one, and the whole query as typed more than its words apart.
    `title` and `text` are original (unfolded) text."""
    folded_title, folded_text = normalize(title), normalize(text)
    score = 0
    for term in terms:
        if term in folded_title:
            score += 4 + (2 if _whole_word(folded_title, term) else 0)
        if term in folded_text:
            score += 1 + (1 if _whole_word(folded_text, term) else 0)
    if len(terms) > 1:
        phrase = " ".join(terms)
        if phrase in folded_title or phrase in folded_text:
            score += 3
    return score


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of a snippet: original text, and whether it is a matched term."""

    text: str
    matched: bool


def match_spans(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Where the terms occur in `text` (original characters, [start, end)), merged and sorted.

    The terms are folded; the text is folded with offsets, so "فاتوره" marks "فاتورة" and a
    diacritic or tatweel inside the word stays inside the mark.
    """
    folded, offsets = normalize_with_offsets(text)
    spans: list[tuple[int, int]] = []
    for term in terms:
        if not term:
            continue
        start = folded.find(term)
        while start != -1:
            end = start + len(term)
            spans.append((offsets[start], offsets[end - 1] + 1))
            start = folded.find(term, end)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    # A mark that ends on a base letter also takes the marks that sit on it (a shadda, a haraka).
    widened = []
    for start, end in merged:
        while end < len(text) and not normalize(text[end]) and not text[end].isspace():
            end += 1
        widened.append((start, end))
    return widened


SNIPPET_LENGTH = 160
# Only the head of a long body is read for the snippet: offsets cost a list entry per character.
_SNIPPET_SOURCE_LIMIT = 20_000


def snippet(text: str, terms: Sequence[str], *, length: int = SNIPPET_LENGTH) -> list[Segment]:
    """About `length` characters of `text` around its first match, the matches marked.

    Starts at a word boundary a little before the first match ("…" where text was cut); the
    text's head when nothing matches in it (the match was in another part, e.g. the title).
    """
    text = " ".join(text[:_SNIPPET_SOURCE_LIMIT].split())
    spans = match_spans(text, terms)
    start = 0
    if spans and spans[0][0] > length // 3:
        start = spans[0][0] - length // 3
        space = text.rfind(" ", 0, start + 1)
        start = space + 1 if space != -1 and start - space < 20 else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.find(" ", end)
        end = space if space != -1 and space - end < 20 else end
    segments: list[Segment] = []
    if start > 0:
        segments.append(Segment("…", matched=False))
    cursor = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        if span_start > cursor:
            segments.append(Segment(text[cursor:span_start], matched=False))
        segments.append(Segment(text[span_start:span_end], matched=True))
        cursor = span_end
    if cursor < end:
        segments.append(Segment(text[cursor:end], matched=False))
    if end < len(text):
        segments.append(Segment("…", matched=False))
    return segments
