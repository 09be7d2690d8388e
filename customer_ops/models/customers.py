from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from positioning.lock import BUNDLES


class CustomerStatus(models.TextChoices):
    ONBOARDING = "onboarding", _("تهيئة")
    ACTIVE = "active", _("نشط")
    PAUSED = "paused", _("متوقف مؤقتاً")
    CHURNED = "churned", _("منتهٍ")


BUNDLE_CHOICES = [(bundle.id.value, bundle.name) for bundle in BUNDLES]


class Customer(models.Model):
    company_name = models.CharField(_("اسم الشركة"), max_length=200)
    sector = models.CharField(_("القطاع"), max_length=100, blank=True)
    city = models.CharField(_("المدينة"), max_length=100, blank=True)
    bundle = models.CharField(_("الباقة"), max_length=40, choices=BUNDLE_CHOICES)
    contact_name = models.CharField(_("اسم جهة الاتصال"), max_length=200, blank=True)
    contact_email = models.EmailField(_("بريد جهة الاتصال"), blank=True)
    contact_phone = models.CharField(_("جوال جهة الاتصال"), max_length=30, blank=True)
    status = models.CharField(
        _("الحالة"), max_length=20, choices=CustomerStatus, default=CustomerStatus.ONBOARDING
    )
    status_changed_at = models.DateTimeField(_("تاريخ تغيّر الحالة"), null=True, blank=True)
    pilot_started_on = models.DateField(_("بداية التجربة"), null=True, blank=True)
    renewal_on = models.DateField(_("تاريخ التجديد"), null=True, blank=True)
    created_at = models.DateTimeField(_("أنشئ في"), auto_now_add=True)
    updated_at = models.DateTimeField(_("حُدّث في"), auto_now=True)

    class Meta:
        verbose_name = _("عميل")
        verbose_name_plural = _("العملاء")
        ordering = ["company_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(bundle__in=[bundle.id.value for bundle in BUNDLES]),
                name="customer_bundle_known",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=CustomerStatus.values),
                name="customer_status_known",
            ),
        ]

    def __str__(self) -> str:
        return self.company_name
