"""Reads of ticket conversations: threads, the unmatched inbox, and what WhatsApp rules need."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, QuerySet

from customer_ops.domain.messages import DeliveryStatus, MessageDirection
from customer_ops.models import MessageStatusEvent, TicketMessage


def ticket_thread(*, ticket_id: int) -> QuerySet[TicketMessage]:
    """The ticket's messages, oldest first, with who wrote them and the draft that carried them."""
    return (
        TicketMessage.objects.filter(ticket_id=ticket_id)
        .select_related("author", "draft")
        .order_by("at", "id")
    )


def ticket_last_message_id(*, ticket_id: int) -> int:
    """The newest message id of a thread (0 when empty): the console polls for a change of it."""
    return TicketMessage.objects.filter(ticket_id=ticket_id).aggregate(m=Max("id"))["m"] or 0


def unmatched_messages() -> QuerySet[TicketMessage]:
    """Customer messages from nobody we know, oldest first, waiting for an operator."""
    return TicketMessage.objects.filter(
        direction=MessageDirection.IN, customer__isnull=True
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
