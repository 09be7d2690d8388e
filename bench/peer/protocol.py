"""The measuring loop both sides' driver processes run: commands on stdin, JSON on stdout.

Each side runs in its own process with its own Python (ours in our virtualenv, the peer's in its
own), Django set up with DEBUG off and the staff user signed in through the test Client, its
database connection kept open between requests (CONN_MAX_AGE). The orchestrator
(bench/peer_helpdesk.py) keeps both processes alive and sends them commands alternately, so the
two sides are measured in interleaved slices under the same machine load.

A *case* is one thing a person does ("open the ticket list", "search for X"): the list of GET
requests the browser makes for it, timed together as one load. Each side says what its requests
are (`CaseBuilder`); this module only runs them.

Commands, one JSON object per line:
- {"op": "prepare", "case": name, "q": keyword-or-empty} → the case's requests, each with its
  status, size in bytes and number of SQL queries, plus the side's own figures (rows shown,
  tickets matched); the first run of a case also warms it up.
- {"op": "time", "case": name, "n": N} → {"ms": [N load times in milliseconds]}.
- {"op": "quit"} → the process exits.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from typing import Any

# (client, q) -> (the case's URLs, figures about what it shows); may issue requests to find them.
type CaseBuilder = Callable[[Any, str], tuple[list[str], dict[str, Any]]]

WARMUP = 2


def _get(client: Any, url: str) -> Any:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    return response


def _probe(client: Any, urls: list[str]) -> list[dict[str, Any]]:
    """Status, size and SQL queries of each request (queries captured even with DEBUG off)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    probes = []
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            response = _get(client, url)
        probes.append(
            {"url": url, "bytes": len(response.content), "queries": len(captured.captured_queries)}
        )
    return probes


def _time(client: Any, urls: list[str], n: int) -> list[float]:
    timings = []
    for _ in range(n):
        started = time.perf_counter()
        for url in urls:
            _get(client, url)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def serve(client: Any, build: CaseBuilder) -> None:
    """Answer the orchestrator's commands until "quit" or end of input."""
    # Answers go to the real stdout; anything else printing there (a warning, a library's print)
    # would corrupt the JSON lines, so it goes to stderr instead.
    answers, sys.stdout = sys.stdout, sys.stderr
    cases: dict[str, list[str]] = {}
    for line in sys.stdin:
        command = json.loads(line)
        op = command["op"]
        if op == "quit":
            break
        if op == "prepare":
            urls, figures = build(client, command.get("q", ""))
            cases[command["case"]] = urls
            _time(client, urls, WARMUP)
            answer: dict[str, Any] = {"requests": _probe(client, urls), **figures}
        elif op == "time":
            answer = {"ms": _time(client, cases[command["case"]], int(command["n"]))}
        else:
            raise ValueError(f"unknown command {op!r}")
        answers.write(json.dumps(answer) + "\n")
        answers.flush()


# A finished load leaves this note, with its ticket count, on the tickets table of either side.
LOADED_NOTE = "bench peer loaded"


def mark_loaded(cursor: Any, table: str, count: int) -> None:
    """Note on `table` that a load of `count` tickets finished."""
    cursor.execute(f"COMMENT ON TABLE {table} IS '{LOADED_NOTE} {count}'")


def loaded_count(cursor: Any, table: str) -> int:
    """How many tickets a finished load left in `table` (0: none, or the load did not finish)."""
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [table])
    if not cursor.fetchone()[0]:
        return 0
    cursor.execute("SELECT obj_description(%s::regclass, 'pg_class')", [table])
    note = cursor.fetchone()[0] or ""
    return int(note.split()[-1]) if note.startswith(LOADED_NOTE) else 0
