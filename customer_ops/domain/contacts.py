"""Contact points: phone numbers in E.164, the one form we store and match on.

Customers type numbers in any common form (`050 123 4567`, `00966501234567`, `+966 50 123 4567`);
Meta sends them without the plus (`966501234567`). Everything is compared as E.164.
"""

from __future__ import annotations

import phonenumbers

from customer_ops.domain.errors import InvalidValue

DEFAULT_REGION = "SA"


def to_e164(raw: str, *, region: str = DEFAULT_REGION, field: str = "contact_phone") -> str:
    """The number in E.164 (`+966501234567`); InvalidValue when it is not a possible number.

    A number without a country code is read as Saudi. Empty stays empty (no number on file).
    """
    text = raw.strip()
    if not text:
        return ""
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_possible_number(number):
        raise InvalidValue(
            field,
            f"not a phone number we can reach: {raw.strip()[:40]}",
            message_ar=f"رقم جوال غير صالح: {raw.strip()[:40]}",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def wa_id_to_e164(wa_id: str) -> str:
    """Meta's `from` / `wa_id` (digits, country code first, no plus) as E.164."""
    digits = wa_id.strip().lstrip("+")
    return to_e164("+" + digits, field="from")
