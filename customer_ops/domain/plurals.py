"""Arabic number agreement for text the domain writes (check-ins, risk reasons, notices).

Arabic has six plural forms (CLDR; the `Plural-Forms` of `locale/ar/LC_MESSAGES/django.po`):
zero, one, two, few (3–10, by the last two digits), many (11–99) and other (100, 101, 102 …).
The console goes through Django's catalogues (`ngettext`, `{% blocktranslate count %}`); text the
domain builds for customers cannot use Django, so it goes through `arabic_count` with the same rule.

A noun is given as its six forms, `{n}` standing for the number: «يوم واحد», «يومان», «3 أيام»,
«11 يوماً», «100 يوم». The number is written with Western digits, as everywhere in the console. The dual is written in
the case its sentence needs (the check-in's «اعتمدتم رسالتين», «تم تجهيز اجتماعين» but «ووصلكم ردّان»).
"""

from __future__ import annotations

from typing import NamedTuple


class ArabicNoun(NamedTuple):
    """The six forms of a counted noun; `{n}` is replaced by the number."""

    zero: str
    one: str
    two: str
    few: str
    many: str
    other: str


def arabic_plural_form(n: int) -> int:
    """Which of the six forms `n` takes (0 zero, 1 one, 2 two, 3 few, 4 many, 5 other)."""
    n = abs(n)
    if n == 0:
        return 0
    if n == 1:
        return 1
    if n == 2:
        return 2
    if 3 <= n % 100 <= 10:
        return 3
    if 11 <= n % 100 <= 99:
        return 4
    return 5


def arabic_count(n: int, noun: ArabicNoun) -> str:
    """`n` of `noun` with the right agreement («3 أيام», «11 يوماً», «ردّان»)."""
    return noun[arabic_plural_form(n)].format(n=f"{n:,}")


DAYS = ArabicNoun("0 يوم", "يوم واحد", "يومان", "{n} أيام", "{n} يوماً", "{n} يوم")
HOURS = ArabicNoun("0 ساعة", "ساعة واحدة", "ساعتان", "{n} ساعات", "{n} ساعة", "{n} ساعة")
MINUTES = ArabicNoun("0 دقيقة", "دقيقة واحدة", "دقيقتان", "{n} دقائق", "{n} دقيقة", "{n} دقيقة")
MESSAGES = ArabicNoun("0 رسالة", "رسالة واحدة", "رسالتين", "{n} رسائل", "{n} رسالة", "{n} رسالة")
REPLIES = ArabicNoun("0 رد", "رد واحد", "ردّان", "{n} ردود", "{n} رداً", "{n} رد")
MEETINGS = ArabicNoun(
    "0 اجتماع", "اجتماع واحد", "اجتماعين", "{n} اجتماعات", "{n} اجتماعاً", "{n} اجتماع"
)
RISKS = ArabicNoun("0 مخاطر", "خطر واحد", "خطرين", "{n} مخاطر", "{n} خطراً", "{n} خطر")
DRAFTS = ArabicNoun("0 مسودة", "مسودة واحدة", "مسودتان", "{n} مسودات", "{n} مسودة", "{n} مسودة")
TICKETS = ArabicNoun("0 تذكرة", "تذكرة واحدة", "تذكرتان", "{n} تذاكر", "{n} تذكرة", "{n} تذكرة")
COMPANIES = ArabicNoun("0 شركة", "شركة واحدة", "شركتان", "{n} شركات", "{n} شركة", "{n} شركة")
