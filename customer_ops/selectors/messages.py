"""Reads of ticket conversations: threads, the unmatched inbox, and what WhatsApp rules need."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, Prefetch, Q, QuerySet

from customer_ops.domain.email_threading import parse_message_ids
from customer_ops.domain.messages import DeliveryStatus, MessageChannel, MessageDirection
from customer_ops.models import (
    MailboxCursor,
    MessageAttachment,
    MessageStatusEvent,
    OutboundDraft,
    Ticket,
    TicketMessage,
)


def ticket_thread(*, ticket_id: int) -> QuerySet[TicketMessage]:
    """The ticket's messages, oldest first, with who wrote them and the draft that carried them."""
    listed = MessageAttachment.objects.defer("content").order_by("id")
    return (
        TicketMessage.objects.filter(ticket_id=ticket_id)
        .select_related("author", "draft")
        .prefetch_related(Prefetch("attachments", queryset=listed))
        .order_by("at", "id")
    )


def ticket_last_message_id(*, ticket_id: int) -> int:
    """The newest message id of a thread (0 when empty): the console polls for a change of it."""
    return TicketMessage.objects.filter(ticket_id=ticket_id).aggregate(m=Max("id"))["m"] or 0


def unmatched_messages() -> QuerySet[TicketMessage]:
    """Customer messages from nobody we know, oldest first, waiting for an operator.

    Machines' mail (auto-replies, bounces) is recorded but never waits here: assigning it would
    open a ticket, which an automatic message never does.
    """
    return TicketMessage.objects.filter(
        direction=MessageDirection.IN, customer__isnull=True, automatic=""
    ).order_by("at", "id")


def inbound_message_latest_id() -> int:
    """The newest customer message id anywhere (0 when none): the queue polls for a change of it."""
    return (
        TicketMessage.objects.filter(direction=MessageDirection.IN).aggregate(m=Max("id"))["m"] or 0
    )


def message_by_external_id(*, channel: str, external_id: str) -> TicketMessage | None:
    return (
        TicketMessage.objects.select_for_update()
        .filter(channel=channel, external_id=external_id)
        .first()
    )


def message_by_status_key(*, channel: str, key: str) -> TicketMessage | None:
    """The message a provider's status report names: by our id, or the provider's own id."""
    return (
        TicketMessage.objects.select_for_update()
        .filter(Q(external_id=key) | Q(provider_id=key), channel=channel)
        .order_by("id")
        .first()
    )


def message_status_reports(*, channel: str, external_id: str) -> list[DeliveryStatus]:
    """Every status reported for a provider id, kept even before its message was recorded."""
    return [
        DeliveryStatus(status)
        for status in MessageStatusEvent.objects.filter(
            channel=channel, external_id=external_id
        ).values_list("status", flat=True)
    ]


def message_status_history(*, message_id: int) -> QuerySet[MessageStatusEvent]:
    return MessageStatusEvent.objects.filter(message_id=message_id).order_by("at", "id")


def last_inbound_at(*, channel: str, sender: str) -> dt.datetime | None:
    """When this number or address last wrote to us (the 24-hour window counts from it)."""
    last: dt.datetime | None = TicketMessage.objects.filter(
        channel=channel, direction=MessageDirection.IN, sender=sender
    ).aggregate(last=Max("at"))["last"]
    return last


# ── Email threading ─────────────────────────────────────────────────────────────────────────────
def email_ticket_by_message_id(*, message_id: str) -> Ticket | None:
    """The ticket an email Message-ID belongs to: a message on its thread, or a draft's own id
    (a send claimed but never recorded — a founder may still be resolving it — threads too)."""
    message = (
        TicketMessage.objects.select_related("ticket")
        .filter(channel=MessageChannel.EMAIL, external_id=message_id, ticket__isnull=False)
        .first()
    )
    if message is not None:
        return message.ticket
    draft = (
        OutboundDraft.objects.select_related("ticket")
        .filter(email_message_id=message_id, ticket__isnull=False)
        .first()
    )
    return draft.ticket if draft is not None else None


def ticket_by_id(*, ticket_id: int) -> Ticket | None:
    return Ticket.objects.filter(pk=ticket_id).first()


def email_thread_ids(*, ticket_id: int) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """What a reply on this ticket threads by: the customer's last email Message-ID, that email's
    References, and every Message-ID we sent (or claimed) on the ticket, oldest first."""
    last_in = (
        TicketMessage.objects.filter(
            ticket_id=ticket_id, channel=MessageChannel.EMAIL, direction=MessageDirection.IN
        )
        .exclude(external_id__startswith="sha256:")
        .order_by("-at", "-id")
        .first()
    )
    ours = list(
        OutboundDraft.objects.filter(ticket_id=ticket_id)
        .exclude(email_message_id="")
        .order_by("created_at", "id")
        .values_list("email_message_id", flat=True)
    )
    if last_in is None:
        return "", (), tuple(ours)
    return last_in.external_id, parse_message_ids(last_in.references), tuple(ours)


def attachment_for_download(*, attachment_id: int) -> MessageAttachment | None:
    return MessageAttachment.objects.filter(pk=attachment_id, content__isnull=False).first()


def mailbox_cursor(*, mailbox: str) -> tuple[int, int]:
    """(UIDVALIDITY, last UID stored) of a mailbox; (0, 0) before its first poll."""
    cursor = MailboxCursor.objects.filter(mailbox=mailbox).first()
    return (cursor.uidvalidity, cursor.last_uid) if cursor is not None else (0, 0)
