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
One Aho–Corasick automaton (pyahocorasick, C) finds every occurrence in one pass over the folded
text; the boundary and negation checks run only on the few hits.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import ahocorasick

from customer_ops.domain.errors import InvalidValue, RuleRefused, UnknownPriority
from customer_ops.domain.text import negated_before, normalize


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

_ASCII_WORD = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
# English endings that still count as the keyword: "leaked", "secrets", "connectors", "charged".
_LATIN_ENDINGS = ("s", "es", "ed", "d", "ing")
# Prefixes that may be glued to an Arabic word-start keyword: "والحرج", "بالحرج", "للحرج".
_ARABIC_CLITICS = frozenset(
    {"", "و", "ف", "ب", "ل", "ك", "ال", "وال", "فال", "بال", "كال", "لل", "ولل", "فلل"}
)


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


@dataclass(frozen=True, slots=True)
class _Keyword:
    folded: str
    length: int
    latin_start: bool
    latin_end: bool
    word_start: bool
    negatable: bool
    decision: PriorityDecision


def _keyword(text: str, priority: Priority, reason_key: str, *, negatable: bool) -> _Keyword:
    folded = normalize(text)
    return _Keyword(
        folded=folded,
        length=len(folded),
        latin_start=folded[0] in _ASCII_WORD,
        latin_end=folded[-1] in _ASCII_WORD,
        word_start=reason_key == "escalation" and folded[0] not in _ASCII_WORD,
        negatable=negatable,
        decision=PriorityDecision(priority, text, _REASON_PREFIX_AR[reason_key] + text),
    )


# Index order is precedence order: a lower index always wins.
_KEYWORDS: tuple[_Keyword, ...] = (
    *(_keyword(k, Priority.P0, "P0", negatable=True) for k in P0_KEYWORDS),
    *(_keyword(k, Priority.P1, "P1", negatable=True) for k in P1_KEYWORDS),
    *(_keyword(k, Priority.P1, "escalation", negatable=True) for k in ESCALATION_KEYWORDS),
    *(_keyword(k, Priority.P2, "P2", negatable=False) for k in P2_KEYWORDS),
)


def _build_automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for index, keyword in enumerate(_KEYWORDS):
        if keyword.folded not in automaton:  # two spellings folding alike: the first one wins
            automaton.add_word(keyword.folded, index)
    automaton.make_automaton()
    return automaton


_AUTOMATON = _build_automaton()
_EMPTY_DECISION = PriorityDecision(Priority.P3, None, REASON_EMPTY_AR)
_DEFAULT_DECISION = PriorityDecision(Priority.P3, None, REASON_DEFAULT_AR)


def _latin_end_ok(folded: str, after: int) -> bool:
    if after >= len(folded) or folded[after] not in _ASCII_WORD:
        return True
    for ending in _LATIN_ENDINGS:
        stop = after + len(ending)
        if folded.startswith(ending, after) and (
            stop >= len(folded) or folded[stop] not in _ASCII_WORD
        ):
            return True
    return False


def _arabic_word_start_ok(folded: str, start: int) -> bool:
    word_start = start
    while word_start > 0 and "\u0621" <= folded[word_start - 1] <= "\u064a":
        word_start -= 1
    return folded[word_start:start] in _ARABIC_CLITICS


def _hit_counts(keyword: _Keyword, folded: str, start: int) -> bool:
    if keyword.latin_start and start > 0:
        before = folded[start - 1]
        if before in _ASCII_WORD or before == "@":
            return False
    if keyword.latin_end and not _latin_end_ok(folded, start + keyword.length):
        return False
    if keyword.word_start and not _arabic_word_start_ok(folded, start):
        return False
    return not (keyword.negatable and negated_before(folded, start))


def classify_priority(text: str) -> PriorityDecision:
    """Classify a ticket's free text into P0–P3; no keyword (or no text) means P3."""
    if not isinstance(text, str):
        raise InvalidValue("text", "text must be text", message_ar="text يجب أن يكون نصاً")
    if not text or text.isspace():
        return _EMPTY_DECISION
    folded = normalize(text)
    best = len(_KEYWORDS)
    for end, index in _AUTOMATON.iter(folded):
        if index >= best:
            continue
        keyword = _KEYWORDS[index]
        if _hit_counts(keyword, folded, end - keyword.length + 1):
            best = index
            if best == 0:
                break
    return _KEYWORDS[best].decision if best < len(_KEYWORDS) else _DEFAULT_DECISION


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
