"""Stored tickets on the SLA clocks: boundaries, weekends, Saudi holidays, overrides, pauses."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from customer_ops.models import HolidayOverride, LedgerEntry, Ticket
from customer_ops.selectors.calendar import package_holidays, working_calendar
from customer_ops.selectors.tickets import ticket_queue, ticket_sla_now
from customer_ops.services.calendar import holiday_override_set
from customer_ops.services.tickets import ticket_update
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

RIYADH = ZoneInfo("Asia/Riyadh")
MIN = dt.timedelta(minutes=1)
P0_TEXT = "تسريب بيانات"
P1_TEXT = "service down"
P2_TEXT = "Gmail connector"


def riyadh(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=RIYADH)


@pytest.fixture
def customer_fields() -> dict[str, Any]:
    return {
        "now": riyadh(2026, 1, 1, 9),
    }


def breached_ids(now: dt.datetime) -> set[int]:
    return set(ticket_queue(now=now, breached=True).values_list("pk", flat=True))


def assert_breach_starts_after(ticket: Ticket, last_ok: dt.datetime) -> None:
    """On time at `last_ok` (queue and live clock agree), breached one minute later."""
    for now, expected in ((last_ok, False), (last_ok + MIN, True)):
        assert (ticket.pk in breached_ids(now)) is expected, now
        assert ticket_sla_now(ticket=ticket, now=now).breached is expected, now
        assert ticket_queue(now=now).get(pk=ticket.pk).breached_now is expected, now


# ── The calendar ────────────────────────────────────────────────────────────────────────────────
def test_calendar_has_the_saudi_holidays_of_the_package() -> None:
    calendar = working_calendar(years=[2026])

    assert dt.date(2026, 2, 22) in calendar.holidays  # Founding Day
    assert dt.date(2026, 9, 23) in calendar.holidays  # National Day
    assert dt.date(2026, 2, 22) in package_holidays(2026)
    assert not calendar.is_working_day(dt.date(2026, 3, 6))  # a Friday
    assert calendar.is_working_day(dt.date(2026, 3, 8))  # a Sunday


def test_overrides_add_and_remove_days_off(founder: Any) -> None:
    holiday_override_set(
        date=dt.date(2026, 3, 10), name="إجازة معلنة", actor=founder, now=riyadh(2026, 3, 1, 9)
    )
    holiday_override_set(
        date=dt.date(2026, 2, 22),
        name="يوم عمل استثنائي",
        closed=False,
        actor=founder,
        now=riyadh(2026, 3, 1, 9),
    )

    calendar = working_calendar(years=[2026])

    assert dt.date(2026, 3, 10) in calendar.holidays
    assert dt.date(2026, 2, 22) not in calendar.holidays
    assert LedgerEntry.objects.filter(verb="sla.holiday_set").count() == 2


def test_override_for_the_same_date_updates_it(founder: Any) -> None:
    for name in ("إجازة", "إجازة عيد الفطر"):
        holiday_override_set(
            date=dt.date(2026, 3, 10), name=name, actor=founder, now=riyadh(2026, 3, 1, 9)
        )

    assert HolidayOverride.objects.get().name == "إجازة عيد الفطر"


# ── Boundaries ──────────────────────────────────────────────────────────────────────────────────
def test_p0_is_on_time_at_exactly_thirty_minutes(customer: Any, operator: Any) -> None:
    opened = riyadh(2026, 3, 5, 23, 50)  # Thursday night: P0 runs 24/7
    ticket = make_ticket(customer=customer, actor=operator, now=opened, subject=P0_TEXT)

    assert ticket.first_response_due_at == opened + 30 * MIN
    assert_breach_starts_after(ticket, opened + 30 * MIN)


def test_p1_runs_through_the_weekend(customer: Any, operator: Any) -> None:
    opened = riyadh(2026, 3, 5, 23, 0)  # Thursday 23:00
    ticket = make_ticket(customer=customer, actor=operator, now=opened, subject=P1_TEXT)

    assert ticket.first_response_due_at == riyadh(2026, 3, 6, 1, 0)  # Friday 01:00
    assert_breach_starts_after(ticket, riyadh(2026, 3, 6, 1, 0))


def test_p2_counts_working_hours_across_the_weekend(customer: Any, operator: Any) -> None:
    opened = riyadh(2026, 3, 5, 16, 0)  # Thursday 16:00
    ticket = make_ticket(customer=customer, actor=operator, now=opened, subject=P2_TEXT)

    # 1 hour on Thursday, Friday and Saturday off, 7 hours on Sunday.
    assert ticket.first_response_due_at == riyadh(2026, 3, 8, 16, 0)
    assert_breach_starts_after(ticket, riyadh(2026, 3, 8, 16, 0))
    assert ticket.pk not in breached_ids(riyadh(2026, 3, 7, 23, 59))


def test_p2_due_at_closing_time_breaches_only_when_the_next_day_opens(
    customer: Any, operator: Any
) -> None:
    opened = riyadh(2026, 3, 5, 9, 0)  # Thursday 09:00 + 8 working hours = Thursday 17:00
    ticket = make_ticket(customer=customer, actor=operator, now=opened, subject=P2_TEXT)

    assert ticket.first_response_due_at == riyadh(2026, 3, 5, 17, 0)
    assert ticket.overdue_after == riyadh(2026, 3, 8, 9, 0)
    # No working time passes over the weekend: still on time on Saturday night.
    assert ticket.pk not in breached_ids(riyadh(2026, 3, 7, 23, 0))
    assert_breach_starts_after(ticket, riyadh(2026, 3, 8, 9, 0))


def test_p2_skips_a_saudi_public_holiday_from_the_package(customer: Any, operator: Any) -> None:
    opened = riyadh(2026, 2, 19, 16, 0)  # Thursday before Founding Day (Sunday 22 February)
    ticket = make_ticket(customer=customer, actor=operator, now=opened, subject=P2_TEXT)

    assert ticket.first_response_due_at == riyadh(2026, 2, 23, 16, 0)
    assert ticket.pk not in breached_ids(riyadh(2026, 2, 22, 16, 1))
    assert_breach_starts_after(ticket, riyadh(2026, 2, 23, 16, 0))


def test_p2_skips_an_announced_holiday_from_the_override_table(
    customer: Any, operator: Any, founder: Any
) -> None:
    holiday_override_set(
        date=dt.date(2026, 3, 10), name="إجازة معلنة", actor=founder, now=riyadh(2026, 3, 1, 9)
    )
    opened = riyadh(2026, 3, 9, 16, 0)  # Monday 16:00; Tuesday is announced off

    ticket = make_ticket(customer=customer, actor=operator, now=opened, subject=P2_TEXT)

    assert ticket.first_response_due_at == riyadh(2026, 3, 11, 16, 0)
    assert_breach_starts_after(ticket, riyadh(2026, 3, 11, 16, 0))


def test_announcing_a_holiday_moves_the_open_tickets_due_times(
    customer: Any, operator: Any, founder: Any
) -> None:
    opened = riyadh(2026, 3, 9, 16, 0)
    ticket = make_ticket(customer=customer, actor=operator, now=opened, subject=P2_TEXT)
    assert ticket.first_response_due_at == riyadh(2026, 3, 10, 16, 0)

    holiday_override_set(
        date=dt.date(2026, 3, 10), name="إجازة معلنة", actor=founder, now=opened + 30 * MIN
    )

    ticket.refresh_from_db()
    assert ticket.first_response_due_at == riyadh(2026, 3, 11, 16, 0)
    assert ticket.next_due_at == riyadh(2026, 3, 11, 16, 0)


def test_a_package_holiday_reopened_by_override_counts_again(
    customer: Any, operator: Any, founder: Any
) -> None:
    holiday_override_set(
        date=dt.date(2026, 2, 22),
        name="يوم عمل",
        closed=False,
        actor=founder,
        now=riyadh(2026, 2, 1, 9),
    )

    ticket = make_ticket(
        customer=customer, actor=operator, now=riyadh(2026, 2, 19, 16, 0), subject=P2_TEXT
    )

    assert ticket.first_response_due_at == riyadh(2026, 2, 22, 16, 0)


def test_paused_time_does_not_count(customer: Any, operator: Any) -> None:
    opened = riyadh(2026, 3, 8, 10, 0)
    ticket = make_ticket(customer=customer, actor=operator, now=opened, subject=P0_TEXT)

    ticket_update(
        ticket_id=ticket.pk, status="pending_customer", actor=operator, now=opened + 10 * MIN
    )
    # Waiting on the customer for hours: never breached while paused.
    assert ticket.pk not in breached_ids(opened + dt.timedelta(hours=5))
    assert ticket_sla_now(ticket=ticket, now=opened + dt.timedelta(hours=5)).paused
    ticket_update(ticket_id=ticket.pk, status="open", actor=operator, now=opened + 70 * MIN)

    ticket.refresh_from_db()
    # 10 minutes before the pause, 20 after it: due at 11:30.
    assert ticket.first_response_due_at == opened + 90 * MIN
    assert_breach_starts_after(ticket, opened + 90 * MIN)


def test_a_clock_already_breached_before_a_pause_stays_breached(
    customer: Any, operator: Any
) -> None:
    opened = riyadh(2026, 3, 8, 10, 0)
    ticket = make_ticket(customer=customer, actor=operator, now=opened, subject=P0_TEXT)

    ticket_update(
        ticket_id=ticket.pk, status="pending_customer", actor=operator, now=opened + 45 * MIN
    )

    ticket.refresh_from_db()
    assert ticket.first_response_breached is True
    assert ticket.pk in breached_ids(opened + dt.timedelta(days=2))


def test_open_ticket_past_target_is_breached_now_without_any_write(
    customer: Any, operator: Any
) -> None:
    opened = riyadh(2026, 3, 8, 10, 0)
    ticket = make_ticket(customer=customer, actor=operator, now=opened, subject=P0_TEXT)

    later = opened + dt.timedelta(hours=1)

    ticket.refresh_from_db()
    assert ticket.first_response_breached is False  # the stored flag is from the opening
    assert ticket.pk in breached_ids(later)  # yet the queue sees it breached now
    assert set(ticket_queue(now=later, breached=False).values_list("pk", flat=True)) == set()
