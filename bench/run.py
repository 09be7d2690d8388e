"""`make bench`: run every benchmark module in turn and print its figures.

Each module in BENCHMARKS has a `main()` that prints its own figures and returns them as a dict;
add a benchmark by adding a module and listing it here.
"""

from __future__ import annotations

import importlib
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ("bench.classifier", "bench.classify_http", "bench.queue_page")


def main() -> dict[str, float]:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))  # `python bench/run.py` puts bench/, not the root, first
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dealix.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")  # the in-process benchmarks need no secrets
    figures: dict[str, float] = {}
    for name in BENCHMARKS:
        started = time.perf_counter()
        figures.update(importlib.import_module(name).main() or {})
        print(f"    [{name}: {time.perf_counter() - started:.1f} s]\n")
    return figures


if __name__ == "__main__":
    main()
