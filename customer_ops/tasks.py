"""Background work through Django's Tasks API (the django-tasks-db worker runs them).

Each task is a thin wrapper over one idempotent function in services/sweeps.py,
services/webhooks.py or services/mail_inbound.py; PERIODIC_JOBS
tells the scheduler (`manage.py run_scheduler`) when each is due.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.tasks import Task, task
from django.utils import timezone

from customer_ops.channels.imap_mailbox import imap_config_from_url
from customer_ops.domain.schedule import Every, Job
from customer_ops.services import mail_inbound, sweeps, webhooks


@task
def sla_sweep(*, period_key: str = "") -> int:
    """Escalate newly breached tickets (every minute)."""
    return sweeps.sla_sweep(now=timezone.now())


@task
def incident_reminders(*, period_key: str = "") -> int:
    """Status-update and PDPL deadline reminders (every minute)."""
    return sweeps.incident_reminders(now=timezone.now())


@task
def cs_touchpoints_due(*, period_key: str = "") -> int:
    """Customer-success touchpoints due today (daily, 08:00 Riyadh)."""
    return sweeps.cs_touchpoints_due(now=timezone.now())


@task
def weekly_sla_review(*, period_key: str = "") -> dict[str, Any]:
    """Monday's SLA review of last week (weekly, Monday 08:00 Riyadh)."""
    return sweeps.weekly_sla_review(now=timezone.now())


@task
def process_whatsapp_delivery(*, delivery_id: int) -> dict[str, int]:
    """Process one stored WhatsApp webhook delivery (enqueued by the webhook after storing it)."""
    return webhooks.whatsapp_delivery_process(delivery_id=delivery_id, now=timezone.now())


@task
def whatsapp_deliveries_retry(*, period_key: str = "") -> int:
    """Process stored deliveries whose task never ran (every minute)."""
    return webhooks.whatsapp_deliveries_process_pending(now=timezone.now())


@task
def process_email_delivery(*, delivery_id: int) -> dict[str, int]:
    """Process one stored provider email delivery (inbound mail or a tracking event)."""
    return webhooks.email_delivery_process(delivery_id=delivery_id, now=timezone.now())


@task
def email_deliveries_retry(*, period_key: str = "") -> int:
    """Process stored provider email deliveries whose task never ran (every minute)."""
    return webhooks.email_deliveries_process_pending(now=timezone.now())


@task
def support_mailbox_poll(*, period_key: str = "") -> int:
    """Read new mail from the support mailbox over IMAP (every minute; off without
    SUPPORT_IMAP_URL)."""
    if not settings.SUPPORT_IMAP_URL:
        return 0
    config = imap_config_from_url(
        settings.SUPPORT_IMAP_URL, timeout=float(settings.SUPPORT_IMAP_TIMEOUT)
    )
    return mail_inbound.mailbox_poll(config=config, now=timezone.now())


PERIODIC_JOBS: dict[Job, Task] = {
    Job("sla_sweep", Every.MINUTE): sla_sweep,
    Job("incident_reminders", Every.MINUTE): incident_reminders,
    Job("cs_touchpoints_due", Every.DAY, at=dt.time(8, 0)): cs_touchpoints_due,
    Job("weekly_sla_review", Every.WEEK, at=dt.time(8, 0), weekday=0): weekly_sla_review,
    Job("whatsapp_deliveries_retry", Every.MINUTE): whatsapp_deliveries_retry,
    Job("email_deliveries_retry", Every.MINUTE): email_deliveries_retry,
    Job("support_mailbox_poll", Every.MINUTE): support_mailbox_poll,
}
