"""The signed-in user's notifications and the header's unread count."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from customer_ops.domain.notifications import NotificationTarget
from customer_ops.models import Notification
from customer_ops.selectors.notifications import target_path
from customer_ops.services.notifications import NO_TARGET, notify
from tests.factories import make_incident
from tests.helpers import HX

pytestmark = pytest.mark.django_db


def leave(user: Any, title: str, target: NotificationTarget = NO_TARGET) -> Notification:
    return notify(
        recipients=[user], kind="test", title=title, body="نص", target=target, now=timezone.now()
    )[0]


def test_notifications_send_anonymous_users_to_login(client: Client) -> None:
    response = client.get(reverse("notifications"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_notifications_refuse_a_user_without_a_role(
    client: Client, make_user: Callable[..., Any]
) -> None:
    client.force_login(make_user("outsider"))

    assert client.get(reverse("notifications")).status_code == 403
    assert client.get(reverse("notifications-badge")).status_code == 403


def test_header_shows_the_unread_count(operator_client: Client, operator: Any) -> None:
    leave(operator, "أول")
    leave(operator, "ثان")
    Notification.objects.filter(title="ثان").update(read_at=timezone.now())

    html = operator_client.get(reverse("home")).content.decode()

    assert 'id="nav-notifications"' in html
    assert "bell--unread" in html
    assert '<span class="nav__badge">1<span class="visually-hidden">' in html


def test_badge_refreshes_alone(operator_client: Client, operator: Any) -> None:
    leave(operator, "جديد")

    response = operator_client.get(reverse("notifications-badge"), headers=HX)

    html = response.content.decode()
    assert html.lstrip().startswith('<a id="nav-notifications"')
    assert "<html" not in html


def test_list_shows_only_my_notifications_unread_first_with_console_links(
    operator_client: Client, operator: Any, founder: Any
) -> None:
    read = leave(operator, "مقروء")
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())
    incident = make_incident(actor=operator, now=timezone.now())
    unread = leave(operator, "حادثة SEV1", target=NotificationTarget.incident(incident.pk))
    leave(founder, "للمؤسس فقط")

    response = operator_client.get(reverse("notifications"))

    html = response.content.decode()
    assert [n.pk for n in response.context["page_obj"]] == [unread.pk, read.pk]
    assert "للمؤسس فقط" not in html
    assert f'href="/incidents/{incident.pk}/"' in html
    assert "notification--unread" in html
    only_unread = operator_client.get(reverse("notifications"), {"show": "unread"})
    assert [n.pk for n in only_unread.context["page_obj"]] == [unread.pk]


def test_list_htmx_request_gets_only_the_list(operator_client: Client, operator: Any) -> None:
    leave(operator, "إشعار")

    html = operator_client.get(reverse("notifications"), headers=HX).content.decode()

    assert html.lstrip().startswith('<section id="notification-list"')
    assert "<html" not in html


def test_list_query_count_does_not_grow_with_rows(
    operator_client: Client, operator: Any, customer: Any
) -> None:
    for index in range(2):
        leave(operator, f"قليل {index}")
    with CaptureQueriesContext(connection) as small:
        operator_client.get(reverse("notifications"))
    for index in range(18):
        leave(operator, f"كثير {index}", target=NotificationTarget.customer(customer.pk))

    with CaptureQueriesContext(connection) as large:
        response = operator_client.get(reverse("notifications"))

    assert len(response.context["page_obj"]) == 20
    assert len(large.captured_queries) == len(small.captured_queries)


MIGRATION = importlib.import_module(
    "customer_ops.migrations.0010_draft_references_and_notification_targets"
)


@pytest.mark.parametrize(
    ("stored", "kind", "columns"),
    [
        ("/api/v1/incidents/3/", "incident", {"incident_id": 3}),
        ("/incidents/3/", "incident", {"incident_id": 3}),
        ("/api/v1/tickets/9/", "ticket", {"ticket_id": 9}),
        ("/api/v1/customers/4/", "customer", {"customer_id": 4}),
        (
            "/api/v1/sla/health/?from=2026-05-01&to=2026-05-28",
            "sla_report",
            {"period_start": "2026-05-01", "period_end": "2026-05-28"},
        ),
        (
            "/success/?touchpoint=5&day=2026-05-03",
            "touchpoint",
            {"touchpoint_id": 5, "target_day": "2026-05-03"},
        ),
        ("https://evil.example/x", "none", {}),
        ("/api/v1/unknown/", "none", {}),
        ("", "none", {}),
    ],
)
def test_stored_addresses_carry_over_to_typed_targets(
    stored: str, kind: str, columns: dict[str, Any]
) -> None:
    assert MIGRATION.legacy_target(stored) == (kind, columns)


@pytest.mark.parametrize(
    ("target", "console"),
    [
        (NotificationTarget.incident(3), "/incidents/3/"),
        (NotificationTarget.ticket(9), "/tickets/9/"),
        (NotificationTarget.customer(4), "/customers/4/"),
        (
            NotificationTarget.sla_report(start=dt.date(2026, 5, 1), end=dt.date(2026, 5, 28)),
            "/reports/sla/?date_from=2026-05-01&date_to=2026-05-28",
        ),
        (
            NotificationTarget.touchpoint(5, day=dt.date(2026, 5, 3)),
            "/success/?touchpoint=5&day=2026-05-03",
        ),
        (NO_TARGET, ""),
    ],
)
def test_targets_open_in_the_console(target: NotificationTarget, console: str) -> None:
    assert target_path(target) == console


def test_the_database_refuses_a_target_that_does_not_match_its_kind(
    operator: Any, customer: Any
) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            recipient=operator,
            kind="test",
            title="x",
            created_at=timezone.now(),
            target_kind="ticket",
            customer=customer,
        )
