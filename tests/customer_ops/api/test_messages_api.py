"""The thread, notes, the unmatched inbox and opt-ins through /api/v1/."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from customer_ops.models import ContactPoint, LedgerEntry, TicketMessage
from customer_ops.services.messages import message_receive
from tests.factories import make_customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(founder: Any) -> Any:
    return make_customer(actor=founder, contact_phone="0501234567")


def receive(wamid: str, text: str, sender: str = "+966501234567") -> TicketMessage:
    now = timezone.now()
    return message_receive(
        channel="whatsapp",
        external_id=wamid,
        sender=sender,
        sender_name="",
        kind="text",
        text=text,
        at=now,
        now=now,
    )


def test_thread_lists_messages_oldest_first_with_the_named_fields(
    operator_api: APIClient, customer: Any
) -> None:
    first = receive("wamid.1", "سؤال أول")
    receive("wamid.2", "سؤال ثانٍ")
    ticket_id = first.ticket_id
    operator_api.post(
        f"/api/v1/tickets/{ticket_id}/messages/", {"text": "اتصلت بالعميل"}, format="json"
    )

    response = operator_api.get(f"/api/v1/tickets/{ticket_id}/messages/")

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["direction"] for row in rows] == ["in", "in", "note"]
    assert [row["text"] for row in rows] == ["سؤال أول", "سؤال ثانٍ", "اتصلت بالعميل"]
    assert {"direction", "channel", "text", "external_id", "delivery_status", "at"} <= set(rows[0])
    assert rows[0]["external_id"] == "wamid.1" and rows[2]["channel"] == "internal"
    assert LedgerEntry.objects.filter(verb="messages.note_added").exists()


def test_an_empty_note_is_a_bilingual_400(operator_api: APIClient, customer: Any) -> None:
    ticket_id = receive("wamid.1", "سؤال").ticket_id

    response = operator_api.post(
        f"/api/v1/tickets/{ticket_id}/messages/", {"text": ""}, format="json"
    )

    assert response.status_code == 400
    body = response.json()
    assert "text" in body["errors"] and "text" in body["errors_ar"]


def test_unmatched_list_and_assignment(operator_api: APIClient, customer: Any) -> None:
    waiting = receive("wamid.u", "من أنتم؟", sender="+966555555555")

    listed = operator_api.get("/api/v1/messages/unmatched/").json()["results"]
    assigned = operator_api.post(
        f"/api/v1/messages/{waiting.pk}/assign/", {"customer": customer.pk}, format="json"
    )
    again = operator_api.post(
        f"/api/v1/messages/{waiting.pk}/assign/", {"customer": customer.pk}, format="json"
    )

    assert [row["id"] for row in listed] == [waiting.pk]
    assert assigned.status_code == 200 and assigned.json()["ticket"] is not None
    assert again.status_code == 400
    assert operator_api.get("/api/v1/messages/unmatched/").json()["results"] == []


def test_opt_in_is_recorded_with_who_when_how(operator_api: APIClient, customer: Any) -> None:
    response = operator_api.post(
        f"/api/v1/customers/{customer.pk}/whatsapp-opt-in/",
        {"value": "050 123 4567", "method": "signed order form"},
        format="json",
    )

    assert response.status_code == 201
    point = ContactPoint.objects.get()
    assert (point.value, point.opted_in_by.username, point.opt_in_method) == (
        "+966501234567",
        "operator",
        "signed order form",
    )
    missing = operator_api.post(
        f"/api/v1/customers/{customer.pk}/whatsapp-opt-in/",
        {"value": "x", "method": "y"},
        format="json",
    )
    assert missing.status_code == 400


def test_customers_api_stores_contact_phone_as_e164(operator_api: APIClient) -> None:
    response = operator_api.post(
        "/api/v1/customers/",
        {"company_name": "شركة", "bundle": "growth_starter", "contact_phone": "050 765 4321"},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["contact_phone"] == "+966507654321"
