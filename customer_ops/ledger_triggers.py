"""Database triggers that make the Action Ledger append-only, on SQLite and PostgreSQL.

The ORM never updates or deletes a ledger row; these triggers make sure nothing else through the
application's database connection does either. Used by migration 0003 and by the `flush`
command override (the one deliberate "delete everything" operation, used by test teardown).
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "customer_ops_ledgerentry"
MESSAGE = "the action ledger is append-only"

_SQLITE_CREATE = [
    f"CREATE TRIGGER IF NOT EXISTS ledger_no_update BEFORE UPDATE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    f"CREATE TRIGGER IF NOT EXISTS ledger_no_delete BEFORE DELETE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
]
_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS ledger_no_update",
    "DROP TRIGGER IF EXISTS ledger_no_delete",
]

_POSTGRES_CREATE = [
    f"""CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
    END;
    $$ LANGUAGE plpgsql""",
    f"DROP TRIGGER IF EXISTS ledger_no_update_delete ON {TABLE}",
    f"CREATE TRIGGER ledger_no_update_delete BEFORE UPDATE OR DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()",
    f"DROP TRIGGER IF EXISTS ledger_no_truncate ON {TABLE}",
    f"CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON {TABLE} "
    "FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()",
]
_POSTGRES_DROP = [
    f"DROP TRIGGER IF EXISTS ledger_no_update_delete ON {TABLE}",
    f"DROP TRIGGER IF EXISTS ledger_no_truncate ON {TABLE}",
]


def _statements(connection: BaseDatabaseWrapper, *, create: bool) -> list[str]:
    if connection.vendor == "sqlite":
        return _SQLITE_CREATE if create else _SQLITE_DROP
    if connection.vendor == "postgresql":
        return _POSTGRES_CREATE if create else _POSTGRES_DROP
    raise NotImplementedError(f"no append-only ledger triggers for {connection.vendor}")


def install(connection: BaseDatabaseWrapper) -> None:
    """Create (or re-create) the triggers."""
    with connection.cursor() as cursor:
        for statement in _statements(connection, create=True):
            cursor.execute(statement)


def remove(connection: BaseDatabaseWrapper) -> None:
    """Drop the triggers (only `flush` does this, and re-installs them straight after)."""
    with connection.cursor() as cursor:
        for statement in _statements(connection, create=False):
            cursor.execute(statement)
