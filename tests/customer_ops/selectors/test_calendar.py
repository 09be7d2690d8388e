"""One business timezone, read through one accessor by the clocks, the scheduler and the screen."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import translation

from customer_ops.domain.schedule import Every, Job
from customer_ops.models import ScheduledRun
from customer_ops.selectors.calendar import business_timezone, business_week, working_calendar
from customer_ops.services.scheduling import schedule_due_jobs
from customer_ops.templatetags.ops import riyadh

# 20:30 UTC: 23:30 on the 1st in Riyadh (UTC+3), already 00:30 on the 2nd in Dubai (UTC+4).
MOMENT = dt.datetime(2026, 3, 1, 20, 30, tzinfo=dt.UTC)


def test_business_timezone_is_the_time_zone_setting(settings: Any) -> None:
    assert business_timezone().key == "Asia/Riyadh"

    settings.TIME_ZONE = "Asia/Dubai"

    assert business_timezone().key == "Asia/Dubai"


@pytest.mark.django_db
def test_one_setting_moves_the_clocks_the_schedule_and_the_screen(settings: Any) -> None:
    settings.TIME_ZONE = "Asia/Dubai"

    calendar = working_calendar(years=[2026])
    with translation.override("en"):
        shown = str(riyadh(MOMENT))

    assert calendar.tz == "Asia/Dubai"
    assert 'datetime="2026-03-02T00:30:00+04:00"' in shown


@pytest.mark.django_db
def test_the_scheduler_counts_days_in_the_business_timezone(settings: Any) -> None:
    settings.TIME_ZONE = "Asia/Dubai"
    daily = Job("daily_probe", Every.DAY, at=dt.time(0, 15))

    enqueued = schedule_due_jobs(jobs={daily: _Probe()}, now=MOMENT)

    assert enqueued == ["daily_probe@2026-03-02"]
    assert ScheduledRun.objects.get(job="daily_probe").period_key == "2026-03-02"


def test_the_working_week_comes_from_declared_settings(settings: Any) -> None:
    settings.DEALIX_SLA_WORKDAYS = [0, 1, 2, 3, 4]
    settings.DEALIX_SLA_DAY_START = "08:00"
    settings.DEALIX_SLA_DAY_END = "16:30"

    assert business_week() == (frozenset({0, 1, 2, 3, 4}), dt.time(8, 0), dt.time(16, 30))


class _Probe:
    """A task stand-in that records its enqueue (the scheduler calls `.enqueue`, keeps `.id`)."""

    id = "probe-result"

    def enqueue(self, **kwargs: Any) -> _Probe:
        self.kwargs = kwargs
        return self
