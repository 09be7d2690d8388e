"""`make bench`: run every benchmark module in turn and print its figures.

Each module in BENCHMARKS has a `main()` that prints its own figures and returns them as a dict;
add a benchmark by adding a module and listing it here. A figure named `*_failed` that is not zero
means a benchmark found something wrong (not merely slow): the run then exits with status 1.
BENCH_ONLY=sla_health_pg,approve_send runs only those.
"""

from __future__ import annotations

import importlib
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = (
    "bench.classifier",
    "bench.classify_http",
    # Before the queue page: with BENCH_SEARCH_REUSE=1 the queue measures the search's loaded
    # million-ticket desk instead of loading its own.
    "bench.search_pg",
    "bench.queue_page",
    "bench.sla_health_pg",
    "bench.approve_send",
    "bench.whatsapp_ingest",
    "bench.worker_memory",
    "bench.peer_helpdesk",
)


def main() -> dict[str, float]:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))  # `python bench/run.py` puts bench/, not the root, first
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dealix.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")  # the in-process benchmarks need no secrets
    figures: dict[str, float] = {}
    only = {f"bench.{name.strip()}" for name in os.environ.get("BENCH_ONLY", "").split(",") if name}
    for name in BENCHMARKS:
        if only and name not in only:
            continue
        started = time.perf_counter()
        figures.update(importlib.import_module(name).main() or {})
        print(f"    [{name}: {time.perf_counter() - started:.1f} s]\n")
    return figures


if __name__ == "__main__":
    failed = {name: value for name, value in main().items() if name.endswith("_failed") and value}
    if failed:
        print(f"FAILED: {failed}")
        sys.exit(1)
