"""Ticket conversations, whatever the channel: directions, delivery statuses and their order.

A provider reports an outbound message's fate as a stream of statuses that may arrive twice, out
of order, or before we have recorded the send. Every report is kept (append-only history); the
message's current status only ever moves forward: `accepted → sent → delivered → read`, with
`failed` after `sent` (the provider gave up on a message it had taken).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class MessageDirection(StrEnum):
    IN = "in"
    OUT = "out"
    NOTE = "note"


class MessageChannel(StrEnum):
    WHATSAPP = "whatsapp"
    EMAIL = "email"
    INTERNAL = "internal"  # notes, and replies sent by hand through a channel the app does not hold


class DeliveryStatus(StrEnum):
    ACCEPTED = "accepted"
    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"


# A total order, so the current status is the highest report seen, whatever order they came in.
# `failed` sits above `sent` (the provider gave up after taking it) and below `delivered` (a
# message the customer's phone received did reach them, whatever a stray failure says).
_RANK = {
    DeliveryStatus.ACCEPTED: 0,
    DeliveryStatus.SENT: 1,
    DeliveryStatus.FAILED: 2,
    DeliveryStatus.DELIVERED: 3,
    DeliveryStatus.READ: 4,
}


def next_delivery_status(
    current: DeliveryStatus | None, incoming: DeliveryStatus
) -> DeliveryStatus:
    """The status a message holds after `incoming` is reported; never a step backwards."""
    if current is None or _RANK[incoming] > _RANK[current]:
        return incoming
    return current


def fold_delivery_statuses(
    current: DeliveryStatus | None, reports: Iterable[DeliveryStatus]
) -> DeliveryStatus | None:
    """Apply reports in any order; the result does not depend on the order they came in."""
    status = current
    for report in reports:
        status = next_delivery_status(status, report)
    return status


def thread_subject(text: str, *, fallback: str) -> str:
    """A ticket subject from the first line of a customer's message (at most 80 characters)."""
    for line in text.splitlines():
        if line.strip():
            line = " ".join(line.split())
            return line if len(line) <= 80 else line[:79] + "…"
    return fallback
