"""One recipient rule per channel (issue #17): one address or one number, never a list or a header."""

from __future__ import annotations

import pytest

from customer_ops.domain.errors import InvalidValue
from customer_ops.domain.recipients import require_recipient

BAD_EMAILS = [
    "not-an-email",
    "a@x.sa, b@y.sa",
    "a@x.sa;b@y.sa",
    "client@example.sa\nBcc: attacker@evil.sa",
    "client@example.sa\r\nBcc: attacker@evil.sa",
    "Client <client@example.sa>",
    "client@example.sa\u2028bcc@evil.sa",
    "client @example.sa",
    "client@localhost",
    "",
]


@pytest.mark.parametrize("to", BAD_EMAILS)
@pytest.mark.parametrize("channel", ["email", "calendar"])
def test_require_recipient_refuses_anything_but_one_email_address(channel: str, to: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        require_recipient(channel=channel, to=to)

    assert refused.value.field == "to"
    assert refused.value.message_ar


@pytest.mark.parametrize("to", ["+966500000000", "not-a-number", "+966500000000, +966500000001"])
def test_require_recipient_refuses_a_phone_number_for_email(to: str) -> None:
    with pytest.raises(InvalidValue):
        require_recipient(channel="email", to=to)


@pytest.mark.parametrize(
    "to", ["client@example.sa", "first.last+ops@mail.example.co.sa", "  ops@xn--mgbh0fb.sa  "]
)
def test_require_recipient_accepts_one_address_and_strips_it(to: str) -> None:
    assert require_recipient(channel="email", to=to) == to.strip()


@pytest.mark.parametrize(
    "to", ["client@example.sa", "+966 50", "+966500000000,+966500000001", "+9665\nBcc: x"]
)
@pytest.mark.parametrize("channel", ["whatsapp", "phone"])
def test_require_recipient_refuses_anything_but_one_phone_number(channel: str, to: str) -> None:
    with pytest.raises(InvalidValue):
        require_recipient(channel=channel, to=to)


@pytest.mark.parametrize(
    ("to", "stored"),
    [
        ("+966500000000", "+966500000000"),
        ("0501234567", "+966501234567"),
        ("+966 50 123 4567", "+966501234567"),
        ("966-50-1234567", "+966501234567"),
    ],
)
def test_require_recipient_accepts_one_phone_number_in_e164(to: str, stored: str) -> None:
    # One recipient rule per channel, and one stored form: the number WhatsApp's webhook matches.
    assert require_recipient(channel="whatsapp", to=to) == stored


def test_require_recipient_names_the_field_it_checks() -> None:
    with pytest.raises(InvalidValue) as refused:
        require_recipient(channel="email", to="a@x.sa, b@y.sa", field="contact_email")

    assert refused.value.field == "contact_email"
