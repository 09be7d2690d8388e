"""The thread on the ticket page, notes, polling, and the unmatched inbox in the console."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from customer_ops.models import TicketMessage
from customer_ops.services.messages import message_receive
from tests.factories import make_customer

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


@pytest.fixture
def customer(founder: Any) -> Any:
    return make_customer(actor=founder, contact_phone="0501234567")


def receive(wamid: str, text: str, sender: str = "+966501234567") -> TicketMessage:
    now = timezone.now()
    return message_receive(
        channel="whatsapp",
        external_id=wamid,
        sender=sender,
        sender_name="ريم",
        kind="text",
        text=text,
        at=now,
        now=now,
    )


def test_ticket_page_shows_the_thread_and_a_note_joins_it(
    operator_client: Client, customer: Any
) -> None:
    ticket_id = receive("wamid.1", "متى يصل التقرير؟").ticket_id

    page = operator_client.get(f"/tickets/{ticket_id}/")
    note = operator_client.post(f"/tickets/{ticket_id}/notes/", {"text": "اتصلت بهم"}, headers=HX)

    assert "متى يصل التقرير؟" in page.content.decode()
    assert 'id="ticket-thread"' in page.content.decode()
    body = note.content.decode()
    assert note.status_code == 200 and "<html" not in body
    assert 'data-direction="note"' in body and "اتصلت بهم" in body


def test_the_thread_polls_and_a_new_message_appears(operator_client: Client, customer: Any) -> None:
    ticket_id = receive("wamid.1", "سؤال").ticket_id
    page = operator_client.get(f"/tickets/{ticket_id}/").content.decode()
    assert 'hx-trigger="every 10s' in page

    receive("wamid.2", "سؤال إضافي وصل الآن")
    poll = operator_client.get(f"/tickets/{ticket_id}/thread/", headers=HX).content.decode()

    assert "سؤال إضافي وصل الآن" in poll and "<html" not in poll


def test_queue_polls_for_new_tickets(operator_client: Client, customer: Any) -> None:
    page = operator_client.get("/tickets/").content.decode()
    receive("wamid.q", "طلب جديد عبر واتساب")

    poll = operator_client.get("/tickets/", headers=HX).content.decode()

    assert 'hx-trigger="every 15s"' in page
    assert "طلب جديد عبر واتساب" in poll


def test_unmatched_inbox_assigns_a_message(operator_client: Client, customer: Any) -> None:
    waiting = receive("wamid.u", "من أنتم؟", sender="+966555555555")

    page = operator_client.get("/messages/unmatched/").content.decode()
    assigned = operator_client.post(
        f"/messages/{waiting.pk}/assign/", {"customer": customer.pk}, headers=HX
    )

    assert "من أنتم؟" in page
    assert assigned.status_code == 200 and "من أنتم؟" not in assigned.content.decode()
    waiting.refresh_from_db()
    assert waiting.ticket is not None and waiting.customer_id == customer.pk
