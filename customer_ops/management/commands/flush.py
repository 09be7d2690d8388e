"""`flush` that keeps the ledger's append-only triggers in place afterwards.

Flushing is the one deliberate "delete every row" operation (test teardown uses it); it lifts
the ledger triggers for its own statements and installs them again at once.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections, transaction

from customer_ops import ledger_triggers


class Command(FlushCommand):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        with transaction.atomic(using=connection.alias):
            ledger_triggers.remove(connection)
            try:
                super().handle(**options)
            finally:
                ledger_triggers.install(connection)
