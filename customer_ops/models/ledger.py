from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LedgerEntry(models.Model):
    """One row per state change or outbound action. Database triggers refuse UPDATE and DELETE."""

    at = models.DateTimeField(_("الوقت"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("المنفّذ"),
    )
    # Who acted when no user did (a task, a customer link): "system:sla_sweep", "customer_link".
    actor_label = models.CharField(_("وصف المنفّذ"), max_length=100, blank=True)
    verb = models.CharField(_("الإجراء"), max_length=80, db_index=True)
    object_type = models.CharField(_("نوع الكائن"), max_length=50)
    object_id = models.CharField(_("معرّف الكائن"), max_length=50)
    customer_id = models.BigIntegerField(_("العميل"), null=True, blank=True, db_index=True)
    before = models.JSONField(_("قبل"), default=dict, blank=True)
    after = models.JSONField(_("بعد"), default=dict, blank=True)
    note = models.CharField(_("ملاحظة"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("قيد في سجل الإجراءات")
        verbose_name_plural = _("سجل الإجراءات")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="ledger_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.verb} {self.object_type}#{self.object_id}"
