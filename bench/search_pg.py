"""The one search at 1,000,000 tickets (with their messages) and at 10,000, on PostgreSQL.

Setup: two dedicated databases (`BENCH_DATABASE_URL` with suffixes `_search_small` and
`_search_large`), each migrated and loaded by `bench.bulk_pg.load_desk`: 2,000 customers,
12 operators, tickets from `bench.ticket_data` over two years (0.6% still being worked on) with
their SLA events, 1–4 messages each and the search rows of tickets, messages and customers. Both
use the same seed and settings, so the small desk is the first 10,000 tickets of the large one:
a query that finds something in the small desk finds it in the large one too.
BENCH_SEARCH_TICKETS=100000 makes the large one smaller (while iterating).

Measure, in one process holding a connection to each database: `selectors.search.
search_everything` (what GET /api/v1/search/ and the header's global search run) for each of a
fixed set of queries, typed as people type them (a word without its hamza or with ه for ة, a
phone fragment, an email, an invoice number, Arabic + English, two words, a rare customer name,
a common word). The two databases are measured in alternating slices (A B, B A, …) so a change of
load on the machine falls on both. Printed: per query, the median at each size, the ratio and how
many things were found; then the median over the queries at each size and their ratio.
Target: the large median ≤ 3× the small one.

BENCH_EXPLAIN=1 prints EXPLAIN ANALYZE of the search-table queries of each search on the large
desk (also printed when the target is missed) and says which index each plan reads; a plan
that scans the whole search table counts in `search_seqscan_failed`.
BENCH_SEARCH_REUSE=1 keeps both loaded databases and measures them again on the next run (only
`migrate` runs on them, so a new index is built on the loaded rows).
"""

from __future__ import annotations

import json
import os
import re
import statistics
import sys
import time
from typing import Any

from bench.pg import bench_database_url, drop_database, unreachable, where
from bench.server import measure_in_child

SMALL = 10_000
LARGE = int(os.environ.get("BENCH_SEARCH_TICKETS", "1000000"))
ROUNDS = int(os.environ.get("BENCH_SEARCH_ROUNDS", "6"))
TARGET_RATIO = 3.0
SEED = 20261204
REUSE = os.environ.get("BENCH_SEARCH_REUSE") == "1"
DESK = {
    "seed": SEED,
    "history_days": 730,
    "active_share": 0.006,
    "customers": 2_000,
    "operators": 12,
}
# (what it stands for, the query as typed). The invoice, phone, email and rare name were read
# off the generated desk's first tickets and customers, so they exist at both sizes.
QUERIES: tuple[tuple[str, str], ...] = (
    ("taa marbuta as haa", "فاتوره"),
    ("name without hamza", "اسراء"),
    ("word without hamza", "التاكد"),
    ("phone fragment", "0551"),
    ("email", "sara.alharbi"),
    ("invoice number", "INV-2026-14425"),
    ("Arabic + English", "Gmail مزامنة"),
    ("two words", "تأخر توصيل"),
    ("rare customer name", "الهزاني"),
    ("common word", "مشكلة"),
    ("order number", "78451"),
    ("city and topic", "جدة الطلب"),
)
SEARCH_TABLE = "customer_ops_searchentry"
_INDEX_READ = re.compile(
    r"(?:Index Only Scan|Index Scan|Bitmap Index Scan)(?: Backward)? (?:using|on) (\w+)"
)


def _found(results: Any) -> str:
    """How many things a search found: shown per kind, '+' when more matched."""
    return " ".join(
        f"{group.kind.value[0]}{len(group.hits)}{'+' if group.more else ''}"
        for group in results.groups
    )


def _explain(wrapper: Any, label: str, query: str) -> tuple[list[str], int]:
    """EXPLAIN ANALYZE of the search-table queries of one search; (indexes read, full scans)."""
    from django.test.utils import CaptureQueriesContext

    from customer_ops.selectors.search import search_everything

    with CaptureQueriesContext(wrapper) as captured:
        search_everything(query=query)
    used: list[str] = []
    scans = 0
    with wrapper.cursor() as cursor:
        for statement in (q["sql"] for q in captured.captured_queries):
            if SEARCH_TABLE not in statement:
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement)
            plan = [line for (line,) in cursor.fetchall()]
            text = "\n".join(plan)
            indexes = sorted(set(_INDEX_READ.findall(text)))
            scans += f"Seq Scan on {SEARCH_TABLE}" in text
            used.append("+".join(indexes) or "NO INDEX")
            print(f"    -- {label} ({query}): {' '.join(statement.split())[:300]}")
            for line in plan:
                print(f"       {line}")
    return used, scans


def _run_here() -> dict[str, float]:
    import django

    django.setup()
    from bench.bulk_pg import desk_databases
    from customer_ops.selectors.search import search_everything

    small_url, large_url = bench_database_url("search_small"), bench_database_url("search_large")
    (small, _, small_how), (large, _, large_how) = desk_databases(
        [(small_url, {"tickets": SMALL, **DESK}), (large_url, {"tickets": LARGE, **DESK})],
        reuse=REUSE,
    )
    print(f"    small: {small_how}")
    print(f"    large: {large_how}")

    from django.db import connections

    def use(wrapper: Any) -> None:
        connections["default"] = wrapper

    found: dict[str, dict[str, str]] = {"small": {}, "large": {}}
    for name, wrapper in (("small", small), ("large", large)):
        use(wrapper)
        for _, query in QUERIES:  # warm-up: caches of both databases, and what each finds
            found[name][query] = _found(search_everything(query=query))
    timings: dict[str, dict[str, list[float]]] = {
        "small": {q: [] for _, q in QUERIES},
        "large": {q: [] for _, q in QUERIES},
    }
    order = [("small", small), ("large", large)]
    for _ in range(ROUNDS):
        for name, wrapper in order:
            use(wrapper)
            for _, query in QUERIES:
                started = time.perf_counter()
                search_everything(query=query)
                timings[name][query].append((time.perf_counter() - started) * 1000)
        order.reverse()
    medians = {
        name: {query: statistics.median(values) for query, values in per_query.items()}
        for name, per_query in timings.items()
    }
    print(f"    search_everything, median of {ROUNDS} per query (found: t/m/c = tickets, messages,")
    print("    customers shown, + = more matched):")
    print(f"    {'query':<22} {'typed':<16} {'small ms':>9} {'large ms':>9} {'ratio':>6}  found")
    for label, query in QUERIES:
        s, b = medians["small"][query], medians["large"][query]
        print(
            f"    {label:<22} {query:<16} {s:9.1f} {b:9.1f} {b / s:6.2f}  "
            f"{found['small'][query] or '-'} | {found['large'][query] or '-'}"
        )
    small_ms = statistics.median(medians["small"].values())
    large_ms = statistics.median(medians["large"].values())
    ratio = large_ms / small_ms
    worst = max(medians["large"][q] / medians["small"][q] for _, q in QUERIES)
    figures = {
        "search_small_ms": round(small_ms, 2),
        "search_large_ms": round(large_ms, 2),
        "search_ratio": round(ratio, 3),
        "search_worst_query_ratio": round(worst, 3),
    }
    if os.environ.get("BENCH_EXPLAIN") == "1" or ratio > TARGET_RATIO:
        use(large)
        summary = []
        scans = 0
        for label, query in QUERIES:
            used, full = _explain(large, label, query)
            scans += full
            summary.append(f"{query}: {', '.join(used)}")
        print("    indexes the large desk's plans read, per query (one entry per kind):")
        for line in summary:
            print(f"      {line}")
        figures["search_seqscan_failed"] = scans
    verdict = "met" if ratio <= TARGET_RATIO else "MISSED"
    print(
        f"    median over the queries: {small_ms:.1f} ms at {SMALL:,} tickets,"
        f" {large_ms:.1f} ms at {LARGE:,}; ratio {ratio:.2f}× (target ≤ {TARGET_RATIO:g}×)"
        f" — {verdict}; worst single query {worst:.2f}×"
    )
    return figures


def main() -> dict[str, float]:
    """Prepare and measure in a fresh process (production settings) pointed at the databases."""
    print(f"(s) The one search on PostgreSQL: {LARGE:,} tickets vs {SMALL:,}", flush=True)
    small_url, large_url = bench_database_url("search_small"), bench_database_url("search_large")
    problem = unreachable(small_url)
    if problem is not None:
        print(f"    skipped: needs PostgreSQL at {where(small_url)} ({problem})")
        return {}
    try:
        return measure_in_child("bench.search_pg", database_url=small_url)
    finally:
        if not REUSE:
            drop_database(small_url)
            drop_database(large_url)


if __name__ == "__main__":
    if "--json" in sys.argv:
        print(json.dumps(_run_here()))
    else:
        main()
