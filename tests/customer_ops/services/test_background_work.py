"""Issue #8: breaches, reminders, the weekly review and the freeze happen without anyone on a page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from customer_ops.domain.errors import DomainError
from customer_ops.domain.notifications import NotificationTarget
from customer_ops.domain.schedule import Every, Job
from customer_ops.models import (
    IncidentTimelineEntry,
    LedgerEntry,
    LiveActionsFreeze,
    Notification,
    ScheduledRun,
    SlaEvent,
    WeeklySlaReview,
)
from customer_ops.roles import Role
from customer_ops.services import sweeps
from customer_ops.services.draft_delivery import draft_send
from customer_ops.services.drafts import draft_approve
from customer_ops.services.freeze import lift_freeze
from customer_ops.services.notifications import notify_founders
from customer_ops.services.scheduling import schedule_due_jobs
from customer_ops.tasks import PERIODIC_JOBS, sla_sweep
from tests.factories import make_customer, make_draft, make_incident, make_ticket

pytestmark = pytest.mark.django_db

# Sunday 1 March 2026, 10:00 Riyadh (07:00 UTC): a working day.
T0 = dt.datetime(2026, 3, 1, 7, 0, tzinfo=dt.UTC)


@pytest.fixture
def customer_fields() -> dict[str, Any]:
    return {
        "now": T0,
    }


def test_scheduler_enqueues_each_period_once(founder: Any) -> None:
    first = schedule_due_jobs(jobs=PERIODIC_JOBS, now=T0)
    again = schedule_due_jobs(jobs=PERIODIC_JOBS, now=T0 + dt.timedelta(seconds=30))
    next_minute = schedule_due_jobs(jobs=PERIODIC_JOBS, now=T0 + dt.timedelta(minutes=1))

    # A scheduler's first check in a week runs that week's review (due since Monday 08:00).
    assert sorted(entry.split("@")[0] for entry in first) == [
        "cs_touchpoints_due",
        "email_deliveries_retry",
        "incident_reminders",
        "sla_sweep",
        "support_mailbox_poll",
        "weekly_sla_review",
        "whatsapp_deliveries_retry",
    ]
    assert again == []
    assert sorted(entry.split("@")[0] for entry in next_minute) == [
        "email_deliveries_retry",
        "incident_reminders",
        "sla_sweep",
        "support_mailbox_poll",
        "whatsapp_deliveries_retry",
    ]


def test_scheduler_skips_a_period_another_scheduler_claimed(founder: Any) -> None:
    job = Job("sla_sweep", Every.MINUTE)
    ScheduledRun.objects.create(job="sla_sweep", period_key="2026-03-01T07:00", enqueued_at=T0)

    assert schedule_due_jobs(jobs={job: sla_sweep}, now=T0) == []
    assert ScheduledRun.objects.filter(job="sla_sweep").count() == 1


def test_sla_sweep_escalates_a_breached_p0_once_and_tells_the_founders(
    customer: Any, operator: Any, founder: Any
) -> None:
    ticket = make_ticket(customer=customer, actor=operator, now=T0, subject="تسريب بيانات العملاء")
    assert ticket.priority == "P0"

    before = sweeps.sla_sweep(now=T0 + dt.timedelta(minutes=30))
    escalated = sweeps.sla_sweep(now=T0 + dt.timedelta(minutes=31))
    again = sweeps.sla_sweep(now=T0 + dt.timedelta(minutes=32))

    assert (before, escalated, again) == (0, 1, 0)
    assert SlaEvent.objects.filter(ticket=ticket, event="escalated").count() == 1
    notes = Notification.objects.filter(kind="sla_breach")
    assert [n.recipient for n in notes] == [founder]


def test_sla_sweep_notifies_the_assignee_for_lower_priorities(
    customer: Any, operator: Any, founder: Any
) -> None:
    ticket = make_ticket(
        customer=customer, actor=operator, now=T0, subject="Pilot stopped", assignee_id=operator.pk
    )
    assert ticket.priority == "P1"

    sweeps.sla_sweep(now=T0 + dt.timedelta(hours=2, minutes=1))

    assert [n.recipient for n in Notification.objects.filter(kind="sla_breach")] == [operator]


def test_incident_reminders_write_missed_slots_and_pdpl_warnings_once(
    customer: Any, operator: Any, founder: Any
) -> None:
    incident = make_incident(
        actor=founder, now=T0, customers=(customer,), has_data_leak=True, title="تسريب في السجلات"
    )
    assert incident.severity == "SEV1"
    due = incident.next_update_due_at

    sweeps.incident_reminders(now=due + dt.timedelta(minutes=1))
    sweeps.incident_reminders(now=due + dt.timedelta(minutes=2))

    missed = IncidentTimelineEntry.objects.filter(incident=incident, text__startswith="فات موعد")
    assert missed.count() == 1
    assert Notification.objects.filter(kind="incident_update_due").exists()

    deadline = incident.pdpl_deadline_at
    sweeps.incident_reminders(now=deadline - dt.timedelta(hours=23))
    sweeps.incident_reminders(now=deadline - dt.timedelta(hours=3))
    sweeps.incident_reminders(now=deadline - dt.timedelta(hours=2))

    assert Notification.objects.filter(kind="pdpl_24h", recipient=founder).count() == 1
    assert Notification.objects.filter(kind="pdpl_4h", recipient=founder).count() == 1


def test_weekly_review_critical_freezes_live_sends_until_a_founder_lifts_it(
    customer: Any, operator: Any, founder: Any, make_user: Any
) -> None:
    # Last week (Mon 23 Feb – Sun 1 Mar 2026): one P0 ticket answered late → 100% breached.
    ticket = make_ticket(customer=customer, actor=operator, now=T0, subject="تسريب")
    sweeps.sla_sweep(now=T0 + dt.timedelta(hours=1))
    monday = dt.datetime(2026, 3, 2, 6, 0, tzinfo=dt.UTC)  # 09:00 Riyadh

    report = sweeps.weekly_sla_review(now=monday)
    again = sweeps.weekly_sla_review(now=monday + dt.timedelta(hours=1))

    assert ticket.pk and report["verdict"] == "critical"
    assert again == report
    assert WeeklySlaReview.objects.count() == 1
    assert LiveActionsFreeze.objects.filter(active=True).count() == 1
    assert Notification.objects.filter(recipient=founder).exists()

    draft = make_draft(customer=customer, author=operator)
    draft_approve(draft_id=draft.pk, approver=founder, now=monday)
    with pytest.raises(DomainError, match="frozen"):
        draft_send(draft_id=draft.pk, actor=operator, now=monday)
    with pytest.raises(DomainError):
        lift_freeze(actor=operator, now=monday)
    lift_freeze(actor=founder, now=monday, note="راجعنا التجاوزات")
    sent = draft_send(draft_id=draft.pk, actor=operator, now=monday)

    assert sent.status == "sent"
    assert len(mail.outbox) == 1
    verbs = set(LedgerEntry.objects.values_list("verb", flat=True))
    assert {"live_actions.frozen", "live_actions.unfrozen", "sla.weekly_review"} <= verbs


@pytest.mark.django_db(transaction=True)
def test_tasks_run_through_the_real_database_worker(founder: Any, operator: Any) -> None:
    customer = make_customer(actor=founder)
    make_ticket(
        customer=customer,
        actor=operator,
        now=timezone.now() - dt.timedelta(hours=1),
        subject="تسريب",
    )
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        with transaction.atomic():
            result = sla_sweep.using(backend="default").enqueue(period_key="test")
        assert result.status == "READY"

        call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*")

        result.refresh()
        assert result.status == "SUCCESSFUL"
        assert result.return_value == 1
    assert SlaEvent.objects.filter(event="escalated").count() == 1


def test_run_scheduler_once_enqueues_and_a_second_process_adds_nothing(
    founder: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("run_scheduler", "--once")
    first = capsys.readouterr().out
    call_command("run_scheduler", "--once")
    second = capsys.readouterr().out

    assert "enqueued sla_sweep@" in first
    assert (
        "enqueued sla_sweep@" not in second
        or ScheduledRun.objects.filter(job="sla_sweep").count() == 2
    )


def test_notifications_are_also_emailed_after_commit(
    make_user: Any, django_capture_on_commit_callbacks: Any, customer: Any
) -> None:

    make_user("boss", Role.FOUNDER, email="boss@dealix.sa")

    with django_capture_on_commit_callbacks(execute=True):
        notify_founders(
            kind="test",
            title="تنبيه",
            body="نص",
            target=NotificationTarget.customer(customer.pk),
            now=T0,
        )

    assert [message.to for message in mail.outbox] == [["boss@dealix.sa"]]
    assert mail.outbox[0].subject == "[Dealix] تنبيه"
    assert f"http://127.0.0.1:8000/customers/{customer.pk}/" in mail.outbox[0].body
