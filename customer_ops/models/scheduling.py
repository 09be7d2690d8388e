from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ScheduledRun(models.Model):
    """One row per periodic job and period: the unique constraint makes enqueueing idempotent."""

    job = models.CharField(_("المهمة"), max_length=60)
    period_key = models.CharField(_("الفترة"), max_length=40)
    enqueued_at = models.DateTimeField(_("وقت الجدولة"))
    task_result_id = models.CharField(_("معرّف التنفيذ"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("تشغيل مجدول")
        verbose_name_plural = _("التشغيلات المجدولة")
        ordering = ["-enqueued_at"]
        constraints = [
            models.UniqueConstraint(fields=["job", "period_key"], name="scheduled_run_once")
        ]

    def __str__(self) -> str:
        return f"{self.job}@{self.period_key}"


class LiveActionsFreeze(models.Model):
    """While a freeze is active the app sends nothing by itself; only the founder lifts it."""

    # True until lifted; a partial unique index on it allows one active freeze at a time.
    active = models.BooleanField(_("نشط"), default=True)
    reason = models.CharField(_("السبب"), max_length=500)
    started_at = models.DateTimeField(_("بدأ في"))
    started_by_label = models.CharField(_("بدأه"), max_length=100)
    lifted_at = models.DateTimeField(_("رُفع في"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("رفعه"),
    )

    class Meta:
        verbose_name = _("تجميد الإجراءات الحية")
        verbose_name_plural = _("تجميد الإجراءات الحية")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["active"], condition=Q(active=True), name="one_active_freeze"
            ),
            models.CheckConstraint(
                condition=Q(active=True)
                | (Q(lifted_at__isnull=False) & Q(lifted_by__isnull=False)),
                name="freeze_lifted_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"freeze since {self.started_at:%Y-%m-%d %H:%M}"


class WeeklySlaReview(models.Model):
    """The Monday review (SPEC_RULES §4.6): last week's health report, stored as it was computed."""

    week_key = models.CharField(_("الأسبوع"), max_length=10, unique=True)
    date_from = models.DateField(_("من"))
    date_to = models.DateField(_("إلى"))
    verdict = models.CharField(_("الحكم"), max_length=20)
    breach_rate = models.FloatField(_("نسبة التجاوز"))
    report = models.JSONField(_("التقرير"), encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(_("أنشئ في"))

    class Meta:
        verbose_name = _("مراجعة SLA الأسبوعية")
        verbose_name_plural = _("مراجعات SLA الأسبوعية")
        ordering = ["-date_from"]

    def __str__(self) -> str:
        return f"{self.week_key}: {self.verdict}"
