from __future__ import annotations

import datetime as dt

import pytest

from customer_ops.domain.schedule import Every, Job, due_period

RIYADH = "Asia/Riyadh"
SWEEP = Job("sla_sweep", Every.MINUTE)
DAILY = Job("cs_touchpoints", Every.DAY, at=dt.time(8, 0))
WEEKLY = Job("weekly_sla_review", Every.WEEK, at=dt.time(8, 0), weekday=0)


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def test_minute_job_has_one_key_per_minute() -> None:
    assert due_period(SWEEP, now=utc(2026, 3, 1, 9, 0, 5), tz=RIYADH) == "2026-03-01T09:00"
    assert due_period(SWEEP, now=utc(2026, 3, 1, 9, 0, 59), tz=RIYADH) == "2026-03-01T09:00"
    assert due_period(SWEEP, now=utc(2026, 3, 1, 9, 1, 0), tz=RIYADH) == "2026-03-01T09:01"


def test_daily_job_is_due_from_its_local_hour() -> None:
    # 04:59 UTC is 07:59 in Riyadh; 05:00 UTC is 08:00.
    assert due_period(DAILY, now=utc(2026, 3, 1, 4, 59), tz=RIYADH) is None
    assert due_period(DAILY, now=utc(2026, 3, 1, 5, 0), tz=RIYADH) == "2026-03-01"
    assert due_period(DAILY, now=utc(2026, 3, 1, 20, 59), tz=RIYADH) == "2026-03-01"


def test_daily_key_follows_the_riyadh_date_not_utc() -> None:
    # 21:30 UTC on 1 March is 00:30 on 2 March in Riyadh: before 08:00, not due.
    assert due_period(DAILY, now=utc(2026, 3, 1, 21, 30), tz=RIYADH) is None


def test_weekly_job_is_due_from_monday_8_until_the_week_ends() -> None:
    monday_0759 = utc(2026, 3, 2, 4, 59)  # 2 March 2026 is a Monday
    monday_0800 = utc(2026, 3, 2, 5, 0)
    thursday = utc(2026, 3, 5, 12, 0)

    assert due_period(WEEKLY, now=monday_0759, tz=RIYADH) is None
    assert due_period(WEEKLY, now=monday_0800, tz=RIYADH) == "2026-W10"
    assert due_period(WEEKLY, now=thursday, tz=RIYADH) == "2026-W10"


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        due_period(SWEEP, now=dt.datetime(2026, 3, 1, 9, 0), tz=RIYADH)  # noqa: DTZ001
