"""Times a person reads: the business timezone (Riyadh) with the Hijri date, in one formatting.

The `riyadh` template filter shows it in a `<time>` element; notifications (the SEV1 PDPL
deadline, the sweeps' PDPL warnings) write it as plain text through `riyadh_text`.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone, translation
from django.utils.formats import date_format, time_format
from django.utils.translation import get_language, gettext
from hijridate import Gregorian

from customer_ops.labels import is_arabic
from customer_ops.selectors.calendar import business_timezone


def hijri_text(day: dt.date) -> str:
    """The Hijri (Umm al-Qura) date, month named in the reader's language; "" out of range."""
    try:
        hijri = Gregorian(day.year, day.month, day.day).to_hijri()
    except (ValueError, OverflowError):
        return ""  # hijridate covers 1343–1500 AH (1924–2077)
    if is_arabic():
        return f"{hijri.day} {hijri.month_name('ar')} {hijri.year} هـ"
    return f"{hijri.day} {hijri.month_name('en')} {hijri.year} AH"


def riyadh_parts(value: dt.datetime | dt.date) -> tuple[dt.datetime | dt.date, str, str]:
    """A moment in the business timezone: (local value, Gregorian text, Hijri text).

    The one formatting of a time a person reads: the `riyadh` template filter shows it in a
    `<time>` element, `riyadh_text` in notifications (the PDPL deadline) as plain text.
    """
    if isinstance(value, dt.datetime):
        local = (
            timezone.localtime(value, business_timezone()) if timezone.is_aware(value) else value
        )
        separator = "، " if is_arabic() else ", "
        gregorian = (
            f"{date_format(local, 'DATE_FORMAT')}{separator}{time_format(local, 'TIME_FORMAT')}"
        )
        return local, gregorian, hijri_text(local.date())
    return value, date_format(value, "DATE_FORMAT"), hijri_text(value)


def riyadh_text(value: dt.datetime | dt.date, *, language: str | None = None) -> str:
    """A moment as plain text in Riyadh time with the Hijri date («4 ديسمبر 2026، 14:30 (…هـ)»).

    `language` fixes the language of text stored for later (notifications are written in Arabic).
    """
    with translation.override(language or get_language() or "ar"):
        _local, gregorian, hijri = riyadh_parts(value)
        zone = gettext("بتوقيت الرياض")
        return f"{gregorian} {zone} ({hijri})" if hijri else f"{gregorian} {zone}"
