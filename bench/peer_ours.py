"""Our side of the peer comparison (bench/peer_helpdesk.py), run in our virtualenv.

`python -m bench.peer_ours load TICKETS.jsonl`: migrate, then the desk the peer gets too: two
operators, 40 customers (through `customer_create`, which also writes their search rows) and
100,000 tickets from `bench.ticket_data` (two years of history, a few per cent still open), each
with its SLA events and its search row (`ticket_search_row`, as the tickets service writes it),
written with COPY; then VACUUM ANALYZE. Every ticket is also written to TICKETS.jsonl
(first line: the customers and staff), from which the peer's driver loads the same tickets.

`python -m bench.peer_ours serve USERNAME`: sign in and answer the orchestrator's commands
(bench/peer/protocol.py). A list load is GET /tickets/ (the working queue, first page); a search
is GET /tickets/?status=all&q=… — one request each: our queue renders its rows server-side.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import random
import sys
import time
from collections import Counter
from typing import Any
from urllib.parse import quote

from bench.peer.protocol import loaded_count, mark_loaded

TICKETS = int(os.environ.get("BENCH_PEER_TICKETS", "100000"))
CUSTOMERS = 40
HISTORY_DAYS = 730
ACTIVE_SHARE = 0.03
SEED = 20261204
STAFF = ("bench-operator", "bench-colleague")


def _people(now: dt.datetime) -> tuple[list[Any], list[Any]]:
    """The two operators and the 40 customers (through the service, so they are searchable)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from customer_ops.roles import Role
    from customer_ops.services.customers import customer_create
    from positioning.lock import BUNDLES

    group = Group.objects.get(name=Role.OPERATOR)
    staff = []
    for name in STAFF:
        user = get_user_model().objects.create_user(username=name, email=f"{name}@dealix.example")
        user.groups.add(group)
        staff.append(user)
    bundles = [bundle.id.value for bundle in BUNDLES]
    customers = [
        customer_create(
            company_name=f"شركة الاختبار {n + 1}",
            bundle=bundles[n % len(bundles)],
            contact_email=f"c{n + 1}@example.sa",
            actor=staff[0],
            now=now,
        )
        for n in range(CUSTOMERS)
    ]
    return staff, customers


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _generate(*, planner: Any, customers: list[Any], staff: list[Any]) -> Any:
    """Yield (ticket field values with id, customer and assignee; its events; JSON for the peer).

    Runs while a COPY holds the connection, so it must not query: the planner (and its working
    calendar, which reads the holiday overrides) is built before the first ticket.
    """
    from bench.ticket_data import opened_time

    rng, now = planner.rng, planner.now
    assignees: list[int | None] = [0, 1, None]  # indexes into STAFF; None: unassigned
    for ticket_id in range(1, TICKETS + 1):
        active = rng.random() < ACTIVE_SHARE
        opened = opened_time(rng, now=now, history_days=HISTORY_DAYS, active=active)
        plan = planner.plan(opened=opened, active=active)
        customer, assignee = rng.randrange(CUSTOMERS), rng.choice(assignees)
        fields = {
            **plan.fields,
            "id": ticket_id,
            "customer_id": customers[customer].pk,
            "assignee_id": None if assignee is None else staff[assignee].pk,
            "created_by_id": None,
        }
        peer = {
            "id": ticket_id,
            "customer": customer,
            "assignee": assignee,
            "subject": fields["subject"],
            "body": fields["body"],
            "status": fields["status"],
            "priority": fields["priority"],
            "opened_at": _iso(fields["opened_at"]),
            "updated_at": _iso(fields["updated_at"]),
            "due_at": _iso(fields.get("resolution_due_at")),
            "reopened": sum(event == "opened" for event, _ in plan.events) > 1,
        }
        yield fields, plan.events, peer


def load(path: str) -> dict[str, Any]:
    """Write the tickets, their SLA events and search rows with COPY, and the peer's file."""
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    # The SLA benchmark's COPY helpers: text-format values, and the tables' secondary indexes
    # and foreign keys dropped for the load and made again after (the trigram GIN index of the
    # search rows is built once instead of updated 100,000 times).
    from bench.bulk_pg import bulk_load, copy_text
    from bench.ticket_data import planner_for
    from customer_ops.models import SearchEntry, Ticket
    from customer_ops.services.search import ticket_search_row

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter() - started
    now = timezone.now()
    staff, customers = _people(now)
    planner = planner_for(now=now, history_days=HISTORY_DAYS, rng=random.Random(SEED))
    columns = [field.attname for field in Ticket._meta.concrete_fields]
    search_columns = ["kind", "object_id", "ticket_id", "customer_id", "at", "text"]
    tables = ("customer_ops_ticket", "customer_ops_slaevent", "customer_ops_searchentry")
    stats: Counter[str] = Counter()
    events: list[str] = []
    search: list[str] = []
    with (
        open(path, "w", encoding="utf-8") as out,
        transaction.atomic(),
        connection.cursor() as cursor,
        bulk_load(cursor, tables, stats),
    ):
        header = {
            "staff": list(STAFF),
            "customers": [{"name": c.company_name, "email": c.contact_email} for c in customers],
        }
        out.write(json.dumps(header, ensure_ascii=False) + "\n")
        with cursor.cursor.copy(
            f"COPY customer_ops_ticket ({', '.join(columns)}) FROM STDIN"
        ) as copy:
            rows: list[str] = []
            for fields, life, peer in _generate(planner=planner, customers=customers, staff=staff):
                rows.append("\t".join([copy_text(fields[name]) for name in columns]))
                prefix = f"{fields['id']}\t"
                events += [f"{prefix}{event}\t{at.isoformat()}\tbench:seed\t" for event, at in life]
                # The row the tickets service would write, from the same values.
                entry = ticket_search_row(Ticket(**fields))
                search.append("\t".join(copy_text(entry[name]) for name in search_columns))
                out.write(json.dumps(peer, ensure_ascii=False) + "\n")
                stats["tickets"] += 1
                if len(rows) == 5_000:
                    copy.write("\n".join(rows) + "\n")
                    rows.clear()
            copy.write("".join(row + "\n" for row in rows))
        copy_sql = "COPY customer_ops_slaevent (ticket_id, event, at, actor_label, note) FROM STDIN"
        with cursor.cursor.copy(copy_sql) as copy:
            for chunk in range(0, len(events), 50_000):
                copy.write("\n".join(events[chunk : chunk + 50_000]) + "\n")
        copy_sql = f"COPY customer_ops_searchentry ({', '.join(search_columns)}) FROM STDIN"
        with cursor.cursor.copy(copy_sql) as copy:
            for chunk in range(0, len(search), 50_000):
                copy.write("\n".join(search[chunk : chunk + 50_000]) + "\n")
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('customer_ops_ticket', 'id'), %s)",
            (max(stats["tickets"], 1),),
        )
    with connection.cursor() as cursor:  # autocommit: VACUUM runs outside a transaction
        cursor.execute("VACUUM ANALYZE")
        mark_loaded(cursor, "customer_ops_ticket", stats["tickets"])
    return {
        "tickets": Ticket.objects.count(),
        "events": len(events),
        "search_rows": SearchEntry.objects.count(),
        "migrate_s": round(migrated, 1),
        "load_s": round(time.perf_counter() - started - migrated, 1),
    }


def loaded() -> int:
    """How many tickets a finished load left here (0: none, or the load did not finish)."""
    from django.db import connection

    with connection.cursor() as cursor:
        return loaded_count(cursor, "customer_ops_ticket")


def build_case(client: Any, q: str, *, user: Any) -> tuple[list[str], dict[str, Any]]:
    """Our queue's default view, or its search over every status; with what the page shows
    (rows) and how many tickets the same filters match for `user` (counted outside the timing)."""
    from django.utils import timezone

    from customer_ops.selectors.tickets import ticket_queue_for

    url = "/tickets/" if not q else f"/tickets/?status=all&q={quote(q)}"
    html = client.get(url).content.decode()
    filters = {"status": "all", "q": q} if q else {}
    matches = ticket_queue_for(filters=filters, now=timezone.now(), user=user).count()
    return [url], {"rows": html.count("data-sla-row"), "matches": matches}


def main() -> None:
    import django

    django.setup()
    command = sys.argv[1]
    if command == "load":
        print(json.dumps(load(sys.argv[2])))
    elif command == "loaded":
        print(json.dumps({"tickets": loaded()}))
    elif command == "serve":
        from django.contrib.auth import get_user_model
        from django.test import Client

        from bench.peer.protocol import serve

        client = Client()
        user = get_user_model().objects.get(username=sys.argv[2])
        client.force_login(user)
        serve(client, functools.partial(build_case, user=user))
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main()
