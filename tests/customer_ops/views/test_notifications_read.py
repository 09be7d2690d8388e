from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from customer_ops.models import Notification
from customer_ops.services.notifications import notify
from tests.helpers import HX

pytestmark = pytest.mark.django_db


def leave(user: Any, title: str = "تنبيه") -> Notification:
    return notify(recipients=[user], kind="test", title=title, body="", now=timezone.now())[0]


def test_operator_marks_a_notification_read_in_place(
    operator_client: Client, operator: Any
) -> None:
    note = leave(operator)

    response = operator_client.post(f"/notifications/{note.pk}/read/", headers=HX)

    note.refresh_from_db()
    assert response.status_code == 200
    assert note.read_at is not None
    assert f'id="notification-{note.pk}"' in response.content.decode()
    assert "<html" not in response.content.decode()
    assert "notifications-changed" in response["HX-Trigger"]


def test_nobody_marks_someone_elses_notification(operator_client: Client, founder: Any) -> None:
    note = leave(founder)

    response = operator_client.post(f"/notifications/{note.pk}/read/")

    note.refresh_from_db()
    assert response.status_code == 404
    assert note.read_at is None


def test_mark_all_read(operator_client: Client, operator: Any, founder: Any) -> None:
    for title in ("أ", "ب"):
        leave(operator, title)
    other = leave(founder)

    response = operator_client.post("/notifications/read-all/")

    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=operator, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_mark_read_needs_post_and_login(client: Client, operator: Any) -> None:
    note = leave(operator)

    assert client.post(f"/notifications/{note.pk}/read/").status_code == 302  # to the login page
    note.refresh_from_db()
    assert note.read_at is None
