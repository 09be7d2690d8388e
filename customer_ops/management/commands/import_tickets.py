"""Import support tickets from a CSV file, validating every row first.

Columns: `customer` (id or exact company name), `subject`, `body`, `channel` (email, whatsapp,
phone, web_form), optional `opened_at` (ISO 8601 with an offset; default now). Bad rows are
reported with their line numbers; nothing is imported when any row is bad, unless --skip-bad.
Each ticket goes through the same service as the console (auto-priority, SLA clocks, ledger).
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from customer_ops.management.progress import ProgressBar
from customer_ops.models import Customer
from customer_ops.models.tickets import TicketChannel
from customer_ops.services.tickets import ticket_create

REQUIRED = ("customer", "subject", "body", "channel")
MAX_SUBJECT = 200


@dataclass(frozen=True, slots=True)
class Row:
    line: int
    customer_id: int
    subject: str
    body: str
    channel: str
    opened_at: dt.datetime | None


class Command(BaseCommand):
    help = "Import tickets from a CSV file (all or nothing unless --skip-bad)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--skip-bad", action="store_true", help="import the good rows, report the bad ones"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        rows, errors = self._validate(path)
        for line, message in errors:
            self.stderr.write(f"line {line}: {message}")
        if errors and not options["skip_bad"]:
            raise CommandError(
                f"{len(errors)} bad row(s); nothing imported (fix them or pass --skip-bad)"
            )
        progress = ProgressBar(len(rows), stream=self.stdout, label="importing")
        with transaction.atomic():
            for row in rows:
                ticket_create(
                    customer_id=row.customer_id,
                    subject=row.subject,
                    body=row.body,
                    channel=row.channel,
                    actor=None,
                    actor_label="import_tickets",
                    now=row.opened_at or timezone.now(),
                )
                progress.advance()
        progress.close()
        skipped = f", {len(errors)} bad row(s) skipped" if errors else ""
        self.stdout.write(f"imported {len(rows)} ticket(s){skipped}")

    def _validate(self, path: Path) -> tuple[list[Row], list[tuple[int, str]]]:
        by_name = dict(Customer.objects.values_list("company_name", "pk"))
        known_ids = set(by_name.values())
        rows: list[Row] = []
        errors: list[tuple[int, str]] = []
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = [column for column in REQUIRED if column not in (reader.fieldnames or [])]
            if missing:
                raise CommandError(f"missing column(s): {', '.join(missing)}")
            for record in reader:
                line = reader.line_num
                problems: list[str] = []
                raw_customer = (record.get("customer") or "").strip()
                customer_id = by_name.get(raw_customer)
                if (
                    customer_id is None
                    and raw_customer.isdigit()
                    and int(raw_customer) in known_ids
                ):
                    customer_id = int(raw_customer)
                if customer_id is None:
                    problems.append(f"unknown customer {raw_customer!r}")
                subject = (record.get("subject") or "").strip()
                if not subject:
                    problems.append("subject is empty")
                elif len(subject) > MAX_SUBJECT:
                    problems.append(f"subject longer than {MAX_SUBJECT} characters")
                body = (record.get("body") or "").strip()
                if not body:
                    problems.append("body is empty")
                channel = (record.get("channel") or "").strip()
                if channel not in TicketChannel.values:
                    problems.append(f"unknown channel {channel!r}")
                opened_at = None
                raw_opened = (record.get("opened_at") or "").strip()
                if raw_opened:
                    try:
                        opened_at = dt.datetime.fromisoformat(raw_opened)
                    except ValueError:
                        problems.append(f"opened_at is not an ISO date-time: {raw_opened!r}")
                    else:
                        if opened_at.tzinfo is None:
                            problems.append("opened_at needs a UTC offset, e.g. +03:00")
                if problems:
                    errors.append((line, "; ".join(problems)))
                    continue
                assert customer_id is not None  # noqa: S101 - narrowed above
                rows.append(Row(line, customer_id, subject, body, channel, opened_at))
        return rows, errors
