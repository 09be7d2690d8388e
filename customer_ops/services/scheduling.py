"""The scheduler's one write: enqueue each due periodic job once per period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.tasks import Task

from customer_ops.domain.schedule import Job, due_period
from customer_ops.models.scheduling import ScheduledRun
from customer_ops.selectors.calendar import business_timezone


def schedule_due_jobs(*, jobs: Mapping[Job, Task[..., Any]], now: dt.datetime) -> list[str]:
    """Enqueue every job whose current period has no run yet; returns "job@period" enqueued.

    The insert of the (job, period) row and the task enqueue share one transaction (the task
    queue lives in the same database), so a second scheduler racing this one either sees the
    row and skips, or fails on the unique constraint and rolls back its own enqueue.
    """
    enqueued: list[str] = []
    for job, task in jobs.items():
        key = due_period(job, now=now, tz=business_timezone().key)
        if key is None or ScheduledRun.objects.filter(job=job.name, period_key=key).exists():
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(job=job.name, period_key=key, enqueued_at=now)
                result = task.enqueue(period_key=key)
                run.task_result_id = str(result.id)
                run.save(update_fields=["task_result_id"])
        except IntegrityError:
            continue  # another scheduler enqueued this period first
        enqueued.append(f"{job.name}@{key}")
    return enqueued
