"""Who an outbound message goes to: one recipient rule per channel, wherever a recipient is set.

A draft is approved for exactly one recipient. An address list (`a@x.sa, b@y.sa`), a header
injection (`a@x.sa\\nBcc: c@z.sa`) or text that is not an address at all (`not-an-email`) would be
approved and then either fail to send or reach people the founder never saw; so draft creation,
draft edits, ticket replies, check-ins and incident updates all ask `require_recipient` first,
and the API and console refuse the same values with the same message.

- email and calendar invitations: one address (`local@domain.tld`), ASCII local part, no spaces,
  no display name, no second address;
- WhatsApp and phone: one number, an optional leading `+` and 8–15 digits, which may be grouped
  by single spaces or hyphens; returned in E.164 (`domain.contacts.to_e164`);
- Google Business Profile: the review or thread it answers, one line.
"""

from __future__ import annotations

import re

from customer_ops.domain.contacts import to_e164
from customer_ops.domain.errors import InvalidValue
from customer_ops.domain.text import find_line_break

EMAIL_CHANNELS = frozenset({"email", "calendar"})
PHONE_CHANNELS = frozenset({"whatsapp", "phone"})
RECIPIENT_MAX = 254

# The dot-atom local part of RFC 5322 (what Django's EmailValidator accepts, minus quoted
# strings), and a domain of letter/digit/hyphen labels with a top-level label of two or more
# letters. International domains are given in their ASCII (xn--) form.
_LOCAL = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(rf"{_LOCAL}@(?:{_LABEL}\.)+(?:[A-Za-z]{{2,63}}|xn--[A-Za-z0-9-]{{1,59}})")
_PHONE = re.compile(r"\+?[0-9](?:[ -]?[0-9])*")
PHONE_DIGITS = range(8, 16)


def _refuse(field: str, message: str, message_ar: str) -> InvalidValue:
    return InvalidValue(field, message, message_ar=message_ar)


def is_email_address(value: str) -> bool:
    """Whether `value` is exactly one email address (no name, no list, no whitespace)."""
    return len(value) <= RECIPIENT_MAX and _EMAIL.fullmatch(value) is not None


def require_recipient(*, channel: str, to: object, field: str = "to") -> str:
    """The recipient, stripped, if it is one valid recipient for `channel`; else `InvalidValue`.

    `field` names the input blamed (a customer's `contact_email` is a recipient too).
    """
    if not isinstance(to, str):
        raise _refuse(field, "the recipient must be text", "المستلم يجب أن يكون نصاً")
    value = to.strip()
    if not value:
        raise _refuse(field, "give a recipient", "حدّد المستلم")
    if len(value) > RECIPIENT_MAX:
        raise _refuse(
            field,
            f"the recipient is longer than {RECIPIENT_MAX} characters",
            f"المستلم أطول من {RECIPIENT_MAX} حرفاً",
        )
    if find_line_break(value) is not None:
        raise _refuse(
            field,
            "the recipient must be one line: a line break could add hidden recipients",
            "المستلم يجب أن يكون سطراً واحداً: فاصل الأسطر قد يضيف مستلمين مخفيين",
        )
    if channel in EMAIL_CHANNELS:
        if not is_email_address(value):
            raise _refuse(
                field,
                "give exactly one email address (name@company.sa), without a name or a list",
                "أدخل عنوان بريد إلكتروني واحداً (name@company.sa) بلا اسم أو قائمة",
            )
    elif channel in PHONE_CHANNELS:
        digits = sum(char.isdigit() for char in value)
        if _PHONE.fullmatch(value) is None or digits not in PHONE_DIGITS:
            raise _refuse(
                field,
                "give exactly one phone number (+9665XXXXXXXX): 8 to 15 digits",
                "أدخل رقم جوال واحداً (+9665XXXXXXXX): من 8 إلى 15 رقماً",
            )
        return to_e164(value, field=field)  # one stored form: E.164, read as Saudi by default
    elif "," in value or ";" in value:
        raise _refuse(field, "give exactly one recipient", "حدّد مستلماً واحداً فقط")
    return value
