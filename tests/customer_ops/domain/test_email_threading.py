"""Email rules without a database: threading ids, matching order, senders, machines, quotes."""

from __future__ import annotations

import itertools

import pytest

from customer_ops.domain.email_inbound import AutomaticKind, automatic_kind, parse_email
from customer_ops.domain.email_threading import (
    MAX_REFERENCES,
    bare_subject,
    new_message_id,
    parse_message_ids,
    reply_headers,
    sender_belongs,
    tagged_subject,
    thread_lookup,
    ticket_tag,
)
from customer_ops.domain.messages import DeliveryStatus, fold_delivery_statuses
from customer_ops.domain.quoted_text import strip_quoted


def test_message_ids_are_read_in_order_once() -> None:
    header = "<a@x.sa>  <b@y.com>\r\n\t<a@x.sa> junk <not-an-id>"

    assert parse_message_ids(header) == ("<a@x.sa>", "<b@y.com>")
    assert parse_message_ids(None) == ()


def test_our_message_id_is_well_formed_and_needs_a_unique_part() -> None:
    assert new_message_id(unique="abc123", domain="dealix.sa") == "<dealix.abc123@dealix.sa>"
    with pytest.raises(ValueError, match="unique"):
        new_message_id(unique="<>", domain="dealix.sa")


def test_a_reply_answers_the_customers_last_message_and_keeps_our_ids() -> None:
    headers = reply_headers(
        customer_message_id="<c2@client.sa>",
        customer_references=("<ours1@dealix.sa>", "<c1@client.sa>"),
        our_ids=("<ours1@dealix.sa>", "<ours2@dealix.sa>"),
    )

    assert headers.in_reply_to == "<c2@client.sa>"
    assert headers.references == (
        "<ours1@dealix.sa>",
        "<c1@client.sa>",
        "<c2@client.sa>",
        "<ours2@dealix.sa>",
    )


def test_a_first_email_on_a_thread_answers_our_own_last_one() -> None:
    headers = reply_headers(our_ids=("<o1@dealix.sa>",))

    assert headers.in_reply_to == "<o1@dealix.sa>"
    assert reply_headers().references_header() == ""


def test_long_chains_keep_the_root_and_the_newest_ids() -> None:
    ours = tuple(f"<o{i}@dealix.sa>" for i in range(40))

    references = reply_headers(our_ids=ours).references

    assert len(references) == MAX_REFERENCES
    assert references[0] == "<o0@dealix.sa>" and references[-1] == "<o39@dealix.sa>"


def test_subject_tag_is_added_once_and_read_back() -> None:
    tagged = tagged_subject("Re: [#7] الفاتورة", ticket_id=12)

    assert tagged == "[#12] Re: الفاتورة"
    assert ticket_tag(tagged) == 12
    assert ticket_tag("no tag [#x]") is None
    assert bare_subject("RE: Fwd: رد: [#12] الفاتورة") == "الفاتورة"


def test_lookup_tries_in_reply_to_then_references_newest_first_then_the_tag() -> None:
    lookup = thread_lookup(
        in_reply_to="<r@x.sa>", references=("<1@x.sa>", "<2@x.sa>", "<r@x.sa>"), subject="[#5] hi"
    )

    assert lookup.message_ids == ("<r@x.sa>", "<2@x.sa>", "<1@x.sa>")
    assert lookup.ticket_tag == 5


@pytest.mark.parametrize(
    ("sender", "belongs"),
    [
        ("Ops@Client.sa", True),  # the contact, whatever the case
        ("finance@client.sa", True),  # a colleague on the customer's own domain
        ("attacker@evil.example", False),  # another domain
        ("client.sa@evil.example", False),
        ("someone@gmail.com", False),  # a shared provider: only the exact address
        ("owner@gmail.com", True),
        ("not-an-address", False),
    ],
)
def test_sender_belongs_to_the_customer(sender: str, belongs: bool) -> None:
    assert sender_belongs(sender, ["ops@client.sa", "owner@gmail.com"]) is belongs


@pytest.mark.parametrize(
    ("headers", "content_type", "kind"),
    [
        ({"auto-submitted": "auto-replied"}, "text/plain", AutomaticKind.AUTO_REPLY),
        ({"auto-submitted": "no"}, "text/plain", None),
        ({"x-auto-response-suppress": "All"}, "text/plain", AutomaticKind.AUTO_REPLY),
        ({"precedence": "auto_reply"}, "text/plain", AutomaticKind.AUTO_REPLY),
        ({"precedence": "bulk"}, "text/plain", AutomaticKind.BULK),
        ({"precedence": "junk"}, "text/plain", AutomaticKind.BULK),
        ({"list-id": "<news.client.sa>"}, "text/plain", AutomaticKind.BULK),
        ({}, "multipart/report", AutomaticKind.BOUNCE),
        ({}, "text/plain", None),
    ],
)
def test_machines_mail_is_recognised(
    headers: dict[str, str], content_type: str, kind: AutomaticKind | None
) -> None:
    assert automatic_kind(headers, content_type=content_type) is kind


@pytest.mark.parametrize(
    ("text", "reply"),
    [
        (
            "Thanks, fixed.\n\nOn Mon, 1 Mar 2026 at 10:00, Dealix <ops@dealix.sa> wrote:\n> old",
            "Thanks, fixed.",
        ),
        ("Thanks.\nOn Mon, 1 Mar 2026 at 10:00, Dealix\n<ops@dealix.sa> wrote:\n> old", "Thanks."),
        ("شكراً، تم.\n\nفي ١ مارس ٢٠٢٦ كتب فريق Dealix:\n> قديم", "شكراً، تم."),
        ("OK\n\nFrom: Dealix <ops@dealix.sa>\nSent: Monday\nTo: me\n\nold text", "OK"),
        ("Done\n-----Original Message-----\nold", "Done"),
        ("top\n> quoted\n> more\nbottom", "top\nbottom"),
        ("> only a quote", "> only a quote"),  # nothing new: the text stays
        ("From: here I start\nplain words", "From: here I start\nplain words"),
    ],
)
def test_quoted_history_is_cut_from_the_reply(text: str, reply: str) -> None:
    assert strip_quoted(text) == reply


RAW = (
    b"From: =?utf-8?b?2LPYp9ix2Kk=?= <Sara@Client.sa>\r\n"
    b"To: support@dealix.sa\r\n"
    b"Subject: Re: [#3] =?utf-8?b?2KfZhNmB2KfYqtmI2LHYqQ==?=\r\n"
    b"Message-ID: <m1@client.sa>\r\n"
    b"In-Reply-To: <dealix.1@dealix.sa>\r\n"
    b"References: <c0@client.sa> <dealix.1@dealix.sa>\r\n"
    b"Date: Sun, 01 Mar 2026 09:00:00 +0300\r\n"
    b"MIME-Version: 1.0\r\n"
    b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
    b"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
    b"new words\r\n\r\nOn Sat, Dealix wrote:\r\n> old\r\n"
    b"--b\r\nContent-Type: application/pdf\r\n"
    b'Content-Disposition: attachment; filename="invoice.pdf"\r\n'
    b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n"
    b"--b\r\nContent-Type: application/octet-stream\r\n"
    b'Content-Disposition: attachment; filename="../big.bin"\r\n'
    b"Content-Transfer-Encoding: base64\r\n\r\n" + b"QUFBQUFBQUFBQUFB" + b"\r\n--b--\r\n"
)


def test_an_email_is_parsed_with_threading_text_and_attachments() -> None:
    email = parse_email(RAW, max_attachment_bytes=10)

    assert (email.message_id, email.in_reply_to) == ("<m1@client.sa>", "<dealix.1@dealix.sa>")
    assert email.references == ("<c0@client.sa>", "<dealix.1@dealix.sa>")
    assert (email.sender, email.sender_name) == ("sara@client.sa", "سارة")
    assert email.subject == "Re: [#3] الفاتورة"
    assert email.reply == "new words" and "> old" in email.text
    assert email.automatic is None
    assert email.sent_at is not None and email.sent_at.utcoffset() is not None
    pdf, big = email.attachments
    assert (pdf.name, pdf.content_type, pdf.size, pdf.content) == (
        "invoice.pdf",
        "application/pdf",
        9,
        b"%PDF-1.4\n",
    )
    assert (big.name, big.size, big.content) == (".._big.bin", 12, None)  # listed, not kept


def test_an_email_without_a_message_id_is_known_by_its_bytes() -> None:
    raw = b"From: a@b.sa\r\nSubject: x\r\n\r\nhello\r\n"

    first, again = (
        parse_email(raw, max_attachment_bytes=1),
        parse_email(raw, max_attachment_bytes=1),
    )

    assert first.message_id.startswith("sha256:") and first.message_id == again.message_id


def test_email_statuses_never_go_backwards_in_any_order() -> None:
    reports = [DeliveryStatus.SENT, DeliveryStatus.BOUNCED, DeliveryStatus.ACCEPTED]

    results = {
        fold_delivery_statuses(DeliveryStatus.ACCEPTED, order)
        for order in itertools.permutations(reports)
    }

    assert results == {DeliveryStatus.BOUNCED}
    assert (
        fold_delivery_statuses(DeliveryStatus.DELIVERED, [DeliveryStatus.COMPLAINED])
        is DeliveryStatus.COMPLAINED
    )
