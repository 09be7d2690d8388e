"""The SLA health report: period, breach rate and verdict, per-priority averages, SVG chart, CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from customer_ops.models import Notification
from customer_ops.selectors.calendar import business_timezone
from customer_ops.selectors.sla_report import week_start_sunday
from tests.factories import make_customer, make_ticket
from tests.helpers import HX

pytestmark = pytest.mark.django_db


@pytest.fixture
def tickets(founder: Any, operator: Any) -> dict[str, Any]:
    """Three tickets now (a P0 unanswered for two hours: breached), an unanswered P3 8 days old."""
    customer = make_customer(actor=founder, name="شركة التقرير", contact_email="r@example.sa")
    now = timezone.now()
    return {
        "late": make_ticket(
            customer=customer, actor=operator, now=now - dt.timedelta(hours=2), subject="تسريب"
        ),
        "fine": make_ticket(customer=customer, actor=operator, now=now, subject="سؤال"),
        "gmail": make_ticket(customer=customer, actor=operator, now=now, subject="Gmail"),
        "old": make_ticket(
            customer=customer, actor=operator, now=now - dt.timedelta(days=8), subject="سؤال قديم"
        ),
    }


def today() -> dt.date:
    return timezone.localtime(timezone.now(), business_timezone()).date()


def test_report_sends_anonymous_users_to_login(client: Client) -> None:
    response = client.get(reverse("sla-report"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_report_refuses_a_user_without_a_role(
    client: Client, make_user: Callable[..., Any]
) -> None:
    client.force_login(make_user("outsider"))

    assert client.get(reverse("sla-report")).status_code == 403
    assert client.get(reverse("sla-report-csv")).status_code == 403


def sunday_weeks() -> set[dt.date]:
    """The Sunday-started weeks the default period (the last 28 days) touches."""
    start = today() - dt.timedelta(days=27)
    return {week_start_sunday(start + dt.timedelta(days=n)) for n in range(28)}


def test_report_defaults_to_the_last_four_weeks(operator_client: Client) -> None:
    response = operator_client.get(reverse("sla-report"))

    form = response.context["form"]
    assert response.status_code == 200
    assert form.cleaned_data["date_to"] == today()
    assert form.cleaned_data["date_from"] == today() - dt.timedelta(days=27)


def test_report_shows_rate_verdict_averages_and_a_server_rendered_chart(
    operator_client: Client, tickets: dict[str, Any]
) -> None:
    response = operator_client.get(reverse("sla-report"))

    report = response.context["report"]
    html = response.content.decode()
    assert (report["total_tickets"], report["total_breached"]) == (4, 2)
    assert 'class="stat verdict verdict--critical"' in html  # 50 % breached
    assert "50%" in html
    assert [row["priority"] for row in response.context["rows"]] == ["P0", "P1", "P2", "P3"]
    assert '<svg class="chart"' in html and 'direction="rtl"' in html
    # Every Sunday week of the four-week period has its bar, an empty one too.
    assert html.count('<rect class="chart__bar') == len(report["weekly"]) == len(sunday_weeks())
    assert sum(week["total_tickets"] for week in report["weekly"]) == 4
    assert "chart__bar--critical" in html
    assert "<script" not in html.split('id="sla-report-body"')[1]
    assert Notification.objects.count() == 0  # browsing a period notifies nobody


def test_report_chart_reads_left_to_right_in_english(
    operator_client: Client, tickets: dict[str, Any]
) -> None:
    from django.conf import settings

    operator_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = operator_client.get(reverse("sla-report")).content.decode()

    assert 'direction="ltr"' in html
    assert "Critical" in html or "critical" in html


def test_report_period_is_swapped_by_htmx_and_a_bad_period_is_refused_inline(
    operator_client: Client, tickets: dict[str, Any]
) -> None:
    week = {
        "date_from": (today() - dt.timedelta(days=2)).isoformat(),
        "date_to": today().isoformat(),
    }
    partial = operator_client.get(reverse("sla-report"), week, headers=HX)
    bad = operator_client.get(
        reverse("sla-report"),
        {"date_from": today().isoformat(), "date_to": (today() - dt.timedelta(days=3)).isoformat()},
        headers=HX,
    )

    html = partial.content.decode()
    assert html.lstrip().startswith('<div id="sla-report-body"')
    assert "<html" not in html
    assert partial.context["report"]["total_tickets"] == 3
    assert bad.status_code == 422
    assert "تاريخ النهاية قبل البداية." in bad.content.decode()


def test_report_csv_has_the_period_each_priority_and_each_week(
    operator_client: Client, tickets: dict[str, Any]
) -> None:
    start = today() - dt.timedelta(days=27)
    response = operator_client.get(
        reverse("sla-report-csv"), {"date_from": start.isoformat(), "date_to": today().isoformat()}
    )

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="sla-report-{start.isoformat()}-{today().isoformat()}.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "القسم"
    assert rows[1][:4] == ["الفترة", f"{start.isoformat()}..{today().isoformat()}", "4", "2"]
    assert [row[1] for row in rows[2:6]] == ["P0", "P1", "P2", "P3"]
    assert rows[2][2:5] == ["1", "1", "1.0"]
    weeks = [row for row in rows if row[0] == "الأسبوع"]
    assert len(weeks) == len(sunday_weeks())
    assert sum(int(row[2]) for row in weeks) == 4


def test_report_csv_refuses_a_bad_period(operator_client: Client) -> None:
    response = operator_client.get(reverse("sla-report-csv"), {"date_from": "x", "date_to": "y"})

    assert response.status_code == 400
