"""The periodic work (issue #8): what happens when nobody is looking at a screen.

Each function is idempotent for its period: run twice, it records and notifies once. They run as
Django tasks (customer_ops/tasks.py), enqueued by the scheduler. Each row is its own transaction
and its own try: one row that cannot be handled (bad legacy data, a notification that fails) is
logged and skipped, and the rest of the run goes on; the next run tries it again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from customer_ops.domain.ledger import LedgerVerb
from customer_ops.domain.notifications import NotificationTarget
from customer_ops.domain.plurals import HOURS, arabic_count
from customer_ops.domain.priority import Priority, priority_get
from customer_ops.domain.sla import SlaEventType, SlaVerdict
from customer_ops.domain.transitions import IncidentStatus, TicketStatus
from customer_ops.models.incidents import Incident, IncidentTimelineEntry, TimelineKind
from customer_ops.models.scheduling import WeeklySlaReview
from customer_ops.models.success import SuccessTouchpoint
from customer_ops.models.tickets import SlaEvent, Ticket
from customer_ops.riyadh_time import riyadh_text
from customer_ops.roles import Role, SignedInUser, is_founder
from customer_ops.selectors.calendar import business_timezone
from customer_ops.selectors.notifications import already_notified
from customer_ops.services.freeze import freeze_live_actions
from customer_ops.services.ledger import ledger_record
from customer_ops.services.notifications import notify, notify_founders
from customer_ops.services.sla_report import sla_health_review
from customer_ops.services.tickets import sla_event_record

logger = logging.getLogger(__name__)

SYSTEM = "system:scheduler"
PDPL_WARNINGS = (dt.timedelta(hours=24), dt.timedelta(hours=4))
OPEN_TICKET = [TicketStatus.OPEN.value, TicketStatus.PENDING_CUSTOMER.value]
LIVE_INCIDENT = [IncidentStatus.OPEN.value, IncidentStatus.MITIGATING.value]


def _operators() -> list[SignedInUser]:
    return list(
        get_user_model()
        .objects.filter(groups__name=Role.OPERATOR, is_active=True)
        .distinct()
        .order_by("pk")
    )


def _each_row[R](rows: Iterable[R], handle: Callable[[R], bool], *, sweep: str) -> int:
    """Run `handle` on every row in its own transaction; count the rows it did something for.

    A row whose handling raises is rolled back, logged and skipped: one bad row must not stop
    the escalations, reminders and warnings of every row after it.
    """
    done = 0
    for row in rows:
        try:
            with transaction.atomic():
                done += bool(handle(row))
        except Exception:
            logger.exception("%s: skipped %r", sweep, row)
    return done


def _breached_clock(ticket: Ticket, now: dt.datetime) -> str | None:
    if (
        ticket.first_response_at is None
        and ticket.first_response_due_at
        and ticket.first_response_due_at < now
    ):
        return "first_response"
    if ticket.resolved_at is None and ticket.resolution_due_at and ticket.resolution_due_at < now:
        return "resolution"
    return None


def sla_sweep(*, now: dt.datetime) -> int:
    """Record `escalated` once per breached clock and notify the priority's escalation owner."""
    candidates = (
        Ticket.objects.filter(status__in=OPEN_TICKET, next_due_at__lt=now)
        .select_related("assignee", "customer")
        .order_by("next_due_at")
    )

    def escalate(ticket: Ticket) -> bool:
        clock = _breached_clock(ticket, now)
        if clock is None:
            return False
        note = f"{clock} breached"
        if SlaEvent.objects.filter(ticket=ticket, event=SlaEventType.ESCALATED, note=note).exists():
            return False
        sla_event_record(
            ticket_id=ticket.pk,
            event=SlaEventType.ESCALATED.value,
            actor=None,
            actor_label="system:sla_sweep",
            now=now,
            note=note,
        )
        owner = priority_get(Priority(ticket.priority)).escalation_owner
        title = f"تجاوز SLA ({ticket.priority}): {ticket.subject}"
        body = f"{ticket.customer.company_name} — {note}"
        target = NotificationTarget.ticket(ticket.pk)
        if owner == "founder":
            notify_founders(kind="sla_breach", title=title, body=body, target=target, now=now)
            # The operator who holds the ticket hears of its breach too, not only the founders.
            if ticket.assignee is not None and not is_founder(ticket.assignee):
                notify(
                    recipients=[ticket.assignee],
                    kind="sla_breach",
                    title=title,
                    body=body,
                    target=target,
                    now=now,
                )
        else:
            recipients = [ticket.assignee] if ticket.assignee else _operators()
            notify(
                recipients=recipients,
                kind="sla_breach",
                title=title,
                body=body,
                target=target,
                now=now,
            )
        return True

    return _each_row(candidates.iterator(chunk_size=500), escalate, sweep="sla_sweep")


def incident_reminders(*, now: dt.datetime) -> int:
    """Remind when a status update is due, write missed update slots to the timeline (once each),
    and warn the founders 24 h and 4 h before the PDPL notification deadline."""
    live = Incident.objects.filter(status__in=LIVE_INCIDENT).select_related("declared_by")

    def remind(incident: Incident) -> bool:
        slot = incident.next_update_due_at
        text = f"فات موعد تحديث العملاء المقرر في {slot:%Y-%m-%d %H:%M} UTC"
        if IncidentTimelineEntry.objects.filter(
            incident=incident, kind=TimelineKind.NOTE, text=text
        ).exists():
            return False
        IncidentTimelineEntry.objects.create(
            incident=incident, at=now, kind=TimelineKind.NOTE, text=text, actor=None
        )
        ledger_record(
            verb=LedgerVerb.INCIDENTS_UPDATE_MISSED,
            obj=incident,
            actor_label=SYSTEM,
            at=now,
            after={"slot": slot},
        )
        notify(
            recipients=[incident.declared_by, *_operators()],
            kind="incident_update_due",
            title=f"تحديث مستحق للحادثة ({incident.severity}): {incident.title}",
            body=text,
            target=NotificationTarget.incident(incident.pk),
            now=now,
        )
        return True

    def warn(incident: Incident) -> int:
        warned = 0
        if incident.pdpl_deadline_at is None:  # the loop below passes only incidents with one
            return warned
        remaining = incident.pdpl_deadline_at - now
        for warning in PDPL_WARNINGS:
            hours = int(warning.total_seconds() // 3600)
            kind = f"pdpl_{hours}h"
            target = NotificationTarget.incident(incident.pk)
            if remaining > warning or already_notified(kind=kind, target=target):
                continue
            notify_founders(
                kind=kind,
                title=(
                    f"مهلة إخطار PDPL تنتهي خلال {arabic_count(hours, HOURS)}: {incident.title}"
                ),
                body=f"الموعد النهائي {riyadh_text(incident.pdpl_deadline_at, language='ar')}",
                target=target,
                now=now,
            )
            warned += 1
        return warned

    sent = _each_row(live.filter(next_update_due_at__lte=now), remind, sweep="incident_reminders")
    for incident in live.filter(pdpl_deadline_at__isnull=False, pdpl_deadline_at__gt=now):
        try:
            with transaction.atomic():
                sent += warn(incident)
        except Exception:
            logger.exception("incident_reminders: PDPL warning skipped for %r", incident)
    return sent


def cs_touchpoints_due(*, now: dt.datetime) -> int:
    """Tell the operators which customer-success touchpoints are due today (once a day each)."""
    today = now.astimezone(business_timezone()).date()
    due = SuccessTouchpoint.objects.filter(due_on__lte=today, done_at__isnull=True).select_related(
        "plan__customer"
    )

    def tell(touchpoint: SuccessTouchpoint) -> bool:
        target = NotificationTarget.touchpoint(touchpoint.pk, day=today)
        if already_notified(kind="cs_touchpoint_due", target=target):
            return False
        notify(
            recipients=_operators(),
            kind="cs_touchpoint_due",
            title=f"متابعة مستحقة: {touchpoint.plan.customer.company_name}",
            body=touchpoint.text,
            target=target,
            now=now,
        )
        return True

    return _each_row(due, tell, sweep="cs_touchpoints_due")


def weekly_sla_review(*, now: dt.datetime) -> dict[str, Any]:
    """Monday's review of last week (Sunday–Saturday before this Monday, Riyadh dates): store the
    report; on `critical`, notify the founders and freeze live actions until a founder lifts it."""
    local_today = now.astimezone(business_timezone()).date()
    this_monday = local_today - dt.timedelta(days=local_today.weekday())
    date_from = this_monday - dt.timedelta(days=7)
    date_to = this_monday - dt.timedelta(days=1)
    year, week, _ = date_from.isocalendar()
    week_key = f"{year}-W{week:02d}"
    existing = WeeklySlaReview.objects.filter(week_key=week_key).first()
    if existing is not None:
        return _report_of(existing)
    report = sla_health_review(date_from=date_from, date_to=date_to, now=now)
    try:
        with transaction.atomic():
            review = WeeklySlaReview.objects.create(
                week_key=week_key,
                date_from=date_from,
                date_to=date_to,
                verdict=report["verdict"],
                breach_rate=report["breach_rate"],
                report=report,
                created_at=now,
            )
            ledger_record(
                verb=LedgerVerb.SLA_WEEKLY_REVIEW,
                obj=review,
                actor_label=SYSTEM,
                at=now,
                after={"verdict": review.verdict, "breach_rate": review.breach_rate},
            )
            if review.verdict == SlaVerdict.CRITICAL:
                freeze_live_actions(
                    reason=f"weekly SLA review {week_key}: critical ({review.breach_rate:.0%} breached)",
                    now=now,
                    by_label="system:weekly_sla_review",
                )
    except IntegrityError:
        pass  # a concurrent run stored this week first
    # Returned as stored (JSON), the same on every call and serialisable as a task result.
    return _report_of(WeeklySlaReview.objects.get(week_key=week_key))


def _report_of(review: WeeklySlaReview) -> dict[str, Any]:
    report: dict[str, Any] = review.report  # JSON: the dict sla_health_review made
    return report


__all__ = ["cs_touchpoints_due", "incident_reminders", "sla_sweep", "weekly_sla_review"]
