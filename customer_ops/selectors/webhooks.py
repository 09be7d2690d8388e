"""Reads of stored webhook deliveries."""

from __future__ import annotations

import datetime as dt

from customer_ops.models import WebhookDelivery


def webhook_delivery_for_update(*, delivery_id: int) -> WebhookDelivery | None:
    return WebhookDelivery.objects.select_for_update().filter(pk=delivery_id).first()


def webhook_deliveries_unprocessed(*, channel: str, received_before: dt.datetime) -> list[int]:
    """Deliveries stored but never processed (a worker died, an enqueue was lost), oldest first."""
    return list(
        WebhookDelivery.objects.filter(
            channel=channel, processed_at__isnull=True, received_at__lt=received_before
        )
        .order_by("received_at", "id")
        .values_list("pk", flat=True)[:500]
    )
