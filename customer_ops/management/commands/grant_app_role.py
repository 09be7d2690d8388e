"""Give the application's own PostgreSQL role what it needs, and no more (run as the owner).

In production the tables belong to the owner role that runs the migrations; the web and worker
processes connect as a separate role that owns nothing. A non-owner cannot disable or drop a
trigger, alter or truncate a table, so the append-only triggers hold even against the app's own
connection. This grants that role:

- on the append-only tables (Action Ledger, SLA events, incident timeline): SELECT and INSERT only;
- on every other table of the schema: SELECT, INSERT, UPDATE, DELETE;
- on the sequences: USAGE and SELECT (new ids).

Run it after every `migrate` (new tables need their grants): `manage.py grant_app_role dealix_app`.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections, transaction

from customer_ops.ledger_triggers import APPEND_ONLY_TABLES


class Command(BaseCommand):
    help = (
        "Grant a non-owner PostgreSQL role the rights the app needs (append-only tables: insert)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="the role the app connects as (it must already exist)")
        parser.add_argument("--database", default="default")

    def handle(self, *args: Any, role: str, database: str, **options: Any) -> None:
        connection = connections[database]
        if connection.vendor != "postgresql":
            raise CommandError("grant_app_role is for PostgreSQL (SQLite has no roles)")
        quote = connection.ops.quote_name
        append_only = {table for table, _prefix, _message in APPEND_ONLY_TABLES}
        with transaction.atomic(using=database), connection.cursor() as cursor:
            cursor.execute("SELECT current_user = %s", [role])
            if cursor.fetchone()[0]:
                raise CommandError("run this as the owner role, not as the app role itself")
            tables = connection.introspection.table_names(cursor)
            cursor.execute(f"GRANT USAGE ON SCHEMA public TO {quote(role)}")  # noqa: S608
            for table in tables:
                rights = (
                    "SELECT, INSERT" if table in append_only else "SELECT, INSERT, UPDATE, DELETE"
                )
                cursor.execute(f"REVOKE ALL ON {quote(table)} FROM {quote(role)}")  # noqa: S608
                cursor.execute(f"GRANT {rights} ON {quote(table)} TO {quote(role)}")  # noqa: S608
            cursor.execute(
                f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quote(role)}"  # noqa: S608
            )
        self.stdout.write(f"granted {role} the app's rights on {len(tables)} tables")
