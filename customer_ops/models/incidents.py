"""Incidents: triage, status, an append-only timeline, the response-plan checklist, post-mortem."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from customer_ops.domain.incidents import POSTMORTEM_FIELDS, Severity
from customer_ops.domain.transitions import IncidentStatus
from customer_ops.labels import INCIDENT_STATUS_LABELS
from customer_ops.models.customers import Customer

SEVERITY_CHOICES = [(severity.value, severity.value) for severity in Severity]
INCIDENT_STATUS_CHOICES = [
    (status.value, INCIDENT_STATUS_LABELS[status]) for status in IncidentStatus
]


class Incident(models.Model):
    """A security or operational event, triaged into SEV1–SEV3."""

    title = models.CharField(_("العنوان"), max_length=120)
    description = models.TextField(_("الوصف"), blank=True)
    affected_customers = models.ManyToManyField(
        Customer, related_name="incidents", blank=True, verbose_name=_("العملاء المتأثرون")
    )
    # The count triage used: it may exceed the linked customers ("all WhatsApp customers").
    affected_count = models.PositiveIntegerField(_("عدد العملاء المتأثرين"))
    has_data_leak = models.BooleanField(_("تسريب بيانات"), default=False)
    has_unauthorized_send = models.BooleanField(_("إرسال غير معتمد"), default=False)
    # Triage's answer is the floor: humans may raise `severity`, never lower it below it.
    triaged_severity = models.CharField(
        _("الخطورة حسب الفرز"), max_length=4, choices=SEVERITY_CHOICES
    )
    severity = models.CharField(_("الخطورة"), max_length=4, choices=SEVERITY_CHOICES)
    # The highest severity it ever had: an incident that was SEV1 or SEV2 needs its post-mortem
    # to close, even after it was brought back down.
    peak_severity = models.CharField(
        _("أعلى خطورة بلغتها"), max_length=4, choices=SEVERITY_CHOICES, default=Severity.SEV3.value
    )
    severity_reason_ar = models.CharField(_("سبب التصنيف"), max_length=300)
    status = models.CharField(
        _("الحالة"), max_length=20, choices=INCIDENT_STATUS_CHOICES, default=IncidentStatus.OPEN
    )
    status_changed_at = models.DateTimeField(_("تاريخ تغيّر الحالة"))
    detected_at = models.DateTimeField(_("وقت الاكتشاف"))
    declared_at = models.DateTimeField(_("وقت الإعلان"))
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("أعلنها"),
    )
    last_update_at = models.DateTimeField(_("آخر تحديث للعملاء"), null=True, blank=True)
    next_update_due_at = models.DateTimeField(_("التحديث القادم"), null=True, blank=True)
    # PDPL: affected people are told within 72 hours of detecting a leak.
    pdpl_deadline_at = models.DateTimeField(_("موعد إخطار PDPL"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("وقت الحل"), null=True, blank=True)
    closed_at = models.DateTimeField(_("وقت الإغلاق"), null=True, blank=True)
    created_at = models.DateTimeField(_("أنشئت في"), auto_now_add=True)
    updated_at = models.DateTimeField(_("حُدّثت في"), auto_now=True)

    class Meta:
        verbose_name = _("حادثة")
        verbose_name_plural = _("الحوادث")
        ordering = ["-declared_at", "-id"]
        indexes = [
            models.Index(fields=["status", "severity"], name="incident_status_sev_idx"),
            models.Index(fields=["next_update_due_at"], name="incident_next_update_idx"),
            models.Index(fields=["declared_at"], name="incident_declared_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(severity__in=[s.value for s in Severity])
                & Q(triaged_severity__in=[s.value for s in Severity]),
                name="incident_severity_known",
            ),
            # "SEV1" < "SEV2" < "SEV3" as text too: the peak is at least as severe as the
            # current and the triaged severity.
            models.CheckConstraint(
                condition=Q(peak_severity__in=[s.value for s in Severity])
                & Q(peak_severity__lte=F("severity"))
                & Q(peak_severity__lte=F("triaged_severity")),
                name="incident_peak_severity_is_highest",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in IncidentStatus]),
                name="incident_status_known",
            ),
            models.CheckConstraint(
                condition=Q(has_data_leak=False) | Q(pdpl_deadline_at__isnull=False),
                name="incident_leak_has_pdpl_deadline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.severity} {self.title}"


class TimelineKind(models.TextChoices):
    DECLARED = "declared", _("إعلان")
    NOTE = "note", _("ملاحظة")
    UPDATE = "update", _("تحديث للعملاء")
    STATUS = "status", _("تغيّر الحالة")
    SEVERITY = "severity", _("تغيّر الخطورة")
    PLAN_STEP = "plan_step", _("خطوة الخطة")
    POSTMORTEM = "postmortem", _("post-mortem")


class IncidentTimelineEntry(models.Model):
    """One timestamped line of an incident's timeline. Append-only (database triggers)."""

    incident = models.ForeignKey(
        Incident, on_delete=models.PROTECT, related_name="timeline", verbose_name=_("الحادثة")
    )
    at = models.DateTimeField(_("الوقت"))
    kind = models.CharField(_("النوع"), max_length=20, choices=TimelineKind)
    text = models.TextField(_("النص"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("المنفّذ"),
    )
    # The customer update this line records, when it was a sent draft.
    draft = models.ForeignKey(
        "customer_ops.OutboundDraft",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("المسودة"),
    )

    class Meta:
        verbose_name = _("سطر في الخط الزمني")
        verbose_name_plural = _("الخط الزمني للحوادث")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["incident", "at"], name="incident_timeline_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "draft"],
                condition=Q(draft__isnull=False),
                name="incident_timeline_draft_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.at:%Y-%m-%d %H:%M} {self.kind}"


class IncidentPlanStep(models.Model):
    """One step of the response plan as a checklist item: who ticked it and when.

    Raising the severity retires the old severity's extra steps (kept, with `retired_at`) and
    adds the new ones; `position` is unique among the active steps.
    """

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="plan_steps", verbose_name=_("الحادثة")
    )
    position = models.PositiveSmallIntegerField(_("الرقم"))
    text = models.CharField(_("الخطوة"), max_length=300)
    done = models.BooleanField(_("تمت"), default=False)
    done_at = models.DateTimeField(_("وقت الإنجاز"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("أنجزها"),
    )
    retired_at = models.DateTimeField(_("أُلغيت في"), null=True, blank=True)

    class Meta:
        verbose_name = _("خطوة استجابة")
        verbose_name_plural = _("خطوات الاستجابة")
        ordering = ["incident_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "position"],
                condition=Q(retired_at__isnull=True),
                name="incident_plan_step_unique_active",
            ),
            models.CheckConstraint(
                condition=Q(done=False) | (Q(done_at__isnull=False) & Q(done_by__isnull=False)),
                name="incident_plan_step_done_has_who",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.incident_id}.{self.position} {'✓' if self.done else '·'}"


class IncidentPostmortem(models.Model):
    """The 8-field post-mortem (SPEC_RULES §6.4); SEV1/SEV2 close only once every field is filled."""

    incident = models.OneToOneField(
        Incident, on_delete=models.CASCADE, related_name="postmortem", verbose_name=_("الحادثة")
    )
    summary = models.TextField(_("ملخص الحادثة"), blank=True)
    timeline = models.TextField(_("الخط الزمني مع الأوقات"), blank=True)
    root_cause = models.TextField(_("السبب الجذري"), blank=True)
    what_went_right = models.TextField(_("ما الذي سار بشكل صحيح"), blank=True)
    what_went_wrong = models.TextField(_("ما الذي سار بشكل خاطئ"), blank=True)
    action_items = models.TextField(_("الإجراءات الوقائية"), blank=True)
    action_owners = models.TextField(_("مسؤول كل إجراء"), blank=True)
    deadline = models.TextField(_("الموعد النهائي"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("حدّثها"),
    )
    updated_at = models.DateTimeField(_("حُدّثت في"))

    class Meta:
        verbose_name = _("post-mortem")
        verbose_name_plural = _("post-mortems")

    def __str__(self) -> str:
        return f"post-mortem of incident {self.incident_id}"

    def values(self) -> dict[str, str]:
        """The 8 fields as a plain dict, in template order."""
        return {field.key: getattr(self, field.key) for field in POSTMORTEM_FIELDS}
