"""The peer's side of the comparison, run by the peer's own Python (bench/out/peer-venv).

`python -m bench.peer.driver load TICKETS.jsonl`: migrate helpdesk's schema, then load the tickets
our side generated (bench/peer_ours.py wrote them): the same staff users (is_staff: helpdesk's
staff views ask for that), one helpdesk queue per customer, and every ticket with the same id,
subject (title), body (description), opening time (created), customer (queue, submitter e-mail),
assignee and priority, written with COPY, then VACUUM ANALYZE.

`python -m bench.peer.driver serve`: sign in as the staff user and answer the orchestrator's
commands (bench/peer/protocol.py). What a list load is here is what a browser does on helpdesk's
staff list: GET the page, then GET the JSON its DataTables script asks for, with the query its
page renders into the script's URL and the paging parameters the script sends on first load.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
import uuid
from typing import Any
from urllib.parse import quote, urlencode

# Standard library only: it runs in the peer's virtualenv too.
from bench.bulk_pg import copy_text
from bench.peer.protocol import loaded_count, mark_loaded

# Our statuses → helpdesk's (1 open, 2 reopened, 3 resolved, 4 closed). Helpdesk has no "waiting on
# the customer" status: such a ticket stays open with helpdesk's `on_hold` flag, so the default
# views (ours: open + waiting; theirs: open + reopened) hold the same tickets.
STATUS = {"open": 1, "pending_customer": 1, "resolved": 3, "closed": 4}
REOPENED = 2
PRIORITY = {"P0": 1, "P1": 2, "P2": 3, "P3": 4}  # critical, high, normal, low
_AJAX_URL = re.compile(r"""["'](/datatables_ticket_list/[^"']*)["']""")
_PAGE_LENGTH = re.compile(r"""data-page-length=['"](\d+)['"]""")
# The columns of helpdesk's list script (its `columns:` option, in order): DataTables sends one
# group of parameters per column; the first is the selection checkbox, not orderable.
_COLUMNS = (
    "id",
    "ticket",
    "priority",
    "queue",
    "status",
    "created",
    "due_date",
    "assigned_to",
    "submitter",
    "last_followup",
    "kbitem",
)


def load(path: str) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction
    from helpdesk.models import Queue, Ticket

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter() - started
    with open(path, encoding="utf-8") as source:
        header = json.loads(source.readline())
        users = get_user_model()
        staff = [
            users.objects.create_user(username=name, email=f"{name}@dealix.example", is_staff=True)
            for name in header["staff"]
        ]
        queues = [
            Queue.objects.create(
                title=customer["name"][:100], slug=f"c{n + 1}", email_address=customer["email"]
            )
            for n, customer in enumerate(header["customers"])
        ]
        columns = [field.column for field in Ticket._meta.concrete_fields]
        count = 0
        with transaction.atomic(), connection.cursor() as cursor:
            copy_sql = f"COPY helpdesk_ticket ({', '.join(columns)}) FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:
                rows: list[str] = []
                for line in source:
                    ticket = json.loads(line)
                    status = STATUS[ticket["status"]]
                    if status == 1 and ticket["reopened"]:
                        status = REOPENED
                    customer = header["customers"][ticket["customer"]]
                    assignee = ticket["assignee"]
                    values = {
                        "id": ticket["id"],
                        "title": ticket["subject"][:200],
                        "queue_id": queues[ticket["customer"]].pk,
                        "created": ticket["opened_at"],
                        "modified": ticket["updated_at"],
                        "submitter_email": customer["email"],
                        "assigned_to_id": None if assignee is None else staff[assignee].pk,
                        "status": status,
                        "on_hold": ticket["status"] == "pending_customer",
                        "description": ticket["body"],
                        "resolution": None,
                        "priority": PRIORITY[ticket["priority"]],
                        "due_date": ticket["due_at"],
                        "last_escalation": None,
                        "secret_key": str(uuid.uuid4()),
                        "kbitem_id": None,
                        "merged_to_id": None,
                    }
                    rows.append("\t".join(copy_text(values[column]) for column in columns))
                    count += 1
                    if len(rows) == 5_000:
                        copy.write("\n".join(rows) + "\n")
                        rows.clear()
                if rows:
                    copy.write("\n".join(rows) + "\n")
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('helpdesk_ticket', 'id'), %s)",
                (max(count, 1),),
            )
    with connection.cursor() as cursor:  # autocommit: VACUUM runs outside a transaction
        cursor.execute("VACUUM ANALYZE")
        mark_loaded(cursor, "helpdesk_ticket", count)
    return {
        "tickets": Ticket.objects.count(),
        "queues": len(queues),
        "migrate_s": round(migrated, 1),
        "load_s": round(time.perf_counter() - started - migrated, 1),
    }


def loaded() -> int:
    """How many tickets a finished load left here (0: none, or the load did not finish)."""
    from django.db import connection

    with connection.cursor() as cursor:
        return loaded_count(cursor, "helpdesk_ticket")


def _datatables_query(length: int) -> str:
    """The parameters helpdesk's DataTables script sends on a first load (no ordering chosen:
    its `order: []`; page 1; its global search box empty)."""
    params: list[tuple[str, str]] = [("draw", "1")]
    for index, name in enumerate(_COLUMNS):
        params += [
            (f"columns[{index}][data]", name),
            (f"columns[{index}][name]", ""),
            (f"columns[{index}][searchable]", "true"),
            (f"columns[{index}][orderable]", "false" if index == 0 else "true"),
            (f"columns[{index}][search][value]", ""),
            (f"columns[{index}][search][regex]", "false"),
        ]
    params += [
        ("start", "0"),
        ("length", str(length)),
        ("search[value]", ""),
        ("search[regex]", "false"),
    ]
    return urlencode(params)


def build_case(client: Any, q: str) -> tuple[list[str], dict[str, Any]]:
    """The staff list (the default view), or its keyword search over every status: the filter
    form sent with a keyword and no status ticked, which helpdesk reads as "any status"."""
    page = "/tickets/" if not q else f"/tickets/?sort=created&q={quote(q)}"
    html = client.get(page).content.decode()
    found = _AJAX_URL.search(html)
    length = _PAGE_LENGTH.search(html)
    if found is None or length is None:
        raise RuntimeError(f"no DataTables URL or page length in the page of {page}")
    data = f"{found.group(1)}?{_datatables_query(int(length.group(1)))}"
    body = json.loads(client.get(data).content)
    return [page, data], {"rows": len(body["data"]), "matches": body["recordsFiltered"]}


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.peer.settings")
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
        client.force_login(get_user_model().objects.get(username=sys.argv[2]))
        serve(client, build_case)
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main()
