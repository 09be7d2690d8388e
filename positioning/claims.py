"""The claims checker: finds prohibited marketing claims in Arabic or English text.

The 8 categories are those of `PROHIBITED_CLAIMS.md` (SPEC_RULES §10.2). Each category is a set of
regex rules written against *normalised* text (`customer_ops.domain.text.normalize`: alef/hamza
forms, taa marbuta, alef maqsura, diacritics, tatweel and Latin case are folded), so "نضمن لكم"
and "نَضْمَنُ لكم" are the same claim. Rules describe what a copywriter actually writes — "نضمن"
followed within a few words by a results noun, any form of "scrape", "auto-DM", "cold WhatsApp" —
rather than only the literal examples of the document.

Each occurrence is judged on its own (the original let one "لا نضمن" anywhere on the page
whitelist every "نضمن"):

- A claim preceded, in the same clause, by a negation cue is a negated restatement and passes:
  "لا نضمن نتائج", "بدون scraping", "no auto-DM", "we never scrape".
- Some prohibited phrases *begin* with a negation — "بدون مراجعة", "بدون فريق", "لا تدخل بشري",
  "without approval". They are claims of skipping the human step, so they are found, unless they
  are themselves negated: "لا شيء يُرسل بدون مراجعة" is a double negation, i.e. a safety statement.
- A glued conjunction starts a new clause: in "بدون scraping ونضمن لك عملاء" the "بدون" belongs
  to the scraping clause and the guarantee is a claim; so does a free-standing "and"/"ثم". In a
  list of negation-initial phrases ("بدون مكالمة وبدون فريق") every item shares the first one's
  verdict.
- A parenthetical gloss shares the negation of the phrase it glosses: "لا سحب بيانات (scraping)".
- A state is not a claim: "12 مسودة معلقة بدون اعتماد" describes drafts waiting for approval.

`check_claims` is what the approval gate runs on every draft and the tests run on the landing
pages. `check_document` is for our Markdown docs only: it ignores text written as a quoted
example, `~~«…»~~` (see `QUOTED_EXAMPLE`), so PROHIBITED_CLAIMS.md can show what not to say.
Plain Python, no Django; everything is compiled at import. Speed: 5,000 characters of real copy
take a few milliseconds (tests/positioning/test_claims.py measures it).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from itertools import accumulate, pairwise
from types import MappingProxyType
from typing import Any

import ahocorasick

from customer_ops.domain.errors import DomainError
from customer_ops.domain.text import (
    fold_char,
    negated_before,
    normalize,
    read_through_wrapped_lines,
)


class Category(StrEnum):
    GUARANTEED_RESULTS = "guaranteed_results"
    SCRAPING = "scraping"
    FULL_AUTOMATION = "full_automation"
    BYPASSING_APPROVALS = "bypassing_approvals"
    COMPETITOR_ATTACKS = "competitor_attacks"
    LEGAL_FINANCIAL = "legal_financial"
    MEDICAL_LANGUAGE = "medical_language"
    EXAGGERATED_SPEED = "exaggerated_speed"


@dataclass(frozen=True, slots=True)
class CategoryInfo:
    """One row of the category table: how the category is named and what to say instead."""

    code: Category
    label_ar: str
    label_en: str
    suggestion_ar: str


_C = Category
CATEGORIES: Mapping[Category, CategoryInfo] = MappingProxyType(
    {
        info.code: info
        for info in (
            CategoryInfo(
                _C.GUARANTEED_RESULTS,
                "وعود بنتائج مضمونة",
                "Guaranteed results",
                "لا تَعِد بالنتيجة؛ اعرض الأرقام الفعلية في Proof Pack: الفرص، الردود، "
                "الاجتماعات، والـ Pipeline المتأثر.",
            ),
            CategoryInfo(
                _C.SCRAPING,
                "سحب بيانات غير مصرّح به",
                "Scraping / unauthorised data",
                "اذكر المصادر المصرّح بها فقط: CRM العميل، LinkedIn Lead Gen Forms، نماذج "
                "الموقع، وبحث يدوي معتمد.",
            ),
            CategoryInfo(
                _C.FULL_AUTOMATION,
                "ادعاء الأتمتة الكاملة",
                "Full automation",
                "Approval-first: يجهّز Dealix مسودات فقط، وكل رسالة تنتظر موافقتك قبل أن تخرج.",
            ),
            CategoryInfo(
                _C.BYPASSING_APPROVALS,
                "تجاوز الموافقة والمراجعة البشرية",
                "Bypassing approvals",
                "الإنسان يقرّر والنظام ينفّذ: كل خطوة تمر عبر مركز الموافقات.",
            ),
            CategoryInfo(
                _C.COMPETITOR_ATTACKS,
                "مهاجمة المنافسين",
                "Competitor attacks",
                "Dealix يكمّل أنظمة الـ CRM الموجودة لديك؛ تحدّث عمّا نضيفه أنت وفريقك، "
                "لا عن منافس بالاسم.",
            ),
            CategoryInfo(
                _C.LEGAL_FINANCIAL,
                "ادعاءات قانونية أو مالية",
                "Legal / financial claims",
                "قل PDPL-aware: مسودة DPA جاهزة، وأي عقد أو أثر ضريبي يحتاج مراجعة مختص.",
            ),
            CategoryInfo(
                _C.MEDICAL_LANGUAGE,
                "لغة طبية أو علاجية",
                "Medical / therapeutic language",
                "استخدم لغة الأعمال: نحسّن الـ pipeline ونوضّح أين الفرص.",
            ),
            CategoryInfo(
                _C.EXAGGERATED_SPEED,
                "سرعة أو أرقام مبالغ فيها",
                "Exaggerated speed or numbers",
                "قل: 10 فرص خلال 7 أيام ضمن مسار Approval-first.",
            ),
        )
    }
)


class UnknownCategory(DomainError):
    """A category code that the claims checker does not define."""

    def __init__(self, category: object) -> None:
        super().__init__(
            f"unknown claims category: {category}",
            field="category",
            message_ar=f"فئة ادعاء غير معروفة: {category}",
        )
        self.category = category


def category_info(category: object) -> CategoryInfo:
    """The table row for a category code; an unknown code is an error, not a silent default."""
    if not isinstance(category, str):  # no other type is a member either
        raise UnknownCategory(category)
    try:
        return CATEGORIES[Category(category)]
    except ValueError:
        raise UnknownCategory(category) from None


def suggest(category: object) -> str:
    """The approved Arabic wording to use instead of a claim of this category."""
    return category_info(category).suggestion_ar


@dataclass(frozen=True, slots=True)
class Finding:
    """One prohibited claim; `text[start:end] == phrase` in the text that was checked."""

    category: Category
    phrase: str
    start: int
    end: int
    suggestion_ar: str

    @property
    def label_ar(self) -> str:
        return CATEGORIES[self.category].label_ar

    def as_dict(self) -> dict[str, Any]:
        return {
            "category": self.category.value,
            "label_ar": self.label_ar,
            "phrase": self.phrase,
            "start": self.start,
            "end": self.end,
            "suggestion_ar": self.suggestion_ar,
        }


@dataclass(frozen=True, slots=True)
class ClaimsReport:
    """The checker's verdict: `ok` exactly when there are no findings."""

    ok: bool
    findings: tuple[Finding, ...]

    def __post_init__(self) -> None:
        if self.ok != (not self.findings):
            raise ValueError("ClaimsReport.ok must be True exactly when there are no findings")

    @property
    def categories(self) -> frozenset[Category]:
        return frozenset(finding.category for finding in self.findings)

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "findings": [finding.as_dict() for finding in self.findings]}


# ── Rule vocabulary ───────────────────────────────────────────────────────────────────────────────
# Pattern sources are written in ordinary spelling and passed through `normalize` before compiling,
# so they fold exactly like the text. `normalize` lower-cases, which would turn `\S` into `\s`:
# sources therefore never use upper-case escapes (`_compile` refuses them).

_SP = r"[ \t\xa0]+"  # spaces inside one line: a rule never spans a line break
_GAP_WORD = r"[^\s.!?;:,()\[\]«»\"|—–]+"


def _gap(words: int) -> str:
    """Whitespace with up to `words` other words in between, in the same clause."""
    return rf"(?:{_SP}{_GAP_WORD}){{0,{words}}}?{_SP}"


# Optional proclitics glued to an Arabic noun: و ف ب ل ك, the article, and ل + article.
_PRE = r"(?:[وفبلك]?(?:ال)?|لل)"
# A conjunction glued to a verb starts a new clause; the name lets the matcher see it.
_CONJ = r"(?P<conj>[وف])?"

_RESULTS_AR = (
    r"(?:عملاء|عملاؤ|عميل|زبائن|زبون|مبيعات|نتائج|نتيجة|أرباح|ربح|إيرادات|إيراد|دخل|صفقات|صفقة"
    r"|اجتماعات|مواعيد|نمو|عائد|نجاح|فرص|فرصة|مكاسب|زيادة|مضاعفة|pipeline|roi|leads|ليدز)"
)
_RESULTS_EN = (
    r"(?:results?|leads?|customers?|clients?|sales|revenue|roi|growth|meetings?|deals?|returns?"
    r"|pipeline|success|profits?|outcomes?)\b"
)
_AUTO_AR = r"(?:تلقائي\w*|أوتوماتيك\w*|بشكل آلي|آلياً)"
_SEND_AR = (
    r"(?:[نيتأ]?رسل\w*|إرسال|[نيت]تواصل\w*|التواصل|[نيت]راسل\w*|[نيت]نشر\w*|[نيت]رد\b|الرد|الردود"
    r"|[نيت]حجز\w*|[نيت]خصم\w*)"
)
_MESSAGES_AR = r"(?:رسائل|رسالة|حملات|حملة|ردود|متابعات)"
_CHECK_NOUNS_AR = (
    r"(?:مراجعة|مراجعتك|مراجعتكم|موافقة|موافقتك|موافقتي|موافقتكم|اعتماد|اعتمادك|إشراف|تدقيق"
    r"|تدخل|تدخلك|مكالمة|مكالمات|فريق|إذن|إذنك|opt-in|optin)\b"
)
_COMPETITOR = (
    r"(?:ال ?)?(?:hubspot|هب ?سبوت|salesforce|سيلز ?فورس|gong|جونج|قونق|clay|zoho|زوهو|pipedrive"
    r"|apollo|zendesk|freshworks|odoo|أودو|crm)\b"
)
_BAD_SOURCE = (
    r"(?:linkedin(?! ?lead)|لينكد ?إن(?! ?lead)|لينكدان(?! ?lead)"
    r"|google(?! ?(?:sheets|calendar|meet|business|workspace|ads|forms|cloud|oauth))"
    r"|(?:قوقل|جوجل|غوغل)(?! ?(?:شيت|كالندر|تقويم|ميت))|apollo|أبولو"
    r"|من (?:أي|كل) مكان|من الإنترنت|anywhere|the (?:whole )?internet"
    r"|(?:كل|جميع) (?:ال)?(?:بيانات|أرقام|إيميلات|ايميلات|جوالات|حسابات|جهات)"
    r"|all (?:the )?(?:data|emails|numbers|phone numbers|contacts|profiles))"
)
_DATA_NOUNS = (
    r"(?:ال)?(?:بيانات|أرقام|إيميلات|ايميلات|جوالات|جهات اتصال|leads|ليدز|emails?|contacts"
    r"|phone numbers|profiles)"
)
_GAINS_AR = (
    r"(?:عملاء|عميل|زبائن|زبون|مبيعات|صفقات|صفقة|مليون|ملايين|ألف ريال|آلاف ريال|إيرادات|أرباح"
    r"|اجتماعات)"
)
_WITHIN_AR = r"(?:خلال|بخلال|في غضون|في ظرف|في|بأقل من|أقل من)"
# "ساعات العمل" and "أيام عمل" are working-time units (the SLA), not a speed promise. A speed
# claim is an amount of gains ("10 عملاء", "عملاء جدد", "مليون ريال") in a short time: "إبلاغ
# العملاء خلال 72 ساعة" is an obligation, not a claim.
_FAST_AR = (
    r"(?:\d+ ?(?:ساعة|ساعات(?! ?(?:ال)?عمل)|دقيقة|دقائق|ثانية|ثواني|يوم(?! ?عمل)|أيام(?! ?عمل))"
    r"|ساعة|ساعات(?! ?(?:ال)?عمل)|ساعتين|دقائق|دقيقة|ثواني|ليلة|يوم واحد|يومين|أسبوع|الأسبوع الأول"
    r"|شهر|الشهر الأول|أسبوعين)"
)
_BIZ_AR = r"(?:مشاكل|مشكلة|مشكلات|ركود|شركت\w*|مبيعات\w*|عمل\w*|نشاط\w*|قلة|ضعف|أزم\w*|خسائر|خساير)"
_UPPER_ESCAPE = re.compile(r"\\[A-Z]")


@dataclass(frozen=True, slots=True)
class _Rule:
    category: Category
    pattern: re.Pattern[str]
    # Every match contains one of these (folded) substrings. One automaton pass finds them all,
    # and a rule runs only on the lines that hold one of its triggers; most rules never run.
    triggers: tuple[str, ...]
    # The phrase itself starts with a negation ("بدون مراجعة"): a cue before it makes it safe.
    leading_negation: bool


def _compile(source: str) -> re.Pattern[str]:
    if _UPPER_ESCAPE.search(source):
        raise ValueError(f"upper-case escape in a claims pattern: {source!r}")
    # Named groups are the one upper-case piece of syntax we use; keep them out of the folding.
    folded = normalize(source.replace("(?P<", "\x00")).replace("\x00", "(?P<")
    return re.compile(folded)


def _rules(
    category: Category, *specs: tuple[str, tuple[str, ...]], leading_negation: bool = False
) -> Iterator[_Rule]:
    for source, triggers in specs:
        yield _Rule(
            category,
            _compile(source),
            tuple(normalize(t) for t in triggers),
            leading_negation,
        )


_RULES: tuple[_Rule, ...] = (
    # 1. Guaranteed results.
    *_rules(
        _C.GUARANTEED_RESULTS,
        # "نضمن لك عملاء", "يضمن لكم نتائج", "سنضمن زيادة المبيعات"
        (rf"\b{_CONJ}س?[نيأ]ضمن(?:ل(?:ك|كم|كي))?{_gap(3)}\b{_PRE}{_RESULTS_AR}", ("ضمن",)),
        # "نضمن لك" / "نضمن لكم" on its own: the tone guide swaps it for "نطلع لك" everywhere.
        (rf"\b{_CONJ}س?[نيأ]ضمن(?:{_SP}ل(?:ك|كم|كي)\b|ل(?:ك|كم|كي)\b)", ("ضمن",)),
        # "ضمان مضمون", "ضمان النتائج", "بضمان استرداد المبلغ"
        (
            rf"\b[وبل]?(?:ال)?ضمان(?:ات)?{_SP}{_PRE}(?:{_RESULTS_AR}|مضمون\w*|استرداد)",
            ("ضمان",),
        ),
        # "نتائج مضمونة 100%", "ROI مضمون 10x", "عملاء مضمونين"
        (rf"\b{_PRE}{_RESULTS_AR}\w*{_gap(2)}مضمون\w*", ("مضمون",)),
        (rf"\bمضمون\w*{_SP}(?:ال)?{_RESULTS_AR}", ("مضمون",)),
        (r"(?:100 ?%|% ?100) ?(?:مضمون\w*|guarantee\w*)", ("100",)),
        (r"(?:مضمون\w*|guarantee\w*) ?(?:100 ?%|% ?100)", ("100",)),
        (r"\bguaranteed\b", ("guaranteed",)),
        (r"\b(?:we|i|dealix)(?: will|'ll)? guarantees?\b", ("guarantee",)),
        (rf"\bguarantees?{_gap(3)}{_RESULTS_EN}", ("guarantee",)),
        (r"\bmoney[ -]?back\b", ("money",)),
        (r"\b\d+(?:\.\d+)? ?% ?(?:uptime|roas|forecast accuracy)", ("uptime", "roas", "forecast")),
        (r"\+ ?\d+(?:\.\d+)? ?% ?(?:roas|roi|sales|revenue|leads)", ("+",)),
    ),
    # 2. Scraping / unauthorised data.
    *_rules(
        _C.SCRAPING,
        (r"\bscrap(?:e|es|ed|ing|er|ers)\b", ("scrap",)),
        (r"\b[وب]?(?:ال)?(?:سكراب|سكرايب|سكريب)\w*", ("سكر",)),
        # "نسحب كل بيانات LinkedIn", "نستخرج جميع الأرقام من Google", "نجمع leads من أي مكان"
        (
            rf"\b{_CONJ}(?:[نيت]?(?:سحب|ستخرج|كشط|قشط|جمع|لقط|حصد)\w*|استخراج|كشط){_gap(5)}"
            rf"(?:من )?{_BAD_SOURCE}",
            ("سحب", "ستخرج", "استخراج", "كشط", "قشط", "جمع", "لقط", "حصد"),
        ),
        # "نحصل على إيميلات decision makers من Apollo": a generic verb needs a data noun too.
        (
            rf"\b{_CONJ}س?[نيت](?:حصل|جيب|وفر|عطي)\w*{_gap(2)}{_DATA_NOUNS}{_gap(4)}"
            rf"(?:من )?{_BAD_SOURCE}",
            ("حصل", "جيب", "وفر", "عطي"),
        ),
        (
            rf"\b(?:harvest|extract|pull|grab|collect|mine|mining|scoop)\w*{_gap(4)}"
            rf"(?:from )?{_BAD_SOURCE}",
            ("harvest", "extract", "pull", "grab", "collect", "min", "scoop"),
        ),
    ),
    # 3. Full automation.
    *_rules(
        _C.FULL_AUTOMATION,
        (rf"\b{_CONJ}{_SEND_AR}{_gap(3)}{_AUTO_AR}", ("تلقائي", "أوتوماتيك", "آلياً", "بشكل آلي")),
        (
            rf"\b{_PRE}{_MESSAGES_AR}{_gap(2)}{_AUTO_AR}",
            ("تلقائي", "أوتوماتيك", "آلياً", "بشكل آلي"),
        ),
        (
            rf"\b{_CONJ}{_SEND_AR}{_gap(2)}(?:للجميع|لجميع\w*|للكل|لكل (?:الأرقام|القائمة|الناس))",
            ("جميع", "للكل", "لكل"),
        ),
        (
            rf"\b{_CONJ}[نيت](?:دير|شغل|تولى|سوي)(?:{_SP}لك)?{_SP}"
            r"(?:كل شي\w*|كل حاجة|كل العمليات|نموك بالكامل)",
            ("كل شي", "كل حاجة", "كل العمليات", "بالكامل"),
        ),
        (r"\b(?:وأنت نائم|وانت نايم)", ("نت نا",)),
        (r"\bcold ?(?:whatsapp|واتس ?اب|dms?)\b", ("cold",)),
        (
            r"(?:واتس ?اب|واتساب)(?: ال)? ?(?:البارد|بارد|العشوائي|عشوائي)\w*",
            ("بارد", "عشوائي"),
        ),
        (rf"\b{_PRE}{_MESSAGES_AR}(?: واتس ?اب)? ?(?:باردة|عشوائية)", ("بارد", "عشوائي")),
        (
            r"\bauto[ -]?(?:dms?|send\w*|repl(?:y|ies|ying)|post\w*|messag\w*|outreach|connect\w*"
            r"|pilot)\b",
            ("auto",),
        ),
        (
            r"\bautomatic(?:ally)? (?:send\w*|messag\w*|outreach|dms?|repl\w*|post\w*|charg\w*)",
            ("automatic",),
        ),
        (
            rf"\b(?:send|sends|sending|sent|message|messages|dm|dms|post|posts|reply|replies"
            rf"|charge|charges|charged|contact|contacts|reach(?:es)? out){_gap(3)}automatically\b",
            ("automatically",),
        ),
        (r"\bmass (?:whatsapp|dms?|messag\w*|send\w*|blast\w*)", ("mass",)),
        (r"\b(?:fully|100 ?%|24/7) autonomous\b", ("autonomous",)),
        (r"\b(?:runs?|handles?|manages?|does|automates?) everything\b", ("everything",)),
        (
            r"\b(?:أتمتة|الأتمتة)(?: الكاملة| كاملة| شاملة| 100 ?%)|\b(?:fully|100 ?%) automated\b"
            r"|\bfull automation\b",
            ("أتمتة", "automat"),
        ),
        (
            r"\b(?:while you sleep|hands[ -]?free|set (?:it )?and forget)",
            ("sleep", "hands", "forget"),
        ),
    ),
    # 3b. Full automation phrased as "without you": found unless itself negated.
    *_rules(
        _C.FULL_AUTOMATION,
        (rf"\b{_CONJ}(?:بدونك|من دونك|دونك)\b", ("دونك",)),
        (r"\bwithout you\b", ("without you",)),
        leading_negation=True,
    ),
    # 4. Bypassing approvals: these phrases start with a negation of their own.
    *_rules(
        _C.BYPASSING_APPROVALS,
        (
            rf"\b{_CONJ}(?:بدون|دون|بلا|من غير|من دون){_SP}(?:أي{_SP})?(?:ال)?{_CHECK_NOUNS_AR}"
            rf"(?:{_SP}بشري\w*)?",
            ("دون", "بلا", "غير"),
        ),
        (
            rf"\b(?:لا|ما|مافي|مافيه|لا يوجد){_SP}(?:حاجة{_SP}(?:ل|إلى){_SP}?|يحتاج{_SP}|تحتاج{_SP}"
            rf"|نحتاج{_SP}|يوجد{_SP}|في{_SP})?(?:أي{_SP})?(?:ال)?(?:تدخل|مراجعة|إشراف|موافقة|تدقيق)"
            rf"{_SP}بشري\w*",
            ("بشري",),
        ),
        (
            rf"\b(?:لا|ما){_SP}(?:حاجة{_SP}(?:ل|إلى){_SP}?|يحتاج{_SP}|تحتاج{_SP}|نحتاج{_SP})(?:ال)?"
            r"(?:مراجعة|موافقة|موافقتك|فريق|مكالمة|تدخل)",
            ("حاج", "حتاج"),
        ),
        (
            r"\b(?:(?P<conj>and|or) )?without (?:any |a |your |the )?(?:human |manual )?(?:review\w*"
            r"|approv\w*|oversight"
            r"|intervention|sign[ -]?off|calls?|team|opt[ -]?in|consent)",
            ("without",),
        ),
        (
            r"\b(?:no|zero) (?:human\w*|manual) (?:review\w*|approv\w*|oversight|intervention"
            r"|involvement|touch|needed|required|in the loop)",
            ("human", "manual"),
        ),
        (
            r"\b(?:no|zero) (?:approvals?|reviews?|calls?|team) (?:needed|required|necessary)",
            ("needed", "required", "necessary"),
        ),
        (r"\b(?:no[ -]touch|human[ -]free)\b", ("touch", "free")),
        leading_negation=True,
    ),
    *_rules(
        _C.BYPASSING_APPROVALS,
        (r"\b(?:ai|الذكاء الاصطناعي|ذكاء اصطناعي)[ -]?(?:only|فقط)\b", ("only", "فقط")),
        (
            r"\b(?:skip|skips|skipping|bypass|bypasses|bypassing) (?:the |your |all )?"
            r"(?:approv\w*|reviews?|human\w*)",
            ("skip", "bypass"),
        ),
    ),
    # 5. Competitor attacks.
    *_rules(
        _C.COMPETITOR_ATTACKS,
        (
            rf"\b[وب]?(?:ال)?(?:بديل|بدائل)\w*{_gap(2)}(?:ل ?|عن )?{_COMPETITOR}",
            ("بديل", "بدائل"),
        ),
        (
            rf"\b(?:alternative|replacement|substitute) (?:to|for) {_COMPETITOR}",
            ("alternative", "replacement", "substitute"),
        ),
        (
            rf"\b{_COMPETITOR} (?:alternative|killer|replacement)",
            ("alternative", "killer", "replacement"),
        ),
        (rf"\breplac(?:e|es|ing) (?:your |the )?{_COMPETITOR}", ("replac",)),
        (
            rf"\b(?:kill|kills|killing|beat|beats|beating|crush\w*|destroy\w*) (?:the |your )?"
            rf"(?:traditional |old )?{_COMPETITOR}",
            ("kill", "beat", "crush", "destroy"),
        ),
        (
            rf"\b(?:أرخص|أقوى|أفضل|أحسن|أسرع|أذكى|أبسط|أخف|أوفر|أقل تكلفة)(?: بكثير| بمراحل)?"
            rf"{_SP}(?:من|عن){_SP}{_COMPETITOR}",
            ("أرخص", "أقوى", "أفضل", "أحسن", "أسرع", "أذكى", "أبسط", "أخف", "أوفر", "أقل"),
        ),
        (
            rf"\b(?:cheaper|better|stronger|smarter|faster|simpler|lighter)(?: \w+)? than "
            rf"{_COMPETITOR}",
            ("than",),
        ),
        (rf"\b{_CONJ}[نيت]?(?:قتل|هزم|دمر|سحق)\w*{_SP}{_COMPETITOR}", ("قتل", "هزم", "دمر", "سحق")),
        (
            rf"\b(?:[نيت]حل محل|[نيتأ]ستبدل\w*|استبدال){_SP}{_COMPETITOR}",
            ("محل", "ستبدل", "استبدال"),
        ),
    ),
    # 6. Legal and financial claims.
    *_rules(
        _C.LEGAL_FINANCIAL,
        (
            rf"\b{_CONJ}(?:[نيت])?(?:تجاوز|تخطى|تحايل|لتف|تهرب|التفاف)\w*{_SP}(?:على{_SP}|من{_SP})?"
            r"(?:ال)?(?:pdpl|نظام حماية البيانات\w*|حماية البيانات|zatca|هيئة الزكاة|الزكاة|الضريبة"
            r"|الأنظمة|القانون|sdaia|سدايا)",
            ("pdpl", "حماية", "zatca", "زكا", "ضريب", "أنظمة", "قانون", "sdaia", "سدايا"),
        ),
        (
            rf"\b{_CONJ}[نيت](?:خفي|خبي)\w*{_gap(3)}(?:عن |من )?(?:ال)?(?:جهات (?:ال)?(?:رسمية|حكومية"
            r"|رقابية)|حكومة|هيئة|الزكاة|zatca|sdaia|سدايا|الرقابة|السلطات)",
            ("خفي", "خبي"),
        ),
        (rf"\b{_CONJ}س?[نيأ]ضمن\w*{_gap(3)}(?:ال)?استثمار\w*", ("استثمار",)),
        (
            r"\bhid(?:e|es|ing)\b(?: \w+){0,3}? from (?:the )?(?:authorities|government|regulators?"
            r"|zatca|sdaia)",
            ("hid",),
        ),
        (
            r"\b(?:bypass\w*|circumvent\w*|get around|evad\w*|ignor\w*) (?:the )?"
            r"(?:pdpl|zatca|regulat\w*|law)",
            ("pdpl", "zatca", "regulat", "law"),
        ),
        (r"\btax[ -]?deductible\b", ("tax",)),
        (
            rf"(?:zatca|فوترة إلكترونية|الفواتير (?:الضريبية|zatca)|فواتير (?:ضريبية|zatca)){_gap(3)}"
            r"(?:تلقائي\w*|أوتوماتيك\w*|automatic\w*)",
            ("zatca", "فوتر", "فواتير"),
        ),
        (r"\bautomatic(?:ally)? (?:zatca|tax) (?:invoic\w*|fil\w*|complian\w*)", ("automatic",)),
        (r"\bsoc ?-?2\b|\biso ?27001\b", ("soc", "27001")),
        (r"\b(?:pdpl|gdpr)[ -](?:compliant|certified)\b", ("compliant", "certified")),
        (r"\b(?:fully |100 ?% )?compliant with (?:the )?(?:pdpl|gdpr)", ("compliant",)),
        (
            r"(?:متوافق\w*|معتمد\w*)(?: بالكامل| تماماً| 100 ?%)?(?: مع| من)? (?:ال)?"
            r"(?:pdpl|نظام حماية البيانات)",
            ("pdpl", "حماية"),
        ),
    ),
    # 7. Medical / therapeutic language.
    *_rules(
        _C.MEDICAL_LANGUAGE,
        (rf"\b{_CONJ}[نيت](?:عالج|داوي)\w*{_gap(2)}{_PRE}{_BIZ_AR}", ("عالج", "داوي")),
        # "يشفي" heals; "تشفير" (encryption) is not medical.
        (rf"\b{_CONJ}[نيت]شفي(?!ر)\w*", ("شفي",)),
        (
            rf"\b[وبل]?(?:ال)?(?:علاج|دواء|ترياق|روشتة)\b{_gap(2)}{_PRE}{_BIZ_AR}",
            ("علاج", "دواء", "ترياق", "روشت"),
        ),
        (r"\b(?:ال)?علاج (?:ال)?مضمون|\bوصفة سحرية", ("علاج", "وصف")),
        (
            r"\b(?:cures?|cured|curing|heals?|healed|healing|remed(?:y|ies))\b",
            ("cur", "heal", "remed"),
        ),
        (r"\b(?:miracle (?:cure|pill|drug)|magic pill)", ("miracle", "magic")),
        (r"\btreat(?:s|ing)? (?:your )?(?:business|company|sales|pipeline)", ("treat",)),
    ),
    # 8. Exaggerated speed and numbers.
    *_rules(
        _C.EXAGGERATED_SPEED,
        (
            rf"\b(?:\d[\d,]*{_SP}?{_PRE}{_GAINS_AR}\w*|{_PRE}{_GAINS_AR}\w*{_SP}(?:جدد|جديدة|إضافي\w*)"
            rf"|{_PRE}(?:مليون|ملايين)){_gap(2)}{_WITHIN_AR}{_SP}(?:ال)?{_FAST_AR}",
            (
                "عملاء",
                "عميل",
                "زبائن",
                "زبون",
                "مبيعات",
                "صفق",
                "مليون",
                "ملايين",
                "ألف",
                "آلاف",
                "إيرادات",
                "أرباح",
                "اجتماعات",
            ),
        ),
        (
            rf"\b(?:نمو|زيادة|مضاعفة|ارتفاع|تضاعف)\w*{_gap(2)}(?:\d{{3,}} ?%|% ?\d{{3,}})",
            ("نمو", "زيادة", "مضاعفة", "ارتفاع", "تضاعف"),
        ),
        (r"(?:\d{3,} ?%|% ?\d{3,}) ?(?:نمو|زيادة)", ("نمو", "زيادة")),
        (r"(?:\d+ ?%|% ?\d+) ?(?:أسبوعياً|يومياً|كل أسبوع|كل يوم)", ("أسبوع", "يوم")),
        (
            r"\b\d{3,} ?% (?:growth|increase|more|uplift|boost)",
            ("growth", "increase", "more", "uplift", "boost"),
        ),
        (r"\b(?:[2-9]|[1-9]\d+)x\b", tuple(f"{digit}x" for digit in "0123456789")),
        (
            r"\b(?:(?:\d+|new|more) (?:customers|clients|sales|deals|meetings)|results)(?: \w+){0,2}?"
            r" (?:in|within) "
            r"(?:\d+ )?(?:hours?|minutes?|seconds?|a day|one day|24 ?h(?:ours)?|a week|one week)\b",
            ("customers", "clients", "sales", "deals", "meetings", "results"),
        ),
        (
            r"\b(?:a )?millions?(?: \w+){0,2}? (?:in|within) (?:a|one|\d+) (?:months?|weeks?|days?)",
            ("million",),
        ),
        (
            r"\b(?:overnight|instant) (?:results|growth|success|sales|revenue|customers)",
            ("overnight", "instant"),
        ),
    ),
)


@dataclass(frozen=True)
class _Folded:
    """A text folded character by character, exactly as `normalize_with_offsets` does it.

    `normalize_with_offsets` costs ~8 ms on 5,000 characters. The memoised per-character fold
    (`text.fold_char`), and building the position map only when a match needs it, keep the whole
    check well under that. A test pins `folded` and `original_index` to `normalize_with_offsets`.
    `read` is `folded` read through wrapped lines: the rules match in it, so a claim may run
    across a line break inside a paragraph, while negations are looked for in `folded`.
    """

    text: str
    pieces: list[str]
    folded: str
    read: str

    @classmethod
    def of(cls, text: str) -> _Folded:
        pieces = list(map(fold_char, text))
        folded = "".join(pieces)
        return cls(text, pieces, folded, read_through_wrapped_lines(folded))

    @cached_property
    def _ends(self) -> list[int] | None:
        """ends[i] = length of the folded text produced by text[: i + 1]; None if 1:1."""
        if len(self.folded) == len(self.text) and all(len(p) == 1 for p in self.pieces):
            return None
        return list(accumulate(map(len, self.pieces)))

    def original_index(self, folded_index: int) -> int:
        """The index in `text` of the character that produced `folded[folded_index]`."""
        ends = self._ends
        if ends is None:
            return folded_index
        if folded_index >= len(self.folded):
            return len(self.text)
        return bisect_right(ends, folded_index)


# A free-standing "and" starts a new clause for negation purposes: "no scraping and guaranteed
# leads" still claims guaranteed leads.
_NEW_CLAUSE = re.compile(r"\b(?:and|then|ثم)\b")
# Saudi-dialect negation right before the claim ("ما نضمن", "مب نضمن"); not in the shared cue list
# because "ما" is also "what" and only counts directly before the phrase.
_DIALECT_NEGATION = re.compile(r"(?<!\w)(?:ما|مب|مهب)[ \t]+$")
# Naming a claim is not making it: "ادعاء الأتمتة الكاملة" is the title of the category.
_MENTION = re.compile(r"(?<!\w)(?:ادعاء|ادعاءات|claims? of)[ \t]+$")
# "ابدأ" (start) folds to "ابدا", which is also the folded "أبداً" (never), a negation cue. Only
# the original spelling tells them apart: "ابدأ بدون مكالمة" is a claim, not a double negation.
_ABADAN = re.compile(r"(?<!\w)ابدا(?!\w)")
_NEGATION_WINDOW = 4
# Double negation ("لا شيء يُرسل إلى العميل بدون موافقة") puts a subject and verb between the
# two negations, so the outer cue may sit further back.
_DOUBLE_NEGATION_WINDOW = 6


def _negated(folded: _Folded, start: int, *, window: int) -> bool:
    text = folded.folded
    # The window is a few words; 90 characters hold six long ones.
    head_start = max(0, start - 90)
    head = text[head_start:start]
    if "and" in head or "then" in head or "ثم" in head:
        for clause in _NEW_CLAUSE.finditer(text, head_start, start):
            head_start = clause.end()
        head = text[head_start:start]
    if "ابدا" in head:
        head = _without_start_verbs(folded, head, head_start)
    if negated_before(head, len(head), window=window):
        return True
    return bool(
        _DIALECT_NEGATION.search(text, max(0, start - 8), start)
        or _MENTION.search(text, max(0, start - 12), start)
    )


def _without_start_verbs(folded: _Folded, head: str, head_start: int) -> str:
    for word in reversed(list(_ABADAN.finditer(head))):
        if folded.text[folded.original_index(head_start + word.end() - 1)] == "أ":
            head = head[: word.start()] + "ابدء" + head[word.end() :]
    return head


_GLOSS_OPEN = re.compile(r"\([ \t]*(?:[^\s()]+[ \t]+){0,2}$")
_GLOSS_CLOSE = re.compile(r"[ \t]*\)")


def _gloss_start(text: str, start: int, end: int) -> int:
    """Where the phrase's clause starts: before the "(" if the phrase is a whole parenthetical.

    "لا رسائل واتساب باردة (cold WhatsApp)": the gloss restates the negated phrase before it, so
    the negation reaches into it. Only a parenthetical that ends with the phrase, at most two
    words after the "(", counts: "ليس أداة سحب بيانات (lead scraper)".
    """
    opening = _GLOSS_OPEN.search(text, max(0, start - 40), start)
    if opening and _GLOSS_CLOSE.match(text, end):
        return opening.start()
    return start


# "12 مسودة معلقة بدون اعتماد" describes drafts waiting for approval, not a service that skips it.
_WAITING_STATE = re.compile(
    r"(?<!\w)(?:معلق\w*|متراكم\w*|تراكم\w*|pending|waiting)(?:[ \t]+[^\s.,;:!?]+){0,2}[ \t]+$"
)


def _is_claim(rule: _Rule, match: re.Match[str], folded: _Folded) -> bool:
    start = _gloss_start(folded.folded, match.start(), match.end())
    if rule.leading_negation:
        if _WAITING_STATE.search(folded.folded, max(0, start - 40), start):
            return False
        return not _negated(folded, start, window=_DOUBLE_NEGATION_WINDOW)
    if "conj" in rule.pattern.groupindex and match.group("conj"):
        return True
    return not _negated(folded, start, window=_NEGATION_WINDOW)


def _trigger_automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for trigger in {trigger for rule in _RULES for trigger in rule.triggers}:
        automaton.add_word(trigger, trigger)
    automaton.make_automaton()
    return automaton


# Every trigger of every rule, found in one pass over the text (the same C automaton as the
# ticket classifier uses) instead of one substring search per trigger.
_TRIGGERS = _trigger_automaton()
_NEWLINE = re.compile("\n")
# A trigger on more lines than this sends its rules over the whole text in one pass instead.
_MAX_TRIGGER_LINES = 12


# A claim may be wrapped over this many line breaks around its trigger's line and still be found.
_WRAPPED_LINES = 3


def _scan_ranges(folded: _Folded) -> Iterator[tuple[_Rule, int, int]]:
    """Each rule with the ranges of `folded.read` worth running it on: near one of its triggers.

    A rule runs on the lines that hold one of its triggers and the `_WRAPPED_LINES` lines on
    either side (a phrase reads on across a wrapped line, never across a blank one). That finds
    exactly what a scan of the full text finds for any claim wrapped over fewer line breaks (a
    test checks this on generated texts); most rules have no trigger at all.
    """
    text = folded.folded
    line_starts = [0, *(newline.end() for newline in _NEWLINE.finditer(text))]
    line_ends = [*(start - 1 for start in line_starts[1:]), len(text)]
    last_line = len(line_starts) - 1
    lines_by_trigger: dict[str, set[int]] = {}
    for end, trigger in _TRIGGERS.iter(folded.read):
        lines_by_trigger.setdefault(trigger, set()).add(bisect_right(line_starts, end) - 1)
    for rule in _RULES:
        lines: set[int] = set()
        for trigger in rule.triggers:
            lines |= lines_by_trigger.get(trigger, set())
        if len(lines) > _MAX_TRIGGER_LINES:
            yield rule, 0, len(text)
            continue
        near = {
            near_line
            for line in lines
            for near_line in range(
                max(0, line - _WRAPPED_LINES), min(last_line, line + _WRAPPED_LINES) + 1
            )
        }
        first = previous = -1
        for line in sorted(near):
            if first == -1:
                first = previous = line
            elif line == previous + 1:
                previous = line
            else:
                yield rule, line_starts[first], line_ends[previous]
                first = previous = line
        if first != -1:
            yield rule, line_starts[first], line_ends[previous]


def _claims(folded: _Folded, scan: Iterator[tuple[_Rule, int, int]]) -> list[_Candidate]:
    text = folded.read
    candidates: list[_Candidate] = []
    for rule, low, high in scan:
        previous_end, previous_claim = -1, False
        for match in rule.pattern.finditer(text, low, high):
            if match.end() == match.start():
                continue
            # "بدون مكالمة وبدون فريق": a coordinated item shares the verdict of the first one;
            # otherwise the first "بدون" would read as a negation of the second.
            chained = (
                rule.leading_negation
                and "conj" in rule.pattern.groupindex
                and match.group("conj") is not None
                and not text[previous_end : match.start()].strip(" ,")
            )
            is_claim = previous_claim if chained else _is_claim(rule, match, folded)
            if is_claim:
                candidates.append(_Candidate(match.start(), match.end(), rule.category))
            previous_end, previous_claim = match.end(), is_claim
    return candidates


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int
    end: int
    category: Category


def check_claims(text: str, *, quoting: Iterable[str] = ()) -> ClaimsReport:
    """Find every prohibited claim in `text`; each occurrence is judged on its own.

    `quoting` holds the customer's own words that `text` may quote back (a ticket's subject and
    body for a reply): a claim inside such a quotation is theirs, not ours (see `quoted_spans`).
    """
    folded = _Folded.of(text)
    candidates = _claims(folded, _scan_ranges(folded))
    findings = _findings(candidates, folded)
    if findings and quoting:
        spans = quoted_spans(text, quoting=quoting)
        findings = tuple(
            f for f in findings if not any(a <= f.start and f.end <= b for a, b in spans)
        )
    return ClaimsReport(ok=not findings, findings=findings)


# ── The customer's words quoted back ──────────────────────────────────────────────────────────────
# The checker judges what *we* claim. A reply often repeats what the customer wrote: the subject
# "رد: <their subject>", an e-mail quotation "> …", or their words in quotation marks «…» / “…” /
# "…". Such a span is theirs only when both hold: it is marked as a quotation in one of those
# forms, and its words are the customer's own (found, folded, as a run of words in `quoting`).
# Quotation marks around words the customer never wrote launder nothing, and a claim of ours
# beside the quotation is still found.
_REPLY_PREFIX = re.compile(
    r"^[ \t]*(?:(?:رد|re|fwd?|fw|إعادة توجيه)[ \t]*[:：][ \t]*)+(?P<quote>[^\n]+)",
    re.IGNORECASE | re.MULTILINE,
)
_QUOTED_LINE = re.compile(r"^[ \t]*(?:>[ \t]?)+(?P<quote>[^\n]+)", re.MULTILINE)
_QUOTATION_MARKS = (
    re.compile(r"«(?P<quote>[^«»\n]+)»"),
    re.compile(r"“(?P<quote>[^“”\n]+)”"),
    re.compile(r"\"(?P<quote>[^\"\n]+)\""),
)
_WORDS = re.compile(r"\w+")


def _word_run(text: str) -> str:
    return " " + " ".join(_WORDS.findall(normalize(text)))


def quoted_spans(text: str, *, quoting: Iterable[str]) -> list[tuple[int, int]]:
    """The `[start, end)` spans of `text` that quote the customer's own words back to them.

    A reply subject cut to the field's length may end inside a word, so a quotation matches
    the customer's words up to its last (possibly partial) word.
    """
    theirs = [_word_run(words) + " " for words in quoting if words]
    spans: list[tuple[int, int]] = []
    for pattern in (_REPLY_PREFIX, _QUOTED_LINE, *_QUOTATION_MARKS):
        for match in pattern.finditer(text):
            run = _word_run(match.group("quote"))
            if run.strip() and any(run in words for words in theirs):
                spans.append(match.span("quote"))
    return spans


def _findings(candidates: list[_Candidate], folded: _Folded) -> tuple[Finding, ...]:
    # Within one category the longest of overlapping matches stands for them all; different
    # categories on the same words are different problems and are all reported.
    candidates.sort(key=lambda c: (c.start, c.start - c.end))
    if not candidates:
        return ()
    original_index = folded.original_index
    kept_until: dict[Category, int] = {}
    findings: list[Finding] = []
    for candidate in candidates:
        if candidate.start < kept_until.get(candidate.category, -1):
            continue
        kept_until[candidate.category] = candidate.end
        start = original_index(candidate.start)
        end = original_index(candidate.end - 1) + 1
        findings.append(
            Finding(
                category=candidate.category,
                phrase=folded.text[start:end],
                start=start,
                end=end,
                suggestion_ar=CATEGORIES[candidate.category].suggestion_ar,
            )
        )
    findings.sort(key=lambda f: (f.start, f.end, f.category))
    return tuple(findings)


# ── Our Markdown documents ────────────────────────────────────────────────────────────────────────
# The one way a document quotes wording it does NOT endorse: struck through *and* in guillemets,
# on one line, e.g. ~~«نضمن لك عملاء»~~. Renders as a crossed-out quotation. Only
# `check_document` honours it; drafts and landing pages are checked with `check_claims`, where the
# same markup hides nothing.
QUOTED_EXAMPLE = re.compile(r"~~«([^«»\n]+)»~~")
# A category code written as inline code (`scraping`) names the checker's own category; it is
# the only other thing `check_document` skips, and only these eight exact spans.
_CATEGORY_CODE = re.compile("`(?:" + "|".join(re.escape(code) for code in Category) + ")`")


def quoted_examples(markdown: str) -> tuple[str, ...]:
    """The wording a document quotes as an example of what not to say, in document order."""
    return tuple(match.group(1) for match in QUOTED_EXAMPLE.finditer(markdown))


_LINE_LEAD = " \t>"  # indentation and blockquote markers
_NEVER_JOINED = re.compile(r"(?:#|\||```|$)")  # headings, table rows, fences, blank lines
_NEW_BLOCK = re.compile(r"(?:#|\||```|[-*+][ \t]|\d+[.)][ \t]|$)")  # the above, or a list item


def _join_soft_breaks(markdown: str) -> str:
    """Turn Markdown soft line breaks into spaces, so a wrapped sentence stays one clause.

    "وبدون⏎> cold WhatsApp" in a wrapped quote is one negated phrase, not two clauses. A line
    break stays a break before a new block and after a heading, table row, fence or blank line.
    The result has the same length as the input.
    """
    lines = markdown.split("\n")
    out = [lines[0]]
    for previous, line in pairwise(lines):
        body = line.lstrip(_LINE_LEAD)
        if _NEVER_JOINED.match(previous.lstrip(_LINE_LEAD)) or _NEW_BLOCK.match(body):
            out.append("\n" + line)
        else:
            out.append(" " * (1 + len(line) - len(body)) + body)
    return "".join(out)


def check_document(markdown: str) -> ClaimsReport:
    """`check_claims` for our Markdown docs: quoted examples are skipped, table cells are clauses."""

    def blank(match: re.Match[str]) -> str:
        return " " * len(match.group(0))

    # Every replacement keeps the length, so offsets stay valid for the original document.
    masked = _CATEGORY_CODE.sub(blank, QUOTED_EXAMPLE.sub(blank, markdown))
    masked = _join_soft_breaks(masked)
    # A negation in one table cell must not reach into the next cell.
    masked = masked.replace("|", "\n")
    report = check_claims(masked)
    findings = tuple(
        Finding(f.category, markdown[f.start : f.end], f.start, f.end, f.suggestion_ar)
        for f in report.findings
    )
    return ClaimsReport(ok=report.ok, findings=findings)
