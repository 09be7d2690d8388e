"""The admin shows a user only what the console would (#17)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from customer_ops.models import Notification

pytestmark = pytest.mark.django_db
AT = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


def test_admin_lists_only_the_users_own_notifications(operator: Any, founder: Any) -> None:
    # given a staff operator (as seeded) and a notification for each user
    operator.is_staff = True
    operator.save(update_fields=["is_staff"])
    Notification.objects.create(recipient=operator, kind="k", title="لك أنت", created_at=AT)
    theirs = Notification.objects.create(
        recipient=founder, kind="k", title="للمؤسس وحده", created_at=AT
    )
    client = Client()
    client.force_login(operator)

    # when the operator opens the notifications in the admin
    listing = client.get(reverse("admin:customer_ops_notification_changelist"))
    detail = client.get(reverse("admin:customer_ops_notification_change", args=[theirs.pk]))

    # then only their own is there, and the founder's cannot be opened by its id
    assert listing.status_code == 200
    assert "لك أنت" in listing.content.decode()
    assert "للمؤسس وحده" not in listing.content.decode()
    assert detail.status_code == 302  # the admin's "does not exist" redirect
