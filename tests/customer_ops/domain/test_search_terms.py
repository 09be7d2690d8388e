"""The one search's rules: terms, relevance and marked snippets, over plain strings."""

from __future__ import annotations

from customer_ops.domain.search import (
    Segment,
    match_spans,
    matches,
    relevance,
    search_terms,
    search_text,
    snippet,
)


def test_terms_are_folded_like_the_classifier_reads() -> None:
    terms = search_terms("  إسراء  فاتورة ١٢٣ INVOICE ")
    assert sorted(terms) == sorted(["اسراء", "فاتوره", "invoice", "123"])
    assert terms[0] == "invoice"  # longest first: the most selective term leads


def test_terms_drop_edge_punctuation_duplicates_and_terms_inside_others() -> None:
    assert search_terms("(فاتورة)، فاتوره فات #123?") == ["فاتوره", "123"]


def test_an_empty_or_punctuation_only_query_has_no_terms() -> None:
    assert search_terms("   ") == []
    assert search_terms("# ? ،") == []


def test_stored_text_holds_every_part_folded() -> None:
    stored = search_text("مُشْكِلَة في الفاتورة", "", "عـــاجل ١٢٣")
    assert stored == "مشكله في الفاتوره\nعاجل 123"
    assert matches(stored, ["مشكله", "123"])
    assert not matches(stored, ["مشكله", "124"])
    assert not matches(stored, [])


def test_a_title_match_ranks_above_a_body_match() -> None:
    terms = search_terms("فاتورة")
    in_title = relevance(title="الفاتورة خاطئة", text="", terms=terms)
    in_body = relevance(title="سؤال", text="عن الفاتورة", terms=terms)
    assert in_title > in_body > relevance(title="سؤال", text="شكرا", terms=terms)


def test_marks_cover_the_original_characters_of_a_folded_match() -> None:
    text = "وصلتني فاتـــورةٌ خاطئة"
    [(start, end)] = match_spans(text, search_terms("فاتوره"))
    assert text[start:end] == "فاتـــورةٌ"


def test_a_snippet_marks_every_match_and_cuts_long_text() -> None:
    text = "كلام " * 60 + "رقم الطلب ١٢٣٤٥ وصل متأخرا " + "كلام " * 60
    parts = snippet(text, search_terms("12345 متاخرا"), length=80)
    assert parts[0] == Segment("…", matched=False) and parts[-1] == Segment("…", matched=False)
    assert [part.text for part in parts if part.matched] == ["١٢٣٤٥", "متأخرا"]
    assert sum(len(part.text) for part in parts) < 140
