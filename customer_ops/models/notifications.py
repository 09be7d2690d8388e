"""In-app notifications (and their email copies), each with a typed target."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from customer_ops.domain.notifications import ALL_TARGET_COLUMNS, TARGET_COLUMNS, TargetKind


def _target_matches_kind() -> Q:
    """Exactly the kind's own target columns are set (domain.notifications.TARGET_COLUMNS)."""
    condition = Q()
    for kind, columns in TARGET_COLUMNS.items():
        case = Q(target_kind=kind.value)
        for column in ALL_TARGET_COLUMNS:
            case &= Q(**{f"{column}__isnull": column not in columns})
        condition |= case
    return condition


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
    target_kind = models.CharField(
        _("يخص"),
        max_length=20,
        choices=[(kind.value, kind.value) for kind in TargetKind],
        default=TargetKind.NONE.value,
    )
    ticket = models.ForeignKey(
        "customer_ops.Ticket", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    incident = models.ForeignKey(
        "customer_ops.Incident", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    customer = models.ForeignKey(
        "customer_ops.Customer", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    touchpoint = models.ForeignKey(
        "customer_ops.SuccessTouchpoint",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    target_day = models.DateField(null=True, blank=True)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(_("أنشئ في"))
    read_at = models.DateTimeField(_("قُرئ في"), null=True, blank=True)

    class Meta:
        verbose_name = _("إشعار")
        verbose_name_plural = _("الإشعارات")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["recipient", "read_at", "created_at"], name="notification_inbox_idx"
            ),
            # The sweeps ask "was this already said about this target?" before each notice.
            models.Index(fields=["kind", "target_kind"], name="notification_target_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=_target_matches_kind(), name="notification_target_matches_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.title}"
