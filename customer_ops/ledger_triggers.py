"""Database triggers that make the append-only tables append-only, on SQLite and PostgreSQL.

The tables: the Action Ledger, the tickets' SLA events (the clocks are computed from them) and the
incidents' timeline. The ORM never updates or deletes their rows; these triggers make sure nothing
else through the application's database connection does either. Used by migrations 0003 and 0006
and by the `flush` command override (the one deliberate "delete everything" operation, used by
test teardown).

A table that does not exist yet is skipped, so migration 0003 (ledger only) still runs on a fresh
database; migration 0006 installs the triggers of the later tables.
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "customer_ops_ledgerentry"
MESSAGE = "the action ledger is append-only"


def _sqlite_create(table: str, prefix: str, message: str) -> list[str]:
    return [
        f"CREATE TRIGGER IF NOT EXISTS {prefix}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{message}'); END",
        f"CREATE TRIGGER IF NOT EXISTS {prefix}_no_delete BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{message}'); END",
    ]


def _sqlite_drop(table: str, prefix: str, message: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {prefix}_no_update",
        f"DROP TRIGGER IF EXISTS {prefix}_no_delete",
    ]


def _postgres_create(table: str, prefix: str, message: str) -> list[str]:
    function = f"{prefix}_refuse_change"
    return [
        f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{message}' USING ERRCODE = 'restrict_violation';
    END;
    $$ LANGUAGE plpgsql""",
        f"DROP TRIGGER IF EXISTS {prefix}_no_update_delete ON {table}",
        f"CREATE TRIGGER {prefix}_no_update_delete BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {function}()",
        f"DROP TRIGGER IF EXISTS {prefix}_no_truncate ON {table}",
        f"CREATE TRIGGER {prefix}_no_truncate BEFORE TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
    ]


def _postgres_drop(table: str, prefix: str, message: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {prefix}_no_update_delete ON {table}",
        f"DROP TRIGGER IF EXISTS {prefix}_no_truncate ON {table}",
    ]


# (table, trigger-name prefix, message). The ledger keeps the trigger and function names it had.
APPEND_ONLY_TABLES: tuple[tuple[str, str, str], ...] = (
    (TABLE, "ledger", MESSAGE),
    ("customer_ops_slaevent", "sla_event", "SLA events are append-only"),
    (
        "customer_ops_incidenttimelineentry",
        "incident_timeline",
        "the incident timeline is append-only",
    ),
)

_BUILDERS = {
    ("sqlite", True): _sqlite_create,
    ("sqlite", False): _sqlite_drop,
    ("postgresql", True): _postgres_create,
    ("postgresql", False): _postgres_drop,
}


def _statements(connection: BaseDatabaseWrapper, *, create: bool) -> list[str]:
    build = _BUILDERS.get((connection.vendor, create))
    if build is None:
        raise NotImplementedError(f"no append-only triggers for {connection.vendor}")
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
    return [
        statement
        for table, prefix, message in APPEND_ONLY_TABLES
        if table in existing
        for statement in build(table, prefix, message)
    ]


def install(connection: BaseDatabaseWrapper) -> None:
    """Create (or re-create) the triggers."""
    statements = _statements(connection, create=True)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def remove(connection: BaseDatabaseWrapper) -> None:
    """Drop the triggers (only `flush` does this, and re-installs them straight after)."""
    statements = _statements(connection, create=False)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
