"""Webhook deliveries: store first (deduplicated), answer at once, process after in a task.

Storing is the only work done while Meta waits for its 200: one insert, skipped when a delivery
with the same provider ids is already stored. Processing (parse, match the contact, classify,
attach to a ticket, fold statuses) runs in `tasks.process_whatsapp_delivery`, one transaction
per delivery, and is idempotent: a message or status seen before is not written twice.
The raw deliveries are a receipt log, not business changes: the ledger rows are written by
what processing does with them (a message received, a status changed).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from typing import Any

from django.db import IntegrityError, transaction

from customer_ops.domain.contacts import wa_id_to_e164
from customer_ops.domain.email_threading import parse_message_ids
from customer_ops.domain.errors import DomainError
from customer_ops.domain.messages import DeliveryStatus, MessageChannel
from customer_ops.domain.whatsapp import (
    InboundMessage,
    StatusReport,
    delivery_key,
    parse_webhook,
)
from customer_ops.models import WebhookDelivery
from customer_ops.selectors.webhooks import (
    webhook_deliveries_unprocessed,
    webhook_delivery_for_update,
)
from customer_ops.services.mail_inbound import mail_receive
from customer_ops.services.messages import message_receive, message_status_record

RETRY_AFTER = dt.timedelta(minutes=1)


def webhook_delivery_store(
    *, channel: str, body: bytes, now: dt.datetime, dedupe_key: str = ""
) -> tuple[WebhookDelivery, bool]:
    """Keep the raw body once per dedupe key (WhatsApp's provider ids unless given); returns
    (delivery, created).

    Insert first and let the unique constraint find a repeat (one statement in one transaction
    while Meta waits, instead of a look-up, a savepoint and the insert): most deliveries are new.
    """
    key = dedupe_key or delivery_key(body)
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


# ── Email through a provider (Anymail's inbound and tracking signals) ───────────────────────────
# What Anymail's tracking events mean for an outbound email's status; other events (queued,
# deferred, opened, clicked…) change nothing we show.
TRACKED_EVENTS = {
    "sent": DeliveryStatus.SENT,
    "delivered": DeliveryStatus.DELIVERED,
    "bounced": DeliveryStatus.BOUNCED,
    "rejected": DeliveryStatus.REJECTED,
    "failed": DeliveryStatus.FAILED,
    "complained": DeliveryStatus.COMPLAINED,
}


def email_inbound_payload(*, esp: str, raw: bytes) -> tuple[bytes, str]:
    """The stored body (JSON with the raw message in base64) and its dedupe key (the
    Message-ID when there is one: a provider's retry of the same email is stored once)."""
    ids = parse_message_ids(_header_value(raw, b"message-id"))
    key_source = ids[0].encode() if ids else raw
    body = {"kind": "inbound", "esp": esp, "raw": base64.b64encode(raw).decode("ascii")}
    return json.dumps(body).encode(), "in:" + hashlib.sha256(key_source).hexdigest()[:61]


def email_tracking_payload(*, esp: str, event: dict[str, Any]) -> tuple[bytes, str]:
    body = {"kind": "tracking", "esp": esp, **event}
    identity = f"{esp}|{event.get('event_id')}|{event.get('message_id')}|{event.get('event_type')}"
    return json.dumps(body).encode(), "tr:" + hashlib.sha256(identity.encode()).hexdigest()[:61]


def _header_value(raw: bytes, name: bytes) -> str:
    """One header of a raw message, read without parsing the whole of it (for the dedupe key)."""
    head = raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    for line in head.splitlines():
        key, _, value = line.partition(b":")
        if key.strip().lower() == name:
            return value.decode("utf-8", errors="replace")
    return ""


def _tracking_report(body: dict[str, Any], *, now: dt.datetime) -> StatusReport | None:
    status = TRACKED_EVENTS.get(str(body.get("event_type", "")))
    message_id = str(body.get("message_id") or "")
    if status is None or not message_id:
        return None
    try:
        at = dt.datetime.fromisoformat(str(body.get("timestamp")))
    except ValueError:
        at = None
    return StatusReport(
        external_id=message_id[:255],
        status=status,
        at=at if at is not None and at.tzinfo is not None else now,
        recipient=str(body.get("recipient") or "")[:254],
        description=" — ".join(
            str(part) for part in (body.get("description"), body.get("mta_response")) if part
        )[:300],
    )


@transaction.atomic
def email_delivery_process(*, delivery_id: int, now: dt.datetime) -> dict[str, int]:
    """Turn one stored provider delivery into a received email or a delivery status."""
    counts = {"messages": 0, "statuses": 0, "ignored": 0}
    delivery = webhook_delivery_for_update(delivery_id=delivery_id)
    if delivery is None or delivery.processed_at is not None:
        return counts
    try:
        body = json.loads(delivery.body)
        kind = body["kind"]
        raw = base64.b64decode(body["raw"], validate=True) if kind == "inbound" else b""
    except (ValueError, KeyError, TypeError) as exc:
        delivery.error = f"unreadable delivery: {exc}"[:500]
        delivery.processed_at = now
        delivery.save(update_fields=["error", "processed_at"])
        return counts
    if kind == "inbound":
        mail_receive(raw=raw, route=f"webhook:{body.get('esp', '')}"[:40], now=now)
        counts["messages"] += 1
    else:
        report = _tracking_report(body, now=now)
        if report is None:
            counts["ignored"] += 1
        elif message_status_record(channel=MessageChannel.EMAIL.value, report=report, now=now):
            counts["statuses"] += 1
    delivery.processed_at = now
    delivery.save(update_fields=["processed_at"])
    return counts


def email_deliveries_process_pending(*, now: dt.datetime) -> int:
    """Process provider deliveries whose task never ran (each in its own transaction)."""
    pending = webhook_deliveries_unprocessed(
        channel=MessageChannel.EMAIL.value, received_before=now - RETRY_AFTER
    )
    for delivery_id in pending:
        email_delivery_process(delivery_id=delivery_id, now=now)
    return len(pending)
