"""Seeding in batches: the tables are analysed as they grow, and the seeded tickets are found."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from customer_ops.management.growth import GrowthAnalyzer
from customer_ops.models import SearchEntry, Ticket

pytestmark = pytest.mark.django_db


def test_growth_analyzer_analyses_each_time_the_rows_written_double() -> None:
    growth = GrowthAnalyzer(["customer_ops_ticket", "customer_ops_slaevent"], first=100)

    with CaptureQueriesContext(connection) as captured:
        ran = [growth.after_batch(n) for n in (50, 100, 150, 199, 200, 500, 900, 1000)]

    assert ran == [False, True, False, False, True, True, False, True]
    analyses = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("ANALYZE")]
    assert len(analyses) == 8  # two tables, four times
    assert growth.runs == 4


def test_seed_demo_tickets_are_found_by_the_search() -> None:
    call_command("seed_demo", force=True, tickets=12, verbosity=0)

    tickets = set(Ticket.objects.values_list("pk", flat=True))
    indexed = set(SearchEntry.objects.filter(kind="ticket").values_list("object_id", flat=True))

    assert len(tickets) == 12
    assert indexed == tickets
