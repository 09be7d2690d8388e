"""`flush` that keeps the ledger's append-only triggers in place afterwards, and runs only where
emptying the ledger is allowed.

Flushing is the one deliberate "delete every row" operation (test teardown uses it); it lifts
the ledger triggers for its own statements and installs them again at once. Outside development
and tests (`DEALIX_ALLOW_FLUSH`, on by default only with DEBUG) it refuses: in production it would
erase the Action Ledger. (With the non-owner app role of the README it could not lift the
triggers anyway.)
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections, transaction

from customer_ops import ledger_triggers


class Command(FlushCommand):
    def handle(self, **options: Any) -> None:
        if not settings.DEALIX_ALLOW_FLUSH:
            raise CommandError(
                "flush would erase the append-only Action Ledger: it runs only in development "
                "and tests (DJANGO_DEBUG=1, or DEALIX_ALLOW_FLUSH=1 on a disposable database)"
            )
        connection = connections[options["database"]]
        with transaction.atomic(using=connection.alias):
            ledger_triggers.remove(connection)
            try:
                super().handle(**options)
            finally:
                ledger_triggers.install(connection)
