"""Inbound email, whatever route brought it (the IMAP mailbox, a provider's webhook).

`mail_receive` is the one way an email enters: it stores the message once per Message-ID, finds
its ticket (`In-Reply-To`, then `References`, then the `[#<ticket>]` tag — each only when the
sender belongs to that ticket's customer, domain/email_threading.py), else opens a new
auto-classified ticket for a known sender, else leaves it in the unmatched inbox. Machines' mail
(auto-replies, bounces, lists) is recorded on the thread it names but never resumes a paused
clock and never opens a ticket. Nothing is ever sent in answer: the first response goes through
approval like every other draft.

`mailbox_poll` reads the IMAP mailbox: the fetch happens outside any transaction; each message is
then stored in its own transaction together with the mailbox's UID high-water mark, so a crash
before a commit leaves the message unread by us and the next poll fetches it again.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction

from customer_ops.channels.imap_mailbox import ImapConfig, fetch_new
from customer_ops.domain.email_inbound import InboundEmail, parse_email
from customer_ops.domain.email_threading import (
    bare_subject,
    sender_belongs,
    thread_lookup,
)
from customer_ops.domain.ledger import LedgerVerb
from customer_ops.domain.messages import MessageChannel, MessageDirection
from customer_ops.models import Customer, MessageAttachment, Ticket, TicketMessage
from customer_ops.models.tickets import TicketChannel
from customer_ops.selectors.contacts import customer_email_addresses, customer_for_contact
from customer_ops.selectors.locks import OPEN_TICKET_STATUSES, mailbox_cursor_for_update
from customer_ops.selectors.messages import (
    email_ticket_by_message_id,
    mailbox_cursor,
    message_by_external_id,
    ticket_by_id,
)
from customer_ops.services.ledger import ledger_record
from customer_ops.services.search import search_index_messages
from customer_ops.services.tickets import ticket_create, ticket_on_customer_message

_FALLBACK_SUBJECT = "رسالة بريد"


def _owned(ticket: Ticket | None, sender: str) -> Ticket | None:
    if ticket is None:
        return None
    addresses = customer_email_addresses(customer_id=ticket.customer_id)
    return ticket if sender_belongs(sender, addresses) else None


def _thread_ticket(email: InboundEmail) -> tuple[Ticket | None, str]:
    """The ticket this email answers, and how it was found ("" when none)."""
    lookup = thread_lookup(
        in_reply_to=email.in_reply_to, references=email.references, subject=email.subject
    )
    for message_id in lookup.message_ids:
        ticket = _owned(email_ticket_by_message_id(message_id=message_id), email.sender)
        if ticket is not None:
            return ticket, "in_reply_to" if message_id == email.in_reply_to else "references"
    if lookup.ticket_tag is not None:
        ticket = _owned(ticket_by_id(ticket_id=lookup.ticket_tag), email.sender)
        if ticket is not None:
            return ticket, "subject_tag"
    return None, ""


def _label(email: InboundEmail) -> str:
    return f"email:{email.sender}"[:100]


def _place(
    message: TicketMessage, email: InboundEmail, *, now: dt.datetime
) -> tuple[Ticket | None, Customer | None, str]:
    """Put the message on its ticket, a new one, or nowhere; returns (ticket, customer, how)."""
    ticket, found_by = _thread_ticket(email)
    reading = email.reply or f"[{message.kind}]"
    customer: Customer | None
    if ticket is not None:
        if email.automatic is not None:
            return ticket, ticket.customer, found_by  # on the thread, and nothing more
        if ticket.status in OPEN_TICKET_STATUSES:
            ticket = ticket_on_customer_message(
                ticket_id=ticket.pk, text=reading, now=now, actor_label=_label(email)
            )
            return ticket, ticket.customer, found_by
        customer = ticket.customer  # an answer to a closed ticket opens a new one for them
    else:
        customer = customer_for_contact(channel=MessageChannel.EMAIL, value=email.sender)
    if customer is None or email.automatic is not None:
        return None, customer, ""
    ticket = ticket_create(
        customer_id=customer.pk,
        subject=bare_subject(email.subject) or _FALLBACK_SUBJECT,
        body=reading,
        channel=TicketChannel.EMAIL.value,
        actor=None,
        actor_label=_label(email),
        now=message.at,
    )
    return ticket, customer, "new_ticket"


@transaction.atomic
def mail_receive(*, raw: bytes, route: str, now: dt.datetime) -> TicketMessage:
    """Store one inbound email (once per Message-ID) and put it where it belongs."""
    email = parse_email(raw, max_attachment_bytes=settings.SUPPORT_EMAIL_ATTACHMENT_MAX_BYTES)
    channel = MessageChannel.EMAIL.value
    existing = message_by_external_id(channel=channel, external_id=email.message_id)
    if existing is not None:
        return existing
    message = TicketMessage(
        direction=MessageDirection.IN.value,
        channel=channel,
        external_id=email.message_id,
        sender=email.sender,
        sender_name=email.sender_name,
        kind="email",
        subject=email.subject,
        text=email.reply,
        full_text=email.text,
        in_reply_to=email.in_reply_to,
        references=" ".join(email.references),
        automatic=email.automatic.value if email.automatic is not None else "",
        # A sender's clock can run ahead of ours; nothing is received in the future.
        at=min(email.sent_at or now, now),
    )
    ticket, customer, found_by = _place(message, email, now=now)
    message.ticket = ticket
    message.customer = customer
    message.save()
    search_index_messages([message])  # an email is found by the one search like any message
    MessageAttachment.objects.bulk_create(
        MessageAttachment(
            message=message,
            name=item.name,
            content_type=item.content_type,
            size=item.size,
            content=item.content,
            kept=item.content is not None,
        )
        for item in email.attachments
    )
    if email.automatic is not None:
        verb = LedgerVerb.MESSAGES_RECEIVED_AUTOMATIC
    elif customer is None:
        verb = LedgerVerb.MESSAGES_RECEIVED_UNMATCHED
    else:
        verb = LedgerVerb.MESSAGES_RECEIVED
    ledger_record(
        verb=verb,
        obj=message,
        actor_label=_label(email),
        customer_id=customer.pk if customer is not None else None,
        at=now,
        after={
            "channel": channel,
            "route": route,
            "external_id": email.message_id,
            "ticket_id": ticket.pk if ticket is not None else None,
            "threaded_by": found_by,
            "automatic": message.automatic,
            "attachments": len(email.attachments),
        },
    )
    return message


# ── The IMAP route ──────────────────────────────────────────────────────────────────────────────
@transaction.atomic
def mailbox_reset(*, mailbox: str, uidvalidity: int, now: dt.datetime) -> None:
    """The server renumbered the mailbox (a new UIDVALIDITY): read it again from the start.

    Messages already stored are recognised by their Message-ID and stay one message each.
    """
    cursor = mailbox_cursor_for_update(mailbox=mailbox)
    before = {"uidvalidity": cursor.uidvalidity, "last_uid": cursor.last_uid}
    cursor.uidvalidity, cursor.last_uid = uidvalidity, 0
    cursor.save(update_fields=["uidvalidity", "last_uid", "updated_at"])
    if not before["uidvalidity"]:
        return  # the first poll: nothing was read before, nothing to tell
    ledger_record(
        verb=LedgerVerb.MAILBOX_RESET,
        obj=cursor,
        actor_label="email:imap",
        at=now,
        before=before,
        after={"uidvalidity": uidvalidity, "last_uid": 0},
    )


@transaction.atomic
def mailbox_message_store(
    *, mailbox: str, uidvalidity: int, uid: int, raw: bytes, now: dt.datetime
) -> TicketMessage | None:
    """Store one fetched message and move the mailbox's mark past it, in one transaction.

    None when the mark is already past it (another poller stored it first).
    """
    cursor = mailbox_cursor_for_update(mailbox=mailbox)
    if cursor.uidvalidity == uidvalidity and uid <= cursor.last_uid:
        return None
    message = mail_receive(raw=raw, route="imap", now=now)
    cursor.uidvalidity, cursor.last_uid = uidvalidity, uid
    cursor.save(update_fields=["uidvalidity", "last_uid", "updated_at"])
    return message


def mailbox_poll(*, config: ImapConfig, now: dt.datetime, limit: int = 100) -> int:
    """Fetch what arrived since the last poll and store each message; returns how many stored.

    Not inside a transaction: the IMAP conversation happens first, then one transaction per
    message. An error on one message stops the poll there (the mark stays before it) and is
    raised, so the worker records the failure and the next poll starts from that message.
    """
    known_validity, last_uid = mailbox_cursor(mailbox=config.key)
    batch = fetch_new(config, uidvalidity=known_validity, after_uid=last_uid, limit=limit)
    if batch.uidvalidity != known_validity:
        mailbox_reset(mailbox=config.key, uidvalidity=batch.uidvalidity, now=now)
    stored = 0
    for item in batch.messages:
        message = mailbox_message_store(
            mailbox=config.key, uidvalidity=batch.uidvalidity, uid=item.uid, raw=item.raw, now=now
        )
        stored += message is not None
    return stored
