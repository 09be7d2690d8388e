from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from customer_ops.models.customers import Customer


class ProgressLink(models.Model):
    """A customer's private progress link. Only a hash of the token is stored."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="progress_links")
    token_hash = models.CharField(_("بصمة الرمز"), max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("أنشئ في"))
    expires_at = models.DateTimeField(_("ينتهي في"))
    revoked_at = models.DateTimeField(_("أُلغي في"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("رابط متابعة العميل")
        verbose_name_plural = _("روابط متابعة العملاء")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="progress_link_expires_after_creation",
            )
        ]

    def __str__(self) -> str:
        return f"link for customer {self.customer_id}"
