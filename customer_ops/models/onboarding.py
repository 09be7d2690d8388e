from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from customer_ops.domain.onboarding import ONBOARDING_STEPS
from customer_ops.models.customers import Customer

STEP_CHOICES = [(step.id, step.label_ar) for step in ONBOARDING_STEPS]


class OnboardingStep(models.Model):
    """One of the 8 pilot steps for one customer: who completed it, when, and who approved it."""

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="onboarding_steps"
    )
    step_id = models.CharField(_("الخطوة"), max_length=40, choices=STEP_CHOICES)
    position = models.PositiveSmallIntegerField(_("الترتيب"))
    completed = models.BooleanField(_("مكتملة"), default=False)
    completed_at = models.DateTimeField(_("وقت الإكمال"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("أكملها"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("اعتمدها"),
    )
    approved_at = models.DateTimeField(_("وقت الاعتماد"), null=True, blank=True)
    notes = models.CharField(_("ملاحظات"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("خطوة تهيئة")
        verbose_name_plural = _("خطوات التهيئة")
        ordering = ["customer_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["customer", "step_id"], name="onboarding_step_unique"),
            models.CheckConstraint(
                condition=Q(completed=False) | Q(completed_at__isnull=False),
                name="onboarding_completed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id}:{self.step_id}"
