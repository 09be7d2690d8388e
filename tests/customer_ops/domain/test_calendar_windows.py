"""Time windows, weeks and special periods: across midnight, split shifts, bilingual refusals."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from customer_ops.domain.calendar import (
    SpecialPeriod,
    WorkWindow,
    checked_week,
    ensure_supported_day,
    parse_window,
    week_from_data,
)
from customer_ops.domain.errors import InvalidValue
from customer_ops.domain.sla import (
    SkipReason,
    WorkingCalendar,
    add_working_time,
    working_time_between,
)

RIYADH = ZoneInfo("Asia/Riyadh")
EVENING = WorkWindow(dt.time(21), dt.time(2))
SUN_TO_THU = frozenset({6, 0, 1, 2, 3})
RAMADAN = SpecialPeriod("رمضان", dt.date(2026, 2, 18), dt.date(2026, 3, 18), (EVENING,), SUN_TO_THU)


def riyadh(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=RIYADH)


def test_a_window_ending_before_it_starts_crosses_midnight() -> None:
    assert EVENING.crosses_midnight
    assert EVENING.length == dt.timedelta(hours=5)
    assert parse_window("w", {"start": "21:00", "end": "02:00"}) == EVENING


def test_time_after_midnight_belongs_to_the_evening_before() -> None:
    calendar = WorkingCalendar(periods=(RAMADAN,))

    # Sunday 23:00 → 02:00 Monday (3 h), then Monday 21:00 → 22:00.
    assert add_working_time(riyadh(3, 1, 23), dt.timedelta(hours=4), calendar) == riyadh(3, 2, 22)
    # Thursday 00:00–02:00 is Wednesday's window; Thursday 21:00 → Friday 02:00 is Thursday's.
    total = working_time_between(riyadh(3, 5, 0), riyadh(3, 6, 3), calendar)
    assert total == dt.timedelta(hours=7)


def test_a_holiday_closes_its_evening_but_not_the_night_before_it() -> None:
    calendar = WorkingCalendar(periods=(RAMADAN,), holidays=frozenset({dt.date(2026, 3, 2)}))

    # Sunday's window still runs into the (holiday) Monday morning; Monday evening is closed.
    total = working_time_between(riyadh(3, 1, 21), riyadh(3, 4, 3), calendar)
    assert total == dt.timedelta(hours=5 + 5)  # Sunday night + Tuesday night


def test_the_period_replaces_the_week_only_on_its_dates() -> None:
    calendar = WorkingCalendar(periods=(RAMADAN,))

    assert calendar.windows_on(dt.date(2026, 3, 18)) == (EVENING,)
    assert calendar.windows_on(dt.date(2026, 3, 19)) == (WorkWindow(dt.time(9), dt.time(17)),)
    # The period's last evening runs to 02:00 on the 19th; the day's hours start at 09:00.
    due = add_working_time(riyadh(3, 18, 23), dt.timedelta(hours=4), calendar)
    assert due == riyadh(3, 19, 10)


def test_a_split_shift_counts_both_windows() -> None:
    split = (WorkWindow(dt.time(8), dt.time(12)), WorkWindow(dt.time(16), dt.time(20)))
    calendar = WorkingCalendar(week=tuple(split if day in SUN_TO_THU else () for day in range(7)))

    assert add_working_time(riyadh(3, 8, 11), dt.timedelta(hours=2), calendar) == riyadh(3, 8, 17)
    assert working_time_between(riyadh(3, 8, 0), riyadh(3, 9, 0), calendar) == dt.timedelta(hours=8)


def test_skipped_days_name_their_reason() -> None:
    calendar = WorkingCalendar(holidays=frozenset({dt.date(2026, 3, 10)}))

    skipped = calendar.skipped_days(riyadh(3, 5, 16), riyadh(3, 11, 16))

    assert [(s.day.day, s.reason) for s in skipped] == [
        (6, SkipReason.WEEKEND),
        (7, SkipReason.WEEKEND),
        (10, SkipReason.HOLIDAY),
    ]


@given(
    start_minutes=st.integers(min_value=0, max_value=60 * 24 * 40),
    duration_minutes=st.integers(min_value=1, max_value=60 * 80),
)
def test_working_time_between_undoes_add_working_time_across_midnight(
    start_minutes: int, duration_minutes: int
) -> None:
    calendar = WorkingCalendar(periods=(RAMADAN,), holidays=frozenset({dt.date(2026, 3, 1)}))
    start = riyadh(2, 10, 0) + dt.timedelta(minutes=start_minutes)
    duration = dt.timedelta(minutes=duration_minutes)

    due = add_working_time(start, duration, calendar)

    assert working_time_between(start, due, calendar) == duration


# ── Refusals, in English and Arabic ─────────────────────────────────────────────────────────────
@pytest.mark.parametrize(
    ("build", "field", "arabic"),
    [
        (lambda: WorkWindow(dt.time(9), dt.time(9)), "windows", "مدتها صفر"),
        (
            lambda: checked_week(
                {6: [WorkWindow(dt.time(9), dt.time(13)), WorkWindow(dt.time(12), dt.time(17))]}
            ),
            "week",
            "تتداخل",
        ),
        (
            lambda: checked_week({3: [EVENING], 4: [WorkWindow(dt.time(1), dt.time(5))]}),
            "week",
            "تتداخل",
        ),
        (
            lambda: checked_week(
                {5: [WorkWindow(dt.time(22), dt.time(3))], 6: [WorkWindow(dt.time(2), dt.time(9))]}
            ),
            "week",
            "تتداخل",
        ),
        (lambda: checked_week({}), "week", "فترة عمل واحدة"),
        (lambda: week_from_data({"9": [["09:00", "17:00"]]}), "week", "أيام الأسبوع"),
        (lambda: parse_window("windows.0", ["9am", "5pm"]), "windows.0", "HH:MM"),
        (
            lambda: SpecialPeriod(
                "رمضان", dt.date(2026, 3, 18), dt.date(2026, 2, 18), (EVENING,), SUN_TO_THU
            ),
            "end",
            "تنتهي الفترة قبل أن تبدأ",
        ),
        (
            lambda: ensure_supported_day(dt.date(2031, 1, 1), today=dt.date(2026, 3, 1)),
            "date",
            "خارج السنوات المدعومة",
        ),
    ],
)
def test_bad_calendar_values_are_refused_with_an_arabic_message(
    build: object, field: str, arabic: str
) -> None:
    with pytest.raises(InvalidValue) as refused:
        build()  # type: ignore[operator]

    assert refused.value.field == field
    assert arabic in refused.value.message_ar
    assert refused.value.message != refused.value.message_ar


def test_supported_years_run_from_last_year_to_two_ahead() -> None:
    today = dt.date(2026, 3, 1)

    assert ensure_supported_day(dt.date(2025, 1, 1), today=today)
    assert ensure_supported_day(dt.date(2028, 12, 31), today=today)
    with pytest.raises(InvalidValue):
        ensure_supported_day(dt.date(2024, 12, 31), today=today)
