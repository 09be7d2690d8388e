"""In-app notifications: one row per recipient (email arrives with issue #8)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from customer_ops.models import Notification
from customer_ops.roles import Role


def founder_users() -> list[AbstractBaseUser]:
    """Active members of the Founder group."""
    return list(
        get_user_model()
        .objects.filter(groups__name=Role.FOUNDER, is_active=True)
        .distinct()
        .order_by("pk")
    )


@transaction.atomic
def notify(
    *,
    recipients: Iterable[AbstractBaseUser],
    kind: str,
    title: str,
    body: str,
    url: str,
    now: dt.datetime,
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
                url=url[:500],
                created_at=now,
            )
        )
    return Notification.objects.bulk_create(rows)


def notify_founders(*, kind: str, title: str, body: str, url: str, now: dt.datetime) -> int:
    """Notify every founder; returns how many were notified."""
    return len(
        notify(recipients=founder_users(), kind=kind, title=title, body=body, url=url, now=now)
    )
