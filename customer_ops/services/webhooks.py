"""Webhook deliveries: store first (deduplicated), answer at once, process after in a task.

Storing is the only work done while Meta waits for its 200: one insert, skipped when a delivery
with the same provider ids is already stored. Processing (parse, match the contact, classify,
attach to a ticket, fold statuses) runs in `tasks.process_whatsapp_delivery`, one transaction
per delivery, and is idempotent: a message or status seen before is not written twice.
The raw deliveries are a receipt log, not business changes: the ledger rows are written by
what processing does with them (a message received, a status changed).
"""

from __future__ import annotations

import datetime as dt
import json

from django.db import IntegrityError, transaction

from customer_ops.domain.contacts import wa_id_to_e164
from customer_ops.domain.errors import DomainError
from customer_ops.domain.messages import MessageChannel
from customer_ops.domain.whatsapp import InboundMessage, delivery_key, parse_webhook
from customer_ops.models import WebhookDelivery
from customer_ops.selectors.webhooks import (
    webhook_deliveries_unprocessed,
    webhook_delivery_for_update,
)
from customer_ops.services.messages import message_receive, message_status_record

RETRY_AFTER = dt.timedelta(minutes=1)


def webhook_delivery_store(
    *, channel: str, body: bytes, now: dt.datetime
) -> tuple[WebhookDelivery, bool]:
    """Keep the raw body once per dedupe key; returns (delivery, created).

    Insert first and let the unique constraint find a repeat (one statement in one transaction
    while Meta waits, instead of a look-up, a savepoint and the insert): most deliveries are new.
    """
    key = delivery_key(body)
    try:
        with transaction.atomic():
            delivery = WebhookDelivery.objects.create(
                channel=channel,
                dedupe_key=key,
                body=body.decode("utf-8", errors="replace"),
                received_at=now,
            )
    except IntegrityError:  # a repeat: stored before, or by a concurrent request a moment ago
        return WebhookDelivery.objects.get(channel=channel, dedupe_key=key), False
    return delivery, True


def _sender(message: InboundMessage) -> str:
    try:
        return wa_id_to_e164(message.wa_id)
    except DomainError:  # a username-only contact or an odd id: keep it as sent, unmatched
        return message.wa_id[:254]


@transaction.atomic
def whatsapp_delivery_process(*, delivery_id: int, now: dt.datetime) -> dict[str, int]:
    """Turn one stored delivery into messages and statuses (idempotent; repeats are skipped)."""
    counts = {"messages": 0, "statuses": 0, "repeats": 0}
    delivery = webhook_delivery_for_update(delivery_id=delivery_id)
    if delivery is None or delivery.processed_at is not None:
        return counts
    try:
        envelope = parse_webhook(json.loads(delivery.body))
    except ValueError as exc:
        delivery.error = f"unreadable delivery: {exc}"[:500]
        delivery.processed_at = now
        delivery.save(update_fields=["error", "processed_at"])
        return counts
    channel = MessageChannel.WHATSAPP.value
    for message in envelope.messages:
        try:
            message_receive(
                channel=channel,
                external_id=message.external_id,
                sender=_sender(message),
                sender_name=message.sender_name,
                kind=message.kind,
                text=message.text,
                media=message.media,
                at=message.at,
                now=now,
            )
        except IntegrityError:  # received by a concurrent worker between our look and our insert
            counts["repeats"] += 1
            continue
        counts["messages"] += 1
    for report in envelope.statuses:
        try:
            event = message_status_record(channel=channel, report=report, now=now)
        except IntegrityError:
            event = None
        counts["statuses" if event is not None else "repeats"] += 1
    delivery.processed_at = now
    delivery.save(update_fields=["processed_at"])
    return counts


def whatsapp_deliveries_process_pending(*, now: dt.datetime) -> int:
    """Process deliveries whose task never ran (each in its own transaction); returns how many."""
    pending = webhook_deliveries_unprocessed(
        channel=MessageChannel.WHATSAPP.value, received_before=now - RETRY_AFTER
    )
    for delivery_id in pending:
        whatsapp_delivery_process(delivery_id=delivery_id, now=now)
    return len(pending)
