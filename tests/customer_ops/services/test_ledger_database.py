"""The ledger and the database (issue #17): no statement, flush or role gets around append-only."""

from __future__ import annotations

import uuid
from typing import Any

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from customer_ops.ledger_triggers import APPEND_ONLY_TABLES
from customer_ops.models import LedgerEntry, SlaEvent
from tests.factories import make_customer, make_ticket

pytestmark = pytest.mark.django_db

LEDGER = "customer_ops_ledgerentry"
SLA_EVENTS = "customer_ops_slaevent"


@pytest.fixture
def rows(operator: Any) -> dict[str, int]:
    """One ledger row and one SLA event row, by table."""
    customer = make_customer(actor=operator)
    make_ticket(customer=customer, actor=operator, now=timezone.now())
    return {
        LEDGER: LedgerEntry.objects.order_by("id").values_list("id", flat=True)[0],
        SLA_EVENTS: SlaEvent.objects.order_by("id").values_list("id", flat=True)[0],
    }


def _text_column(table: str) -> str:
    return {LEDGER: "note", SLA_EVENTS: "note"}[table]


def _snapshot(table: str, pk: int) -> tuple[Any, ...]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return tuple(cursor.fetchone())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="INSERT OR REPLACE is SQLite's")
@pytest.mark.parametrize("table", [LEDGER, SLA_EVENTS])
@pytest.mark.parametrize("verb", ["INSERT OR REPLACE", "REPLACE"])
def test_sqlite_replace_cannot_overwrite_an_append_only_row(
    rows: dict[str, int], table: str, verb: str
) -> None:
    pk = rows[table]
    before = _snapshot(table, pk)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} LIMIT 0")  # noqa: S608
        columns = [column[0] for column in cursor.description]
    forged = ", ".join("'forged'" if c == _text_column(table) else c for c in columns)

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            f"{verb} INTO {table} ({', '.join(columns)}) "  # noqa: S608
            f"SELECT {forged} FROM {table} WHERE id = %s",
            [pk],
        )

    assert _snapshot(table, pk) == before


@pytest.mark.parametrize("table", [LEDGER, SLA_EVENTS])
def test_upsert_cannot_overwrite_an_append_only_row(rows: dict[str, int], table: str) -> None:
    pk = rows[table]
    before = _snapshot(table, pk)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} LIMIT 0")  # noqa: S608
        columns = [column[0] for column in cursor.description]
    note = _text_column(table)

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608
            f"SELECT {', '.join(columns)} FROM {table} WHERE id = %s "
            f"ON CONFLICT (id) DO UPDATE SET {note} = 'forged'",
            [pk],
        )

    assert _snapshot(table, pk) == before


def test_flush_is_refused_outside_development_and_tests(
    rows: dict[str, int], settings: Any
) -> None:
    settings.DEALIX_ALLOW_FLUSH = False

    with pytest.raises(CommandError, match="Action Ledger"):
        call_command("flush", interactive=False, verbosity=0)

    assert LedgerEntry.objects.filter(pk=rows[LEDGER]).exists()


# ── A non-owner role for the app (PostgreSQL) ───────────────────────────────────────────────────
@pytest.fixture
def app_role() -> Any:
    """A fresh login role with the app's grants, connected to the test database; dropped after."""
    if connection.vendor != "postgresql":
        pytest.skip("roles are PostgreSQL's")
    role = f"wt17a_app_{uuid.uuid4().hex[:10]}"
    params = connection.get_connection_params()
    owner = psycopg.connect(**{**params, "autocommit": True})
    owner.execute(f'CREATE ROLE "{role}" LOGIN')
    try:
        call_command("grant_app_role", role, verbosity=0)
        app = psycopg.connect(**{**params, "user": role, "password": None, "autocommit": True})
        try:
            yield app
        finally:
            app.close()
    finally:
        owner.execute(f'DROP OWNED BY "{role}"')
        owner.execute(f'DROP ROLE "{role}"')
        owner.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("table", "_prefix", "_message"), APPEND_ONLY_TABLES)
def test_app_role_cannot_disable_triggers_or_change_append_only_rows(
    app_role: Any, table: str, _prefix: str, _message: str
) -> None:
    refused = [
        f"ALTER TABLE {table} DISABLE TRIGGER ALL",  # noqa: S608
        f"ALTER TABLE {table} DISABLE TRIGGER USER",
        f"DROP TRIGGER IF EXISTS {_prefix}_no_update_delete ON {table}",
        f"UPDATE {table} SET id = id",  # noqa: S608
        f"DELETE FROM {table}",  # noqa: S608
        f"TRUNCATE {table}",
        "SET session_replication_role = replica",
    ]
    for statement in refused:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            app_role.execute(statement)

    app_role.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 — reading is the app's right


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_app_role_can_do_the_apps_work(app_role: Any) -> None:
    app_role.execute("UPDATE customer_ops_customer SET city = city")
    app_role.execute("SELECT count(*) FROM customer_ops_ledgerentry")
