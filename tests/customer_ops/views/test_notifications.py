"""The signed-in user's notifications and the header's unread count."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from customer_ops.models import Notification
from customer_ops.selectors.notifications import console_url
from customer_ops.services.notifications import notify
from tests.helpers import HX

pytestmark = pytest.mark.django_db


def leave(user: Any, title: str, url: str = "") -> Notification:
    return notify(
        recipients=[user], kind="test", title=title, body="نص", url=url, now=timezone.now()
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
    unread = leave(operator, "حادثة SEV1", url="/api/v1/incidents/7/")
    leave(founder, "للمؤسس فقط")

    response = operator_client.get(reverse("notifications"))

    html = response.content.decode()
    assert [n.pk for n in response.context["page_obj"]] == [unread.pk, read.pk]
    assert "للمؤسس فقط" not in html
    assert 'href="/incidents/7/"' in html
    assert "notification--unread" in html
    only_unread = operator_client.get(reverse("notifications"), {"show": "unread"})
    assert [n.pk for n in only_unread.context["page_obj"]] == [unread.pk]


def test_list_htmx_request_gets_only_the_list(operator_client: Client, operator: Any) -> None:
    leave(operator, "إشعار")

    html = operator_client.get(reverse("notifications"), headers=HX).content.decode()

    assert html.lstrip().startswith('<section id="notification-list"')
    assert "<html" not in html


def test_list_query_count_does_not_grow_with_rows(operator_client: Client, operator: Any) -> None:
    for index in range(2):
        leave(operator, f"قليل {index}")
    with CaptureQueriesContext(connection) as small:
        operator_client.get(reverse("notifications"))
    for index in range(18):
        leave(operator, f"كثير {index}", url=f"/api/v1/tickets/{index}/")

    with CaptureQueriesContext(connection) as large:
        response = operator_client.get(reverse("notifications"))

    assert len(response.context["page_obj"]) == 20
    assert len(large.captured_queries) == len(small.captured_queries)


@pytest.mark.parametrize(
    ("stored", "console"),
    [
        ("/api/v1/incidents/3/", "/incidents/3/"),
        ("/api/v1/tickets/9/", "/tickets/9/"),
        ("/api/v1/customers/4/", "/customers/4/"),
        (
            "/api/v1/sla/health/?from=2026-05-01&to=2026-05-28",
            "/reports/sla/?date_from=2026-05-01&date_to=2026-05-28",
        ),
        ("/approvals/5/", "/approvals/5/"),
        ("https://evil.example/x", ""),
        ("/api/v1/unknown/", ""),
        ("", ""),
    ],
)
def test_stored_links_open_in_the_console(stored: str, console: str) -> None:
    assert console_url(stored) == console
