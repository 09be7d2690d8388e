"""Support priorities P0–P3 and the ticket classifier (SPEC_RULES §4, SPEC.md §6).

What the classifier does better than the original plain substring test:

- Text and keywords are folded by `text.normalize` (hamza/alef forms, taa marbuta, alef maqsura,
  diacritics, tatweel, Arabic-Indic digits, case), so "امان" matches "أمان".
- A keyword whose edge is a Latin letter must sit on a word boundary at that edge ("secretary" is
  not "secret", "leakage" is not "leak"), allowing only the English endings -s/-es/-ed/-d/-ing
  ("leaked", "secrets", "connectors") and not counting an e-mail domain ("x@gmail.com").
  An edge that is an Arabic letter matches anywhere, so attached clitics still hit ("والتسريب").
- A problem keyword negated a few words before it, in the same clause, is skipped ("لا يوجد أي
  تسريب", "no leak"); the search goes on for other hits ("لا تسريب. لكن هناك تسريب" is P0).
  P2 keywords name a *subject* (Gmail, connector), not a problem, so a negation before them
  describes the fault ("لا يعمل Gmail", "I can't connect Gmail") and is not a reason to skip.
- "حرج" — which the P3 reply tells the customer to write to raise the priority — now raises it,
  to P1 (important: two-hour reply, on-call operator), not P0, which pages the founder and is
  kept for security, wrong sends and outages. "عاجل جداً", "urgent" and "critical" do the same.
  "حرج" must start a word (clitics allowed) so "محرج" (embarrassing) does not escalate.

Precedence is the original's: P0 keywords, then P1 (escalation words after the P1 list), then P2;
within a tier the first keyword *in list order* that hits is reported ("تسريب أمان" → "أمان").
An Aho–Corasick automaton (pyahocorasick, a C extension) finds every occurrence in one pass; the
boundary and negation checks run only on the few hits. See "The matching engine" for how the
common case avoids calling `normalize` while giving exactly its answers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from itertools import product
from typing import Any

import ahocorasick

from customer_ops.domain.errors import InvalidValue, RuleRefused, UnknownPriority
from customer_ops.domain.text import (
    CONTRAST_WORDS,
    NEGATION_CUES,
    NEGATION_WINDOW_WORDS,
    fold_char,
    negated_before,
    normalize,
    read_through_wrapped_lines,
)


class Priority(StrEnum):
    P0 = "P0"
    P1 = "P1"
    P2 = "P2"
    P3 = "P3"


@dataclass(frozen=True, slots=True)
class PriorityLevel:
    """One row of the priority table: the single source of the SLA numbers."""

    id: Priority
    label_ar: str
    first_response_minutes: int
    resolution_target_hours: int
    escalation_owner: str

    def as_dict(self) -> dict[str, Any]:
        """The original API shape of a priority."""
        return {
            "id": self.id.value,
            "label_ar": self.label_ar,
            "first_response_minutes": self.first_response_minutes,
            "resolution_target_hours": self.resolution_target_hours,
            "escalation_owner": self.escalation_owner,
        }


SUPPORT_PRIORITIES: tuple[PriorityLevel, ...] = (
    PriorityLevel(Priority.P0, "حرج جداً — أمان / إرسال خاطئ / تعطل كامل", 30, 4, "founder"),
    PriorityLevel(Priority.P1, "خدمة مهمة معطلة", 120, 24, "operator_oncall"),
    PriorityLevel(Priority.P2, "Connector أو Proof Pack متأخر", 480, 72, "operator_oncall"),
    PriorityLevel(Priority.P3, "سؤال عام / تحسين", 1440, 168, "operator_team"),
)
PRIORITIES_BY_ID: dict[Priority, PriorityLevel] = {level.id: level for level in SUPPORT_PRIORITIES}
# Lower rank = more urgent; used by the "humans may raise, never lower" rule.
_RANK: dict[Priority, int] = {level.id: rank for rank, level in enumerate(SUPPORT_PRIORITIES)}


def parse_priority(value: object) -> Priority:
    """The `Priority` for "P0".."P3"; anything else (including "p0") is `UnknownPriority`."""
    if not isinstance(value, str):  # no other type is a member either
        raise UnknownPriority(value)
    try:
        return Priority(value)
    except ValueError:
        raise UnknownPriority(value) from None


def priority_get(priority: object) -> PriorityLevel:
    """The table row for a priority; unknown is an error, never a silent P3."""
    return PRIORITIES_BY_ID[parse_priority(priority)]


def ensure_priority_not_lowered(*, classified: object, requested: object) -> Priority:
    """Return `requested` if it is at least as urgent as `classified`: humans raise, never lower."""
    floor, wanted = parse_priority(classified), parse_priority(requested)
    if _RANK[wanted] > _RANK[floor]:
        raise RuleRefused(
            f"priority may not be lowered below the classified {floor} (requested {wanted})",
            field="priority",
            message_ar=f"لا يمكن خفض الأولوية عن المصنّفة آلياً {floor} (المطلوب {wanted})",
        )
    return wanted


# ── Keywords (SPEC_RULES §4.2, exact strings and order) ──────────────────────────────────────────
P0_KEYWORDS: tuple[str, ...] = (
    "أمان",
    "تسريب",
    "إرسال خاطئ",
    "إرسال بدون موافقة",
    "بدون موافقتي",
    "أرسل رسالة بدون",
    "أرسل بدون",
    "secret",
    "leak",
    "data breach",
    "outage",
    "completely down",
    "live charge",
    "charge بدون موافقة",
    "unauthorized",
)
P1_KEYWORDS: tuple[str, ...] = (
    "service down",
    "خدمة معطلة",
    "service failed",
    "Pilot stopped",
    "Proof Pack مفقود",
)
# Our addition: the words a customer uses to ask for a higher priority (see the module docstring).
ESCALATION_KEYWORDS: tuple[str, ...] = ("حرج", "عاجل جداً", "urgent", "critical")
P2_KEYWORDS: tuple[str, ...] = (
    "connector",
    "Gmail",
    "Calendar",
    "Sheets",
    "WhatsApp setup",
    "Moyasar invoice",
)

REASON_EMPTY_AR = "لا يوجد نص — اعتبار افتراضي."
REASON_DEFAULT_AR = "افتراضي — سؤال أو تحسين."
_REASON_PREFIX_AR = {
    "P0": "كلمة حرجة مطابقة: ",
    "P1": "خدمة مهمة معطلة: ",
    "escalation": "طلب العميل رفع الأولوية: ",
    "P2": "connector أو Proof Pack: ",
}

# English endings that still count as the keyword: "leaked", "secrets", "connectors", "charged".
_LATIN_ENDINGS = ("s", "es", "ed", "d", "ing")
# Prefixes that may be glued to an Arabic word-start keyword: "والحرج", "بالحرج", "للحرج".
_ARABIC_CLITICS = frozenset(
    {"", "و", "ف", "ب", "ل", "ك", "ال", "وال", "فال", "بال", "كال", "لل", "ولل", "فلل"}
)
_ASCII_WORD = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


@dataclass(frozen=True, slots=True)
class PriorityDecision:
    """The classifier's answer: the priority, the keyword that decided it, and why (Arabic)."""

    priority: Priority
    matched_keyword: str | None
    reason_ar: str

    def as_dict(self) -> dict[str, str]:
        """The original dict shape: no `matched_keyword` key when nothing matched."""
        out = {"priority": self.priority.value}
        if self.matched_keyword is not None:
            out["matched_keyword"] = self.matched_keyword
        out["reason_ar"] = self.reason_ar
        return out


# ── The matching engine ──────────────────────────────────────────────────────────────────────────
# `normalize` costs several µs on a 76-character Arabic ticket and `negated_before` ~13 µs, each
# several times the keyword scan itself. So the common case calls neither, without changing a
# single answer:
#
# * Nearly every ticket is written in ASCII and the Arabic block (U+0600–U+06FF). On those
#   characters `normalize` (read off `text.fold_char` at import, so text.py stays the one place
#   for the rules) keeps a character, *substitutes* exactly one other for it (أ→ا, ة→ه, ٣→3,
#   ،→,, ی→ي) or *drops* it (harakat such as the tanween of "شكراً", tatweel, Arabic format
#   characters); ASCII is only lower-cased.
# * The fast automaton holds every spelling of each keyword that folds to it by substitution
#   ("إرسال", "أرسال", "ارسال", …). It scans `text.lower()` with the dropped characters removed;
#   positions then equal positions in `normalize(text)`, so its hits are exactly the folded hits.
# * Any other character — a Cyrillic or Greek look-alike, a no-break or other space, a soft
#   hyphen, a variation selector, a presentation form, an emoji — sends the text to the exact
#   path: `normalize` and the automaton of folded keywords. Such texts are rare, and the rules
#   for them live in text.py alone.
# * `negated_before` is only asked when a negation cue is one of the last words before the hit;
#   otherwise it could only answer False.
# Both paths share `_accept`; property tests check them against each other and against a plain
# reference implementation of the rules.
FAST_RANGES: tuple[tuple[int, int], ...] = ((0x0000, 0x0080), (0x0600, 0x0672), (0x06F0, 0x06FA))


@dataclass(frozen=True, slots=True)
class _FoldTables:
    substitutions: dict[str, str]
    dropped: frozenset[str]
    kept: frozenset[str]


def _fold_tables(ranges: tuple[tuple[int, int], ...] = FAST_RANGES) -> _FoldTables:
    """What `normalize` does to each character of `ranges` (capitals: after `str.lower`)."""
    substitutions: dict[str, str] = {}
    dropped: set[str] = set()
    kept: set[str] = set()
    for first, stop in ranges:
        for code in range(first, stop):
            char = chr(code)
            folded = fold_char(char)
            if char.lower() != char:
                # A capital is scanned lower-cased, as `normalize` reads it.
                if char.lower() != folded:
                    raise RuntimeError("text.normalize changed: it no longer lower-cases")
                kept.add(char)
                continue
            if folded == char:
                kept.add(char)
            elif not folded:
                dropped.add(char)
            elif len(folded) == 1:
                substitutions[char] = folded
    return _FoldTables(substitutions, frozenset(dropped), frozenset(kept))


def _char_class(chars: Iterable[str], *, negate: bool = False) -> re.Pattern[str]:
    """A regex character class for `chars`, written as ranges (sre tests ranges faster)."""
    spans: list[list[int]] = []
    for code in sorted(map(ord, chars)):
        if spans and spans[-1][1] == code - 1:
            spans[-1][1] = code
        else:
            spans.append([code, code])
    parts = (
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in spans
    )
    return re.compile("[" + ("^" if negate else "") + "".join(parts) + "]")


def _is_word_char(char: str) -> bool:
    """A character of `text.negated_before`'s words: `re`'s \\w (alnum or _) or an apostrophe."""
    return char.isalnum() or char in "_'’"


_FOLD = _fold_tables()
_SUBSTITUTIONS = _FOLD.substitutions
if any(_is_word_char(raw) != _is_word_char(new) for raw, new in _SUBSTITUTIONS.items()):
    # The fast path is exact only if no substitution turns a word character into a non-word one.
    raise RuntimeError("text.normalize changed: a substitution alters word characters")
# Anything but a kept or substituted character: a dropped one (removed on the fast path) or one
# outside the fast ranges (the exact path). Searched in the lower-cased text: a test checks that
# every character whose lower case is made of fast characters folds the way they do.
_SPECIAL_CHARS = _char_class(_FOLD.kept | set(_SUBSTITUTIONS), negate=True)
_SUBSTITUTED_CHARS = _char_class(_SUBSTITUTIONS)
_PREIMAGES: dict[str, tuple[str, ...]] = {}
for _raw, _folded in _SUBSTITUTIONS.items():
    _PREIMAGES[_folded] = (*_PREIMAGES.get(_folded, (_folded,)), _raw)
# Characters that count as part of a Latin word at a keyword's edge, before or after folding.
_LATIN_WORD_CHARS = _ASCII_WORD | {raw for raw, new in _SUBSTITUTIONS.items() if new in _ASCII_WORD}
# Before a Latin keyword, also "@": "x@gmail.com" is an address, not a Gmail problem.
_LATIN_EDGE_BLOCKERS = _LATIN_WORD_CHARS | {"@"}
_ARABIC_LETTERS = frozenset(
    char
    for char in (*map(chr, range(0x0621, 0x064B)), *_SUBSTITUTIONS)
    if "\u0621" <= _SUBSTITUTIONS.get(char, char) <= "\u064a"
)


def _spellings(folded: str) -> list[str]:
    """Every lower-cased spelling that folds to `folded` by substitution alone."""
    return ["".join(chars) for chars in product(*(_PREIMAGES.get(c, (c,)) for c in folded))]


def _substitute(lowered: str) -> str:
    """`normalize` of lower-cased text that holds no dropped or trigger character."""
    for char in set(_SUBSTITUTED_CHARS.findall(lowered)):
        lowered = lowered.replace(char, _SUBSTITUTIONS[char])
    return lowered


@dataclass(frozen=True, slots=True)
class _Keyword:
    folded: str
    length: int
    latin_start: bool
    latin_end: bool
    word_start: bool
    negatable: bool
    needs_context: bool
    decision: PriorityDecision


def _keyword(text: str, priority: Priority, reason_key: str, *, negatable: bool) -> _Keyword:
    folded = normalize(text)
    word_start = reason_key == "escalation" and folded[0] not in _ASCII_WORD
    return _Keyword(
        folded=folded,
        length=len(folded),
        latin_start=folded[0] in _ASCII_WORD,
        latin_end=folded[-1] in _ASCII_WORD,
        word_start=word_start,
        negatable=negatable,
        needs_context=word_start or negatable,
        decision=PriorityDecision(priority, text, _REASON_PREFIX_AR[reason_key] + text),
    )


# Index order is precedence order: a lower index always wins.
_KEYWORDS: tuple[_Keyword, ...] = (
    *(_keyword(k, Priority.P0, "P0", negatable=True) for k in P0_KEYWORDS),
    *(_keyword(k, Priority.P1, "P1", negatable=True) for k in P1_KEYWORDS),
    *(_keyword(k, Priority.P1, "escalation", negatable=True) for k in ESCALATION_KEYWORDS),
    *(_keyword(k, Priority.P2, "P2", negatable=False) for k in P2_KEYWORDS),
)
_NO_HIT = len(_KEYWORDS)
_EMPTY_DECISION = PriorityDecision(Priority.P3, None, REASON_EMPTY_AR)
_DEFAULT_DECISION = PriorityDecision(Priority.P3, None, REASON_DEFAULT_AR)


def _automaton(words: dict[str, int]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for word, value in words.items():
        automaton.add_word(word, value)
    automaton.make_automaton()
    return automaton


def _first_wins(pairs: list[tuple[str, int]]) -> dict[str, int]:
    """Word → value, keeping the first value for a word listed twice (two keywords folding alike)."""
    out: dict[str, int] = {}
    for word, value in pairs:
        out.setdefault(word, value)
    return out


_EXACT = _automaton(_first_wins([(k.folded, i) for i, k in enumerate(_KEYWORDS)]))
_FAST = _automaton(
    _first_wins([(v, i) for i, k in enumerate(_KEYWORDS) for v in _spellings(k.folded)])
)
# Negation cues as they can appear before folding ("أبدا", "don’t"), and their lengths.
_CUE_SPELLINGS = frozenset(
    spelling
    for cue in NEGATION_CUES
    for variant in {cue, cue.replace("'", "’")}
    for spelling in _spellings(variant)
)
_CUES = _automaton({spelling: len(spelling) for spelling in _CUE_SPELLINGS})
# A Latin letter right after a Latin keyword is allowed only as an English ending + word end.
_LATIN_ENDING = re.compile(
    "(?:" + "|".join(_LATIN_ENDINGS) + ")(?![" + "".join(sorted(_LATIN_WORD_CHARS)) + "])"
)


def _arabic_word_start_ok(scanned: str, start: int) -> bool:
    word_start = start
    while word_start > 0 and scanned[word_start - 1] in _ARABIC_LETTERS:
        word_start -= 1
    return _substitute(scanned[word_start:start]) in _ARABIC_CLITICS


def _has_cue_word(head: str) -> bool:
    """Whether a negation cue stands as a whole word anywhere in `head`."""
    last = len(head) - 1
    for end, length in _CUES.iter(head):
        begin = end - length + 1
        if (begin == 0 or not _is_word_char(head[begin - 1])) and (
            end == last or not _is_word_char(head[end + 1])
        ):
            return True
    return False


def _context_ok(keyword: _Keyword, scanned: str, start: int) -> bool:
    """The rarer checks of a hit: Arabic word start ("حرج" but not "محرج") and negation."""
    if keyword.word_start and not _arabic_word_start_ok(scanned, start):
        return False
    if not keyword.negatable:
        return True
    head = scanned[:start]
    # `negated_before` needs a cue among the last words of the clause. When the last few
    # whitespace-separated tokens are plain alphanumeric words, they *are* the last words: a set
    # lookup rules a negation out, and otherwise only those tokens (and the breaks between them)
    # can matter, so `negated_before` is asked about that short tail instead of the whole head.
    pieces = head.rsplit(None, NEGATION_WINDOW_WORDS)
    tokens = pieces[-NEGATION_WINDOW_WORDS:]
    if "".join(tokens).isalnum():
        if _CUE_SPELLINGS.isdisjoint(tokens):
            return True
        rest = len(pieces[0]) if len(pieces) > NEGATION_WINDOW_WORDS else 0
        head = head[head.find(tokens[0], rest) :]
        # A cue is one of the last words, and plain words hold no punctuation: only a line
        # break between them or a contrast word ("لكن", "but") could end its clause before the
        # hit. Without either, `negated_before` can only say "negated".
        if "\n" not in head and CONTRAST_WORDS.isdisjoint(tokens):
            return False
    elif not _has_cue_word(head):
        return True
    return not negated_before(_substitute(head), len(head))


_find_special = _SPECIAL_CHARS.search
_DROPPED_CHARS = _char_class(_FOLD.dropped)
# The same, before lower-casing: a capital counts too. Arabic has no case, so a text without a
# match here is scanned as it is, and `str.lower` (about a third of a scan's cost on Arabic
# text) is skipped.
_CASELESS_FAST = frozenset(
    char for char in _FOLD.kept | set(_SUBSTITUTIONS) if char.lower() == char
)
_find_capital_or_special = _char_class(_CASELESS_FAST, negate=True).search


def _special_scan(text: str, lowered: str) -> tuple[str, ahocorasick.Automaton]:
    """What to scan when `text` holds a character the fast path does not simply keep."""
    stripped = _DROPPED_CHARS.sub("", lowered)  # diacritics, tatweel: drop them as normalize would
    if _find_special(stripped):
        return normalize(text), _EXACT
    return stripped, _FAST


def classify_priority(text: str) -> PriorityDecision:
    """Classify a ticket's free text into P0–P3; no keyword (or no text) means P3."""
    if not isinstance(text, str):
        raise InvalidValue("text", "text must be text", message_ar="text يجب أن يكون نصاً")
    # This is the hot path of the classifier bench: every step and call here costs on every
    # ticket, so the scan loop is written out here once, for both paths.
    automaton = _FAST
    if text.isascii():
        scanned = text.lower()
    elif (first := _find_capital_or_special(text)) is None:
        scanned = text  # nothing to lower-case, nothing to fold but by substitution
    else:
        # Everything before `first` is caseless and fast, so lower-casing leaves it in place.
        scanned = text.lower()
        if _find_special(scanned, first.start()):
            scanned, automaton = _special_scan(text, scanned)
    best = _NO_HIT
    # A keyword may run across a wrapped line; a negation may not (`_context_ok` reads `scanned`).
    read = scanned if "\n" not in scanned else read_through_wrapped_lines(scanned)
    for end, index in automaton.iter(read):
        if index >= best:
            continue
        keyword = _KEYWORDS[index]
        start = end - keyword.length + 1
        if keyword.latin_start and start and scanned[start - 1] in _LATIN_EDGE_BLOCKERS:
            continue
        if (
            keyword.latin_end
            and end + 1 < len(scanned)
            and scanned[end + 1] in _LATIN_WORD_CHARS
            and not _LATIN_ENDING.match(scanned, end + 1)
        ):
            continue
        if keyword.needs_context and not _context_ok(keyword, scanned, start):
            continue
        best = index
    if best < _NO_HIT:
        return _KEYWORDS[best].decision
    return _EMPTY_DECISION if not text or text.isspace() else _DEFAULT_DECISION


# ── First-response templates (SPEC_RULES §4.5) ───────────────────────────────────────────────────
FIRST_RESPONSE_BODIES_AR: dict[Priority, str] = {
    Priority.P0: (
        "وصلني بلاغك الآن. نتعامل معه كأولوية حرجة. "
        "سأرد عليك خلال 30 دقيقة بتفاصيل ما حدث + الإجراءات المتخذة. "
        "إذا اكتشفت أي إرسال غير معتمد أو تسريب بيانات، سأتواصل معك مباشرة."
    ),
    Priority.P1: "وصلني بلاغك. نتعامل معه كأولوية عالية. سأرد بتفاصيل خلال ساعتين كحد أقصى.",
    Priority.P2: (
        "وصلني سؤالك حول الـ connector / Proof Pack. "
        "سأتابع خلال 8 ساعات عمل وأرسل لك حل أو خطوات تالية."
    ),
    Priority.P3: (
        "شاكر لك على ملاحظتك. سأرد عليك خلال 24 ساعة عمل. "
        "إذا الأمر عاجل، اكتب 'حرج' في رسالة جديدة وأرفعها للأولوية."
    ),
}


def first_response_template(*, priority: object) -> dict[str, Any]:
    """The Arabic first reply for a priority, as a draft: it still needs a human approval."""
    level = priority_get(priority)
    return {
        "priority": level.id.value,
        "body_ar": FIRST_RESPONSE_BODIES_AR[level.id],
        "approval_required": True,
        "live_send_allowed": False,
    }


def route_ticket(*, text: str, customer_id: str = "", contact_email: str = "") -> dict[str, Any]:
    """Classify a ticket and attach its SLA row and first-response draft (SPEC_RULES §4.4)."""
    decision = classify_priority(text)
    return {
        "customer_id": customer_id,
        "contact_email": contact_email,
        "priority": decision.priority.value,
        "classification": decision.as_dict(),
        "sla": PRIORITIES_BY_ID[decision.priority].as_dict(),
        "first_response_template": first_response_template(priority=decision.priority),
        "approval_required": True,
        "live_send_allowed": False,
    }
