"""Seeding through the ORM in batches while the tables grow: keep the planner's view current.

Issue #18: seeding 100,000 tickets on PostgreSQL once stalled for over 40 s on one 2,000-row
batch of SLA events (database at 94% CPU, no lock wait; the same insert by hand took 26 ms;
reconnecting per batch cured it). The mechanism: a statement a session runs again and again
(a foreign-key trigger's lookup of the referenced ticket, `SELECT 1 FROM ONLY ticket WHERE id = $1
FOR KEY SHARE`; any prepared statement) keeps a plan in that session's plan cache, and after five
runs PostgreSQL may keep a *generic* plan costed with the statistics of the moment. Costed while
the ticket table was a page or two (right after the first batch, once autovacuum had analysed it),
a sequential scan is cheapest; the cached plan is then reused as the table grows to 100,000 rows,
and each lookup of a new ticket — always at the end of the table — reads the whole table. A new
connection plans afresh, which is why reconnecting cured it. What throws such a plan away is an
invalidation of the table's cache entry, which ANALYZE sends (with new statistics); shown with a
prepared statement on PostgreSQL 15: a generic `Seq Scan` cached at 10 rows is still used at
100,000, and is an `Index Scan` after `ANALYZE`. We could not make the foreign-key trigger itself
stall in a short experiment (its plan stayed an index scan there), so the cause above is the
likely one, not a proven one; the remedy covers any statement whose plan was cached small.

So a seeding loop calls `GrowthAnalyzer.after_batch` after each committed batch: the tables are
analysed when the rows written have doubled since the last time (after 2,000, 4,000, 8,000, …
rows: ~10 ANALYZEs for a million rows, each reading a sample of ~30,000 rows, not the table).
On SQLite it does the same (its planner reads `sqlite_stat1`, which ANALYZE writes).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection

FIRST_ANALYZE_ROWS = 2_000


class GrowthAnalyzer:
    """ANALYZE `tables` each time the rows written since the start have doubled."""

    def __init__(self, tables: Sequence[str], *, first: int = FIRST_ANALYZE_ROWS) -> None:
        self.tables = list(tables)
        self.next_at = first
        self.runs = 0

    def after_batch(self, written: int) -> bool:
        """Call with the total rows written so far, outside or at the end of a batch's
        transaction; returns whether the tables were analysed now."""
        if written < self.next_at:
            return False
        with connection.cursor() as cursor:
            for table in self.tables:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
        self.next_at = written * 2
        self.runs += 1
        return True
