"""The calendar founders run: announced Eid, moved holidays, Ramadan across midnight, the timezone."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from customer_ops.domain.calendar import WorkWindow
from customer_ops.domain.errors import EditConflict, InvalidValue, RoleRefused, RuleRefused
from customer_ops.domain.schedule import Every, Job
from customer_ops.models import (
    CalendarPeriod,
    HolidayOverride,
    LedgerEntry,
    Notification,
)
from customer_ops.roles import Role
from customer_ops.selectors.calendar import (
    calendar_version,
    due_time_calendar,
    holidays_of_year,
    unconfirmed_estimates,
)
from customer_ops.selectors.tickets import ticket_sla_now
from customer_ops.services.calendar import (
    holiday_confirm,
    holiday_move,
    holiday_override_clear,
    holiday_override_set,
    special_period_create,
    special_period_delete,
    working_week_set,
)
from customer_ops.services.scheduling import schedule_due_jobs
from customer_ops.services.tickets import ticket_update
from customer_ops.tasks import cs_touchpoints_due
from tests.factories import make_customer, make_ticket

pytestmark = pytest.mark.django_db

RIYADH = ZoneInfo("Asia/Riyadh")
P2_TEXT = "Gmail connector"
RAMADAN_EVENINGS = (WorkWindow(dt.time(21), dt.time(2)),)


def riyadh(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=RIYADH)


ANNOUNCED_AT = riyadh(2026, 3, 17, 20)  # the moon sighting is announced on Tuesday evening


@pytest.fixture
def customer(founder: Any) -> Any:
    return make_customer(actor=founder, now=riyadh(2026, 1, 1, 9))


def dates_of(source: str, year: int = 2026) -> list[dt.date]:
    return [day.date for day in holidays_of_year(year) if day.source == source and day.closed]


# ── The package's estimate and the founders' announcement ──────────────────────────────────────
def test_the_package_marks_eid_as_an_estimate_and_fixed_days_as_package() -> None:
    estimates = dates_of("estimate")

    assert dt.date(2026, 3, 19) in estimates  # Eid al-Fitr, estimated
    assert dt.date(2026, 5, 27) in estimates  # Eid al-Adha, estimated
    assert dates_of("package") == [dt.date(2026, 2, 22), dt.date(2026, 9, 23)]


def test_p2_opened_the_wednesday_before_an_announced_eid_skips_the_announced_days(
    customer: Any, operator: Any, founder: Any
) -> None:
    # given: the package estimates Eid al-Fitr 19–24 March; the sighting puts it a day later
    holiday_move(
        date=dt.date(2026, 3, 19), to=dt.date(2026, 3, 25), actor=founder, now=ANNOUNCED_AT
    )

    # when: a P2 ticket arrives on Wednesday 18 March at 16:00 (Thursday 17:00 on, Eid)
    ticket = make_ticket(
        customer=customer, actor=operator, now=riyadh(2026, 3, 18, 16, 30), subject=P2_TEXT
    )

    # then: Thursday 19 is worked (the estimate would have skipped it) …
    assert ticket.first_response_due_at == riyadh(2026, 3, 19, 16, 30)
    # … and the resolution (72 working hours) skips 20–25 March, the announced days
    sla = ticket_sla_now(ticket=ticket, now=riyadh(2026, 3, 18, 16, 30))
    skipped = due_time_calendar(sla=sla, opened_at=ticket.opened_at)
    assert [day for day, _ in skipped.holidays] == [
        dt.date(2026, 3, 20),
        dt.date(2026, 3, 21),
        dt.date(2026, 3, 22),
        dt.date(2026, 3, 23),
        dt.date(2026, 3, 24),
        dt.date(2026, 3, 25),
    ]
    assert dt.date(2026, 3, 19) not in [day for day, _ in skipped.holidays]


def test_confirming_an_estimate_keeps_the_day_off_and_stops_the_reminder(founder: Any) -> None:
    today = dt.date(2026, 3, 2)
    assert [r.first_day for r in unconfirmed_estimates(today=today)] == [dt.date(2026, 3, 19)]

    holiday_confirm(date=dt.date(2026, 3, 19), actor=founder, now=riyadh(2026, 3, 2, 10))

    day = next(d for d in holidays_of_year(2026) if d.date == dt.date(2026, 3, 19))
    assert day.source == "announced" and day.closed
    # The rest of the occasion is still an estimate: one reminder, from the next estimated day.
    assert [r.first_day for r in unconfirmed_estimates(today=today)] == [dt.date(2026, 3, 20)]


def test_reminder_waits_until_the_estimate_comes_near() -> None:
    assert unconfirmed_estimates(today=dt.date(2026, 1, 5)) == []
    assert unconfirmed_estimates(today=dt.date(2026, 2, 20))[0].days_left == 27


# ── Every change moves open tickets, not closed ones ───────────────────────────────────────────
def test_moving_an_announced_holiday_moves_open_tickets_not_closed_ones(
    customer: Any, operator: Any, founder: Any
) -> None:
    holiday_override_set(
        date=dt.date(2026, 3, 10), name="إجازة معلنة", actor=founder, now=riyadh(2026, 3, 1, 9)
    )
    opened = riyadh(2026, 3, 9, 16)  # Monday 16:00; Tuesday announced off
    open_ticket = make_ticket(customer=customer, actor=operator, now=opened, subject=P2_TEXT)
    closed_ticket = make_ticket(customer=customer, actor=operator, now=opened, subject=P2_TEXT)
    ticket_update(ticket_id=closed_ticket.pk, assignee_id=operator.pk, actor=founder, now=opened)
    ticket_update(ticket_id=open_ticket.pk, assignee_id=operator.pk, actor=founder, now=opened)
    ticket_update(
        ticket_id=closed_ticket.pk,
        status="resolved",
        actor=operator,
        now=opened + dt.timedelta(minutes=5),
    )
    closed_ticket.refresh_from_db()
    closed_before = (closed_ticket.first_response_due_at, closed_ticket.resolution_due_at)
    assert open_ticket.first_response_due_at == riyadh(2026, 3, 11, 16)

    holiday_move(
        date=dt.date(2026, 3, 10),
        to=dt.date(2026, 3, 12),
        actor=founder,
        now=opened + dt.timedelta(hours=1),
    )

    open_ticket.refresh_from_db()
    closed_ticket.refresh_from_db()
    assert open_ticket.first_response_due_at == riyadh(2026, 3, 10, 16)
    assert open_ticket.next_due_at == riyadh(2026, 3, 10, 16)
    assert (closed_ticket.first_response_due_at, closed_ticket.resolution_due_at) == closed_before
    # One ledger row for the move, with before and after; the owner is told once.
    rows = LedgerEntry.objects.filter(verb="sla.holiday_moved")
    assert rows.count() == 1
    assert rows.get().after["to"]["date"] == "2026-03-12"
    assert rows.get().after["tickets_moved"] == 1
    notice = Notification.objects.get(recipient=operator, kind="calendar_due_moved")
    assert f"#{open_ticket.pk}" in notice.body
    assert f"#{closed_ticket.pk}" not in notice.body


def test_clearing_an_announcement_returns_to_the_package(
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
        customer=customer, actor=operator, now=riyadh(2026, 2, 19, 16), subject=P2_TEXT
    )
    assert ticket.first_response_due_at == riyadh(2026, 2, 22, 16)

    holiday_override_clear(date=dt.date(2026, 2, 22), actor=founder, now=riyadh(2026, 2, 19, 17))

    ticket.refresh_from_db()
    assert ticket.first_response_due_at == riyadh(2026, 2, 23, 16)
    assert not HolidayOverride.objects.exists()


def test_clearing_a_day_with_no_announcement_is_refused_and_writes_nothing(founder: Any) -> None:
    ledger_rows = LedgerEntry.objects.count()
    with pytest.raises(RuleRefused) as refused:
        holiday_override_clear(
            date=dt.date(2026, 2, 22), actor=founder, now=riyadh(2026, 2, 19, 17)
        )
    assert refused.value.field == "date"
    assert LedgerEntry.objects.count() == ledger_rows


# ── Ramadan across midnight, split shifts ───────────────────────────────────────────────────────
def test_ramadan_evening_window_is_honoured_across_midnight(
    customer: Any, operator: Any, founder: Any
) -> None:
    special_period_create(
        name="رمضان",
        start=dt.date(2026, 2, 18),
        end=dt.date(2026, 3, 18),
        windows=RAMADAN_EVENINGS,
        actor=founder,
        now=riyadh(2026, 2, 1, 9),
    )

    # Sunday 1 March 23:00: 3 hours to 02:00 Monday, 5 more from Monday 21:00 → Tuesday 02:00.
    ticket = make_ticket(
        customer=customer, actor=operator, now=riyadh(2026, 3, 1, 23), subject=P2_TEXT
    )

    assert ticket.first_response_due_at == riyadh(2026, 3, 3, 2)
    assert ticket.overdue_after is not None
    # Monday 01:30 belongs to Sunday's window: the clock is running then, not at 10:00.
    sla = ticket_sla_now(ticket=ticket, now=riyadh(2026, 3, 2, 1, 30))
    assert sla.first_response.elapsed == dt.timedelta(hours=2, minutes=30)
    sla_morning = ticket_sla_now(ticket=ticket, now=riyadh(2026, 3, 2, 12))
    assert sla_morning.first_response.elapsed == dt.timedelta(hours=3)


def test_a_thursday_evening_window_runs_into_friday(
    customer: Any, operator: Any, founder: Any
) -> None:
    special_period_create(
        name="رمضان",
        start=dt.date(2026, 2, 18),
        end=dt.date(2026, 3, 18),
        windows=RAMADAN_EVENINGS,
        actor=founder,
        now=riyadh(2026, 2, 1, 9),
    )

    ticket = make_ticket(
        customer=customer, actor=operator, now=riyadh(2026, 3, 6, 0, 30), subject=P2_TEXT
    )  # Friday 00:30, inside Thursday's window

    # 1.5 h on Friday morning (Thursday's window), 5 h from Sunday 21:00 to Monday 02:00,
    # the last 1.5 h in Monday's evening window.
    assert ticket.first_response_due_at == riyadh(2026, 3, 9, 22, 30)


def test_removing_a_period_brings_back_the_week(customer: Any, operator: Any, founder: Any) -> None:
    period = special_period_create(
        name="رمضان",
        start=dt.date(2026, 2, 18),
        end=dt.date(2026, 3, 18),
        windows=RAMADAN_EVENINGS,
        actor=founder,
        now=riyadh(2026, 2, 1, 9),
    )
    ticket = make_ticket(
        customer=customer, actor=operator, now=riyadh(2026, 3, 1, 23), subject=P2_TEXT
    )

    special_period_delete(period_id=period.pk, actor=founder, now=riyadh(2026, 3, 1, 23, 30))

    ticket.refresh_from_db()
    assert ticket.first_response_due_at == riyadh(2026, 3, 2, 17)
    assert not CalendarPeriod.objects.exists()


def test_a_split_shift_week_moves_every_open_ticket(
    customer: Any, operator: Any, founder: Any
) -> None:
    ticket = make_ticket(
        customer=customer, actor=operator, now=riyadh(2026, 3, 8, 9), subject=P2_TEXT
    )
    assert ticket.first_response_due_at == riyadh(2026, 3, 8, 17)
    split = [["08:00", "12:00"], ["16:00", "20:00"]]

    working_week_set(
        week={str(day): split for day in (6, 0, 1, 2, 3)}, actor=founder, now=riyadh(2026, 3, 8, 9)
    )

    # 3 h to noon, 4 h from 16:00 to 20:00, the last hour on Monday from 08:00.
    ticket.refresh_from_db()
    assert ticket.first_response_due_at == riyadh(2026, 3, 9, 9)
    assert LedgerEntry.objects.filter(verb="sla.week_set").count() == 1


# ── Bad input and concurrent edits ──────────────────────────────────────────────────────────────
def test_bad_calendar_input_is_refused_in_both_languages_and_nothing_is_written(
    founder: Any,
) -> None:
    now = riyadh(2026, 3, 1, 9)
    cases = [
        lambda: working_week_set(
            week={"6": [["09:00", "13:00"], ["12:00", "17:00"]]}, actor=founder, now=now
        ),
        lambda: working_week_set(week={"6": [["09:00", "09:00"]]}, actor=founder, now=now),
        lambda: working_week_set(
            week={"3": [["21:00", "02:00"]], "4": [["01:00", "05:00"]]}, actor=founder, now=now
        ),
        lambda: special_period_create(
            name="رمضان",
            start=dt.date(2026, 3, 18),
            end=dt.date(2026, 2, 18),
            windows=RAMADAN_EVENINGS,
            actor=founder,
            now=now,
        ),
        lambda: holiday_override_set(date=dt.date(2031, 1, 1), name="بعيد", actor=founder, now=now),
    ]
    for case in cases:
        with pytest.raises(InvalidValue) as refused:
            case()
        assert refused.value.message_ar != refused.value.message

    assert calendar_version() == 0
    assert not LedgerEntry.objects.filter(verb__startswith="sla.").exists()
    assert not CalendarPeriod.objects.exists() and not HolidayOverride.objects.exists()


def test_overlapping_periods_are_refused(founder: Any) -> None:
    now = riyadh(2026, 2, 1, 9)
    special_period_create(
        name="رمضان",
        start=dt.date(2026, 2, 18),
        end=dt.date(2026, 3, 18),
        windows=RAMADAN_EVENINGS,
        actor=founder,
        now=now,
    )

    with pytest.raises(InvalidValue, match="overlaps"):
        special_period_create(
            name="جرد",
            start=dt.date(2026, 3, 10),
            end=dt.date(2026, 3, 20),
            windows=RAMADAN_EVENINGS,
            actor=founder,
            now=now,
        )

    assert CalendarPeriod.objects.count() == 1


def test_two_founders_editing_at_once_one_wins_and_the_other_is_told(
    founder: Any, make_user: Any
) -> None:
    other = make_user("founder-2", Role.FOUNDER)
    seen = calendar_version()  # both opened the screen at this version
    holiday_override_set(
        date=dt.date(2026, 3, 10),
        name="الأول",
        actor=founder,
        now=riyadh(2026, 3, 1, 9),
        expected_version=seen,
    )

    with pytest.raises(EditConflict) as conflict:
        holiday_override_set(
            date=dt.date(2026, 3, 10),
            name="الثاني",
            actor=other,
            now=riyadh(2026, 3, 1, 9),
            expected_version=seen,
        )

    assert "أعد تحميل" in conflict.value.message_ar
    assert HolidayOverride.objects.get().name == "الأول"
    assert calendar_version() == seen + 1
    assert LedgerEntry.objects.filter(verb="sla.holiday_set").count() == 1


def test_operators_cannot_change_the_calendar(operator: Any) -> None:
    with pytest.raises(RoleRefused):
        holiday_override_set(
            date=dt.date(2026, 3, 10), name="x", actor=operator, now=riyadh(2026, 3, 1, 9)
        )

    assert not HolidayOverride.objects.exists()


# ── One timezone setting ────────────────────────────────────────────────────────────────────────
def test_time_zone_setting_moves_clocks_sweeps_and_screen_together(
    settings: Any, customer: Any, operator: Any, operator_client: Any
) -> None:
    opened = dt.datetime(2026, 3, 8, 6, 0, tzinfo=dt.UTC)  # 09:00 Riyadh, 10:00 Dubai

    riyadh_ticket = make_ticket(customer=customer, actor=operator, now=opened, subject=P2_TEXT)
    settings.TIME_ZONE = "Asia/Dubai"
    dubai_ticket = make_ticket(customer=customer, actor=operator, now=opened, subject=P2_TEXT)

    # Clocks: the working day is 09:00–17:00 in the business timezone.
    assert riyadh_ticket.first_response_due_at == dt.datetime(2026, 3, 8, 14, tzinfo=dt.UTC)
    assert dubai_ticket.first_response_due_at == dt.datetime(2026, 3, 9, 6, tzinfo=dt.UTC)
    # Screen: the ticket page shows the due time in Dubai time and names the zone.
    html = operator_client.get(f"/tickets/{dubai_ticket.pk}/").content.decode()
    assert "Asia/Dubai" in html
    assert 'datetime="2026-03-09T10:00:00+04:00"' in html
    # Sweeps and scheduler: the daily job is due from 08:00 business time (04:30 UTC is 07:30
    # in Riyadh, 08:30 in Dubai).
    daily = {Job("cs_touchpoints_due", Every.DAY, at=dt.time(8)): cs_touchpoints_due}
    at = dt.datetime(2026, 3, 8, 4, 30, tzinfo=dt.UTC)
    assert schedule_due_jobs(jobs=daily, now=at) == ["cs_touchpoints_due@2026-03-08"]
    settings.TIME_ZONE = "Asia/Riyadh"
    assert schedule_due_jobs(jobs=daily, now=at + dt.timedelta(minutes=1)) == []
