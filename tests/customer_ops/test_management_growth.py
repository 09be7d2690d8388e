"""Seeding in batches: the tables are analysed as they grow (the issue's 40-second batch)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from customer_ops.management.growth import GrowthAnalyzer

pytestmark = pytest.mark.django_db


def test_growth_analyzer_analyses_each_time_the_rows_written_double() -> None:
    growth = GrowthAnalyzer(["customer_ops_ticket", "customer_ops_slaevent"], first=100)

    with CaptureQueriesContext(connection) as captured:
        ran = [growth.after_batch(n) for n in (50, 100, 150, 199, 200, 500, 900, 1000)]

    assert ran == [False, True, False, False, True, True, False, True]
    analyses = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("ANALYZE")]
    assert len(analyses) == 8  # two tables, four times
    assert growth.runs == 4
