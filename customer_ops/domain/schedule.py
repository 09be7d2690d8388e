"""Periodic work as data: which period a moment falls in, so each period is enqueued once.

The scheduler asks `due_period(job, now)`; a returned key is unique per job and period, and the
database's unique constraint on (job, key) makes two schedulers running at once enqueue it once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo


class Every(StrEnum):
    MINUTE = "minute"
    DAY = "day"
    WEEK = "week"


@dataclass(frozen=True, slots=True)
class Job:
    name: str
    every: Every
    at: dt.time = dt.time(0, 0)
    """For daily and weekly jobs: the local time from which the period's run is due."""
    weekday: int = 0
    """For weekly jobs: ISO weekday - 1 (Monday = 0), the day from which the run is due."""


def due_period(job: Job, *, now: dt.datetime, tz: str) -> str | None:
    """The key of the period `now` falls in if that period's run is due, else None.

    Minute jobs are always due. A daily job is due from `at` local time until midnight; a weekly
    job from `weekday` at `at` until the week ends — so a scheduler that was down at 08:00 still
    runs the day's (or week's) job once when it comes back.
    """
    if now.tzinfo is None:
        raise ValueError("the scheduler needs a timezone-aware now")
    local = now.astimezone(ZoneInfo(tz))
    if job.every is Every.MINUTE:
        return now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M")
    if job.every is Every.DAY:
        return local.date().isoformat() if local.time() >= job.at else None
    year, week, weekday = local.isocalendar()
    started = (weekday - 1, local.time()) >= (job.weekday, job.at)
    return f"{year}-W{week:02d}" if started else None
