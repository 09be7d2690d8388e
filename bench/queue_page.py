"""The ticket queue page with 100 tickets and with 100,000 tickets, in the same run.

Setup: a throwaway SQLite database in a temp dir (DATABASE_URL and DJANGO_DEBUG=1 set before
`django.setup()`, then `migrate`), an operator, 40 customers. The first 100 tickets are a live
support desk: a mix of priorities; open, waiting-on-customer, resolved and closed tickets from the
last two weeks. That database is copied and the copy grows to 100,000 tickets with two years of
history (mostly resolved and closed, a few per cent still open). `seed_tickets` writes the tickets
of `bench.ticket_data` with `bulk_create` (the management commands' progress bar on stderr), each
with its SLA events and its clock columns computed as the ticket services compute them
(`ticket_sla` over the events, then `ticket_sla_columns`); the tickets service has no bulk helper.

Measure: GET /tickets/ (first page, default view and sort: the working queue by next SLA due) as
the signed-in operator through Django's test Client, with connections kept open between requests
as in production. The two databases are measured in alternating slices (A B, B A, …) so a change
of load on the machine falls on both; the medians are compared and the queries of one request
are counted with `CaptureQueriesContext`. Target: the large median ≤ 1.5× the small one, with the
same number of queries. The "all statuses" view (every row sorted) is printed too, untargeted.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SMALL = 100
LARGE = 100_000
REQUESTS = int(os.environ.get("BENCH_QUEUE_REQUESTS", "40"))
WARMUP = 5
TARGET_RATIO = 1.5
SEED = 20261122
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


def _use(path: Path) -> None:
    """Point the default connection at another database file (closed first)."""
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = str(path)


def _count_queries(client: Any, url: str) -> tuple[int, int]:
    """Queries of one request (`CaptureQueriesContext`) and the queue rows it showed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries), response.content.decode().count("data-sla-row")


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


def _compare(client: Any, url: str, small: Path, large: Path, requests: int) -> tuple[float, float]:
    """Median ms on each database, measured in alternating slices (A B, B A, …) so that a load
    change on the machine during the run falls on both alike."""
    slices = 4
    per_slice = max(1, requests // slices)
    timings: dict[Path, list[float]] = {small: [], large: []}
    for index in range(slices):
        for path in (small, large) if index % 2 == 0 else (large, small):
            _use(path)
            timings[path] += _timed(client, url, per_slice)
    return statistics.median(timings[small]), statistics.median(timings[large])


def _run_here() -> dict[str, float]:
    """The benchmark in this process (Django not set up yet: this sets it up on a temp DB)."""
    import shutil

    import django

    tmp = Path(tempfile.mkdtemp(prefix="dealix-queue-bench-"))
    small_db, large_db = tmp / "small.sqlite3", tmp / "large.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{small_db}"
    os.environ["DJANGO_DEBUG"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dealix.settings")
    django.setup()

    from django.apps import apps as django_apps
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from customer_ops.models import Customer, Ticket
    from customer_ops.roles import Role, sync_role_permissions
    from customer_ops.services.customers import customer_create

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # Connections stay open between requests, as in production (CONN_MAX_AGE on PostgreSQL).
    connection.settings_dict["CONN_MAX_AGE"] = 60
    call_command("migrate", verbosity=0)
    sync_role_permissions(django_apps)
    users = get_user_model()
    operator = users.objects.create_user(username="bench-operator")
    operator.groups.add(Group.objects.get(name=Role.OPERATOR))
    colleague = users.objects.create_user(username="bench-colleague")
    colleague.groups.add(Group.objects.get(name=Role.OPERATOR))
    now = timezone.now()
    for n in range(40):
        customer_create(
            company_name=f"شركة الاختبار {n + 1}",
            bundle=["growth_starter", "data_to_revenue", "executive_growth_os"][n % 3],
            contact_email=f"c{n}@example.sa",
            actor=operator,
            now=now,
        )
    customers = list(Customer.objects.all())
    rng = random.Random(SEED)
    client = Client()
    client.force_login(operator)
    url = "/tickets/"
    common = {"customers": customers, "assignees": [operator, colleague, None], "rng": rng}

    print(f"Ticket queue page (GET {url}, first page, default sort; {REQUESTS} requests each)")
    seed_tickets(count=SMALL, now=now, history_days=14, active_share=0.45, **common)
    small_active = Ticket.objects.filter(status__in=["open", "pending_customer"]).count()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _use(large_db)
    shutil.copyfile(small_db, large_db)  # same users, customers, session and first 100 tickets
    seed_tickets(count=LARGE - SMALL, now=now, history_days=730, active_share=0.03, **common)
    large_active = Ticket.objects.filter(status__in=["open", "pending_customer"]).count()
    total = Ticket.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # what a production database's statistics would say

    _use(small_db)
    small_q, small_rows = _count_queries(client, url)
    _use(large_db)
    large_q, large_rows = _count_queries(client, url)
    small_ms, large_ms = _compare(client, url, small_db, large_db, REQUESTS)
    all_small_ms, all_large_ms = _compare(
        client, url + "?status=all", small_db, large_db, max(8, REQUESTS // 4)
    )
    _use(small_db)

    ratio = large_ms / small_ms
    same = small_q == large_q
    print(
        f"  {SMALL:>7,} tickets ({small_active:,} active): median {small_ms:6.1f} ms,"
        f" {small_q} queries, {small_rows} rows shown"
    )
    print(
        f"  {total:>7,} tickets ({large_active:,} active): median {large_ms:6.1f} ms,"
        f" {large_q} queries, {large_rows} rows shown"
    )
    verdict = "OK" if ratio <= TARGET_RATIO and same else "MISSED"
    print(
        f"  ratio {ratio:.2f}x (target <= {TARGET_RATIO}x); queries {small_q} vs {large_q}"
        f" ({'equal' if same else 'DIFFERENT'}) -> {verdict}"
    )
    print(
        f"  (untargeted) every status, all rows sorted: {all_small_ms:.1f} ms vs"
        f" {all_large_ms:.1f} ms"
    )
    shutil.rmtree(tmp, ignore_errors=True)
    return {
        "queue_small_ms": round(small_ms, 2),
        "queue_large_ms": round(large_ms, 2),
        "queue_ratio": round(ratio, 3),
        "queue_small_queries": small_q,
        "queue_large_queries": large_q,
        "queue_all_small_ms": round(all_small_ms, 2),
        "queue_all_large_ms": round(all_large_ms, 2),
    }


def main() -> dict[str, float]:
    """Run in this process when Django is not set up yet, else in a fresh child process."""
    from django.apps import apps

    if not apps.ready:
        return _run_here()
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run(
        [sys.executable, "-m", "bench.queue_page", "--json"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    *lines, last = result.stdout.rstrip("\n").split("\n")
    print("\n".join(lines))
    return json.loads(last)


if __name__ == "__main__":
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    figures = _run_here()
    if "--json" in sys.argv:
        print(json.dumps(figures))
