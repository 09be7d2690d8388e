"""WhatsApp rules without a database: signature, envelope, errors, window, opt-in, templates."""

from __future__ import annotations

import datetime as dt
import itertools
import json

import pytest

from customer_ops.domain.contacts import to_e164, wa_id_to_e164
from customer_ops.domain.errors import InvalidValue, RuleRefused
from customer_ops.domain.messages import DeliveryStatus, fold_delivery_statuses
from customer_ops.domain.whatsapp import (
    ErrorKind,
    OptIn,
    SendFacts,
    SendRule,
    TemplateView,
    classify_error,
    delivery_key,
    message_request,
    parse_webhook,
    signature_valid,
    verification_challenge,
    whatsapp_send_rule,
)
from tests.whatsapp_fakes import envelope, inbound_media, inbound_text, signed_body, status_update

NOW = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
OPT_IN = OptIn(at=NOW - dt.timedelta(days=3), by="founder", method="signed order form")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("050 123 4567", "+966501234567"),
        ("0501234567", "+966501234567"),
        ("00966501234567", "+966501234567"),
        ("+966 50 123 4567", "+966501234567"),
        ("+44 20 7946 0958", "+442079460958"),
    ],
)
def test_to_e164_reads_saudi_and_international_forms(typed: str, stored: str) -> None:
    assert to_e164(typed) == stored


def test_to_e164_refuses_what_is_not_a_number() -> None:
    with pytest.raises(InvalidValue) as refused:
        to_e164("call me")

    assert refused.value.field == "contact_phone"
    assert "رقم" in refused.value.message_ar


def test_wa_id_becomes_e164() -> None:
    assert wa_id_to_e164("966501234567") == "+966501234567"


def test_signature_is_checked_over_the_raw_bytes_with_arabic_escaped() -> None:
    payload = envelope(messages=[inbound_text(wamid="w1", wa_id="9665", body="عطل", at=NOW)])
    body, signature = signed_body(payload)

    assert b"\\u0639" in body  # Meta's bytes, not our re-encoding
    assert signature_valid(body=body, header=signature, app_secret="test-app-secret")
    reencoded = json.dumps(json.loads(body), ensure_ascii=False).encode()
    assert not signature_valid(body=reencoded, header=signature, app_secret="test-app-secret")
    assert not signature_valid(body=body, header=signature, app_secret="other")
    assert not signature_valid(body=body, header=None, app_secret="test-app-secret")
    assert not signature_valid(body=body, header=signature[7:], app_secret="test-app-secret")
    assert not signature_valid(body=body, header=signature, app_secret="")


def test_verification_echoes_the_challenge_only_for_our_token() -> None:
    ok = verification_challenge(
        mode="subscribe", token="t", challenge="1158201444", verify_token="t"
    )
    wrong = verification_challenge(mode="subscribe", token="x", challenge="1", verify_token="t")
    unset = verification_challenge(mode="subscribe", token="", challenge="1", verify_token="")

    assert (ok, wrong, unset) == ("1158201444", None, None)


def test_parse_webhook_reads_text_media_and_statuses_in_every_entry() -> None:
    first = envelope(
        messages=[
            inbound_text(wamid="w1", wa_id="966501234567", body="مرحبا", at=NOW),
            inbound_media(
                wamid="w2", wa_id="966501234567", kind="image", caption="لقطة الخطأ", at=NOW
            ),
        ]
    )
    second = envelope(
        statuses=[
            status_update(
                wamid="out1", status="failed", at=NOW, recipient="9665", error_code=131047
            )
        ]
    )
    payload = {**first, "entry": first["entry"] + second["entry"]}

    parsed = parse_webhook(payload)

    assert [m.text for m in parsed.messages] == ["مرحبا", "لقطة الخطأ"]
    assert parsed.messages[1].kind == "image" and parsed.messages[1].media["id"]
    assert parsed.messages[0].sender_name == "ريم"
    (status,) = parsed.statuses
    assert status.status is DeliveryStatus.FAILED
    assert status.errors[0].code == 131047
    assert status.errors[0].kind is ErrorKind.WINDOW_CLOSED


def test_document_caption_and_filename_are_kept() -> None:
    payload = envelope(
        messages=[
            inbound_media(
                wamid="w3",
                wa_id="9665",
                kind="document",
                caption="الفاتورة",
                at=NOW,
                filename="invoice.pdf",
            )
        ]
    )

    (message,) = parse_webhook(payload).messages

    assert (message.text, message.media["filename"]) == ("الفاتورة", "invoice.pdf")


def test_delivery_key_is_the_same_for_a_resent_delivery_and_differs_for_new_ids() -> None:
    one, _ = signed_body(envelope(messages=[inbound_text(wamid="w1", wa_id="9", body="a", at=NOW)]))
    again = one.replace(b'"timestamp"', b'"timestamp" ')  # other bytes, same ids
    other, _ = signed_body(
        envelope(messages=[inbound_text(wamid="w2", wa_id="9", body="a", at=NOW)])
    )

    assert delivery_key(one) == delivery_key(again)
    assert delivery_key(one) != delivery_key(other)
    assert delivery_key(b"not json") == delivery_key(b"not json")


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        (131047, ErrorKind.WINDOW_CLOSED),
        (131026, ErrorKind.INVALID_NUMBER),
        (4, ErrorKind.RATE_LIMITED),
        (80007, ErrorKind.RATE_LIMITED),
        (130429, ErrorKind.RATE_LIMITED),
        (131048, ErrorKind.RATE_LIMITED),
        (131056, ErrorKind.RATE_LIMITED),
        (132000, ErrorKind.TEMPLATE),
        (132016, ErrorKind.TEMPLATE),
        (132017, ErrorKind.OTHER),
        (190, ErrorKind.AUTH),
        (131000, ErrorKind.TRANSIENT),
        (131016, ErrorKind.TRANSIENT),
        (131057, ErrorKind.TRANSIENT),
        (None, ErrorKind.OTHER),
    ],
)
def test_provider_errors_are_classified(code: int | None, kind: ErrorKind) -> None:
    assert classify_error(code) is kind


def test_delivery_status_never_moves_backwards_whatever_the_order() -> None:
    reports = [DeliveryStatus.SENT, DeliveryStatus.DELIVERED, DeliveryStatus.READ]

    results = {
        fold_delivery_statuses(DeliveryStatus.ACCEPTED, order)
        for order in itertools.permutations(reports)
    }

    assert results == {DeliveryStatus.READ}
    assert (
        fold_delivery_statuses(
            DeliveryStatus.ACCEPTED, [DeliveryStatus.FAILED, DeliveryStatus.SENT]
        )
        is DeliveryStatus.FAILED
    )


def _facts(**overrides: object) -> SendFacts:
    values: dict[str, object] = {
        "to": "+966501234567",
        "opt_in": OPT_IN,
        "last_inbound_at": NOW - dt.timedelta(hours=2),
        "template": None,
        "template_params": (),
    }
    values.update(overrides)
    return SendFacts(**values)  # type: ignore[arg-type]


def test_free_text_inside_the_window() -> None:
    assert whatsapp_send_rule(_facts(), now=NOW) is SendRule.FREE_TEXT


def test_free_text_refused_one_minute_after_the_window_closes() -> None:
    facts = _facts(last_inbound_at=NOW - dt.timedelta(hours=24, minutes=1))

    with pytest.raises(RuleRefused) as refused:
        whatsapp_send_rule(facts, now=NOW)

    assert refused.value.field == "template"
    assert "24" in refused.value.message_ar


def test_no_opt_in_is_refused_even_inside_the_window() -> None:
    with pytest.raises(RuleRefused) as refused:
        whatsapp_send_rule(_facts(opt_in=None), now=NOW)

    assert refused.value.field == "to"


def test_an_approved_template_goes_outside_the_window_with_its_parameters() -> None:
    template = TemplateView(name="ticket_update", language="ar", parameter_count=1, approved=True)
    facts = _facts(last_inbound_at=None, template=template, template_params=("#12",))

    rule = whatsapp_send_rule(facts, now=NOW)
    request = message_request(to=facts.to, body="ignored", facts=facts, rule=rule)

    assert rule is SendRule.TEMPLATE
    assert request["to"] == "966501234567"
    assert request["template"]["name"] == "ticket_update"
    assert request["template"]["components"][0]["parameters"] == [{"type": "text", "text": "#12"}]


@pytest.mark.parametrize(
    ("approved", "params", "field"), [(False, ("x",), "template"), (True, (), "template_params")]
)
def test_unapproved_template_or_wrong_parameters_are_refused(
    approved: bool, params: tuple[str, ...], field: str
) -> None:
    template = TemplateView(name="t", language="ar", parameter_count=1, approved=approved)

    with pytest.raises(RuleRefused) as refused:
        whatsapp_send_rule(_facts(template=template, template_params=params), now=NOW)

    assert refused.value.field == field
