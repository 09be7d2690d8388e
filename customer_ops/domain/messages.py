"""Ticket conversations, whatever the channel: directions, delivery statuses and their order.

A provider reports an outbound message's fate as a stream of statuses that may arrive twice, out
of order, or before we have recorded the send. Every report is kept (append-only history); the
message's current status only ever moves forward: `accepted → sent → delivered → read`, with
`failed`, `rejected` and `bounced` after `sent` (the provider, or the recipient's mail server,
gave up on a message it had taken) and `complained` last (the recipient marked a delivered email
as spam).
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
    REJECTED = "rejected"
    BOUNCED = "bounced"
    COMPLAINED = "complained"


# A total order, so the current status is the highest report seen, whatever order they came in.
# `failed` sits above `sent` (the provider gave up after taking it) and below `delivered` (a
# message the customer's phone received did reach them, whatever a stray failure says).
# Email adds `rejected` (the provider refused it) and `bounced` (the recipient's server did) in the
# same place, and `complained` above everything: a spam report is the last word on a delivery.
_RANK = {
    DeliveryStatus.ACCEPTED: 0,
    DeliveryStatus.SENT: 1,
    DeliveryStatus.FAILED: 2,
    DeliveryStatus.REJECTED: 3,
    DeliveryStatus.BOUNCED: 4,
    DeliveryStatus.DELIVERED: 5,
    DeliveryStatus.READ: 6,
    DeliveryStatus.COMPLAINED: 7,
}
# The statuses that mean the customer did not get the message: shown as an error on the thread.
UNDELIVERED = frozenset({DeliveryStatus.FAILED, DeliveryStatus.REJECTED, DeliveryStatus.BOUNCED})


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
