"""Ticket priorities and the classifier (SPEC_RULES §4, SPEC.md §6)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from customer_ops.domain import priority as priority_module
from customer_ops.domain.errors import InvalidValue, RuleRefused, UnknownPriority
from customer_ops.domain.priority import (
    ESCALATION_KEYWORDS,
    P0_KEYWORDS,
    P1_KEYWORDS,
    P2_KEYWORDS,
    REASON_DEFAULT_AR,
    REASON_EMPTY_AR,
    SUPPORT_PRIORITIES,
    Priority,
    classify_priority,
    ensure_priority_not_lowered,
    first_response_template,
    priority_get,
    route_ticket,
)
from customer_ops.domain.text import (
    fold_char,
    negated_before,
    normalize,
    read_through_wrapped_lines,
)


# ── Ported from the original suite (#10–#18) ────────────────────────────────────────────────────
def test_classify_priority_p0_for_security_keyword():  # original #10
    assert classify_priority("اكتشفت تسريب في trace logs").priority is Priority.P0


def test_classify_priority_p0_for_unauthorized_send():  # original #11
    assert classify_priority("Dealix أرسل رسالة بدون موافقتي").priority is Priority.P0


def test_classify_priority_p1_for_service_down():  # original #12
    assert classify_priority("Pilot stopped working today").priority is Priority.P1


def test_classify_priority_p2_for_connector_issue():  # original #13
    assert classify_priority("My Gmail connector won't authenticate").priority is Priority.P2


def test_classify_priority_p3_by_default():  # original #14
    assert classify_priority("سؤال بسيط عن الأسعار").priority is Priority.P3


def test_classify_priority_p3_when_text_is_empty():  # original #15
    decision = classify_priority("")

    assert decision.priority is Priority.P3
    assert decision.as_dict() == {"priority": "P3", "reason_ar": REASON_EMPTY_AR}


def test_route_ticket_includes_sla_of_the_priority():  # original #16
    routed = route_ticket(text="تسريب أمان", customer_id="c1")

    assert routed["priority"] == "P0"
    assert routed["sla"]["first_response_minutes"] == 30
    assert routed["sla"]["escalation_owner"] == "founder"
    assert routed["live_send_allowed"] is False
    assert routed["approval_required"] is True


def test_first_response_template_p0_promises_30_minutes():  # original #17
    template = first_response_template(priority="P0")

    assert "30 دقيقة" in template["body_ar"]
    assert template["live_send_allowed"] is False


def test_support_priorities_has_four_tiers():  # original #18
    assert [level.id.value for level in SUPPORT_PRIORITIES] == ["P0", "P1", "P2", "P3"]


# ── Table and templates ─────────────────────────────────────────────────────────────────────────
def test_support_priorities_match_the_spec_table():
    rows = [level.as_dict() for level in SUPPORT_PRIORITIES]

    assert [
        (r["first_response_minutes"], r["resolution_target_hours"], r["escalation_owner"])
        for r in rows
    ] == [
        (30, 4, "founder"),
        (120, 24, "operator_oncall"),
        (480, 72, "operator_oncall"),
        (1440, 168, "operator_team"),
    ]


def test_keyword_lists_are_the_spec_lists_in_order():
    assert len(P0_KEYWORDS) == 15
    assert P0_KEYWORDS[:2] == ("أمان", "تسريب")
    assert P0_KEYWORDS[-1] == "unauthorized"
    assert P1_KEYWORDS == (
        "service down",
        "خدمة معطلة",
        "service failed",
        "Pilot stopped",
        "Proof Pack مفقود",
    )
    assert P2_KEYWORDS == (
        "connector",
        "Gmail",
        "Calendar",
        "Sheets",
        "WhatsApp setup",
        "Moyasar invoice",
    )


@pytest.mark.parametrize(
    ("priority", "fragment"),
    [("P0", "30 دقيقة"), ("P1", "ساعتين"), ("P2", "8 ساعات عمل"), ("P3", "24 ساعة عمل")],
)
def test_first_response_template_states_the_promised_time(priority, fragment):
    template = first_response_template(priority=priority)

    assert fragment in template["body_ar"]
    assert template["priority"] == priority
    assert template["approval_required"] is True
    assert template["live_send_allowed"] is False


def test_first_response_template_p3_tells_the_customer_to_write_harij():
    assert "حرج" in first_response_template(priority="P3")["body_ar"]


@pytest.mark.parametrize("priority", ["P4", "p0", "", "SEV1"])
def test_first_response_template_rejects_unknown_priority(priority):
    with pytest.raises(UnknownPriority) as raised:
        first_response_template(priority=priority)

    assert raised.value.field == "priority"
    assert raised.value.message_ar


def test_priority_get_rejects_unknown_priority_instead_of_falling_back_to_p3():
    with pytest.raises(UnknownPriority, match="unknown priority: P9"):
        priority_get("P9")


# ── Decisions and their dict shape ──────────────────────────────────────────────────────────────
def test_classify_priority_reports_the_keyword_and_tier_reason():
    decision = classify_priority("عندنا تسريب بيانات")

    assert decision.as_dict() == {
        "priority": "P0",
        "matched_keyword": "تسريب",
        "reason_ar": "كلمة حرجة مطابقة: تسريب",
    }


def test_classify_priority_omits_matched_keyword_when_nothing_matches():
    assert classify_priority("متى موعد الفاتورة؟").as_dict() == {
        "priority": "P3",
        "reason_ar": REASON_DEFAULT_AR,
    }


def test_classify_priority_reports_first_keyword_in_list_order_within_a_tier():
    decision = classify_priority("تسريب أمان")

    assert decision.matched_keyword == "أمان"


def test_classify_priority_higher_tier_wins_over_earlier_position():
    decision = classify_priority("Gmail connector broken and Pilot stopped")

    assert decision.priority is Priority.P1
    assert decision.matched_keyword == "Pilot stopped"
    assert decision.reason_ar == "خدمة مهمة معطلة: Pilot stopped"


def test_classify_priority_p2_reason_names_the_keyword():
    assert classify_priority("Sheets export is late").reason_ar == "connector أو Proof Pack: Sheets"


def test_classify_priority_rejects_non_text():
    with pytest.raises(InvalidValue):
        classify_priority(42)  # type: ignore[arg-type]


def test_classify_priority_whitespace_only_is_empty():
    assert classify_priority("  \n\t ").reason_ar == REASON_EMPTY_AR


# ── Arabic normalisation ────────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize(
    "text",
    [
        "مشكلة امان في الحساب",  # alef without hamza
        "مشكلة إمان في الحساب",  # alef with hamza below
        "مشكلة آمان في الحساب",  # alef madda
        "مشكلة أَمَان في الحساب",  # diacritics
        "مشكلة أمـــان في الحساب",  # tatweel
        "مشكلة أ\u200dمان في الحساب",  # a zero-width joiner inside the word
    ],
)
def test_classify_priority_matches_aman_in_any_spelling(text):
    decision = classify_priority(text)

    assert decision.priority is Priority.P0
    assert decision.matched_keyword == "أمان"


def test_classify_priority_matches_taa_marbuta_written_as_haa():
    assert classify_priority("تم ارسال بدون موافقه العميل").matched_keyword == "إرسال بدون موافقة"


def test_classify_priority_matches_hamza_on_ya_written_plainly():
    assert classify_priority("حصل ارسال خاطي للعميل").matched_keyword == "إرسال خاطئ"


def test_classify_priority_matches_arabic_keyword_with_attached_clitic():
    assert classify_priority("نخاف من والتسريب").priority is Priority.P0


def test_classify_priority_matches_presentation_forms():
    # "ﺗﺴﺮﻳﺐ" is تسريب in Arabic presentation forms (copied from a PDF).
    assert classify_priority("ﺗﺴﺮﻳﺐ في البيانات").priority is Priority.P0


def test_classify_priority_folds_arabic_indic_digits_at_latin_edges():
    # "gmail٣" folds to "gmail3": a longer token, not the word Gmail.
    assert classify_priority("account gmail٣ is fine").priority is Priority.P3


# ── Whole-word Latin keywords ───────────────────────────────────────────────────────────────────
@pytest.mark.parametrize(
    "text",
    [
        "the secretary asked about invoices",
        "leakage of time in meetings",
        "please send it to ahmed@gmail.com",
    ],
)
def test_classify_priority_ignores_latin_keyword_inside_a_longer_word(text):
    assert classify_priority(text).priority is Priority.P3


@pytest.mark.parametrize(
    ("text", "keyword"),
    [
        ("GMAIL stopped syncing", "Gmail"),
        ("gmail stopped syncing", "Gmail"),
        ("Gmail's labels are gone", "Gmail"),
        ("both connectors fail", "connector"),
        ("our API keys leaked yesterday", "leak"),
        ("secrets were printed in logs", "secret"),
        ("الـGmail لا يتزامن", "Gmail"),
    ],
)
def test_classify_priority_matches_latin_keyword_as_a_word(text, keyword):
    assert classify_priority(text).matched_keyword == keyword


# ── Negation ────────────────────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize(
    "text",
    [
        "لا يوجد أي تسريب",
        "no leak so far, just a question",
        "there was no unauthorized access",
        "الخدمة غير حرجة",
        "this is not urgent",
    ],
)
def test_classify_priority_skips_negated_keyword(text):
    assert classify_priority(text).priority is Priority.P3


def test_classify_priority_finds_the_keyword_after_a_negated_one():
    decision = classify_priority("لا تسريب. لكن هناك تسريب")

    assert decision.priority is Priority.P0


@pytest.mark.parametrize(
    "text",
    [
        "لا\nتسريب في البيانات",  # a line break ends the negation's clause
        "لا لكن تسريب",  # so does a contrast word between the cue and the keyword
        "no but leak",
        "لا شيء ولكن تسريب",
    ],
)
def test_classify_priority_cue_in_an_earlier_clause_does_not_negate(text):
    assert classify_priority(text).priority is Priority.P0


def test_classify_priority_negation_falls_through_to_lower_tier():
    decision = classify_priority("no leak, but the Gmail connector fails")

    assert decision.priority is Priority.P2


@pytest.mark.parametrize("text", ["لا يعمل Gmail منذ أمس", "I can't connect my Gmail"])
def test_classify_priority_negation_does_not_cancel_a_subject_keyword(text):
    assert classify_priority(text).priority is Priority.P2


# ── حرج escalates ───────────────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize(
    "text", ["حرج", "الموضوع حرج جداً", "والحرج كبير", "حرجة", "عاجل جداً", "URGENT please"]
)
def test_classify_priority_escalation_word_raises_to_p1(text):
    decision = classify_priority(text)

    assert decision.priority is Priority.P1
    assert decision.matched_keyword in ESCALATION_KEYWORDS
    assert decision.reason_ar.startswith("طلب العميل رفع الأولوية: ")


def test_classify_priority_escalation_needs_a_word_start():
    assert classify_priority("كان موقفاً محرجاً أمام العميل").priority is Priority.P3


def test_classify_priority_p3_template_promise_is_kept():
    # The P3 reply tells the customer: write 'حرج' to raise the priority.
    follow_up = "سؤالي السابق حرج، أرجو الرد"

    assert classify_priority(follow_up).priority is Priority.P1


def test_classify_priority_escalation_does_not_outrank_p0():
    assert classify_priority("حرج: عندنا تسريب").priority is Priority.P0


# ── Humans raise, never lower ───────────────────────────────────────────────────────────────────
def test_ensure_priority_not_lowered_allows_raising():
    assert ensure_priority_not_lowered(classified="P2", requested="P0") is Priority.P0


def test_ensure_priority_not_lowered_allows_keeping():
    assert ensure_priority_not_lowered(classified="P1", requested="P1") is Priority.P1


def test_ensure_priority_not_lowered_refuses_lowering():
    with pytest.raises(RuleRefused) as raised:
        ensure_priority_not_lowered(classified="P0", requested="P3")

    assert raised.value.field == "priority"


# ── The fast path is exactly the folded semantics ───────────────────────────────────────────────
_ALL_KEYWORDS = P0_KEYWORDS + P1_KEYWORDS + ESCALATION_KEYWORDS + P2_KEYWORDS
_LATIN_WORD = set("abcdefghijklmnopqrstuvwxyz0123456789")
_ENDINGS = ("s", "es", "ed", "d", "ing")
_CLITICS = {"", "و", "ف", "ب", "ل", "ك", "ال", "وال", "فال", "بال", "كال", "لل", "ولل", "فلل"}


def _reference_classify(text: str) -> tuple[Priority, str | None]:
    """The rules of the module docstring, written the slow and obvious way."""
    folded = normalize(text)
    # Keywords are found across a wrapped line; negations and word edges are read in `folded`.
    read = read_through_wrapped_lines(folded)
    tiers = [
        *((k, Priority.P0, True, False) for k in P0_KEYWORDS),
        *((k, Priority.P1, True, False) for k in P1_KEYWORDS),
        *((k, Priority.P1, True, True) for k in ESCALATION_KEYWORDS),
        *((k, Priority.P2, False, False) for k in P2_KEYWORDS),
    ]
    for keyword, tier, negatable, word_start in tiers:
        needle = normalize(keyword)
        start = read.find(needle)
        while start != -1:
            end = start + len(needle)
            ok = True
            if needle[0] in _LATIN_WORD and start > 0:
                ok = folded[start - 1] not in _LATIN_WORD and folded[start - 1] != "@"
            if (
                ok
                and needle[-1] in _LATIN_WORD
                and end < len(folded)
                and folded[end] in _LATIN_WORD
            ):
                rest = folded[end:]
                ok = any(
                    rest.startswith(e) and (len(rest) == len(e) or rest[len(e)] not in _LATIN_WORD)
                    for e in _ENDINGS
                )
            if ok and word_start and needle[0] not in _LATIN_WORD:
                begin = start
                while begin > 0 and "\u0621" <= folded[begin - 1] <= "\u064a":
                    begin -= 1
                ok = folded[begin:start] in _CLITICS
            if ok and negatable:
                ok = not negated_before(folded, start)
            if ok:
                return tier, keyword
            start = read.find(needle, start + 1)
    return Priority.P3, None


_FRAGMENTS = [
    *_ALL_KEYWORDS,
    *(k.upper() for k in _ALL_KEYWORDS if k.isascii()),
    "لا",
    "لم",
    "لَا",
    "no",
    "not",
    "don’t",
    "ليس",
    "أبداً",
    "لكن",
    "but",
    "ال",
    "و",
    "م",
    "age",
    "ary",
    "s",
    "ing",
    "@",
    ".",
    "\n",
    "،",
    "؟",
    "(",
    " ",
    "  ",
    "\u064e",
    "\u0640",
    "\u200c",
    "ﻻ",
    "\ufeff",
    "²",
    "٣",
    "x",
    "إ",
    "ة",
    "ى",
    "أمان",
    "امان",
    "ارسل",
    "رساله",
    "بدون",
    "موافقه",
    "e",
    "d",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=12))
def test_classify_priority_agrees_with_the_reference_rules(fragments):
    text = "".join(fragments)

    decision = classify_priority(text)

    expected = (Priority.P3, None) if not text.strip() else _reference_classify(text)
    assert (decision.priority, decision.matched_keyword) == expected


_MIXED_ALPHABET = st.one_of(
    st.sampled_from(sorted(set("".join(_FRAGMENTS)))), st.characters(codec="utf-8")
)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_MIXED_ALPHABET, max_size=60))
def test_classify_priority_fast_and_exact_paths_agree_on_any_text(text):
    if not text.strip():
        return

    fast = classify_priority(text)

    # A soft hyphen is outside the fast path's characters and folds to nothing: the same text
    # with one appended takes the exact path (`normalize` + the folded keywords).
    exact = classify_priority(text + _SOFT_HYPHEN)
    assert fast == exact


_SOFT_HYPHEN = "\u00ad"


@pytest.mark.parametrize(
    ("text", "priority", "keyword"),
    [
        ("مرحبا LEAK في البيانات", Priority.P0, "leak"),  # a capital in Arabic text is lowered
        ("عندي مشكلة في GMAIL", Priority.P2, "Gmail"),
        ("GMAIL لا يعمل، وتَسْرِيب", Priority.P0, "تسريب"),  # a diacritic after the capital
        ("تَسْرِيب و Gmail", Priority.P0, "تسريب"),  # and before it
        ("شكرا على المتابعة", Priority.P3, None),  # caseless: scanned as it is
    ],
)
def test_arabic_text_is_lower_cased_only_when_it_holds_a_capital(text, priority, keyword):
    decision = classify_priority(text)

    assert (decision.priority, decision.matched_keyword) == (priority, keyword)


def test_a_soft_hyphen_sends_the_text_to_the_exact_path():
    lowered = ("x" + _SOFT_HYPHEN).lower()

    scanned, automaton = priority_module._special_scan(lowered, lowered)

    assert automaton is priority_module._EXACT
    assert scanned == "x"


def test_every_character_that_lower_cases_to_fast_characters_folds_like_them():
    # The fast path scans `text.lower()`; a character outside the fast ranges whose lower case
    # is made of fast characters (the Kelvin sign K → "k") must fold exactly like that lower case.
    tables = priority_module._FOLD
    fast = tables.kept | set(tables.substitutions) | tables.dropped
    for code in range(0x30000):
        char = chr(code)
        lowered = char.lower()
        if 0xD800 <= code <= 0xDFFF or char in fast or not set(lowered) <= fast:
            continue
        assert fold_char(char) == normalize(lowered), hex(code)
