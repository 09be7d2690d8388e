"""The claims checker: categories, negation, offsets, the documents' own examples, and speed."""

from __future__ import annotations

import dataclasses
import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from customer_ops.domain.errors import DomainError
from customer_ops.domain.text import normalize_with_offsets
from positioning import claims
from positioning.claims import (
    CATEGORIES,
    Category,
    ClaimsReport,
    Finding,
    UnknownCategory,
    check_claims,
    check_document,
    quoted_examples,
    suggest,
)
from tests.positioning.corpus import DOC_NAMES, doc, markdown_sections
from tests.positioning.test_positioning_lock import ORIGINAL_PROHIBITED_PHRASES

C = Category

# ── Positive claims: each must be found, in its category ─────────────────────────────────────
POSITIVE: tuple[tuple[Category, str], ...] = (
    (C.GUARANTEED_RESULTS, "نضمن لك عملاء جدد كل شهر"),
    (C.GUARANTEED_RESULTS, "نَضْمَنُ لكم نتائجَ واضحة"),
    (C.GUARANTEED_RESULTS, "مع Dealix النتائج مضمونة 100%"),
    (C.GUARANTEED_RESULTS, "We guarantee more qualified leads."),
    (C.GUARANTEED_RESULTS, "100% guaranteed pipeline growth"),
    (C.GUARANTEED_RESULTS, "Guarantee results in your first month"),
    (C.GUARANTEED_RESULTS, "عملاؤك مضمونون معنا"),
    (C.SCRAPING, "نسحب كل بيانات LinkedIn لفريقك"),
    (C.SCRAPING, "نستخرج جميع الأرقام من Google Maps"),
    (C.SCRAPING, "نحصل على إيميلات المدراء من Apollo"),
    (C.SCRAPING, "We scrape LinkedIn profiles for you"),
    (C.SCRAPING, "Built-in lead scraping for every campaign"),
    (C.SCRAPING, "We extract all emails from the whole internet"),
    (C.FULL_AUTOMATION, "نرسل الرسائل تلقائياً لكل القائمة"),
    (C.FULL_AUTOMATION, "Dealix يدير كل شيء بدونك"),
    (C.FULL_AUTOMATION, "حملات واتساب باردة جاهزة"),
    (C.FULL_AUTOMATION, "Auto-DM campaigns on LinkedIn"),
    (C.FULL_AUTOMATION, "Cold WhatsApp blasts that convert"),
    (C.FULL_AUTOMATION, "Messages are sent automatically to every lead"),
    (C.FULL_AUTOMATION, "أتمتة كاملة لحملات واتساب"),
    (C.FULL_AUTOMATION, "We handle everything for you"),
    (C.BYPASSING_APPROVALS, "ابدأ بدون مكالمة وبدون فريق"),
    (C.BYPASSING_APPROVALS, "ننشر الردود بدون مراجعة بشرية"),
    (C.BYPASSING_APPROVALS, "AI-only — لا تدخل بشري"),
    (C.BYPASSING_APPROVALS, "We send on your behalf without your approval"),
    (C.BYPASSING_APPROVALS, "No human review needed"),
    (C.BYPASSING_APPROVALS, "Skip the approval step and go live"),
    (C.COMPETITOR_ATTACKS, "Dealix بديل HubSpot السعودي"),
    (C.COMPETITOR_ATTACKS, "أرخص بكثير من Salesforce"),
    (C.COMPETITOR_ATTACKS, "نقتل الـ CRM التقليدي"),
    (C.COMPETITOR_ATTACKS, "The HubSpot alternative for Riyadh"),
    (C.COMPETITOR_ATTACKS, "Smarter than Gong, half the price"),
    (C.COMPETITOR_ATTACKS, "Replace your Salesforce in a week"),
    (C.COMPETITOR_ATTACKS, "وفّر تكلفة استبدال HubSpot"),
    (C.COMPETITOR_ATTACKS, "Kill your CRM"),
    (C.COMPETITOR_ATTACKS, "استبدل Salesforce اليوم"),
    (C.LEGAL_FINANCIAL, "نتجاوز PDPL بطريقة ذكية"),
    (C.LEGAL_FINANCIAL, "نخفي بياناتك من الجهات الرسمية"),
    (C.LEGAL_FINANCIAL, "نضمن عودة استثمارك"),
    (C.LEGAL_FINANCIAL, "Tax-deductible automatically"),
    (C.LEGAL_FINANCIAL, "Fully compliant with PDPL and SOC 2 certified"),
    (C.LEGAL_FINANCIAL, "ZATCA invoices issued automatically"),
    (C.MEDICAL_LANGUAGE, "Dealix يعالج مشاكل العمل"),
    (C.MEDICAL_LANGUAGE, "يشفي شركتك من الركود"),
    (C.MEDICAL_LANGUAGE, "علاج مضمون لقلة العملاء"),
    (C.MEDICAL_LANGUAGE, "The cure for a stalled pipeline"),
    (C.MEDICAL_LANGUAGE, "It heals broken sales teams"),
    (C.MEDICAL_LANGUAGE, "A miracle cure for slow months"),
    (C.EXAGGERATED_SPEED, "10 عملاء خلال 24 ساعة"),
    (C.EXAGGERATED_SPEED, "مليون ريال خلال شهر"),
    (C.EXAGGERATED_SPEED, "نمو 1000% أسبوعياً"),
    (C.EXAGGERATED_SPEED, "10 new clients in 24 hours"),
    (C.EXAGGERATED_SPEED, "A million riyals in one month"),
    (C.EXAGGERATED_SPEED, "Get 10x pipeline overnight"),
    (C.EXAGGERATED_SPEED, "Results in 24 hours"),
)

# ── Negated restatements and safe copy: nothing may be found ──────────────────────────────────
NEGATED: tuple[tuple[Category, str], ...] = (
    (C.GUARANTEED_RESULTS, "لا نضمن نتائج"),
    (C.GUARANTEED_RESULTS, "ما نضمن لك عملاء، نعرض لك الأرقام"),
    (C.GUARANTEED_RESULTS, "لا نتائج مضمونة، بل أرقام مقاسة"),
    (C.GUARANTEED_RESULTS, "We don't guarantee results."),
    (C.GUARANTEED_RESULTS, "No guaranteed promises."),
    (C.GUARANTEED_RESULTS, "We never guarantee leads."),
    (C.SCRAPING, "لا نسحب بيانات LinkedIn"),
    (C.SCRAPING, "بدون scraping"),
    (C.SCRAPING, "لن نستخرج الأرقام من Google"),
    (C.SCRAPING, "We never scrape."),
    (C.SCRAPING, "Dealix is not a lead scraper"),
    (C.SCRAPING, "نجمع leads من LinkedIn Lead Gen Forms فقط"),
    (C.SCRAPING, "Leads come from LinkedIn Lead Gen Forms, never from scraping."),
    (C.FULL_AUTOMATION, "لا نرسل تلقائياً؛ كل رسالة تنتظر موافقتك"),
    (C.FULL_AUTOMATION, "لا واتساب بارد"),
    (C.FULL_AUTOMATION, "لا شيء يحدث بدونك"),
    (C.FULL_AUTOMATION, "no auto-DM"),
    (C.FULL_AUTOMATION, "no cold WhatsApp"),
    (C.FULL_AUTOMATION, "Nothing runs without you."),
    (C.FULL_AUTOMATION, "ادعاء الأتمتة الكاملة فئة ممنوعة"),
    (C.BYPASSING_APPROVALS, "لا شيء يُرسل بدون مراجعة"),
    (C.BYPASSING_APPROVALS, "لن نرسل أي رسالة بدون موافقتك"),
    (C.BYPASSING_APPROVALS, "لا نبدأ أي Pilot بدون مكالمة تعريفية"),
    (C.BYPASSING_APPROVALS, "Nothing goes out without your approval."),
    (C.BYPASSING_APPROVALS, "Dealix is not AI-only."),
    (C.BYPASSING_APPROVALS, "We never skip the approval step."),
    (C.COMPETITOR_ATTACKS, "لسنا بديل HubSpot"),
    (C.COMPETITOR_ATTACKS, "ليس بديلاً لـ HubSpot؛ نعمل معه"),
    (C.COMPETITOR_ATTACKS, "لا نقول إننا أرخص من Salesforce"),
    (C.COMPETITOR_ATTACKS, "We are not a HubSpot alternative."),
    (C.COMPETITOR_ATTACKS, "We don't replace your Salesforce."),
    (C.COMPETITOR_ATTACKS, "Dealix works next to HubSpot and Salesforce."),
    (C.LEGAL_FINANCIAL, "لا نتجاوز PDPL"),
    (C.LEGAL_FINANCIAL, "لا نخفي بياناتك من الجهات الرسمية"),
    (C.LEGAL_FINANCIAL, "لا نضمن عودة استثمارك"),
    (C.LEGAL_FINANCIAL, "Dealix is not SOC 2 certified."),
    (C.LEGAL_FINANCIAL, "We never bypass PDPL."),
    (C.LEGAL_FINANCIAL, "PDPL-aware, with a DPA draft ready"),
    (C.MEDICAL_LANGUAGE, "لا يعالج Dealix مشاكل العمل بعصا سحرية"),
    (C.MEDICAL_LANGUAGE, "تشفير البيانات في كل الاتصالات"),
    (C.MEDICAL_LANGUAGE, "ابدأ بالتشخيص المجاني"),
    (C.MEDICAL_LANGUAGE, "It does not cure anything."),
    (C.MEDICAL_LANGUAGE, "Start with the Free Diagnostic"),
    (C.MEDICAL_LANGUAGE, "Never a miracle cure."),
    (C.EXAGGERATED_SPEED, "لا نعد بـ 10 عملاء خلال 24 ساعة"),
    (C.EXAGGERATED_SPEED, "10 فرص خلال 7 أيام"),
    (C.EXAGGERATED_SPEED, "نرد على العملاء في ساعات العمل"),
    (C.EXAGGERATED_SPEED, "We never promise 10 new clients in 24 hours."),
    (C.EXAGGERATED_SPEED, "Notify affected customers within 72 hours"),
    (C.EXAGGERATED_SPEED, "10 opportunities in 7 days"),
    (C.EXAGGERATED_SPEED, "We reply within 24 hours"),
)


def _ids(rows: tuple[tuple[Category, str], ...]) -> list[str]:
    return [f"{category.value}:{text}" for category, text in rows]


@pytest.mark.parametrize(("category", "text"), POSITIVE, ids=_ids(POSITIVE))
def test_check_claims_finds_a_positive_claim_in_its_category(category: Category, text: str) -> None:
    report = check_claims(text)

    assert not report.ok
    assert category in report.categories


@pytest.mark.parametrize(("category", "text"), NEGATED, ids=_ids(NEGATED))
def test_check_claims_passes_a_negated_restatement(category: Category, text: str) -> None:
    report = check_claims(text)

    assert report.ok, report.findings


def test_the_tables_cover_every_category_with_three_arabic_and_three_english_rows() -> None:
    def counts(rows: tuple[tuple[Category, str], ...], *, arabic: bool) -> dict[Category, int]:
        has_arabic = re.compile("[\u0600-\u06ff]")
        found = dict.fromkeys(Category, 0)
        for category, text in rows:
            if bool(has_arabic.search(text)) == arabic:
                found[category] += 1
        return found

    for rows in (POSITIVE, NEGATED):
        assert min(counts(rows, arabic=True).values()) >= 3
        assert min(counts(rows, arabic=False).values()) >= 3


@pytest.mark.parametrize("phrase", ORIGINAL_PROHIBITED_PHRASES)
def test_check_claims_finds_each_phrase_of_the_original_scan(phrase: str) -> None:
    assert not check_claims(phrase).ok


# ── The examples in PROHIBITED_CLAIMS.md ──────────────────────────────────────────────────────


def _category_sections() -> dict[Category, str]:
    sections: dict[Category, str] = {}
    for heading, body in markdown_sections(doc("PROHIBITED_CLAIMS.md")).items():
        code = re.search(r"`([a-z_]+)`\s*$", heading)
        if code:
            sections[Category(code.group(1))] = body
    return sections


def _negated_lines(section: str) -> list[str]:
    # Approved negations are list items that are a plain «…» quotation (not struck through).
    return re.findall(r"^- «([^»\n]+)»$", section, re.M)


def test_prohibited_claims_has_a_section_per_category_with_examples_and_negations() -> None:
    sections = _category_sections()

    assert set(sections) == set(Category)
    for category, body in sections.items():
        assert len(quoted_examples(body)) >= 4, category
        assert _negated_lines(body), category
        assert "قل بدلاً منه" in body, category


def test_every_forbidden_example_in_prohibited_claims_is_found_in_its_category() -> None:
    missed = [
        (category.value, example)
        for category, body in _category_sections().items()
        for example in quoted_examples(body)
        if category not in check_claims(example).categories
    ]

    assert missed == []


def test_every_negated_restatement_in_prohibited_claims_passes() -> None:
    flagged = [
        (sentence, check_claims(sentence).findings)
        for body in _category_sections().values()
        for sentence in _negated_lines(body)
        if not check_claims(sentence).ok
    ]

    assert flagged == []


def test_prohibited_claims_quotes_all_13_phrases_of_the_original_scan() -> None:
    examples = set(quoted_examples(doc("PROHIBITED_CLAIMS.md")))

    missing = [
        phrase
        for phrase in ORIGINAL_PROHIBITED_PHRASES
        if phrase not in examples and not any(phrase in example for example in examples)
    ]

    # "AI-only — لا تدخل بشري" is quoted in the spec's own spelling, "Ai-only — …".
    assert missing in ([], ["AI-only — لا تدخل بشري"])


# ── Negation rules ────────────────────────────────────────────────────────────────────────────


def test_disclaimer_elsewhere_does_not_whitelist_a_claim() -> None:
    # The original private-beta rule let one "لا نضمن" anywhere allow every "نضمن" on the page.
    text = "لا نضمن نتائج في أي إعلان.\nعرض خاص: نضمن لك عملاء خلال الشهر الأول.\nno guarantee."

    report = check_claims(text)

    assert [f.phrase for f in report.findings if f.category is C.GUARANTEED_RESULTS] == [
        "نضمن لك عملاء"
    ]


def test_negation_does_not_reach_across_a_glued_conjunction() -> None:
    report = check_claims("بدون scraping ونضمن لك عملاء")

    assert report.categories == {C.GUARANTEED_RESULTS}


def test_negation_does_not_reach_across_and() -> None:
    report = check_claims("No scraping and guaranteed leads for everyone")

    assert report.categories == {C.GUARANTEED_RESULTS}


def test_negation_does_not_reach_across_a_sentence() -> None:
    report = check_claims("لا scraping. نسحب كل بيانات LinkedIn.")

    assert report.categories == {C.SCRAPING}


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("بدون مراجعة بشرية", False),
        ("لا شيء يُرسل بدون مراجعة بشرية", True),
        ("نرسل بدون موافقتك", False),
        ("لا نرسل أي رسالة للعميل بدون موافقتك", True),
        ("without approval", False),
        ("Nothing is sent to a customer without your approval", True),
    ],
)
def test_phrase_starting_with_a_negation_is_a_claim_unless_negated_again(
    text: str, *, ok: bool
) -> None:
    assert check_claims(text).ok is ok


# ── Report shape and offsets ──────────────────────────────────────────────────────────────────


def test_finding_indexes_the_original_text() -> None:
    text = "مقدمة قصيرة. نضمن لك عملاء جدد."

    (finding,) = check_claims(text).findings

    assert text[finding.start : finding.end] == finding.phrase == "نضمن لك عملاء"
    assert finding.category is C.GUARANTEED_RESULTS
    assert finding.suggestion_ar == suggest("guaranteed_results")


def test_finding_offsets_survive_diacritics_tatweel_and_hamza_forms() -> None:
    text = "أهلاً بكم! نَضْمَـــنُ لَكُمْ نتائجَ مُؤكّدة. ثم: Auto‌-DM؟"

    report = check_claims(text)

    phrases = {f.category: text[f.start : f.end] for f in report.findings}
    assert phrases[C.GUARANTEED_RESULTS] == "نَضْمَـــنُ لَكُمْ نتائج"
    for finding in report.findings:
        assert text[finding.start : finding.end] == finding.phrase
        assert not finding.phrase[-1].isspace()


@given(
    prefix=st.text(alphabet="ـًٌٍَُِّْ ابتثجحخدذرسشصضطظعغفقكلمنهوية؟،.", max_size=40),
    claim=st.sampled_from([text for _, text in POSITIVE]),
)
@settings(max_examples=150, deadline=None)
def test_finding_phrase_is_always_the_original_slice(prefix: str, claim: str) -> None:
    text = prefix + "\n" + claim

    for finding in check_claims(text).findings:
        assert text[finding.start : finding.end] == finding.phrase
        assert 0 <= finding.start < finding.end <= len(text)


@given(st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_fold_matches_normalize_with_offsets(text: str) -> None:
    folded = claims._Folded.of(text)
    expected, offsets = normalize_with_offsets(text)

    mapped = [folded.original_index(i) for i in range(len(expected) + 1)]

    assert folded.folded == expected
    assert mapped == offsets


_SENTENCES = [text for _, text in POSITIVE + NEGATED] + ["Dealix", "", "لا", "no", "و"]


@given(st.lists(st.sampled_from(_SENTENCES), max_size=12), st.sampled_from([" ", "\n", "، "]))
@settings(max_examples=200, deadline=None)
def test_line_restricted_scan_finds_what_a_full_scan_finds(parts: list[str], joiner: str) -> None:
    folded = claims._Folded.of(joiner.join(parts))
    every_rule_everywhere = ((rule, 0, len(folded.folded)) for rule in claims._RULES)

    restricted = claims._claims(folded, claims._scan_ranges(folded))
    full = claims._claims(folded, every_rule_everywhere)

    assert sorted(restricted, key=repr) == sorted(full, key=repr)


def test_report_ok_must_agree_with_findings() -> None:
    finding = Finding(C.SCRAPING, "scrape", 0, 6, suggest(C.SCRAPING))

    with pytest.raises(ValueError, match="ok"):
        ClaimsReport(ok=True, findings=(finding,))
    with pytest.raises(ValueError, match="ok"):
        ClaimsReport(ok=False, findings=())


def test_report_is_frozen_and_serialises_for_the_api() -> None:
    report = check_claims("We scrape LinkedIn")

    with pytest.raises(dataclasses.FrozenInstanceError):
        report.ok = True  # type: ignore[misc]
    assert report.as_dict() == {
        "ok": False,
        "findings": [
            {
                "category": "scraping",
                "label_ar": CATEGORIES[C.SCRAPING].label_ar,
                "phrase": "scrape",
                "start": 3,
                "end": 9,
                "suggestion_ar": CATEGORIES[C.SCRAPING].suggestion_ar,
            }
        ],
    }


def test_empty_and_clean_text_is_ok() -> None:
    assert check_claims("") == ClaimsReport(ok=True, findings=())
    assert check_claims("Dealix — Saudi Revenue Execution OS").ok


# ── Category table and suggestions ────────────────────────────────────────────────────────────


def test_categories_table_has_the_8_stable_codes() -> None:
    assert [c.value for c in CATEGORIES] == [
        "guaranteed_results",
        "scraping",
        "full_automation",
        "bypassing_approvals",
        "competitor_attacks",
        "legal_financial",
        "medical_language",
        "exaggerated_speed",
    ]
    for code, info in CATEGORIES.items():
        assert info.code is code
        assert info.label_ar
        assert info.label_en
        assert suggest(code.value) == info.suggestion_ar


@pytest.mark.parametrize("category", list(Category))
def test_suggestion_itself_passes_the_checker(category: Category) -> None:
    assert check_claims(suggest(category)).ok


def test_suggest_refuses_an_unknown_category() -> None:
    with pytest.raises(UnknownCategory) as refused:
        suggest("spam")

    assert isinstance(refused.value, DomainError)
    assert refused.value.field == "category"


# ── Documents ─────────────────────────────────────────────────────────────────────────────────


def test_check_document_skips_only_quoted_examples_and_category_codes() -> None:
    markdown = (
        "- ~~«نضمن لك عملاء»~~\n- `scraping` هو رمز الفئة\n- «نضمن لك عملاء»\n- `نقوم بـ auto-DM`\n"
    )

    report = check_document(markdown)

    assert [(f.category, f.phrase) for f in report.findings] == [
        (C.GUARANTEED_RESULTS, "نضمن لك عملاء"),
        (C.FULL_AUTOMATION, "auto-DM"),
    ]
    assert report.findings[0].start == markdown.index("- «") + 3


def test_quoted_example_markup_hides_nothing_from_check_claims() -> None:
    assert not check_claims("~~«نضمن لك عملاء»~~").ok


def test_check_document_joins_wrapped_lines_but_not_table_cells() -> None:
    wrapped = "> عرضنا: بدون scraping، وبدون\n> cold WhatsApp.\n"
    table = "| لا | نضمن لك عملاء |\n|---|---|\n"

    assert check_document(wrapped).ok
    assert not check_document(table).ok


# ── Speed ─────────────────────────────────────────────────────────────────────────────────────


def test_check_claims_handles_a_5000_character_document_well_under_10_ms() -> None:
    # Real copy: our documents' text, with a few claims and negations mixed in.
    prose = "\n".join(doc(name) for name in DOC_NAMES)
    pairs = zip(prose.split("\n\n"), POSITIVE + NEGATED, strict=False)
    mixed = "\n".join(f"{paragraph}\n{claim}" for paragraph, (_, claim) in pairs)
    text = mixed[:5000]
    check_claims(text)  # warm the per-character memo

    best = min(_timed(check_claims, text) for _ in range(15))

    assert best < 0.010


def test_check_document_handles_our_longest_document_well_under_10_ms() -> None:
    text = doc("PROHIBITED_CLAIMS.md")
    check_document(text)

    best = min(_timed(check_document, text) for _ in range(15))

    assert best < 0.010


def _timed(check: object, text: str) -> float:
    assert callable(check)
    started = time.perf_counter()
    check(text)
    return time.perf_counter() - started


# ── The app's own draft texts ─────────────────────────────────────────────────────────────────


def _domain_arabic_texts() -> list[tuple[str, str]]:
    """Every Arabic text constant (`*_AR`) of the domain modules: the bodies drafts start from."""
    import importlib
    import pkgutil

    import customer_ops.domain

    texts: list[tuple[str, str]] = []
    for module_info in pkgutil.iter_modules(customer_ops.domain.__path__):
        module = importlib.import_module(f"customer_ops.domain.{module_info.name}")
        for name, value in vars(module).items():
            if not name.rstrip("_").endswith("_AR"):
                continue
            values = value.values() if isinstance(value, dict) else value
            values = [values] if isinstance(values, str) else values
            for index, text in enumerate(values):
                if isinstance(text, str):
                    texts.append((f"{module_info.name}.{name}[{index}]", text))
    return texts


def test_domain_draft_texts_pass_the_checker() -> None:
    # First responses, incident updates, check-ins and reminders become drafts; a false alarm here
    # would make the approval gate refuse the app's own templates.
    texts = _domain_arabic_texts()

    flagged = [
        (where, check_claims(text).findings) for where, text in texts if not check_claims(text).ok
    ]

    assert len(texts) > 20
    assert flagged == []


@pytest.mark.parametrize(
    "reason",
    [
        "12 مسودة معلقة بدون اعتماد.",
        "تراكم 6 مسودة بدون اعتماد.",
        "3 drafts pending without approval",
    ],
)
def test_a_waiting_state_is_not_a_claim_of_skipping_approval(reason: str) -> None:
    assert check_claims(reason).ok


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("لا رسائل واتساب باردة (cold WhatsApp)", True),
        ("ليس أداة سحب بيانات (lead scraper)", True),
        ("نضمن لك عملاء (guaranteed)", False),
        ("Lead generation (scraping included)", False),
    ],
)
def test_a_parenthetical_gloss_shares_the_negation_of_its_phrase(text: str, *, ok: bool) -> None:
    assert check_claims(text).ok is ok


def test_every_rule_match_contains_one_of_its_triggers() -> None:
    # The line restriction relies on it: a match without a trigger would never be looked for.
    corpus = [text for _, text in POSITIVE + NEGATED]
    corpus += [doc(name) for name in DOC_NAMES]
    corpus += list(quoted_examples(doc("PROHIBITED_CLAIMS.md")))
    corpus += list(ORIGINAL_PROHIBITED_PHRASES)

    untriggered = [
        (rule.pattern.pattern[:60], match.group(0))
        for text in corpus
        for rule in claims._RULES
        for match in rule.pattern.finditer(claims._Folded.of(text).folded)
        if not any(trigger in match.group(0) for trigger in rule.triggers)
    ]

    assert untriggered == []


# ── The customer's words quoted back (#19) ───────────────────────────────────────────────────────
_CUSTOMER_SUBJECT = "Dealix أرسل رسالة بدون موافقتي"


@pytest.mark.parametrize(
    "draft",
    [
        f"رد: {_CUSTOMER_SUBJECT}\nوصلني بلاغك الآن.",
        f"Re: RE: {_CUSTOMER_SUBJECT}\nشكراً",
        # the subject cut to the field's length, inside the customer's last word
        f"رد: {_CUSTOMER_SUBJECT} اليوم"[: len(_CUSTOMER_SUBJECT) + 7] + "\nنعتذر",
        f"كتبتم: «{_CUSTOMER_SUBJECT}» ونعتذر عن ذلك.",
        f"شكراً.\n> {_CUSTOMER_SUBJECT}\n",
        "قلتم “أرسل رسالة بدون موافقتي” ونحقق في ذلك.",
    ],
)
def test_the_customers_quoted_words_are_not_our_claim(draft: str) -> None:
    assert not check_claims(draft).ok  # read on their own, the words are a claim

    quoting = [_CUSTOMER_SUBJECT + " اليوم", "نص التذكرة"]

    assert check_claims(draft, quoting=quoting).ok


@pytest.mark.parametrize(
    "draft",
    [
        # our own claim beside the quoted subject
        f"رد: {_CUSTOMER_SUBJECT}\nمن الآن نرسل بدون موافقتك.",
        # quotation marks around words the customer never wrote
        "«نرسل بدون موافقتك» هذا وعدنا.",
        # a reply prefix before our own words
        "رد: نرسل بدون موافقتك",
        # the customer's words, but not marked as a quotation
        "نعم، Dealix أرسل رسالة بدون موافقتي وسنستمر.",
    ],
)
def test_our_own_claim_is_found_beside_or_inside_a_pretend_quotation(draft: str) -> None:
    report = check_claims(draft, quoting=[_CUSTOMER_SUBJECT])

    assert report.categories == {C.BYPASSING_APPROVALS}
