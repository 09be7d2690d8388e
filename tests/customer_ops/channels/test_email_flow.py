"""Email in and out on a ticket's thread: our Message-IDs, replies finding their ticket, machines'
mail, duplicates and attachments (through `mail_receive`, which both inbound routes use)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from customer_ops.domain.delivery import SEND_SETTLE
from customer_ops.models import ContactPoint, LedgerEntry, Ticket, TicketMessage
from customer_ops.services import draft_delivery
from customer_ops.services.drafts import draft_approve
from customer_ops.services.mail_inbound import mail_receive
from customer_ops.services.tickets import ticket_change_status, ticket_reply_draft
from tests.email_fakes import raw_email
from tests.factories import make_customer, make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(founder: Any) -> Any:
    return make_customer(actor=founder, contact_email="ops@client.sa", contact_name="سارة")


@pytest.fixture
def ticket(customer: Any, operator: Any) -> Ticket:
    return make_ticket(customer=customer, actor=operator, now=timezone.now(), subject="الفاتورة")


def send_reply(ticket: Ticket, operator: Any, founder: Any) -> Any:
    draft = ticket_reply_draft(
        ticket_id=ticket.pk, actor=operator, now=timezone.now(), channel="email", to="ops@client.sa"
    )
    draft_approve(draft_id=draft.pk, approver=founder, now=timezone.now())
    return draft_delivery.draft_send(draft_id=draft.pk, actor=founder, now=timezone.now())


def receive(**kwargs: Any) -> TicketMessage:
    return mail_receive(raw=raw_email(**kwargs), route="test", now=timezone.now())


# ── Outbound ───────────────────────────────────────────────────────────────────────────────────
def test_a_sent_reply_carries_our_message_id_and_the_ticket_tag_and_joins_the_thread(
    ticket: Ticket, operator: Any, founder: Any
) -> None:
    draft = send_reply(ticket, operator, founder)

    sent = mail.outbox[-1].message()
    assert (
        draft.email_message_id.startswith("<dealix.")
        and sent["Message-ID"] == draft.email_message_id
    )
    assert sent["Subject"].startswith(f"[#{ticket.pk}] ")
    message = TicketMessage.objects.get(draft=draft)
    assert (message.direction, message.channel, message.external_id) == (
        "out",
        "email",
        draft.email_message_id,
    )
    assert message.delivery_status == "accepted" and message.ticket_id == ticket.pk


def test_a_second_reply_answers_the_customers_last_email_and_keeps_our_ids(
    ticket: Ticket, operator: Any, founder: Any
) -> None:
    first = send_reply(ticket, operator, founder)
    receive(
        message_id="<c1@client.sa>",
        in_reply_to=first.email_message_id,
        references=first.email_message_id,
    )

    second = send_reply(ticket, operator, founder)

    sent = mail.outbox[-1].message()
    assert sent["In-Reply-To"] == "<c1@client.sa>"
    assert sent["References"].split() == [first.email_message_id, "<c1@client.sa>"]
    assert sent["Message-ID"] == second.email_message_id != first.email_message_id


# ── Inbound: threading ─────────────────────────────────────────────────────────────────────────
def test_a_reply_threads_through_in_reply_to(ticket: Ticket, operator: Any, founder: Any) -> None:
    draft = send_reply(ticket, operator, founder)

    message = receive(
        message_id="<r1@client.sa>",
        subject="Re: something else",
        in_reply_to=draft.email_message_id,
    )

    assert message.ticket_id == ticket.pk
    entry = LedgerEntry.objects.filter(verb="messages.received").latest("id")
    assert entry.after["threaded_by"] == "in_reply_to"


def test_a_reply_threads_through_references_only(
    ticket: Ticket, operator: Any, founder: Any
) -> None:
    draft = send_reply(ticket, operator, founder)

    message = receive(
        message_id="<r2@client.sa>",
        subject="no tag here",
        references=f"<unknown@elsewhere.sa> {draft.email_message_id} <other@client.sa>",
    )

    assert message.ticket_id == ticket.pk
    assert Ticket.objects.count() == 1


def test_a_reply_threads_through_the_subject_tag(ticket: Ticket) -> None:
    message = receive(message_id="<r3@client.sa>", subject=f"Re: [#{ticket.pk}] الفاتورة")

    assert message.ticket_id == ticket.pk


def test_a_colleague_on_the_customers_domain_threads_too(ticket: Ticket) -> None:
    message = receive(
        message_id="<r4@client.sa>", sender="finance@client.sa", subject=f"[#{ticket.pk}]"
    )

    assert message.ticket_id == ticket.pk


def test_a_forged_subject_tag_from_another_domain_does_not_join_the_ticket(
    ticket: Ticket, operator: Any, founder: Any
) -> None:
    draft = send_reply(ticket, operator, founder)

    forged = receive(
        message_id="<f1@evil.example>",
        sender="ops@evil.example",
        subject=f"Re: [#{ticket.pk}] الفاتورة",
        in_reply_to=draft.email_message_id,  # even a leaked Message-ID does not help
    )

    assert forged.ticket_id is None and forged.customer_id is None  # the unmatched inbox
    assert ticket.messages.filter(direction="in").count() == 0
    assert LedgerEntry.objects.filter(verb="messages.received_unmatched").count() == 1


def test_a_contact_point_address_belongs_to_the_customer(ticket: Ticket, customer: Any) -> None:
    ContactPoint.objects.create(customer=customer, channel="email", value="boss@gmail.com")

    message = receive(
        message_id="<cp@gmail.com>", sender="boss@gmail.com", subject=f"[#{ticket.pk}]"
    )
    stranger = receive(
        message_id="<st@gmail.com>", sender="other@gmail.com", subject=f"[#{ticket.pk}]"
    )

    assert message.ticket_id == ticket.pk
    assert stranger.ticket_id is None


def test_a_new_email_from_a_known_contact_opens_a_classified_ticket_without_answering(
    customer: Any,
) -> None:
    mail.outbox.clear()

    message = receive(
        message_id="<n1@client.sa>",
        subject="Fwd: تسريب بيانات العملاء",
        body="وجدنا تسريب بيانات العملاء",
    )

    ticket = message.ticket
    assert ticket is not None and ticket.customer_id == customer.pk and ticket.channel == "email"
    assert ticket.subject == "تسريب بيانات العملاء" and ticket.priority == "P0"
    assert mail.outbox == [] and not customer.drafts.exists()  # never an acknowledgement


def test_an_unknown_sender_waits_in_the_unmatched_inbox(customer: Any) -> None:
    message = receive(message_id="<u1@nobody.sa>", sender="who@nobody.sa")

    assert message.ticket_id is None and message.customer_id is None
    assert Ticket.objects.count() == 0


def test_a_reply_that_resolution_closed_opens_a_new_ticket(ticket: Ticket, operator: Any) -> None:
    ticket_change_status(ticket_id=ticket.pk, to="resolved", actor=operator, now=timezone.now())

    message = receive(message_id="<late@client.sa>", subject=f"Re: [#{ticket.pk}] الفاتورة")

    assert message.ticket_id not in (None, ticket.pk)


def test_a_resolved_unknown_outcome_still_threads(
    ticket: Ticket, operator: Any, founder: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft = ticket_reply_draft(
        ticket_id=ticket.pk, actor=operator, now=timezone.now(), channel="email", to="ops@client.sa"
    )
    draft_approve(draft_id=draft.pk, approver=founder, now=timezone.now())

    def timeout(*args: Any, **kwargs: Any) -> int:
        raise TimeoutError("timed out after DATA")

    monkeypatch.setattr(mail.EmailMessage, "send", timeout)
    with pytest.raises(draft_delivery.SendOutcomeUnknown):
        draft_delivery.draft_send(draft_id=draft.pk, actor=founder, now=timezone.now())
    draft.refresh_from_db()
    message_id = draft.email_message_id
    assert message_id  # fixed by the claim, before anything left

    # The customer's reply arrives before anyone resolved the send: it still finds the ticket.
    early = receive(message_id="<early@client.sa>", subject="x", in_reply_to=message_id)
    draft_delivery.draft_mark_sent(
        draft_id=draft.pk, actor=founder, now=timezone.now() + SEND_SETTLE * 2, note="in Sent"
    )

    assert early.ticket_id == ticket.pk
    assert TicketMessage.objects.get(draft=draft).external_id == message_id


# ── Inbound: machines, duplicates, quotes, attachments ─────────────────────────────────────────
def test_an_auto_reply_is_recorded_but_does_not_resume_the_clock(
    ticket: Ticket, operator: Any
) -> None:
    ticket_change_status(
        ticket_id=ticket.pk, to="pending_customer", actor=operator, now=timezone.now()
    )

    message = receive(
        message_id="<ooo@client.sa>",
        subject=f"Automatic reply: [#{ticket.pk}]",
        body="I am out of office",
        headers={"Auto-Submitted": "auto-replied"},
    )

    ticket.refresh_from_db()
    assert message.ticket_id == ticket.pk and message.automatic == "auto_reply"
    assert ticket.status == "pending_customer"
    assert not ticket.sla_events.filter(event="resumed").exists()


def test_a_bounce_from_a_known_contact_opens_no_ticket_and_waits_nowhere(customer: Any) -> None:
    message = receive(message_id="<b1@client.sa>", headers={"Precedence": "bulk"})

    assert message.automatic == "bulk" and message.ticket_id is None
    assert Ticket.objects.count() == 0
    assert LedgerEntry.objects.filter(verb="messages.received_automatic").count() == 1


def test_a_customer_reply_resumes_the_clock(ticket: Ticket, operator: Any) -> None:
    ticket_change_status(
        ticket_id=ticket.pk, to="pending_customer", actor=operator, now=timezone.now()
    )

    receive(message_id="<back@client.sa>", subject=f"Re: [#{ticket.pk}]")

    ticket.refresh_from_db()
    assert ticket.status == "open"


def test_the_same_email_twice_is_one_message(ticket: Ticket) -> None:
    first = receive(message_id="<dup@client.sa>", subject=f"[#{ticket.pk}]")
    again = receive(message_id="<dup@client.sa>", subject=f"[#{ticket.pk}]")

    assert first.pk == again.pk
    assert TicketMessage.objects.filter(external_id="<dup@client.sa>").count() == 1


def test_quoted_history_is_stripped_for_display_and_kept_in_full(ticket: Ticket) -> None:
    body = "الرقم الصحيح 42\n\nOn Sun, 1 Mar 2026, Dealix <ops@dealix.sa> wrote:\n> ما الرقم؟"

    message = receive(message_id="<q@client.sa>", subject=f"[#{ticket.pk}]", body=body)

    assert message.text == "الرقم الصحيح 42"
    assert "> ما الرقم؟" in message.full_text


def test_attachments_are_listed_and_downloaded_by_staff_only(
    ticket: Ticket, operator_client: Client, client: Client, settings: Any
) -> None:
    settings.SUPPORT_EMAIL_ATTACHMENT_MAX_BYTES = 100
    message = receive(
        message_id="<att@client.sa>",
        subject=f"[#{ticket.pk}]",
        attachments=(
            ("page.html", "text/html", b"<script>alert(1)</script>"),
            ("huge.bin", "application/octet-stream", b"x" * 500),
        ),
    )
    small, huge = message.attachments.order_by("id")

    thread = operator_client.get(f"/tickets/{ticket.pk}/thread/", headers={"HX-Request": "true"})
    download = operator_client.get(f"/attachments/{small.pk}/")

    assert (small.size, small.kept, huge.size, huge.kept) == (25, True, 500, False)
    assert "page.html" in thread.text and "huge.bin" in thread.text
    assert download.status_code == 200 and download.content == b"<script>alert(1)</script>"
    assert download["Content-Type"] == "application/octet-stream"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert client.get(f"/attachments/{small.pk}/").status_code == 302  # anonymous: to the login
    assert operator_client.get(f"/attachments/{huge.pk}/").status_code == 404


def test_the_thread_api_lists_email_messages(ticket: Ticket, operator_api: Any) -> None:
    receive(
        message_id="<api@client.sa>",
        subject=f"[#{ticket.pk}]",
        at=timezone.now() - dt.timedelta(minutes=1),
    )

    response = operator_api.get(f"/api/v1/tickets/{ticket.pk}/messages/")

    assert response.status_code == 200
    assert "<api@client.sa>" in response.content.decode()
