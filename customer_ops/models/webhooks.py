"""Webhook deliveries as received: stored first, answered at once, processed after."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WebhookDelivery(models.Model):
    """The raw body of one signed delivery, kept once per set of provider ids."""

    channel = models.CharField(_("القناة"), max_length=20)
    dedupe_key = models.CharField(_("مفتاح عدم التكرار"), max_length=64)
    body = models.TextField(_("النص الخام"))
    received_at = models.DateTimeField(_("وصلت في"))
    processed_at = models.DateTimeField(_("عولجت في"), null=True, blank=True)
    error = models.CharField(_("خطأ المعالجة"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("تسليم webhook")
        verbose_name_plural = _("تسليمات webhook")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "dedupe_key"], name="webhook_delivery_once"),
        ]
        indexes = [models.Index(fields=["processed_at"], name="webhook_unprocessed_idx")]

    def __str__(self) -> str:
        return f"{self.channel} {self.received_at:%Y-%m-%d %H:%M:%S}"
