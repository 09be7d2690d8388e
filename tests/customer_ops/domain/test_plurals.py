"""Arabic number agreement in the domain's text (check-ins, risk reasons) without Django."""

from __future__ import annotations

import pytest

from customer_ops.domain.plurals import DAYS, REPLIES, arabic_count, arabic_plural_form


@pytest.mark.parametrize(
    ("n", "form"),
    [
        (0, 0),
        (1, 1),
        (2, 2),
        (3, 3),
        (10, 3),
        (11, 4),
        (99, 4),
        (100, 5),
        (101, 5),
        (102, 5),
        (103, 3),
        (111, 4),
        (1000, 5),
    ],
)
def test_arabic_plural_form_follows_the_six_cldr_forms(n: int, form: int) -> None:
    assert arabic_plural_form(n) == form


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "يوم واحد"),
        (2, "يومان"),
        (3, "3 أيام"),
        (11, "11 يوماً"),
        (100, "100 يوم"),
        (1500, "1,500 يوم"),
    ],
)
def test_arabic_count_agrees_the_noun_with_the_number(n: int, text: str) -> None:
    assert arabic_count(n, DAYS) == text


def test_arabic_count_of_replies_is_never_the_singular_after_a_number() -> None:
    assert [arabic_count(n, REPLIES) for n in (1, 2, 4, 12)] == [
        "رد واحد",
        "ردّان",
        "4 ردود",
        "12 رداً",
    ]
