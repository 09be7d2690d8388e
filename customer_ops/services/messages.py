"""Writes for ticket conversations: customer messages in, our replies out, notes, statuses.

Rules:
- a provider's message id is its idempotency key: receiving it again returns the stored message;
- a customer message from a known number or address joins that customer's open ticket on the
  channel, or opens a new ticket classified like any other (raise-only on later messages, and a
  reply on a ticket waiting on the customer resumes its clocks: `ticket_on_customer_message`);
  from an unknown one it waits, unassigned, for an operator (`message_assign`) — nothing is
  dropped and nothing is ever answered automatically;
- an outbound message is recorded when its approved draft is sent, in the same transaction;
- every reported delivery status is kept (even before its message is recorded), and the
  message's status only moves forward (domain/messages.py).
Every write is in the Action Ledger.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import partial

from django.db import transaction

from customer_ops.domain.email_threading import tagged_subject
from customer_ops.domain.errors import RuleRefused
from customer_ops.domain.ledger import LedgerVerb
from customer_ops.domain.messages import (
    UNDELIVERED,
    DeliveryStatus,
    MessageChannel,
    MessageDirection,
    fold_delivery_statuses,
    next_delivery_status,
    thread_subject,
)
from customer_ops.domain.notifications import NotificationTarget
from customer_ops.domain.whatsapp import StatusReport
from customer_ops.models import (
    ContactPoint,
    Customer,
    MessageStatusEvent,
    OutboundDraft,
    Ticket,
    TicketMessage,
)
from customer_ops.models.tickets import TicketChannel
from customer_ops.roles import SignedInUser
from customer_ops.selectors.contacts import customer_for_contact
from customer_ops.selectors.customers import customer_referenced
from customer_ops.selectors.locks import (
    draft_for_update,
    message_for_update,
    open_ticket_for_contact,
    ticket_for_update,
)
from customer_ops.selectors.messages import (
    message_by_external_id,
    message_by_status_key,
    message_status_reports,
    unmatched_messages,
)
from customer_ops.services.ledger import ledger_record
from customer_ops.services.notifications import founder_users, notify
from customer_ops.services.search import search_index_customer, search_index_messages
from customer_ops.services.tickets import (
    ticket_create,
    ticket_on_customer_message,
)

_TICKET_CHANNEL = {
    MessageChannel.WHATSAPP: TicketChannel.WHATSAPP,
    MessageChannel.EMAIL: TicketChannel.EMAIL,
}
_FALLBACK_SUBJECT = {
    MessageChannel.WHATSAPP: "رسالة واتساب",
    MessageChannel.EMAIL: "رسالة بريد",
}


def _label(message: TicketMessage) -> str:
    return f"{message.channel}:{message.sender}"[:100]


def _attach(message: TicketMessage, customer: Customer, *, now: dt.datetime) -> Ticket:
    """Put a customer's message on their open ticket on its channel, or on a new ticket."""
    channel = MessageChannel(message.channel)
    ticket = open_ticket_for_contact(
        customer_id=customer.pk, channel=_TICKET_CHANNEL[channel].value
    )
    reading = message.text or f"[{message.kind}]"
    if ticket is None:
        ticket = ticket_create(
            customer_id=customer.pk,
            subject=thread_subject(message.text, fallback=_FALLBACK_SUBJECT[channel]),
            body=reading,
            channel=_TICKET_CHANNEL[channel].value,
            actor=None,
            actor_label=_label(message),
            now=message.at,
        )
    else:
        ticket = ticket_on_customer_message(
            ticket_id=ticket.pk, text=reading, now=now, actor_label=_label(message)
        )
    message.ticket = ticket
    message.customer = customer
    return ticket


@transaction.atomic
def message_receive(
    *,
    channel: str,
    external_id: str,
    sender: str,
    sender_name: str,
    kind: str,
    text: str,
    at: dt.datetime,
    now: dt.datetime,
    media: Mapping[str, str] | None = None,
) -> TicketMessage:
    """Store one customer message (once per provider id) and put it on a ticket or the inbox."""
    existing = message_by_external_id(channel=channel, external_id=external_id)
    if existing is not None:
        return existing
    message = TicketMessage(
        direction=MessageDirection.IN.value,
        channel=MessageChannel(channel).value,
        external_id=external_id[:255],
        sender=sender[:254],
        sender_name=sender_name[:200],
        kind=kind[:20] or "text",
        text=text,
        media=dict(media or {}),
        # A provider's clock can run ahead of ours; nothing is received in the future.
        at=min(at, now),
    )
    customer = customer_for_contact(channel=channel, value=sender)
    ticket = _attach(message, customer, now=now) if customer is not None else None
    message.save()
    search_index_messages([message])
    ledger_record(
        verb=LedgerVerb.MESSAGES_RECEIVED
        if ticket is not None
        else LedgerVerb.MESSAGES_RECEIVED_UNMATCHED,
        obj=message,
        actor_label=_label(message),
        customer_id=customer.pk if customer is not None else None,
        at=now,
        after={
            "channel": channel,
            "external_id": external_id,
            "kind": message.kind,
            "ticket_id": ticket.pk if ticket is not None else None,
        },
    )
    return message


@transaction.atomic
def message_assign(
    *, message_id: int, customer_id: int, actor: SignedInUser, now: dt.datetime
) -> TicketMessage:
    """An operator says whose unmatched message this is: it (and the others waiting from the same
    sender, oldest first) joins that customer's open ticket or opens one, and the sender's number
    or address becomes a contact point of theirs (without an opt-in: that is recorded apart)."""
    message = message_for_update(message_id=message_id)
    if message.direction != MessageDirection.IN or message.customer_id is not None:
        raise RuleRefused(
            "this message is already on a ticket",
            field="message",
            message_ar="هذه الرسالة مرتبطة بتذكرة بالفعل",
        )
    customer = customer_referenced(customer_id)
    owner = ContactPoint.objects.filter(channel=message.channel, value=message.sender).first()
    if owner is not None and owner.customer_id != customer.pk:
        raise RuleRefused(
            f"{message.sender} belongs to another customer",
            field="customer",
            message_ar=f"المرسل {message.sender} يخص عميلاً آخر",
        )
    if owner is None and message.sender and message.channel in _TICKET_CHANNEL:
        ContactPoint.objects.create(
            customer=customer, channel=message.channel, value=message.sender
        )
        search_index_customer(customer)
    waiting = list(
        unmatched_messages()
        .select_for_update()
        .filter(channel=message.channel, sender=message.sender)
        .exclude(pk=message.pk)
    )
    for item in sorted([message, *waiting], key=lambda m: (m.at, m.pk)):
        ticket = _attach(item, customer, now=now)
        item.save(update_fields=["ticket", "customer", "updated_at"])
        search_index_messages([item])
        ledger_record(
            verb=LedgerVerb.MESSAGES_ASSIGNED,
            obj=item,
            actor=actor,
            at=now,
            before={"customer_id": None},
            after={"customer_id": customer.pk, "ticket_id": ticket.pk},
        )
    message.refresh_from_db()
    return message


@transaction.atomic
def message_note_add(
    *, ticket_id: int, text: str, actor: SignedInUser, now: dt.datetime
) -> TicketMessage:
    """An internal note on the thread: staff only, never sent to the customer."""
    ticket = ticket_for_update(ticket_id=ticket_id)
    if not text.strip():
        raise RuleRefused("a note needs text", field="text", message_ar="الملاحظة تحتاج إلى نص")
    note = TicketMessage.objects.create(
        ticket=ticket,
        customer_id=ticket.customer_id,
        direction=MessageDirection.NOTE.value,
        channel=MessageChannel.INTERNAL.value,
        sender=actor.get_username(),
        author=actor,
        text=text.strip(),
        at=now,
    )
    search_index_messages([note])
    ledger_record(
        verb=LedgerVerb.MESSAGES_NOTE_ADDED,
        obj=note,
        actor=actor,
        at=now,
        after={"ticket_id": ticket.pk, "length": len(note.text)},
    )
    return note


@transaction.atomic
def message_record_outbound(
    *,
    draft: OutboundDraft,
    channel: str,
    actor: SignedInUser | None,
    now: dt.datetime,
    external_id: str = "",
    provider_id: str = "",
) -> TicketMessage | None:
    """The reply a sent draft carried, on its ticket's thread (called as the draft becomes sent).

    With a provider id (`wamid…`, an email's Message-ID) it starts `accepted`, and every status
    the provider reported for it before we got here is folded in now (an email provider reports
    by its own id, `provider_id`, when it has one). Drafts that answer no ticket are recorded too
    when they carry a provider id, so their statuses have somewhere to land.
    """
    draft_for_update(draft_id=draft.pk)  # one outbound message per draft, however many callers
    ticket = draft.ticket if draft.ticket_id is not None else None
    if ticket is None and not external_id:
        return None
    existing = TicketMessage.objects.filter(draft=draft).first()
    if existing is not None:
        return existing
    message = TicketMessage(
        ticket=ticket,
        customer_id=draft.customer_id,
        direction=MessageDirection.OUT.value,
        channel=channel,
        external_id=external_id,
        sender=actor.get_username() if actor is not None else "",
        author=actor if actor is not None and actor.is_authenticated else None,
        text=draft.body,
        at=draft.sent_at or now,
        draft=draft,
        provider_id=provider_id,
    )
    if channel == MessageChannel.EMAIL and external_id:
        message.subject = (
            tagged_subject(draft.subject, ticket_id=ticket.pk) if ticket else draft.subject
        )[:300]
        message.full_text = draft.body
    status_key = provider_id or external_id
    if status_key:
        reports = message_status_reports(channel=channel, external_id=status_key)
        message.delivery_status = (
            fold_delivery_statuses(DeliveryStatus.ACCEPTED, reports) or DeliveryStatus.ACCEPTED
        ).value
    message.save()
    search_index_messages([message])
    if status_key:
        early = MessageStatusEvent.objects.filter(
            channel=channel, external_id=status_key, message__isnull=True
        )
        failure = early.filter(status=message.delivery_status).first()
        if failure is not None and message.delivery_status in UNDELIVERED:
            message.delivery_error = failure.error_text
            message.save(update_fields=["delivery_error", "updated_at"])
        early.update(message=message)
    ledger_record(
        verb=LedgerVerb.MESSAGES_SENT,
        obj=message,
        actor=actor,
        at=now,
        after={
            "draft_id": draft.pk,
            "ticket_id": ticket.pk if ticket is not None else None,
            "channel": channel,
            "external_id": external_id,
            "provider_id": provider_id,
            "delivery_status": message.delivery_status,
        },
    )
    return message


def _notify_bounce(*, message_id: int, ticket_id: int, now: dt.datetime) -> None:
    """After the commit: the ticket's owner learns the customer never got our email."""
    ticket = Ticket.objects.select_related("assignee").get(pk=ticket_id)
    recipients = [ticket.assignee] if ticket.assignee is not None else founder_users()
    notify(
        recipients=recipients,
        kind="email_bounced",
        title=f"ارتدّ بريد التذكرة #{ticket.pk}",
        body=f"لم يصل ردّنا إلى العميل (الرسالة {message_id}): راجع العنوان وأرسل من جديد.",
        now=now,
        target=NotificationTarget.ticket(ticket.pk),
    )


@transaction.atomic
def message_status_record(
    *, channel: str, report: StatusReport, now: dt.datetime
) -> MessageStatusEvent | None:
    """Keep one reported status (None for a repeat) and move its message forward if it exists.

    A `failed` report carries the provider's code and reason; on a reply it also shows on the
    draft (`send_error`), since WhatsApp often refuses a message after the send call accepted it.
    An email that bounced tells the ticket's owner (or the founders, when nobody owns it).
    """
    if MessageStatusEvent.objects.filter(
        channel=channel, external_id=report.external_id, status=report.status
    ).exists():
        return None
    message = message_by_status_key(channel=channel, key=report.external_id)
    error = report.errors[0] if report.errors else None
    event = MessageStatusEvent.objects.create(
        channel=channel,
        external_id=report.external_id,
        message=message,
        status=report.status.value,
        at=report.at,
        error_code=error.code if error is not None else None,
        error_kind=error.kind.value if error is not None else "",
        error_text=error.describe() if error is not None else report.description[:300],
        recorded_at=now,
    )
    if message is None:
        ledger_record(
            verb=LedgerVerb.MESSAGES_STATUS_BEFORE_SEND,
            obj=event,
            actor_label=f"{channel}:status",
            at=now,
            after={"external_id": report.external_id, "status": report.status},
        )
        return event
    previous = DeliveryStatus(message.delivery_status) if message.delivery_status else None
    current = next_delivery_status(previous, report.status)
    if current is not previous:
        message.delivery_status = current.value
        fields = ["delivery_status", "updated_at"]
        if current in UNDELIVERED:
            message.delivery_error = event.error_text
            fields.append("delivery_error")
        message.save(update_fields=fields)
        if current is DeliveryStatus.BOUNCED and message.ticket_id is not None:
            transaction.on_commit(
                partial(_notify_bounce, message_id=message.pk, ticket_id=message.ticket_id, now=now)
            )
    if report.status is DeliveryStatus.FAILED and message.draft_id is not None:
        draft = draft_for_update(draft_id=message.draft_id)
        draft.send_error = event.error_text or "failed"
        draft.save(update_fields=["send_error", "updated_at"])
    ledger_record(
        verb=LedgerVerb.MESSAGES_STATUS_CHANGED,
        obj=message,
        actor_label=f"{channel}:status",
        at=now,
        before={"delivery_status": previous.value if previous else ""},
        after={
            "delivery_status": current.value,
            "reported": report.status.value,
            "error_code": event.error_code,
            "error_kind": event.error_kind,
        },
        note=event.error_text,
    )
    return event
