"""Founders editing the calendar at the same moment on PostgreSQL: one wins, the others are told."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.db import connection

from customer_ops.domain.errors import EditConflict
from customer_ops.models import HolidayOverride, LedgerEntry, WorkingCalendarState
from customer_ops.services.calendar import holiday_override_set
from tests.customer_ops.services.test_draft_races import run_at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row-lock races need PostgreSQL (CI runs it)"
    ),
]

NOW = dt.datetime(2026, 3, 1, 7, 0, tzinfo=dt.UTC)
THREADS = 8


def test_concurrent_edits_from_the_same_version_leave_one_winner(founder: Any) -> None:
    names = itertools.count(1)

    errors = run_at_once(
        lambda: holiday_override_set(
            date=dt.date(2026, 3, 10),
            name=f"إعلان {next(names)}",
            actor=founder,
            now=NOW,
            expected_version=0,
        ),
        THREADS,
    )

    assert len(errors) == THREADS - 1
    assert all(isinstance(error, EditConflict) for error in errors)
    assert WorkingCalendarState.objects.get().version == 1
    assert HolidayOverride.objects.count() == 1
    assert LedgerEntry.objects.filter(verb="sla.holiday_set").count() == 1
