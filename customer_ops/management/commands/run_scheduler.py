"""The scheduler process: every few seconds, enqueue the periodic jobs whose period is due.

Safe to run on several machines at once: each (job, period) is enqueued once (see
services/scheduling.py). The work itself runs in `manage.py db_worker` processes.
"""

from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils import timezone

from customer_ops.services.scheduling import schedule_due_jobs
from customer_ops.tasks import PERIODIC_JOBS


class Command(BaseCommand):
    help = (
        "Enqueue due periodic jobs (SLA sweep, reminders, weekly review); run alongside db_worker."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="check once and exit")
        parser.add_argument(
            "--interval", type=float, default=15.0, help="seconds between checks (default 15)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stopping = False

        def stop(signum: int, frame: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while True:
            for entry in schedule_due_jobs(jobs=PERIODIC_JOBS, now=timezone.now()):
                self.stdout.write(f"enqueued {entry}")
            if options["once"] or stopping:
                return
            deadline = time.monotonic() + options["interval"]
            while not stopping and time.monotonic() < deadline:
                time.sleep(0.5)
            if stopping:
                return
            close_old_connections()  # a long-lived process drops stale connections between checks
