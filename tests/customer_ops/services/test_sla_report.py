"""The SLA health report over stored tickets: hand-computed numbers, aggregates, founders told."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from customer_ops.domain.errors import DomainError
from customer_ops.models import LedgerEntry, Notification, SlaVerdictNotice
from customer_ops.roles import Role
from customer_ops.selectors.sla_report import sla_health_report
from customer_ops.services.sla_report import sla_health_review
from customer_ops.services.tickets import sla_event_record, ticket_update
from tests.factories import make_customer, make_ticket

pytestmark = pytest.mark.django_db

RIYADH = ZoneInfo("Asia/Riyadh")
FROM, TO = dt.date(2026, 3, 1), dt.date(2026, 3, 14)
NOW = dt.datetime(2026, 3, 20, 12, 0, tzinfo=RIYADH)  # a Friday, during the Eid al-Fitr break


def riyadh(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=RIYADH)


def handled(
    customer: Any,
    actor: Any,
    *,
    subject: str,
    opened: dt.datetime,
    responded: dt.datetime | None = None,
    resolved: dt.datetime | None = None,
) -> Any:
    ticket = make_ticket(customer=customer, actor=actor, now=opened, subject=subject, body="")
    if responded:
        sla_event_record(ticket_id=ticket.pk, event="first_response", actor=actor, now=responded)
    if resolved:
        ticket_update(ticket_id=ticket.pk, status="resolved", actor=actor, now=resolved)
    return ticket


@pytest.fixture
def seeded(founder: Any, operator: Any) -> dict[str, Any]:
    """Five tickets opened 1–14 March 2026, one after the period (see each line)."""
    customer = make_customer(actor=founder, now=riyadh(1, 1, 9))
    return {
        # P0, 24/7: 12 minutes to reply, 2.5 hours to resolve. On time.
        "p0": handled(
            customer,
            operator,
            subject="تسريب أمان",
            opened=riyadh(3, 1, 10),
            responded=riyadh(3, 1, 10, 12),
            resolved=riyadh(3, 1, 12, 30),
        ),
        # P1, 24/7: 90 minutes, 18 hours. On time.
        "p1": handled(
            customer,
            operator,
            subject="service down",
            opened=riyadh(3, 2, 10),
            responded=riyadh(3, 2, 11, 30),
            resolved=riyadh(3, 3, 4),
        ),
        # P2, working hours from Sunday 8 March 09:00: reply after 10 working hours (600 > 480,
        # breached), resolved after 70 working hours (Wednesday 18 March 15:00; on time).
        "p2": handled(
            customer,
            operator,
            subject="Gmail connector",
            opened=riyadh(3, 8, 9),
            responded=riyadh(3, 9, 11),
            resolved=riyadh(3, 18, 15),
        ),
        # P3 opened Thursday 12 March, never answered: 40 working hours by now (Eid from the
        # 19th) > 24, so breached now although still open.
        "p3_open": handled(customer, operator, subject="سؤال", opened=riyadh(3, 12, 9)),
        # P3 opened on a Saturday: the clock starts Sunday 09:00; reply 60 working minutes,
        # resolved after 3 working hours. On time.
        "p3_done": handled(
            customer,
            operator,
            subject="استفسار",
            opened=riyadh(3, 14, 10),
            responded=riyadh(3, 15, 10),
            resolved=riyadh(3, 15, 12),
        ),
        # Outside the period (opened 15 March), breached: not counted.
        "outside": handled(customer, operator, subject="تسريب", opened=riyadh(3, 15, 10)),
    }


def test_report_matches_the_hand_computed_numbers(seeded: dict[str, Any]) -> None:
    report = sla_health_report(date_from=FROM, date_to=TO, now=NOW)

    assert report["total_tickets"] == 5
    assert report["total_breached"] == 2
    assert report["breach_rate"] == 0.4
    assert report["verdict"] == "critical"
    assert report["by_priority"] == {
        "P0": {
            "count": 1,
            "breaches": 0,
            "total_first_response_min": 12.0,
            "total_resolution_hours": 2.5,
            "responded_count": 1,
            "resolved_count": 1,
            "avg_first_response_min": 12.0,
            "avg_resolution_hours": 2.5,
        },
        "P1": {
            "count": 1,
            "breaches": 0,
            "total_first_response_min": 90.0,
            "total_resolution_hours": 18.0,
            "responded_count": 1,
            "resolved_count": 1,
            "avg_first_response_min": 90.0,
            "avg_resolution_hours": 18.0,
        },
        "P2": {
            "count": 1,
            "breaches": 1,
            "total_first_response_min": 600.0,
            "total_resolution_hours": 70.0,
            "responded_count": 1,
            "resolved_count": 1,
            "avg_first_response_min": 600.0,
            "avg_resolution_hours": 70.0,
        },
        "P3": {
            "count": 2,
            "breaches": 1,
            "total_first_response_min": 60.0,
            "total_resolution_hours": 3.0,
            "responded_count": 1,
            "resolved_count": 1,
            "avg_first_response_min": 60.0,
            "avg_resolution_hours": 3.0,
        },
    }


def test_report_weekly_breach_rates_by_sunday_week(seeded: dict[str, Any]) -> None:
    # Weeks start on Sunday (the Saudi work week, as the check-ins count it): 1–7 March holds
    # the tickets of Sunday 1 and Monday 2 March; 8–14 March those of the 8th, 12th and 14th.
    weekly = sla_health_report(date_from=FROM, date_to=TO, now=NOW)["weekly"]

    assert weekly == [
        {
            "week_start": dt.date(2026, 3, 1),
            "iso_week": "2026-W10",
            "total_tickets": 2,
            "total_breached": 0,
            "breach_rate": 0.0,
        },
        {
            "week_start": dt.date(2026, 3, 8),
            "iso_week": "2026-W11",
            "total_tickets": 3,
            "total_breached": 2,
            "breach_rate": 0.667,
        },
    ]


def test_weekly_series_shows_a_week_without_tickets_as_zero(founder: Any, operator: Any) -> None:
    customer = make_customer(actor=founder, now=riyadh(1, 1, 9))
    make_ticket(customer=customer, actor=operator, now=riyadh(3, 2, 10))
    make_ticket(customer=customer, actor=operator, now=riyadh(3, 17, 10))

    weekly = sla_health_report(
        date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 21), now=NOW
    )["weekly"]

    assert [(w["week_start"], w["total_tickets"]) for w in weekly] == [
        (dt.date(2026, 3, 1), 1),
        (dt.date(2026, 3, 8), 0),
        (dt.date(2026, 3, 15), 1),
    ]
    assert weekly[1]["breach_rate"] == 0.0


def test_open_ticket_is_not_breached_before_its_target(seeded: dict[str, Any]) -> None:
    # On Thursday 12 March at 17:00 the open P3 has used 8 of its 24 working hours.
    report = sla_health_report(
        date_from=dt.date(2026, 3, 12), date_to=dt.date(2026, 3, 12), now=riyadh(3, 12, 17)
    )

    assert report["total_tickets"] == 1
    assert report["total_breached"] == 0
    assert report["by_priority"]["P3"]["responded_count"] == 0
    assert "avg_first_response_min" not in report["by_priority"]["P3"]
    assert report["verdict"] == "healthy"


def test_empty_period_is_healthy() -> None:
    report = sla_health_report(date_from=FROM, date_to=TO, now=NOW)

    assert report["total_tickets"] == 0
    assert report["breach_rate"] == 0.0
    assert report["by_priority"] == {}
    assert [week["total_tickets"] for week in report["weekly"]] == [0, 0]
    assert report["verdict"] == "healthy"


def test_report_refuses_a_reversed_period() -> None:
    with pytest.raises(DomainError):
        sla_health_report(date_from=TO, date_to=FROM, now=NOW)


def test_report_runs_one_grouped_query(founder: Any, operator: Any) -> None:
    customer = make_customer(actor=founder, now=riyadh(1, 1, 9))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            sla_health_report(date_from=FROM, date_to=TO, now=NOW)
        return len(captured)

    make_ticket(customer=customer, actor=operator, now=riyadh(3, 2, 10))
    few = queries()
    for day in range(1, 15):
        make_ticket(customer=customer, actor=operator, now=riyadh(3, day, 10), subject="تسريب")
        make_ticket(customer=customer, actor=operator, now=riyadh(3, day, 11), subject="Gmail")
    many = queries()

    assert few == many == 1


def test_critical_verdict_notifies_the_founders_once_per_period(
    seeded: dict[str, Any], founder: Any, operator: Any, make_user: Any
) -> None:
    cofounder = make_user("cofounder", Role.FOUNDER)

    first = sla_health_review(date_from=FROM, date_to=TO, now=NOW)
    again = sla_health_review(date_from=FROM, date_to=TO, now=NOW + dt.timedelta(hours=1))

    assert first["verdict"] == again["verdict"] == "critical"
    assert first["founders_notified"] is True
    assert again["founders_notified"] is False
    assert set(Notification.objects.values_list("recipient", flat=True)) == {
        founder.pk,
        cofounder.pk,
    }
    assert Notification.objects.filter(recipient=operator).count() == 0
    note = Notification.objects.filter(recipient=founder).get()
    assert note.kind == "sla_critical"
    assert "40.0%" in note.title
    assert SlaVerdictNotice.objects.get().breach_rate == 0.4
    assert LedgerEntry.objects.filter(verb="sla.critical_notified").count() == 1


def test_healthy_verdict_notifies_nobody(founder: Any, operator: Any) -> None:
    customer = make_customer(actor=founder, now=riyadh(1, 1, 9))
    make_ticket(customer=customer, actor=operator, now=riyadh(3, 2, 10))

    report = sla_health_review(date_from=FROM, date_to=TO, now=riyadh(3, 2, 11))

    assert report["verdict"] == "healthy"
    assert report["founders_notified"] is False
    assert Notification.objects.count() == 0
