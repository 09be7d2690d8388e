"""In-app notifications (email follows in issue #8)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """A message for one staff user, shown in the console until read."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("المستلم"),
    )
    kind = models.CharField(_("النوع"), max_length=50)
    title = models.CharField(_("العنوان"), max_length=200)
    body = models.TextField(_("النص"), blank=True)
    url = models.CharField(_("الرابط"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("أنشئ في"))
    read_at = models.DateTimeField(_("قُرئ في"), null=True, blank=True)

    class Meta:
        verbose_name = _("إشعار")
        verbose_name_plural = _("الإشعارات")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["recipient", "read_at", "created_at"], name="notification_inbox_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.title}"
