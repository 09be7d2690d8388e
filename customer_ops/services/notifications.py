"""Staff notifications: one in-app row per recipient, and the same text by email.

These are internal (to Dealix staff). Nothing to a customer ever leaves except an approved draft.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import transaction

from customer_ops.domain.notifications import NotificationTarget
from customer_ops.models import Notification
from customer_ops.roles import Role, SignedInUser
from customer_ops.selectors.locks import own_notification_for_update
from customer_ops.selectors.notifications import target_path

logger = logging.getLogger(__name__)


def founder_users() -> list[SignedInUser]:
    """Active members of the Founder group."""
    return list(
        get_user_model()
        .objects.filter(groups__name=Role.FOUNDER, is_active=True)
        .distinct()
        .order_by("pk")
    )


NO_TARGET = NotificationTarget()


@transaction.atomic
def notify(
    *,
    recipients: Iterable[SignedInUser],
    kind: str,
    title: str,
    body: str,
    now: dt.datetime,
    target: NotificationTarget = NO_TARGET,
) -> list[Notification]:
    """Leave the same notification for each recipient (once per distinct user)."""
    seen: set[int] = set()
    rows = []
    for user in recipients:
        if user.pk in seen:
            continue
        seen.add(user.pk)
        rows.append(
            Notification(
                recipient=user,
                kind=kind[:50],
                title=title[:200],
                body=body,
                created_at=now,
                **target.columns(),
            )
        )
    created = Notification.objects.bulk_create(rows)
    addresses = [row.recipient.email for row in rows if row.recipient.email]
    url = target_path(target)
    if addresses:
        # Email only once the rows are committed: a rolled-back change notifies nobody. Robust:
        # the change is committed by then, so a failing email must not turn it into an error
        # (a client retrying the "failed" request would make the change twice).
        transaction.on_commit(
            lambda: _email_staff(addresses=addresses, title=title, body=body, url=url),
            robust=True,
        )
    return created


def one_line(text: str) -> str:
    """`text` on one line: an email subject with a line break is refused by the mail framework."""
    return " ".join(text.split())


def _email_staff(*, addresses: list[str], title: str, body: str, url: str) -> None:
    link = settings.PUBLIC_BASE_URL.rstrip("/") + url if url.startswith("/") else url
    subject = one_line(f"[Dealix] {title}")
    try:
        mail.send_mass_mail(
            [
                (subject, f"{body}\n\n{link}", settings.DEFAULT_FROM_EMAIL, [address])
                for address in addresses
            ]
        )
    except Exception:
        # Nothing about an email (an unreachable server, an address or header the backend
        # refuses) may break the caller: the change is committed and the in-app notice stands.
        logger.exception("staff notification email failed")


def notify_founders(
    *, kind: str, title: str, body: str, now: dt.datetime, target: NotificationTarget = NO_TARGET
) -> int:
    """Notify every founder; returns how many were notified."""
    recipients = founder_users()
    return len(
        notify(recipients=recipients, kind=kind, title=title, body=body, now=now, target=target)
    )


@transaction.atomic
def notification_mark_read(
    *, notification_id: int, user: SignedInUser, now: dt.datetime
) -> Notification:
    """Mark one of the user's own notifications read (someone else's is not found)."""
    notification = own_notification_for_update(
        notification_id=notification_id, recipient_id=user.pk
    )
    if notification.read_at is None:
        notification.read_at = now
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: SignedInUser, now: dt.datetime) -> int:
    """Mark every unread notification of the user read; returns how many."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=now)
