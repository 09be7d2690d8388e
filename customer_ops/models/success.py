"""Customer success: a plan per customer with dated touchpoints, weekly check-ins, Proof Packs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from customer_ops.models.customers import BUNDLE_CHOICES, Customer
from customer_ops.models.drafts import OutboundDraft


class SuccessPlan(models.Model):
    """The 30-day cadence of the customer's bundle, started on `start_on`."""

    customer = models.OneToOneField(
        Customer, on_delete=models.PROTECT, related_name="success_plan", verbose_name=_("العميل")
    )
    bundle = models.CharField(_("الباقة"), max_length=40, choices=BUNDLE_CHOICES)
    start_on = models.DateField(_("يبدأ في"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("أنشئت في"))

    class Meta:
        verbose_name = _("خطة نجاح العميل")
        verbose_name_plural = _("خطط نجاح العملاء")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"success plan of customer {self.customer_id}"


class SuccessTouchpoint(models.Model):
    """Day N of a plan as a dated task."""

    plan = models.ForeignKey(
        SuccessPlan, on_delete=models.CASCADE, related_name="touchpoints", verbose_name=_("الخطة")
    )
    day = models.PositiveSmallIntegerField(_("اليوم"))
    due_on = models.DateField(_("الموعد"))
    text = models.CharField(_("المهمة"), max_length=300)
    done_at = models.DateTimeField(_("وقت الإنجاز"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("أنجزها"),
    )

    class Meta:
        verbose_name = _("نقطة تواصل")
        verbose_name_plural = _("نقاط التواصل")
        ordering = ["plan_id", "day"]
        indexes = [models.Index(fields=["due_on"], name="touchpoint_due_idx")]
        constraints = [
            models.UniqueConstraint(fields=["plan", "day"], name="touchpoint_day_unique"),
            models.CheckConstraint(
                condition=Q(done_at__isnull=True) | Q(done_by__isnull=False),
                name="touchpoint_done_has_who",
            ),
        ]

    def __str__(self) -> str:
        return f"Day {self.day}: {self.text}"


class CheckIn(models.Model):
    """One weekly check-in: the numbers it was built from and the draft it produced.

    At most one per customer and week (CUSTOMER_SUCCESS_PLAYBOOK: "at most 1 check-in per week");
    weeks start on Sunday, the first day of the Saudi working week.
    """

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="check_ins", verbose_name=_("العميل")
    )
    week_start = models.DateField(_("بداية الأسبوع"))
    # drafts_approved and risks_blocked are counted from the database; replies, meetings,
    # pipeline_sar and csat come from the operator.
    metrics = models.JSONField(_("الأرقام"), default=dict)
    draft = models.OneToOneField(
        OutboundDraft,
        on_delete=models.PROTECT,
        related_name="check_in",
        verbose_name=_("المسودة"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("أنشئت في"))

    class Meta:
        verbose_name = _("متابعة أسبوعية")
        verbose_name_plural = _("المتابعات الأسبوعية")
        ordering = ["-week_start", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "week_start"], name="check_in_once_per_week"
            )
        ]

    def __str__(self) -> str:
        return f"check-in {self.customer_id} {self.week_start}"


class ProofPackDelivery(models.Model):
    """A Proof Pack delivered to a customer (its age feeds the at-risk score)."""

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="proof_packs", verbose_name=_("العميل")
    )
    delivered_at = models.DateTimeField(_("وقت التسليم"))
    title = models.CharField(_("العنوان"), max_length=200)
    note = models.CharField(_("ملاحظة"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("سُجّلت في"))

    class Meta:
        verbose_name = _("تسليم Proof Pack")
        verbose_name_plural = _("تسليمات Proof Pack")
        ordering = ["-delivered_at", "-id"]
        indexes = [
            models.Index(fields=["customer", "delivered_at"], name="proof_pack_customer_idx")
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.title} {self.delivered_at:%Y-%m-%d}"
