"""Working time and the live SLA clocks derived from ticket events (SPEC.md §2, §6)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from customer_ops.domain.errors import InvalidValue, UnknownPriority, UnknownSlaEvent
from customer_ops.domain.sla import (
    WorkingCalendar,
    add_working_time,
    first_response_clock,
    resolution_clock,
    working_time_between,
)

RIYADH = ZoneInfo("Asia/Riyadh")
NAIVE_TEN = dt.datetime(2026, 3, 1, 10)  # noqa: DTZ001 - deliberately naive
CALENDAR = WorkingCalendar()
MIN = dt.timedelta(minutes=1)


def riyadh(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=RIYADH)


# ── Working time ────────────────────────────────────────────────────────────────────────────────
def test_add_working_time_across_the_weekend():
    thursday_16 = riyadh(2026, 3, 5, 16)
    assert thursday_16.strftime("%A") == "Thursday"

    due = add_working_time(thursday_16, dt.timedelta(hours=8), CALENDAR)

    # 1 hour on Thursday, Friday and Saturday off, 7 hours on Sunday.
    assert due == riyadh(2026, 3, 8, 16)


def test_add_working_time_across_a_holiday():
    calendar = WorkingCalendar(holidays=frozenset({dt.date(2026, 2, 22)}))  # Founding Day, Sunday

    due = add_working_time(riyadh(2026, 2, 19, 16), dt.timedelta(hours=8), calendar)

    assert due == riyadh(2026, 2, 23, 16)


def test_add_working_time_outside_hours_starts_at_next_opening():
    sunday_7 = riyadh(2026, 3, 8, 7)

    assert add_working_time(sunday_7, dt.timedelta(hours=1), CALENDAR) == riyadh(2026, 3, 8, 10)


def test_add_working_time_ending_exactly_at_closing_stays_that_day():
    assert add_working_time(riyadh(2026, 3, 5, 16), dt.timedelta(hours=1), CALENDAR) == riyadh(
        2026, 3, 5, 17
    )


def test_add_working_time_keeps_the_callers_timezone():
    start = riyadh(2026, 3, 8, 9).astimezone(dt.UTC)

    due = add_working_time(start, dt.timedelta(hours=2), CALENDAR)

    assert due.tzinfo is dt.UTC
    assert due == riyadh(2026, 3, 8, 11)


def test_add_working_time_rejects_naive_start():
    with pytest.raises(ValueError, match="timezone-aware"):
        add_working_time(dt.datetime(2026, 3, 8, 9), dt.timedelta(hours=1), CALENDAR)  # noqa: DTZ001


def test_working_time_between_skips_nights_weekends_and_holidays():
    calendar = WorkingCalendar(holidays=frozenset({dt.date(2026, 3, 9)}))

    # Thursday 15:00 → Tuesday 10:00: 2h Thu, Fri/Sat weekend, 8h Sun, Mon holiday, 1h Tue.
    total = working_time_between(riyadh(2026, 3, 5, 15), riyadh(2026, 3, 10, 10), calendar)

    assert total == dt.timedelta(hours=11)


def test_working_time_between_is_zero_when_end_is_before_start():
    assert working_time_between(
        riyadh(2026, 3, 8, 12), riyadh(2026, 3, 8, 10), CALENDAR
    ) == dt.timedelta(0)


@given(
    start_minutes=st.integers(min_value=0, max_value=60 * 24 * 21),
    duration_minutes=st.integers(min_value=1, max_value=60 * 60),
)
def test_working_time_between_undoes_add_working_time(start_minutes, duration_minutes):
    start = riyadh(2026, 3, 1, 0) + dt.timedelta(minutes=start_minutes)
    duration = dt.timedelta(minutes=duration_minutes)

    due = add_working_time(start, duration, CALENDAR)

    assert working_time_between(start, due, CALENDAR) == duration


def test_working_calendar_rejects_bad_configuration():
    with pytest.raises(InvalidValue):
        WorkingCalendar(tz="Mars/Olympus")
    with pytest.raises(InvalidValue):
        WorkingCalendar(workdays=frozenset())
    with pytest.raises(InvalidValue):
        WorkingCalendar(day_start=dt.time(17), day_end=dt.time(9))


# ── First-response clock, 24/7 (P0/P1) ──────────────────────────────────────────────────────────
OPENED = riyadh(2026, 3, 1, 10)


def test_first_response_clock_exactly_at_the_target_minute_is_not_breached():
    clock = first_response_clock(
        priority="P0", events=[("opened", OPENED)], now=OPENED + 30 * MIN, calendar=CALENDAR
    )

    assert clock.breached is False
    assert clock.remaining == dt.timedelta(0)
    assert clock.due_at == OPENED + 30 * MIN


def test_first_response_clock_one_minute_after_the_target_is_breached():
    clock = first_response_clock(priority="P0", events=[("opened", OPENED)], now=OPENED + 31 * MIN)

    assert clock.breached is True
    assert clock.remaining == -MIN
    assert clock.met is None  # still open: breached now, not only once answered


def test_first_response_clock_p1_counts_nights_and_weekends():
    friday_23 = riyadh(2026, 3, 6, 23)

    clock = first_response_clock(
        priority="P1", events=[("opened", friday_23)], now=friday_23 + 121 * MIN
    )

    assert clock.breached is True


def test_first_response_clock_stops_at_the_first_response():
    events = [
        ("opened", OPENED),
        ("first_response", OPENED + 20 * MIN),
        ("first_response", OPENED + 90 * MIN),
    ]

    clock = first_response_clock(priority="P0", events=events, now=OPENED + dt.timedelta(days=2))

    assert clock.elapsed == 20 * MIN
    assert clock.stopped_at == OPENED + 20 * MIN
    assert clock.met is True
    assert clock.breached is False


def test_first_response_clock_late_response_is_not_met():
    events = [("opened", OPENED), ("first_response", OPENED + 45 * MIN)]

    clock = first_response_clock(
        priority="P0", events=events, now=OPENED + 2 * dt.timedelta(hours=1)
    )

    assert clock.met is False
    assert clock.breached is True
    assert clock.due_at == OPENED + 30 * MIN


def test_first_response_clock_excludes_paused_time():
    events = [("opened", OPENED), ("paused", OPENED + 10 * MIN), ("resumed", OPENED + 70 * MIN)]

    clock = first_response_clock(priority="P0", events=events, now=OPENED + 85 * MIN)

    assert clock.elapsed == 25 * MIN
    assert clock.breached is False
    assert clock.paused is False
    assert clock.due_at == OPENED + 90 * MIN


def test_first_response_clock_open_pause_runs_to_now_and_shows_paused():
    events = [("opened", OPENED), ("paused", OPENED + 20 * MIN)]

    clock = first_response_clock(priority="P0", events=events, now=OPENED + dt.timedelta(hours=5))

    assert clock.paused is True
    assert clock.elapsed == 20 * MIN
    assert clock.breached is False
    assert clock.due_at == OPENED + dt.timedelta(hours=5) + 10 * MIN


def test_first_response_clock_ignores_events_after_now():
    events = [("opened", OPENED), ("first_response", OPENED + 50 * MIN)]

    clock = first_response_clock(priority="P0", events=events, now=OPENED + 10 * MIN)

    assert clock.stopped_at is None
    assert clock.elapsed == 10 * MIN


def test_first_response_clock_accepts_events_out_of_order():
    events = [(("first_response"), OPENED + 5 * MIN), ("opened", OPENED)]

    clock = first_response_clock(priority="P1", events=events, now=OPENED + 10 * MIN)

    assert clock.elapsed == 5 * MIN


# ── Working-hours clocks (P2/P3) ────────────────────────────────────────────────────────────────
def test_first_response_clock_p2_is_due_eight_working_hours_later_across_the_weekend():
    thursday_16 = riyadh(2026, 3, 5, 16)
    events = [("opened", thursday_16)]

    on_time = first_response_clock(
        priority="P2", events=events, now=riyadh(2026, 3, 8, 16), calendar=CALENDAR
    )
    late = first_response_clock(
        priority="P2", events=events, now=riyadh(2026, 3, 8, 16, 1), calendar=CALENDAR
    )

    assert on_time.due_at == riyadh(2026, 3, 8, 16)
    assert on_time.breached is False
    assert late.breached is True


def test_first_response_clock_p2_weekend_does_not_count():
    events = [("opened", riyadh(2026, 3, 5, 16))]

    clock = first_response_clock(
        priority="P2", events=events, now=riyadh(2026, 3, 7, 23), calendar=CALENDAR
    )

    assert clock.elapsed == dt.timedelta(hours=1)


def test_first_response_clock_p3_opened_before_hours_starts_at_nine():
    sunday_7 = riyadh(2026, 3, 8, 7)

    clock = first_response_clock(
        priority="P3", events=[("opened", sunday_7)], now=riyadh(2026, 3, 8, 8, 59)
    )

    assert clock.elapsed == dt.timedelta(0)
    assert clock.due_at == riyadh(2026, 3, 10, 17)  # 24 working hours = 3 working days


def test_first_response_clock_p2_across_a_holiday():
    calendar = WorkingCalendar(holidays=frozenset({dt.date(2026, 2, 22)}))
    events = [("opened", riyadh(2026, 2, 19, 16))]

    clock = first_response_clock(
        priority="P2", events=events, now=riyadh(2026, 2, 22, 17), calendar=calendar
    )

    assert clock.elapsed == dt.timedelta(hours=1)
    assert clock.due_at == riyadh(2026, 2, 23, 16)


def test_first_response_clock_p2_pause_in_working_hours_pushes_the_due_time():
    sunday_9 = riyadh(2026, 3, 8, 9)
    events = [
        ("opened", sunday_9),
        ("paused", riyadh(2026, 3, 8, 10)),
        ("resumed", riyadh(2026, 3, 8, 12)),
    ]

    clock = first_response_clock(
        priority="P2", events=events, now=riyadh(2026, 3, 8, 13), calendar=CALENDAR
    )

    assert clock.elapsed == dt.timedelta(hours=2)
    assert clock.due_at == riyadh(2026, 3, 9, 11)


# ── Resolution clock ────────────────────────────────────────────────────────────────────────────
def test_resolution_clock_stops_when_resolved():
    events = [
        ("opened", OPENED),
        ("first_response", OPENED + 5 * MIN),
        ("resolved", OPENED + 3 * dt.timedelta(hours=1)),
    ]

    clock = resolution_clock(priority="P0", events=events, now=OPENED + dt.timedelta(days=1))

    assert clock.met is True
    assert clock.elapsed == dt.timedelta(hours=3)


def test_resolution_clock_runs_again_after_a_reopen():
    hour = dt.timedelta(hours=1)
    events = [("opened", OPENED), ("resolved", OPENED + hour), ("opened", OPENED + 5 * hour)]

    clock = resolution_clock(priority="P0", events=events, now=OPENED + 7.5 * hour)

    assert clock.stopped_at is None
    assert clock.elapsed == 3.5 * hour
    assert clock.breached is False
    assert clock.due_at == OPENED + 8 * hour


def test_resolution_clock_open_ticket_past_target_is_breached_now():
    clock = resolution_clock(
        priority="P1", events=[("opened", OPENED)], now=OPENED + dt.timedelta(hours=24, minutes=1)
    )

    assert clock.breached is True
    assert clock.due_at == OPENED + dt.timedelta(hours=24)


def test_resolution_clock_pause_counts_for_resolution_too():
    hour = dt.timedelta(hours=1)
    events = [("opened", OPENED), ("paused", OPENED + hour), ("resumed", OPENED + 10 * hour)]

    clock = resolution_clock(priority="P0", events=events, now=OPENED + 12 * hour)

    assert clock.elapsed == 3 * hour
    assert clock.breached is False


# ── Validation ──────────────────────────────────────────────────────────────────────────────────
def test_clock_rejects_naive_now():
    with pytest.raises(ValueError, match="timezone-aware"):
        first_response_clock(priority="P0", events=[("opened", OPENED)], now=NAIVE_TEN)


def test_clock_rejects_naive_event_time():
    with pytest.raises(ValueError, match="timezone-aware"):
        first_response_clock(priority="P0", events=[("opened", NAIVE_TEN)], now=OPENED)


def test_clock_requires_an_opened_event():
    with pytest.raises(InvalidValue, match="no opened event"):
        first_response_clock(priority="P0", events=[("paused", OPENED)], now=OPENED + MIN)


def test_clock_rejects_unknown_event_and_priority():
    with pytest.raises(UnknownSlaEvent):
        first_response_clock(
            priority="P0", events=[("opened", OPENED), ("closed", OPENED)], now=OPENED
        )
    with pytest.raises(UnknownPriority):
        first_response_clock(priority="P5", events=[("opened", OPENED)], now=OPENED)
