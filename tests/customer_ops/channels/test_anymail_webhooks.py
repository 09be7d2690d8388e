"""Provider email through Anymail: inbound (Postmark, Mailgun) and tracking webhooks, with the
providers' documented payload shapes, stored first and processed in a task."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from customer_ops.models import (
    LedgerEntry,
    Notification,
    Ticket,
    TicketMessage,
    WebhookDelivery,
)
from customer_ops.services import draft_delivery
from customer_ops.services.drafts import draft_approve
from customer_ops.services.tickets import ticket_reply_draft, ticket_update
from tests.email_fakes import raw_email
from tests.factories import make_customer, make_ticket

pytestmark = pytest.mark.django_db
SECRET = "anymail-user:anymail-password"
SIGNING_KEY = "mailgun-signing-key"


@pytest.fixture(autouse=True)
def anymail_settings(settings: Any) -> Any:
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET, "MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY}
    return settings


@pytest.fixture
def customer(founder: Any) -> Any:
    return make_customer(actor=founder, contact_email="ops@client.sa")


@pytest.fixture
def ticket(customer: Any, operator: Any) -> Ticket:
    return make_ticket(customer=customer, actor=operator, now=timezone.now(), subject="الفاتورة")


def auth(credentials: str = SECRET) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(credentials.encode()).decode()}


def postmark_inbound(*, message_id: str, subject: str, in_reply_to: str = "") -> dict[str, Any]:
    """Postmark's inbound webhook JSON (developer docs, "Inbound webhook")."""
    headers = [
        {"Name": "Message-ID", "Value": message_id},
        {"Name": "X-Spam-Status", "Value": "No"},
    ]
    if in_reply_to:
        headers.append({"Name": "In-Reply-To", "Value": in_reply_to})
    return {
        "FromName": "Sara",
        "MessageStream": "inbound",
        "From": "ops@client.sa",
        "FromFull": {"Email": "ops@client.sa", "Name": "Sara", "MailboxHash": ""},
        "To": "support@dealix.sa",
        "ToFull": [{"Email": "support@dealix.sa", "Name": "", "MailboxHash": ""}],
        "Cc": "",
        "CcFull": [],
        "Bcc": "",
        "BccFull": [],
        "OriginalRecipient": "support@dealix.sa",
        "Subject": subject,
        "MessageID": "73e6d360-66eb-11e1-8e72-a8904824019b",
        "ReplyTo": "",
        "MailboxHash": "",
        "Date": "Sun, 1 Mar 2026 09:00:00 +0300",
        "TextBody": "تم التحويل أمس.\n\nOn Sat, Dealix wrote:\n> هل تم التحويل؟",
        "HtmlBody": "",
        "StrippedTextReply": "تم التحويل أمس.",
        "Tag": "",
        "Headers": headers,
        "Attachments": [
            {
                "Name": "receipt.txt",
                "Content": base64.b64encode(b"paid").decode(),
                "ContentType": "text/plain",
                "ContentLength": 4,
            }
        ],
    }


def post_postmark(client: Client, path: str, payload: dict[str, Any], **headers: str) -> Any:
    return client.post(
        f"/webhooks/anymail/postmark/{path}/",
        data=json.dumps(payload),
        content_type="application/json",
        headers=headers or auth(),
    )


def mailgun_signed(fields: dict[str, str], *, key: str = SIGNING_KEY) -> dict[str, str]:
    timestamp, token = str(int(timezone.now().timestamp())), "a" * 50
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    return {**fields, "timestamp": timestamp, "token": token, "signature": signature}


# ── Refusals ───────────────────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize("credentials", ["", "anymail-user:wrong", "x"])
def test_a_bad_secret_is_refused_and_writes_nothing(
    client: Client, customer: Any, credentials: str
) -> None:
    headers = auth(credentials) if credentials else {"X-Nothing": "1"}
    ledger_before = LedgerEntry.objects.count()

    response = post_postmark(
        client, "inbound", postmark_inbound(message_id="<p0@client.sa>", subject="x"), **headers
    )

    assert response.status_code == 403
    assert WebhookDelivery.objects.count() == 0 and TicketMessage.objects.count() == 0
    assert LedgerEntry.objects.count() == ledger_before


def test_webhooks_refuse_everything_while_no_secret_is_configured(
    client: Client, settings: Any
) -> None:
    settings.ANYMAIL = {"WEBHOOK_SECRET": ""}

    response = post_postmark(
        client, "inbound", postmark_inbound(message_id="<p@x.sa>", subject="x")
    )

    assert response.status_code == 403
    assert WebhookDelivery.objects.count() == 0


def test_a_bad_mailgun_signature_is_refused_and_writes_nothing(
    client: Client, customer: Any
) -> None:
    fields = mailgun_signed(
        {"body-mime": raw_email(message_id="<mg0@client.sa>").decode()}, key="not-the-key"
    )

    response = client.post("/webhooks/anymail/mailgun/inbound_mime/", data=fields, headers=auth())

    assert response.status_code == 400
    assert WebhookDelivery.objects.count() == 0 and TicketMessage.objects.count() == 0


# ── Inbound ────────────────────────────────────────────────────────────────────────────────────
def test_postmark_inbound_threads_by_the_subject_tag_with_attachments(
    client: Client, ticket: Ticket
) -> None:
    payload = postmark_inbound(message_id="<pm1@client.sa>", subject=f"Re: [#{ticket.pk}] الفاتورة")

    response = post_postmark(client, "inbound", payload)

    assert response.status_code == 200
    delivery = WebhookDelivery.objects.get()
    assert delivery.channel == "email" and delivery.processed_at is not None
    message = TicketMessage.objects.get(external_id="<pm1@client.sa>")
    assert message.ticket_id == ticket.pk and message.text == "تم التحويل أمس."
    assert [(a.name, a.size) for a in message.attachments.all()] == [("receipt.txt", 4)]


def test_a_provider_retry_is_one_message(client: Client, ticket: Ticket) -> None:
    payload = postmark_inbound(message_id="<retry@client.sa>", subject=f"[#{ticket.pk}]")

    for _ in range(3):
        assert post_postmark(client, "inbound", payload).status_code == 200

    assert TicketMessage.objects.filter(external_id="<retry@client.sa>").count() == 1
    assert WebhookDelivery.objects.count() == 1


def test_mailgun_inbound_mime_threads_by_in_reply_to(
    client: Client, ticket: Ticket, operator: Any, founder: Any
) -> None:
    draft = ticket_reply_draft(
        ticket_id=ticket.pk, actor=operator, now=timezone.now(), channel="email", to="ops@client.sa"
    )
    draft_approve(draft_id=draft.pk, approver=founder, now=timezone.now())
    sent = draft_delivery.draft_send(draft_id=draft.pk, actor=founder, now=timezone.now())
    raw = raw_email(
        message_id="<mg1@client.sa>", subject="no tag", in_reply_to=sent.email_message_id
    )
    fields = mailgun_signed(
        {
            "recipient": "support@dealix.sa",
            "sender": "ops@client.sa",
            "from": "ops@client.sa",
            "subject": "no tag",
            "body-mime": raw.decode(),
        }
    )

    response = client.post("/webhooks/anymail/mailgun/inbound_mime/", data=fields, headers=auth())

    assert response.status_code == 200
    assert TicketMessage.objects.get(external_id="<mg1@client.sa>").ticket_id == ticket.pk


# ── Tracking ───────────────────────────────────────────────────────────────────────────────────
def test_a_bounce_moves_the_message_to_bounced_notifies_the_owner_and_is_in_the_ledger(
    client: Client,
    ticket: Ticket,
    operator: Any,
    founder: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.MAILERS = {"default": {"BACKEND": "anymail.backends.test.EmailBackend", "OPTIONS": {}}}
    ticket_update(ticket_id=ticket.pk, assignee_id=operator.pk, actor=founder, now=timezone.now())
    draft = ticket_reply_draft(
        ticket_id=ticket.pk, actor=operator, now=timezone.now(), channel="email", to="ops@client.sa"
    )
    draft_approve(draft_id=draft.pk, approver=founder, now=timezone.now())
    draft_delivery.draft_send(draft_id=draft.pk, actor=founder, now=timezone.now())
    message = TicketMessage.objects.get(draft=draft)
    assert message.provider_id != "" and len(mail.outbox) == 1
    bounce = {  # Postmark's bounce webhook (developer docs, "Bounce webhook")
        "RecordType": "Bounce",
        "MessageStream": "outbound",
        "ID": 4323372036854775807,
        "Type": "HardBounce",
        "TypeCode": 1,
        "Name": "Hard bounce",
        "Tag": "",
        "MessageID": message.provider_id,
        "Metadata": {},
        "ServerID": 23,
        "Description": "The server was unable to deliver your message (ex: unknown user).",
        "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
        "Email": "ops@client.sa",
        "From": "ops@dealix.sa",
        "BouncedAt": "2026-03-01T16:33:54.9070259Z",
        "DumpAvailable": True,
        "Inactive": True,
        "CanActivate": True,
        "Subject": "Test subject",
    }

    with django_capture_on_commit_callbacks(execute=True):
        first = post_postmark(client, "tracking", bounce)
        again = post_postmark(client, "tracking", bounce)  # Postmark retries: one event

    message.refresh_from_db()
    assert (first.status_code, again.status_code) == (200, 200)
    assert message.delivery_status == "bounced" and "550 5.1.1" in message.delivery_error
    assert message.status_events.filter(status="bounced").count() == 1
    entry = LedgerEntry.objects.filter(verb="messages.status_changed").latest("id")
    assert entry.after["delivery_status"] == "bounced"
    notice = Notification.objects.get(kind="email_bounced")
    assert notice.recipient_id == operator.pk and notice.ticket_id == ticket.pk


def test_a_delivery_report_for_an_unknown_message_is_kept_and_changes_nothing(
    client: Client,
) -> None:
    delivered = {
        "RecordType": "Delivery",
        "ServerID": 23,
        "MessageStream": "outbound",
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
        "Recipient": "john@example.com",
        "Tag": "",
        "DeliveredAt": "2026-03-01T16:33:54.9070259Z",
        "Details": "Test delivery webhook details",
        "Metadata": {},
    }

    response = post_postmark(client, "tracking", delivered)

    assert response.status_code == 200
    assert LedgerEntry.objects.filter(verb="messages.status_before_send").count() == 1
    assert TicketMessage.objects.count() == 0
