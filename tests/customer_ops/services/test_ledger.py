from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from customer_ops.models import Customer, LedgerEntry
from customer_ops.services.customers import customer_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(founder: Any) -> LedgerEntry:
    customer = customer_create(
        company_name="شركة الدفتر", bundle="growth_starter", actor=founder, now=timezone.now()
    )
    return LedgerEntry.objects.get(object_type="customer", object_id=str(customer.pk))


def test_customer_create_writes_one_ledger_row(entry: LedgerEntry, founder: Any) -> None:
    assert entry.verb == "customers.created"
    assert entry.actor == founder
    assert entry.after["company_name"] == "شركة الدفتر"
    assert entry.customer_id == Customer.objects.get().pk


def test_ledger_refuses_orm_update(entry: LedgerEntry) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(verb="tampered")

    entry.refresh_from_db()
    assert entry.verb == "customers.created"


def test_ledger_refuses_orm_delete(entry: LedgerEntry) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).delete()

    assert LedgerEntry.objects.filter(pk=entry.pk).exists()


def test_ledger_refuses_raw_sql_update_and_delete(entry: LedgerEntry) -> None:
    for statement in (
        "UPDATE customer_ops_ledgerentry SET verb = 'x'",
        "DELETE FROM customer_ops_ledgerentry",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)

    assert LedgerEntry.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_flush_keeps_the_triggers_installed(founder: Any) -> None:
    call_command("flush", interactive=False, verbosity=0)
    LedgerEntry.objects.create(at=timezone.now(), verb="v", object_type="t", object_id="1")

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LedgerEntry.objects.update(verb="w")
