"""The ticket queue page with 100 tickets and with 1,000,000 tickets, on PostgreSQL, in one run.

Setup: two databases (`BENCH_DATABASE_URL` with suffix `_queue_small`, and the search
benchmark's `_search_large`, shared: the same desk, loaded once when both benchmarks run with
BENCH_SEARCH_REUSE=1), migrated and loaded by `bench.bulk_pg.desk_databases` (COPY; the same
tickets of `bench.ticket_data` as everywhere, their SLA events, messages and search rows). The 100
tickets are a live support desk: a mix of priorities; open, waiting-on-customer, resolved and
closed tickets from the last two weeks (45% still active), of the same 2,000 customers and 12
operators as the large desk (the page's filters list them all). The million are two years of history
of 2,000 customers, 0.6% still being worked on (about four days of tickets, as a real desk has:
the active set does not grow with the history). BENCH_SEARCH_TICKETS makes the large one smaller
(while iterating). `seed_tickets` is the ORM way to write the same tickets (SQLite-sized sets).

Measure: GET /tickets/ (first page, default view and sort: the working queue by next SLA due) as a
signed-in operator of each desk through Django's test Client, production settings (DEBUG off),
with a connection to each database kept open between requests as in production. The two
databases are measured in alternating slices (A B, B A, …) so a change of load on the machine
falls on both; the medians are compared and the queries of one request are counted with
`CaptureQueriesContext`. Target: the large median ≤ 1.5× the small one, with the same number of
queries. The "all statuses" view (every row sorted) is printed too, untargeted.
BENCH_EXPLAIN=1 prints EXPLAIN ANALYZE of the queries of one request on the large desk (also
printed when the target is missed).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Sequence
from typing import Any

from bench.pg import bench_database_url, drop_database, unreachable, where
from bench.search_pg import DESK, LARGE
from bench.server import measure_in_child

SMALL = 100
# Shares the search benchmark's large desk, so its reuse switch keeps both.
REUSE = os.environ.get("BENCH_SEARCH_REUSE") == "1" or os.environ.get("BENCH_QUEUE_REUSE") == "1"
# The same customers and operators as the large desk (the same seed makes them first): the page
# lists them in its filters, and the comparison is about the tickets (with 40 customers here and
# 2,000 there, rendering 2,000 <option>s made the large page 4× slower with every query < 3 ms).
SMALL_DESK = {**DESK, "tickets": SMALL, "history_days": 14, "active_share": 0.45}
REQUESTS = int(os.environ.get("BENCH_QUEUE_REQUESTS", "40"))
WARMUP = 5
TARGET_RATIO = 1.5
BATCH = 2_000


def seed_tickets(
    *,
    count: int,
    now: dt.datetime,
    customers: Sequence[Any],
    assignees: Sequence[Any],
    history_days: int,
    active_share: float,
    rng: random.Random,
    show_progress: bool = True,
) -> int:
    """Write `count` tickets (`bench.ticket_data`) with their SLA events, in batches."""
    from bench.ticket_data import opened_time, planner_for
    from customer_ops.management.growth import GrowthAnalyzer
    from customer_ops.management.progress import ProgressBar
    from customer_ops.models import SlaEvent, Ticket

    progress = (
        ProgressBar(count, stream=sys.stderr, label="    seeding tickets")
        if show_progress
        else None
    )
    planner = planner_for(now=now, history_days=history_days, rng=rng)
    # Analysed as they grow: a plan cached while the tables were small must not serve the later
    # batches (the 40-second batch; see customer_ops/management/growth.py).
    growth = GrowthAnalyzer([Ticket._meta.db_table, SlaEvent._meta.db_table])
    written = 0
    while written < count:
        size = min(BATCH, count - written)
        tickets: list[Any] = []
        plans: list[list[tuple[str, dt.datetime]]] = []
        for _ in range(size):
            active = rng.random() < active_share
            opened = opened_time(rng, now=now, history_days=history_days, active=active)
            plan = planner.plan(opened=opened, active=active)
            tickets.append(
                Ticket(
                    customer=rng.choice(customers), assignee=rng.choice(assignees), **plan.fields
                )
            )
            plans.append(plan.events)
        created = Ticket.objects.bulk_create(tickets)
        SlaEvent.objects.bulk_create(
            SlaEvent(ticket=ticket, event=event, at=at, actor_label="bench:seed")
            for ticket, events in zip(created, plans, strict=True)
            for event, at in events
        )
        written += size
        growth.after_batch(written)
        if progress is not None:
            progress.advance(size)
    if progress is not None:
        progress.close()
    return written


def _count_queries(client: Any, url: str) -> tuple[int, int, list[str]]:
    """Queries of one request (`CaptureQueriesContext`), the queue rows it showed, the SQL."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    statements = [query["sql"] for query in ctx.captured_queries]
    return len(statements), response.content.decode().count("data-sla-row"), statements


def _timed(client: Any, url: str, requests: int) -> list[float]:
    for _ in range(WARMUP):
        assert client.get(url).status_code == 200
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return timings


def _compare(desks: dict[str, tuple[Any, Any]], url: str, requests: int) -> dict[str, float]:
    """Median ms on each desk ({name: (connection, client)}), measured in alternating slices
    (A B, B A, …) so that a load change on the machine during the run falls on both alike."""
    from django.db import connections

    slices = 4
    per_slice = max(1, requests // slices)
    timings: dict[str, list[float]] = {name: [] for name in desks}
    order = list(desks)
    for _ in range(slices):
        for name in order:
            wrapper, client = desks[name]
            connections["default"] = wrapper
            timings[name] += _timed(client, url, per_slice)
        order.reverse()
    return {name: statistics.median(values) for name, values in timings.items()}


def _explain(statements: list[str]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for n, statement in enumerate(statements, start=1):
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement)
            print(f"    -- query {n}: {' '.join(statement.split())[:300]}")
            for (line,) in cursor.fetchall():
                print(f"       {line}")


def _run_here() -> dict[str, float]:
    """The benchmark in this process (production settings; DATABASE_URL is the small desk)."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connections
    from django.test import Client

    # Static URLs without the manifest `collectstatic` writes (a dict lookup per URL in
    # production): collecting and compressing every file would cost this run a minute for nothing.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

    from bench.bulk_pg import desk_databases
    from customer_ops.models import Ticket

    small_url, large_url = bench_database_url("queue_small"), bench_database_url("search_large")
    (small, _, small_how), (large, _, large_how) = desk_databases(
        [(small_url, SMALL_DESK), (large_url, {"tickets": LARGE, **DESK})], reuse=REUSE
    )
    print(f"    small: {small_how}")
    print(f"    large: {large_how}")
    url = "/tickets/"
    desks: dict[str, tuple[Any, Any]] = {}
    shape: dict[str, tuple[int, int, int, int, list[str]]] = {}
    for name, wrapper in (("small", small), ("large", large)):
        connections["default"] = wrapper
        client = Client()
        client.force_login(get_user_model().objects.get(username="bench-operator-0"))
        desks[name] = (wrapper, client)
        total = Ticket.objects.count()
        active = Ticket.objects.filter(status__in=["open", "pending_customer"]).count()
        queries, rows, statements = _count_queries(client, url)
        shape[name] = (total, active, queries, rows, statements)

    print(f"    GET {url} (first page, default sort), {REQUESTS} requests each:")
    medians = _compare(desks, url, REQUESTS)
    every = _compare(desks, url + "?status=all", max(8, REQUESTS // 4))
    small_ms, large_ms = medians["small"], medians["large"]
    ratio = large_ms / small_ms
    small_q, large_q = shape["small"][2], shape["large"][2]
    same = small_q == large_q
    for name in ("small", "large"):
        total, active, queries, rows, _ = shape[name]
        print(
            f"    {total:>9,} tickets ({active:,} active): median {medians[name]:6.1f} ms,"
            f" {queries} queries, {rows} rows shown"
        )
    verdict = "met" if ratio <= TARGET_RATIO and same else "MISSED"
    print(
        f"    ratio {ratio:.2f}× (target ≤ {TARGET_RATIO}×); queries {small_q} vs {large_q}"
        f" ({'equal' if same else 'DIFFERENT'}) — {verdict}"
    )
    print(
        f"    (untargeted) every status, all rows sorted: {every['small']:.1f} ms vs"
        f" {every['large']:.1f} ms"
    )
    if os.environ.get("BENCH_EXPLAIN") == "1" or verdict != "met":
        connections["default"] = large
        _explain(shape["large"][4])
    return {
        "queue_small_ms": round(small_ms, 2),
        "queue_large_ms": round(large_ms, 2),
        "queue_ratio": round(ratio, 3),
        "queue_small_queries": small_q,
        "queue_large_queries": large_q,
        "queue_queries_failed": int(not same),
        "queue_all_small_ms": round(every["small"], 2),
        "queue_all_large_ms": round(every["large"], 2),
    }


def main() -> dict[str, float]:
    """Prepare and measure in a fresh process (production settings) pointed at the databases."""
    print(f"(q) Ticket queue page on PostgreSQL: {LARGE:,} tickets vs {SMALL}", flush=True)
    small_url, large_url = bench_database_url("queue_small"), bench_database_url("search_large")
    problem = unreachable(small_url)
    if problem is not None:
        print(f"    skipped: needs PostgreSQL at {where(small_url)} ({problem})")
        return {}
    try:
        return measure_in_child("bench.queue_page", database_url=small_url)
    finally:
        if not REUSE:
            drop_database(small_url)
            drop_database(large_url)


if __name__ == "__main__":
    if "--json" in sys.argv:
        print(json.dumps(_run_here()))
    else:
        main()
