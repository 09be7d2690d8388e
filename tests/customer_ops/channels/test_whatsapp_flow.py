"""WhatsApp in and out: the signed webhook, tickets from messages, sending through a fake Graph API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from customer_ops.domain.delivery import SendFailed, SendOutcomeUnknown
from customer_ops.domain.errors import RuleRefused
from customer_ops.models import (
    LedgerEntry,
    MessageStatusEvent,
    MessageTemplate,
    SlaEvent,
    Ticket,
    TicketMessage,
    WebhookDelivery,
)
from customer_ops.services import draft_delivery
from customer_ops.services.contacts import contact_opt_in_record
from customer_ops.services.drafts import draft_approve, draft_create
from customer_ops.services.messages import message_assign
from customer_ops.services.tickets import ticket_change_status, ticket_reply_draft
from tests.factories import make_customer
from tests.whatsapp_fakes import (
    FakeGraphApi,
    envelope,
    inbound_media,
    inbound_text,
    signed_body,
    status_update,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("whatsapp_settings")]
WA_ID = "966501234567"
PHONE = "+966501234567"
URL = "/webhooks/whatsapp/"


def post(client: Client, payload: dict[str, Any], *, signature: str | None = None) -> Any:
    body, signed = signed_body(payload)
    headers = {"X-Hub-Signature-256": signature if signature is not None else signed}
    return client.post(URL, data=body, content_type="application/json", headers=headers)


def text(wamid: str, body: str, *, at: dt.datetime | None = None, wa_id: str = WA_ID) -> Any:
    return envelope(
        messages=[inbound_text(wamid=wamid, wa_id=wa_id, body=body, at=at or timezone.now())]
    )


@pytest.fixture
def customer(founder: Any) -> Any:
    return make_customer(actor=founder, contact_phone="050 123 4567", contact_name="ريم")


@pytest.fixture
def opted_in(customer: Any, founder: Any) -> Any:
    return contact_opt_in_record(
        customer_id=customer.pk,
        channel="whatsapp",
        value=customer.contact_phone,
        method="signed order form",
        actor=founder,
        now=timezone.now(),
    )


def reply_and_approve(ticket: Ticket, operator: Any, founder: Any, **extra: Any) -> Any:
    draft = ticket_reply_draft(ticket_id=ticket.pk, actor=operator, now=timezone.now(), **extra)
    return draft_approve(draft_id=draft.pk, approver=founder, now=timezone.now())


# ── The webhook ─────────────────────────────────────────────────────────────────────────────────
def test_verification_handshake(client: Client) -> None:
    ok = client.get(
        URL, {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "42"}
    )
    bad = client.get(
        URL, {"hub.mode": "subscribe", "hub.verify_token": "nope", "hub.challenge": "42"}
    )

    assert (ok.status_code, ok.content) == (200, b"42")
    assert bad.status_code == 403


@pytest.mark.parametrize("signature", ["", "sha256=" + "0" * 64, "garbage"])
def test_bad_or_missing_signature_is_refused_and_writes_nothing(
    client: Client, customer: Any, signature: str
) -> None:
    ledger_before = LedgerEntry.objects.count()

    response = post(client, text("wamid.bad", "عطل"), signature=signature)

    assert response.status_code == 403
    assert WebhookDelivery.objects.count() == 0
    assert TicketMessage.objects.count() == 0
    assert LedgerEntry.objects.count() == ledger_before


def test_a_known_number_becomes_a_classified_ticket(client: Client, customer: Any) -> None:
    response = post(client, text("wamid.1", "وصلنا إرسال خاطئ لعملائنا بدون موافقتي"))

    assert response.status_code == 200
    message = TicketMessage.objects.get(external_id="wamid.1")
    ticket = message.ticket
    assert ticket is not None and ticket.customer_id == customer.pk
    assert ticket.channel == "whatsapp"
    assert ticket.priority == "P0"
    assert (message.direction, message.sender, message.sender_name) == ("in", PHONE, "ريم")
    verbs = set(LedgerEntry.objects.values_list("verb", flat=True))
    assert {"tickets.created", "messages.received"} <= verbs
    # No automatic reply: nothing was drafted, nothing sent.
    assert not customer.drafts.exists()


def test_the_same_message_twice_is_one_message(client: Client, customer: Any) -> None:
    payload = text("wamid.dup", "سؤال عن الفاتورة")

    post(client, payload)
    post(client, payload)
    # Meta re-sends it inside a different delivery too.
    post(client, {**payload, "entry": payload["entry"] * 2})

    assert TicketMessage.objects.filter(external_id="wamid.dup").count() == 1
    assert Ticket.objects.count() == 1
    assert WebhookDelivery.objects.count() == 1


def test_a_second_message_joins_the_open_ticket_and_raises_only(
    client: Client, customer: Any
) -> None:
    post(client, text("wamid.a", "سؤال بسيط عن التقرير"))
    ticket = Ticket.objects.get()
    first_priority = ticket.priority

    post(client, text("wamid.b", "هناك تسريب بيانات العملاء"))
    post(client, text("wamid.c", "شكراً"))

    ticket.refresh_from_db()
    assert Ticket.objects.count() == 1
    assert ticket.messages.count() == 3
    assert first_priority != "P0" and ticket.priority == "P0"
    assert SlaEvent.objects.filter(ticket=ticket, event="escalated").count() == 1


def test_a_reply_on_a_ticket_waiting_on_the_customer_resumes_its_clock(
    client: Client, customer: Any, operator: Any
) -> None:
    post(client, text("wamid.p1", "سؤال عن الفاتورة"))
    ticket = Ticket.objects.get()
    ticket_change_status(
        ticket_id=ticket.pk, to="pending_customer", actor=operator, now=timezone.now()
    )

    post(client, text("wamid.p2", "هذه المعلومات المطلوبة"))

    ticket.refresh_from_db()
    assert ticket.status == "open"
    assert (
        list(ticket.sla_events.values_list("event", flat=True).order_by("at", "id"))[-1]
        == "resumed"
    )


def test_image_and_document_captions_land_on_the_thread(client: Client, customer: Any) -> None:
    now = timezone.now()
    payload = envelope(
        messages=[
            inbound_media(
                wamid="wamid.img", wa_id=WA_ID, kind="image", caption="لقطة الخطأ", at=now
            ),
            inbound_media(
                wamid="wamid.doc",
                wa_id=WA_ID,
                kind="document",
                caption="الفاتورة",
                at=now,
                filename="invoice.pdf",
            ),
        ]
    )

    post(client, payload)

    kinds = dict(TicketMessage.objects.values_list("kind", "text"))
    assert kinds == {"image": "لقطة الخطأ", "document": "الفاتورة"}
    assert TicketMessage.objects.get(kind="document").media["filename"] == "invoice.pdf"


def test_an_unknown_number_waits_unmatched_until_an_operator_assigns_it(
    client: Client, customer: Any, operator: Any
) -> None:
    post(client, text("wamid.u1", "مرحبا، أنا من شركة جديدة", wa_id="966555555555"))
    post(client, text("wamid.u2", "هل وصلت رسالتي؟", wa_id="966555555555"))
    waiting = TicketMessage.objects.get(external_id="wamid.u1")
    assert waiting.ticket is None and waiting.customer is None
    assert Ticket.objects.count() == 0

    message_assign(
        message_id=waiting.pk, customer_id=customer.pk, actor=operator, now=timezone.now()
    )

    ticket = Ticket.objects.get()
    assert set(ticket.messages.values_list("external_id", flat=True)) == {"wamid.u1", "wamid.u2"}
    post(client, text("wamid.u3", "وشكراً", wa_id="966555555555"))  # the number is known now
    assert TicketMessage.objects.get(external_id="wamid.u3").ticket_id == ticket.pk
    with pytest.raises(RuleRefused):
        message_assign(
            message_id=waiting.pk, customer_id=customer.pk, actor=operator, now=timezone.now()
        )


# ── Sending through the fake Graph API ──────────────────────────────────────────────────────────
def test_conversation_in_approval_out_and_statuses_back(
    client: Client,
    customer: Any,
    opted_in: Any,
    operator: Any,
    founder: Any,
    graph_api: FakeGraphApi,
) -> None:
    post(client, text("wamid.in", "النظام متوقف"))
    ticket = Ticket.objects.get()
    draft = reply_and_approve(ticket, operator, founder)

    sent = draft_delivery.draft_send(draft_id=draft.pk, actor=founder, now=timezone.now())

    assert sent.status == "sent"
    (request,) = graph_api.requests
    assert request["path"] == "/v23.0/106540352242922/messages"
    assert request["json"]["to"] == WA_ID and request["json"]["type"] == "text"
    out = TicketMessage.objects.get(direction="out")
    assert out.ticket_id == ticket.pk and out.draft_id == draft.pk
    assert out.external_id == "wamid.FAKE.000001" and out.delivery_status == "accepted"
    ticket.refresh_from_db()
    assert ticket.first_response_at is not None
    # WhatsApp reports back, read before delivered and sent twice.
    now = timezone.now()
    for status in ("read", "sent", "delivered", "sent"):
        post(
            client,
            envelope(
                statuses=[
                    status_update(wamid=out.external_id, status=status, at=now, recipient=WA_ID)
                ]
            ),
        )
    out.refresh_from_db()
    assert out.delivery_status == "read"
    assert MessageStatusEvent.objects.filter(message=out).count() == 3
    verbs = set(LedgerEntry.objects.values_list("verb", flat=True))
    assert {
        "drafts.send_started",
        "drafts.sent",
        "messages.sent",
        "messages.status_changed",
    } <= verbs


def test_a_status_that_arrives_before_the_send_is_recorded_is_not_lost(
    client: Client, customer: Any, opted_in: Any, operator: Any, founder: Any
) -> None:
    post(client, text("wamid.in", "سؤال"))
    early = envelope(
        statuses=[
            status_update(
                wamid="wamid.FAKE.000001", status="delivered", at=timezone.now(), recipient=WA_ID
            )
        ]
    )
    post(client, early)
    assert MessageStatusEvent.objects.get().message is None

    draft = reply_and_approve(Ticket.objects.get(), operator, founder)
    draft_delivery.draft_send(draft_id=draft.pk, actor=founder, now=timezone.now())

    out = TicketMessage.objects.get(direction="out")
    assert out.delivery_status == "delivered"
    assert MessageStatusEvent.objects.get().message_id == out.pk


def test_a_failed_status_shows_its_classified_error_on_the_draft(
    client: Client, customer: Any, opted_in: Any, operator: Any, founder: Any
) -> None:
    post(client, text("wamid.in", "سؤال"))
    draft = reply_and_approve(Ticket.objects.get(), operator, founder)
    draft_delivery.draft_send(draft_id=draft.pk, actor=founder, now=timezone.now())

    post(
        client,
        envelope(
            statuses=[
                status_update(
                    wamid="wamid.FAKE.000001",
                    status="failed",
                    at=timezone.now(),
                    recipient=WA_ID,
                    error_code=131047,
                )
            ]
        ),
    )

    out = TicketMessage.objects.get(direction="out")
    draft.refresh_from_db()
    assert out.delivery_status == "failed"
    assert "131047 window_closed" in out.delivery_error
    assert "131047" in draft.send_error
    entry = LedgerEntry.objects.filter(verb="messages.status_changed").latest("id")
    assert entry.after["error_kind"] == "window_closed"


def test_no_opt_in_is_refused_at_approval(
    client: Client, customer: Any, operator: Any, founder: Any
) -> None:
    post(client, text("wamid.in", "سؤال"))
    draft = ticket_reply_draft(
        ticket_id=Ticket.objects.get().pk, actor=operator, now=timezone.now()
    )

    with pytest.raises(RuleRefused) as refused:
        draft_approve(draft_id=draft.pk, approver=founder, now=timezone.now())

    assert refused.value.field == "to"
    assert "موافقة" in refused.value.message_ar


def test_outside_the_window_free_text_is_refused_at_send_and_a_template_goes(
    client: Client,
    customer: Any,
    opted_in: Any,
    operator: Any,
    founder: Any,
    graph_api: FakeGraphApi,
) -> None:
    post(client, text("wamid.in", "سؤال"))
    draft = reply_and_approve(Ticket.objects.get(), operator, founder)

    with time_machine.travel(timezone.now() + dt.timedelta(hours=24, minutes=1)):
        with pytest.raises(RuleRefused) as refused:
            draft_delivery.draft_send(draft_id=draft.pk, actor=founder, now=timezone.now())
        template = MessageTemplate.objects.create(
            name="ticket_follow_up", language="ar", parameter_count=1, status="approved"
        )
        templated = draft_create(
            customer_id=customer.pk,
            channel="whatsapp",
            to=customer.contact_phone,
            subject="",
            body="متابعة التذكرة",
            author=operator,
            now=timezone.now(),
            template_id=template.pk,
            template_params=["#1"],
        )
        draft_approve(draft_id=templated.pk, approver=founder, now=timezone.now())
        sent = draft_delivery.draft_send(draft_id=templated.pk, actor=founder, now=timezone.now())

    assert refused.value.field == "template"
    assert graph_api.requests[-1]["json"]["type"] == "template"
    assert sent.status == "sent"
    # Not a ticket reply, but its wamid is kept so status webhooks find it.
    assert TicketMessage.objects.get(draft=templated).ticket is None


def test_a_provider_refusal_releases_the_claim_and_is_classified(
    client: Client,
    customer: Any,
    opted_in: Any,
    operator: Any,
    founder: Any,
    graph_api: FakeGraphApi,
) -> None:
    post(client, text("wamid.in", "سؤال"))
    draft = reply_and_approve(Ticket.objects.get(), operator, founder)
    graph_api.mode, graph_api.error_code = "failing", 131026

    with pytest.raises(SendFailed) as failed:
        draft_delivery.draft_send(draft_id=draft.pk, actor=founder, now=timezone.now())

    draft.refresh_from_db()
    assert draft.status == "approved" and draft.send_started_at is None
    assert "131026 invalid_number" in draft.send_error
    assert "واتساب" in failed.value.message_ar
    entry = LedgerEntry.objects.filter(verb="drafts.send_failed").latest("id")
    assert entry.after["error_kind"] == "invalid_number"
    assert "test-access-token" not in str(entry.after) + entry.note
    graph_api.mode = "ok"
    assert (
        draft_delivery.draft_send(draft_id=draft.pk, actor=founder, now=timezone.now()).status
        == "sent"
    )


def test_a_timeout_after_the_request_left_keeps_the_claim(
    client: Client,
    customer: Any,
    opted_in: Any,
    operator: Any,
    founder: Any,
    graph_api: FakeGraphApi,
) -> None:
    post(client, text("wamid.in", "سؤال"))
    draft = reply_and_approve(Ticket.objects.get(), operator, founder)
    graph_api.mode, graph_api.delay = "slow", 1.5

    with pytest.raises(SendOutcomeUnknown):
        draft_delivery.draft_send(draft_id=draft.pk, actor=founder, now=timezone.now())
    with pytest.raises(SendOutcomeUnknown):
        draft_delivery.draft_send(draft_id=draft.pk, actor=founder, now=timezone.now())

    draft.refresh_from_db()
    assert draft.status == "approved" and draft.send_started_at is not None
    assert len(graph_api.requests) == 1  # the second call sent nothing
    assert LedgerEntry.objects.filter(verb="drafts.send_outcome_unknown").exists()


def test_a_provider_answering_the_same_id_twice_records_one_message_per_draft(
    client: Client,
    customer: Any,
    opted_in: Any,
    operator: Any,
    founder: Any,
    graph_api: FakeGraphApi,
) -> None:
    post(client, text("wamid.in", "سؤال"))
    ticket = Ticket.objects.get()
    graph_api.mode = "duplicate"
    first = reply_and_approve(ticket, operator, founder)
    draft_delivery.draft_send(draft_id=first.pk, actor=founder, now=timezone.now())
    again = draft_delivery.draft_send(draft_id=first.pk, actor=founder, now=timezone.now())

    assert again.status == "sent"
    assert len(graph_api.requests) == 1
    assert TicketMessage.objects.filter(direction="out").count() == 1


def test_live_send_off_keeps_whatsapp_manual(
    client: Client,
    customer: Any,
    operator: Any,
    founder: Any,
    settings: Any,
    graph_api: FakeGraphApi,
) -> None:
    settings.WHATSAPP_ALLOW_LIVE_SEND = False
    post(client, text("wamid.in", "سؤال"))
    draft = reply_and_approve(Ticket.objects.get(), operator, founder)  # no opt-in needed by hand

    with pytest.raises(RuleRefused):
        draft_delivery.draft_send(draft_id=draft.pk, actor=founder, now=timezone.now())
    marked = draft_delivery.draft_mark_sent(draft_id=draft.pk, actor=founder, now=timezone.now())

    assert marked.status == "sent_manually"
    assert graph_api.requests == []
    out = TicketMessage.objects.get(direction="out")
    assert (out.channel, out.external_id, out.delivery_status) == ("whatsapp", "", "")
