"""Loading a benchmark's PostgreSQL database: a support desk of up to millions of tickets, by COPY.

`load_desk` writes customers and operators (through the ORM: a few thousand rows), then tickets
from `bench.ticket_data` with their SLA events and, with `conversations`, their messages and the
one search's rows (`SearchEntry`) for tickets, messages and customers — each search text built
by the services' own `ticket_search_row` / `message_search_row` / `customer_search_row`, so the
fold is the one the app stores. Everything is one transaction:

- The tickets stream into one COPY while they are generated; their events, messages and search
  rows are spooled to temporary files meanwhile (a COPY holds the connection, and a million
  tickets' rows would not fit in memory as Python strings) and copied after.
- The tables' secondary indexes and foreign keys are dropped for the load and made again after,
  from the catalogue's own definitions (`bulk_load`): building an index once over all rows, and
  checking a foreign key with one join, is much faster than maintaining the indexes and firing a
  check per row. It is also what makes the load robust: no per-row foreign-key check can run
  with a plan cached while the referenced table was small (see `customer_ops.management.growth`
  for the ORM seeding paths).
- Then VACUUM ANALYZE, as autovacuum would have done, so the planner sees the real tables.

Why COPY and not the services: `ticket_create` and the message services write a ledger row and
recompute clocks per ticket (~5 ms each on this machine): a million would take hours. The rows
here are what those services store (the SLA columns through the same clock functions; the search
text through the same row builders), which the SLA benchmark checks on a sample.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import random
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from types import SimpleNamespace
from typing import IO, Any

COPY_CHUNK = 1 << 22  # characters per write to a COPY: big enough that calls are few


def _escape(value: str) -> str:
    """COPY text format's escapes: backslash first, then the characters it introduces."""
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


def copy_text(value: Any) -> str:
    """One value in COPY's text format (formatting here is ~3× faster than psycopg's write_row)."""
    if isinstance(value, str):  # most values: tested first
        # Only texts holding a special character need escaping; str.replace, because translate
        # with a mapping looks up every character (it was a third of a million tickets' load).
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return _escape(value)
        return value
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dict | list):
        if not value:
            return "{}" if isinstance(value, dict) else "[]"
        return _escape(json.dumps(value, ensure_ascii=False))
    return str(value)


def copy_row(values: Iterable[Any]) -> str:
    return "\t".join(map(copy_text, values)) + "\n"


@contextlib.contextmanager
def bulk_load(cursor: Any, tables: Sequence[str], stats: Counter[str]) -> Iterator[None]:
    """Drop the tables' secondary indexes and foreign keys for the load and make them again after.

    Building an index once over all rows, and checking a foreign key with one join, is much
    faster than maintaining the indexes and firing a deferred check per row for a million rows.
    The definitions are read back from the catalogue, so what comes back is what migrate made
    (indexes that back a constraint — primary keys, unique constraints — stay). Runs inside the
    caller's transaction: a failed load leaves the schema as it was.
    """
    names = list(tables)
    cursor.execute(
        """SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
           FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)""",
        (names,),
    )
    foreign_keys = cursor.fetchall()
    cursor.execute(
        """SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index
           WHERE indrelid::regclass::text = ANY(%s) AND NOT indisprimary
             AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = indexrelid)""",
        (names,),
    )
    indexes = cursor.fetchall()
    for table, name, _ in foreign_keys:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {name}")
    yield
    started = time.perf_counter()
    # The trigram GIN index over millions of texts sorts in memory far faster than in 64 MB runs;
    # SET LOCAL ends with the load's transaction.
    cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
    for _, definition in indexes:
        cursor.execute(definition)
    for table, name, definition in foreign_keys:
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    stats["index_ms"] = round((time.perf_counter() - started) * 1000)


def _names(columns: Sequence[str]) -> str:
    """Quoted column names (a message has a column named `references`, a reserved word)."""
    return ", ".join(f'"{column}"' for column in columns)


class Spool:
    """One table's rows in COPY text format, in a temporary file until `copy_into`."""

    def __init__(self, table: str, columns: Sequence[str]) -> None:
        self.table = table
        self.columns = list(columns)
        self.rows = 0
        self.file: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115

    def add(self, values: Iterable[Any]) -> None:
        self.file.write(copy_row(values))
        self.rows += 1

    def add_line(self, line: str) -> None:
        """A row already formatted (tab-separated, escaped, ending in a newline)."""
        self.file.write(line)
        self.rows += 1

    def copy_into(self, cursor: Any) -> int:
        self.file.seek(0)
        statement = f"COPY {self.table} ({_names(self.columns)}) FROM STDIN"
        with cursor.cursor.copy(statement) as copy:
            while chunk := self.file.read(COPY_CHUNK):
                copy.write(chunk)
        self.file.close()
        return self.rows


def _people(
    *, customers: int, operators: int, rng: random.Random, now: dt.datetime
) -> tuple[list[dict[str, Any]], list[tuple[int, str]]]:
    """Customers (`ticket_data.customer_fields`, bulk) and operators; returns their rows."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from bench.ticket_data import customer_fields
    from customer_ops.models import Customer
    from customer_ops.roles import Role

    Customer.objects.bulk_create(
        Customer(**customer_fields(rng, now=now)) for _ in range(customers)
    )
    group = Group.objects.get(name=Role.OPERATOR)
    staff = []
    for n in range(operators):
        user = get_user_model().objects.create_user(username=f"bench-operator-{n}")
        user.groups.add(group)
        staff.append((user.pk, user.username))
    rows = Customer.objects.order_by("pk").values(
        "id", "company_name", "contact_name", "contact_email", "contact_phone", "created_at"
    )
    return list(rows), staff


def _defaults(model: Any) -> tuple[list[str], dict[str, Any]]:
    """A model's column names and each column's default (what the ORM would write if not given)."""
    fields = model._meta.concrete_fields
    return [f.attname for f in fields], {f.attname: f.get_default() for f in fields}


def load_desk(
    *,
    now: dt.datetime,
    seed: int,
    history_days: int,
    active_share: float,
    tickets: int | None = None,
    events: int | None = None,
    customers: int = 2_000,
    operators: int = 12,
    conversations: bool = True,
    copies: int = 10,
) -> Counter[str]:
    """Load a desk into the empty, migrated database of the default connection.

    Stops after `tickets` tickets, or after the ticket whose events bring the total to `events`.
    Returns counts (tickets, events, messages, search_rows, lives: clock computations) and
    milliseconds (generate_ms: generating and copying the tickets, copy_ms: the spooled tables,
    index_ms, vacuum_ms, ms: all of it).
    """
    from django.db import connection, transaction

    from bench.ticket_data import message_fields, planner_for, ticket_lives
    from customer_ops.models import SearchEntry, Ticket, TicketMessage
    from customer_ops.services.search import (
        customer_search_row,
        message_search_row,
        ticket_search_row,
    )

    if tickets is None and events is None:
        raise ValueError("say how many tickets or events to load")
    started = time.perf_counter()
    rng = random.Random(seed)
    contacts, staff = _people(customers=customers, operators=operators, rng=rng, now=now)
    assignees: list[int | None] = [*(user_id for user_id, _ in staff), None]
    planner = planner_for(now=now, history_days=history_days, rng=rng)
    lives = ticket_lives(
        planner,
        history_days=history_days,
        active_share=active_share,
        copies=copies,
        retell=conversations,
    )
    ticket_columns = [field.attname for field in Ticket._meta.concrete_fields]
    message_columns, message_defaults = _defaults(TicketMessage)
    search_columns = ["kind", "object_id", "ticket_id", "customer_id", "at", "text"]
    event_spool = Spool(
        "customer_ops_slaevent", ["ticket_id", "event", "at", "actor_label", "note"]
    )
    message_spool = Spool("customer_ops_ticketmessage", message_columns)
    search_spool = Spool(SearchEntry._meta.db_table, search_columns)
    tables = ["customer_ops_ticket", "customer_ops_slaevent"]
    if conversations:
        tables += [message_spool.table, search_spool.table]
        for row in contacts:
            entry = customer_search_row(SimpleNamespace(pk=row["id"], **row), ())
            search_spool.add(entry[name] for name in search_columns)
    stats: Counter[str] = Counter()
    ticket_id = message_id = event_count = 0
    with transaction.atomic(), connection.cursor() as cursor, bulk_load(cursor, tables, stats):
        copy_sql = f"COPY customer_ops_ticket ({_names(ticket_columns)}) FROM STDIN"
        with cursor.cursor.copy(copy_sql) as copy:
            rows: list[str] = []
            for plan in lives:
                ticket_id += 1
                contact = contacts[rng.randrange(len(contacts))]
                fields = {
                    **plan.fields,
                    "id": ticket_id,
                    "customer_id": contact["id"],
                    "assignee_id": assignees[rng.randrange(len(assignees))],
                    "created_by_id": None,
                }
                rows.append(copy_row(fields[name] for name in ticket_columns))
                prefix = f"{ticket_id}\t"
                for event, at in plan.events:
                    event_spool.add_line(f"{prefix}{event}\t{at.isoformat()}\tbench:seed\t\n")
                event_count += len(plan.events)
                if conversations:
                    entry = ticket_search_row(SimpleNamespace(pk=ticket_id, **fields))
                    search_spool.add(entry[name] for name in search_columns)
                    for message in plan.messages:
                        message_id += 1
                        values = message_fields(
                            message,
                            message_id=message_id,
                            ticket_id=ticket_id,
                            customer_id=contact["id"],
                            contact=contact,
                            staff=staff[rng.randrange(len(staff))],
                            subject=fields["subject"],
                        )
                        message_spool.add(
                            values.get(name, message_defaults[name]) for name in message_columns
                        )
                        entry = message_search_row(SimpleNamespace(pk=message_id, **values))
                        search_spool.add(entry[name] for name in search_columns)
                if len(rows) == 5_000:
                    copy.write("".join(rows))
                    rows.clear()
                if ticket_id == tickets or (events is not None and event_count >= events):
                    break
            copy.write("".join(rows))
        stats["generate_ms"] = round((time.perf_counter() - started) * 1000)
        copied = time.perf_counter()
        stats["tickets"] = ticket_id
        stats["lives"] = planner.planned
        stats["events"] = event_spool.copy_into(cursor)
        stats["messages"] = message_spool.copy_into(cursor) if conversations else 0
        stats["search_rows"] = search_spool.copy_into(cursor) if conversations else 0
        for table in ("customer_ops_ticket", "customer_ops_ticketmessage"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"  # noqa: S608
                f" GREATEST((SELECT max(id) FROM {table}), 1))"
            )
        stats["copy_ms"] = round((time.perf_counter() - copied) * 1000)
    vacuum = time.perf_counter()
    with connection.cursor() as cursor:  # autocommit again: VACUUM runs outside a transaction
        for table in [*tables, "customer_ops_customer"]:
            cursor.execute(f"VACUUM ANALYZE {table}")
    stats["vacuum_ms"] = round((time.perf_counter() - vacuum) * 1000)
    stats["ms"] = round((time.perf_counter() - started) * 1000)
    return stats


def describe(stats: Counter[str]) -> str:
    """One line for a benchmark's output: what was loaded, how long it took, rows per second."""
    rows = stats["tickets"] + stats["events"] + stats["messages"] + stats["search_rows"]
    seconds = stats["ms"] / 1000
    return (
        f"loaded {stats['tickets']:,} tickets, {stats['events']:,} SLA events,"
        f" {stats['messages']:,} messages, {stats['search_rows']:,} search rows"
        f" in {seconds:.1f} s ({rows / seconds:,.0f} rows/s; {stats['lives']:,} distinct lives"
        f" through ticket_sla; generating + tickets COPY {stats['generate_ms'] / 1000:.1f} s,"
        f" other COPYs {stats['copy_ms'] / 1000:.1f} s, indexes and foreign keys"
        f" {stats['index_ms'] / 1000:.1f} s, VACUUM ANALYZE {stats['vacuum_ms'] / 1000:.1f} s)"
    )


DESK_NOTE = "bench desk: "


def use_database(url: str) -> Any:
    """A new connection wrapper for `url`'s database, made the default connection (the app's
    code reads `django.db.connection`); returns it, so a benchmark can swap between several
    without reconnecting."""
    from django.db import connections
    from django.db.utils import load_backend
    from psycopg import conninfo

    current = connections["default"]
    name = conninfo.conninfo_to_dict(url)["dbname"]
    backend = load_backend(current.settings_dict["ENGINE"])
    wrapper = backend.DatabaseWrapper({**current.settings_dict, "NAME": name}, "default")
    connections["default"] = wrapper
    return wrapper


def _stored_desk(url: str) -> dict[str, Any] | None:
    """What `desk_databases` noted on the database of `url` when it loaded it, if anything."""
    import psycopg

    from bench.pg import database_exists

    if not database_exists(url):
        return None
    with psycopg.connect(url) as connection:
        found = connection.execute(
            "SELECT obj_description(to_regclass('customer_ops_ticket'), 'pg_class')"
        ).fetchone()
    note = (found[0] if found else None) or ""
    return json.loads(note.removeprefix(DESK_NOTE)) if note.startswith(DESK_NOTE) else None


def _migrate(wrapper: Any) -> float:
    """Apply what is not applied yet (nothing to do costs no model rendering); seconds taken."""
    from django.core.management import call_command
    from django.db.migrations.executor import MigrationExecutor

    started = time.perf_counter()
    executor = MigrationExecutor(wrapper)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", verbosity=0)
    return time.perf_counter() - started


def desk_databases(
    desks: Sequence[tuple[str, dict[str, Any]]], *, reuse: bool
) -> list[tuple[Any, dt.datetime, str]]:
    """The databases of `desks` ((url, `load_desk` params) each), migrated and loaded.

    With `reuse`, a database loaded before with the same params (they and the load's `now` are
    in a table comment) is kept and only migrated, so a new migration's index is built on the
    loaded rows. Others are made afresh: the first by `migrate` (slow here: Django renders the
    models of every migration), the rest as copies of it (`CREATE DATABASE … TEMPLATE`), then
    each is loaded. Returns per desk: a connection to it (made the default one: swap them with
    `django.db.connections["default"] = …`), the load's `now`, a line saying how it was made.
    """
    from django.utils import timezone
    from psycopg import conninfo

    from bench.pg import copy_database, recreate_database

    results: list[tuple[Any, dt.datetime, str] | None] = []
    fresh: list[int] = []
    for index, (url, params) in enumerate(desks):
        wanted = json.dumps(params, sort_keys=True, default=str)
        stored = _stored_desk(url) if reuse else None
        if stored is not None and stored["params"] == wanted:
            wrapper = use_database(url)
            migrated = _migrate(wrapper)
            now = dt.datetime.fromisoformat(stored["now"])
            how = f"reused the desk loaded at {now:%Y-%m-%d %H:%M} UTC; migrate {migrated:.1f} s"
            results.append((wrapper, now, how))
        else:
            results.append(None)
            fresh.append(index)
    template: str | None = None
    migrated = 0.0
    for index in fresh:
        url, params = desks[index]
        if template is None:
            recreate_database(url)
            wrapper = use_database(url)
            migrated = _migrate(wrapper)
            wrapper.close()
            template = str(conninfo.conninfo_to_dict(url)["dbname"])
        else:
            copy_database(url, template=template)
    for index in fresh:
        url, params = desks[index]
        wrapper = use_database(url)
        now = timezone.now()
        stats = load_desk(now=now, **params)
        wanted = json.dumps(params, sort_keys=True, default=str)
        note = DESK_NOTE + json.dumps({"params": wanted, "now": now.isoformat()})
        with wrapper.cursor() as cursor:
            cursor.execute("COMMENT ON TABLE customer_ops_ticket IS %s", (note,))
        results[index] = (wrapper, now, f"{describe(stats)}; migrate {migrated:.1f} s")
    return [result for result in results if result is not None]
