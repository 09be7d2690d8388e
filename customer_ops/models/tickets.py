"""Support tickets, their append-only SLA events, announced holidays and SLA verdict notices.

The SLA events are the source of truth for the clocks. The `*_due_at`, `*_seconds`, `*_breached`,
`next_due_at` and `overdue_after` columns on `Ticket` are a denormalised copy that the ticket
services recompute from the events in the same transaction as every change, so the queue can sort
and filter 100,000 tickets in SQL. "Breached now" is `first_response_breached OR
resolution_breached OR overdue_after < now` (see `selectors.tickets.breached_now_q`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from customer_ops.domain.priority import Priority
from customer_ops.domain.sla import SlaEventType
from customer_ops.domain.transitions import TicketStatus
from customer_ops.labels import SLA_EVENT_LABELS, TICKET_STATUS_LABELS
from customer_ops.models.customers import Customer

PRIORITY_CHOICES = [(priority.value, priority.value) for priority in Priority]
TICKET_STATUS_CHOICES = [(status.value, TICKET_STATUS_LABELS[status]) for status in TicketStatus]
SLA_EVENT_CHOICES = [(event.value, SLA_EVENT_LABELS[event]) for event in SlaEventType]


class TicketChannel(models.TextChoices):
    EMAIL = "email", _("بريد إلكتروني")
    WHATSAPP = "whatsapp", _("واتساب")
    PHONE = "phone", _("اتصال هاتفي")
    WEB_FORM = "web_form", _("نموذج الموقع")


class Ticket(models.Model):
    """A customer's support request, on the SLA clocks of its priority."""

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("العميل")
    )
    channel = models.CharField(_("القناة"), max_length=20, choices=TicketChannel)
    subject = models.CharField(_("الموضوع"), max_length=200)
    body = models.TextField(_("النص"), blank=True)
    # The classifier's answer is kept as the floor: humans may raise `priority`, never lower it
    # below `classified_priority`.
    priority = models.CharField(_("الأولوية"), max_length=2, choices=PRIORITY_CHOICES)
    classified_priority = models.CharField(
        _("الأولوية المصنّفة آلياً"), max_length=2, choices=PRIORITY_CHOICES
    )
    matched_keyword = models.CharField(_("الكلمة المطابقة"), max_length=100, blank=True)
    priority_reason_ar = models.CharField(_("سبب التصنيف"), max_length=300)
    status = models.CharField(
        _("الحالة"), max_length=20, choices=TICKET_STATUS_CHOICES, default=TicketStatus.OPEN
    )
    status_changed_at = models.DateTimeField(_("تاريخ تغيّر الحالة"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_tickets",
        verbose_name=_("المسؤول"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("أنشأها"),
    )
    opened_at = models.DateTimeField(_("وقت الفتح"))
    # Closing needs the customer's confirmation: what they said and when.
    customer_confirmation = models.TextField(_("تأكيد العميل"), blank=True)
    customer_confirmed_at = models.DateTimeField(_("وقت تأكيد العميل"), null=True, blank=True)
    closed_at = models.DateTimeField(_("وقت الإغلاق"), null=True, blank=True)

    # ── Denormalised SLA state (recomputed from the events by the services) ──
    first_response_due_at = models.DateTimeField(_("موعد أول رد"), null=True, blank=True)
    resolution_due_at = models.DateTimeField(_("موعد الحل"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("وقت أول رد"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("وقت الحل"), null=True, blank=True)
    # Clock time (working time for P2/P3, pauses excluded) once each clock stopped.
    first_response_seconds = models.BigIntegerField(_("زمن أول رد (ث)"), null=True, blank=True)
    resolution_seconds = models.BigIntegerField(_("زمن الحل (ث)"), null=True, blank=True)
    first_response_breached = models.BooleanField(_("تجاوز أول رد"), default=False)
    resolution_breached = models.BooleanField(_("تجاوز الحل"), default=False)
    # The earliest due time among the clocks still running (null when none runs: paused, stopped
    # or already breached), for sorting the queue.
    next_due_at = models.DateTimeField(_("الموعد القادم"), null=True, blank=True)
    # The instant after which a running clock is breached. Equal to its due time, except for a
    # working-hours target that falls exactly at closing time: the breach begins only when the
    # next working day opens, because no working time passes in between.
    overdue_after = models.DateTimeField(_("يتجاوز بعد"), null=True, blank=True)
    sla_computed_at = models.DateTimeField(_("حُسبت الـ SLA في"), null=True, blank=True)

    created_at = models.DateTimeField(_("أنشئت في"), auto_now_add=True)
    updated_at = models.DateTimeField(_("حُدّثت في"), auto_now=True)

    class Meta:
        verbose_name = _("تذكرة دعم")
        verbose_name_plural = _("تذاكر الدعم")
        ordering = ["-opened_at", "-id"]
        indexes = [
            # The queue: filter by status, sort by the next due time, then the id. It also holds
            # what `breached_now_q` and the queue's counts read, so the working queue's page of
            # ids and its counts are answered from the index alone (PostgreSQL: index-only scans;
            # a search joins its matches to this instead of the table).
            models.Index(
                fields=[
                    "status",
                    "next_due_at",
                    "id",
                    "first_response_breached",
                    "resolution_breached",
                    "overdue_after",
                    "assignee",
                ],
                name="ticket_queue_idx",
            ),
            models.Index(fields=["priority", "status"], name="ticket_priority_status_idx"),
            models.Index(fields=["next_due_at"], name="ticket_next_due_idx"),
            models.Index(fields=["overdue_after"], name="ticket_overdue_idx"),
            models.Index(fields=["customer", "status"], name="ticket_customer_status_idx"),
            models.Index(fields=["assignee", "status"], name="ticket_assignee_status_idx"),
            # The health report: tickets opened in a period, grouped by priority.
            models.Index(fields=["opened_at", "priority"], name="ticket_opened_priority_idx"),
            models.Index(
                fields=["opened_at"],
                condition=Q(first_response_breached=True) | Q(resolution_breached=True),
                name="ticket_breached_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(priority__in=[p.value for p in Priority])
                & Q(classified_priority__in=[p.value for p in Priority]),
                name="ticket_priority_known",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in TicketStatus]),
                name="ticket_status_known",
            ),
            # "Close a ticket only with the customer's confirmation" (SUPPORT_SLA.md).
            models.CheckConstraint(
                condition=~Q(status=TicketStatus.CLOSED.value)
                | (Q(customer_confirmed_at__isnull=False) & ~Q(customer_confirmation="")),
                name="ticket_closed_has_confirmation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.priority} {self.subject[:60]}"


class SlaEvent(models.Model):
    """One SLA event of a ticket. Append-only: database triggers refuse UPDATE and DELETE."""

    ticket = models.ForeignKey(
        Ticket, on_delete=models.PROTECT, related_name="sla_events", verbose_name=_("التذكرة")
    )
    event = models.CharField(_("الحدث"), max_length=20, choices=SLA_EVENT_CHOICES)
    at = models.DateTimeField(_("الوقت"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("المنفّذ"),
    )
    actor_label = models.CharField(_("وصف المنفّذ"), max_length=100, blank=True)
    note = models.CharField(_("ملاحظة"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("حدث SLA")
        verbose_name_plural = _("أحداث SLA")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["ticket", "at"], name="sla_event_ticket_at_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(event__in=[e.value for e in SlaEventType]),
                name="sla_event_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.event} {self.at:%Y-%m-%d %H:%M}"


class HolidayOverride(models.Model):
    """An announced date that overrides the `holidays` package's Saudi calendar.

    `closed=True` adds a day off (an Eid break announced longer than the package's estimate);
    `closed=False` makes a day the package lists as a holiday a working day again.
    """

    date = models.DateField(_("التاريخ"), unique=True)
    name = models.CharField(_("المناسبة"), max_length=200)
    closed = models.BooleanField(_("عطلة"), default=True)
    note = models.CharField(_("ملاحظة"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("أضافها"),
    )
    created_at = models.DateTimeField(_("أنشئت في"), auto_now_add=True)
    updated_at = models.DateTimeField(_("حُدّثت في"), auto_now=True)

    class Meta:
        verbose_name = _("عطلة معلنة")
        verbose_name_plural = _("العطل المعلنة")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class SlaVerdictNotice(models.Model):
    """A health-report verdict the founders were told about: one row per period and verdict."""

    period_from = models.DateField(_("من"))
    period_to = models.DateField(_("إلى"))
    verdict = models.CharField(_("الحكم"), max_length=20)
    breach_rate = models.FloatField(_("نسبة التجاوز"))
    total_tickets = models.PositiveIntegerField(_("عدد التذاكر"))
    notified_at = models.DateTimeField(_("وقت الإخطار"))

    class Meta:
        verbose_name = _("إخطار حكم SLA")
        verbose_name_plural = _("إخطارات حكم SLA")
        ordering = ["-notified_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["period_from", "period_to", "verdict"], name="sla_notice_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period_from}..{self.period_to} {self.verdict}"
