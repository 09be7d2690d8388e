"""Customer progress links: an unguessable token, stored only as a hash, expiring and revocable."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from customer_ops.domain.ledger import LedgerVerb
from customer_ops.domain.links import new_token, token_hash
from customer_ops.models import ProgressLink
from customer_ops.roles import SignedInUser
from customer_ops.selectors.locks import customer_for_update
from customer_ops.services.ledger import ledger_record


@dataclass(frozen=True, slots=True)
class IssuedLink:
    link: ProgressLink
    url: str
    """Shown once, to the operator who created it."""


@transaction.atomic
def progress_link_create(
    *, customer_id: int, actor: SignedInUser, now: dt.datetime, days: int | None = None
) -> IssuedLink:
    """Issue a new link for the customer; any earlier live link is revoked (one link at a time)."""
    customer_for_update(customer_id=customer_id)
    _revoke_live(customer_id=customer_id, actor=actor, now=now)
    token = new_token()
    link = ProgressLink.objects.create(
        customer_id=customer_id,
        token_hash=token_hash(token),
        created_by=actor,
        created_at=now,
        expires_at=now + dt.timedelta(days=days or settings.PROGRESS_LINK_DAYS),
    )
    ledger_record(
        verb=LedgerVerb.LINKS_CREATED,
        obj=link,
        actor=actor,
        at=now,
        after={"expires_at": link.expires_at},
    )
    path = reverse("customer-progress", kwargs={"token": token})
    return IssuedLink(link=link, url=settings.PUBLIC_BASE_URL.rstrip("/") + path)


@transaction.atomic
def progress_link_revoke(*, customer_id: int, actor: SignedInUser, now: dt.datetime) -> int:
    """Revoke the customer's live link(s); returns how many were revoked (0 is not an error)."""
    customer_for_update(customer_id=customer_id)
    return _revoke_live(customer_id=customer_id, actor=actor, now=now)


def _revoke_live(*, customer_id: int, actor: SignedInUser, now: dt.datetime) -> int:
    live = list(
        ProgressLink.objects.filter(
            customer_id=customer_id, revoked_at__isnull=True, expires_at__gt=now
        )
    )
    for link in live:
        link.revoked_at = now
        link.revoked_by = actor
        link.save(update_fields=["revoked_at", "revoked_by"])
        ledger_record(verb=LedgerVerb.LINKS_REVOKED, obj=link, actor=actor, at=now)
    return len(live)
