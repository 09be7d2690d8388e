"""Resolving a customer progress link."""

from __future__ import annotations

import datetime as dt

from customer_ops.domain.links import token_hash
from customer_ops.models import Customer, ProgressLink


def customer_for_progress_token(*, token: str, now: dt.datetime) -> Customer | None:
    """The customer behind a live link; None for unknown, expired and revoked alike."""
    link = (
        ProgressLink.objects.select_related("customer")
        .filter(token_hash=token_hash(token), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    return link.customer if link else None


def live_progress_link(*, customer_id: int, now: dt.datetime) -> ProgressLink | None:
    """The customer's current link, if any (its token cannot be shown again, only its expiry)."""
    return (
        ProgressLink.objects.filter(
            customer_id=customer_id, revoked_at__isnull=True, expires_at__gt=now
        )
        .order_by("-created_at")
        .first()
    )
