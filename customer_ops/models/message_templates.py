"""The registry of WhatsApp message templates: what may be sent outside the 24-hour window."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TemplateStatus(models.TextChoices):
    APPROVED = "approved", _("معتمد")
    PENDING = "pending", _("قيد المراجعة")
    REJECTED = "rejected", _("مرفوض")
    PAUSED = "paused", _("موقوف")


class MessageTemplate(models.Model):
    """A template as registered with WhatsApp: name, language, parameter count, approval."""

    name = models.CharField(_("الاسم"), max_length=512)
    language = models.CharField(_("اللغة"), max_length=15, default="ar")
    parameter_count = models.PositiveSmallIntegerField(_("عدد المتغيرات"), default=0)
    body_ar = models.TextField(_("النص"), blank=True)
    status = models.CharField(
        _("حالة الاعتماد"), max_length=20, choices=TemplateStatus, default=TemplateStatus.PENDING
    )
    created_at = models.DateTimeField(_("أنشئ في"), auto_now_add=True)
    updated_at = models.DateTimeField(_("حُدّث في"), auto_now=True)

    class Meta:
        verbose_name = _("قالب رسالة")
        verbose_name_plural = _("قوالب الرسائل")
        ordering = ["name", "language"]
        constraints = [
            models.UniqueConstraint(fields=["name", "language"], name="template_name_language")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.language})"
