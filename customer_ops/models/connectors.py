from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from customer_ops.domain.connectors import SUPPORTED_CONNECTORS
from customer_ops.domain.transitions import ConnectorState
from customer_ops.labels import STATE_LABELS
from customer_ops.models.customers import Customer

CONNECTOR_CHOICES = [(connector.key, connector.label_ar) for connector in SUPPORTED_CONNECTORS]
STATE_CHOICES = [(state.value, STATE_LABELS[state]) for state in ConnectorState]


class CustomerConnector(models.Model):
    """One catalog connector for one customer; its state moves only along the transition table."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="connectors")
    connector_key = models.CharField(_("القناة"), max_length=40, choices=CONNECTOR_CHOICES)
    state = models.CharField(
        _("الحالة"), max_length=30, choices=STATE_CHOICES, default=ConnectorState.NOT_STARTED
    )
    state_changed_at = models.DateTimeField(_("تاريخ تغيّر الحالة"), null=True, blank=True)
    notes = models.CharField(_("ملاحظات"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("ربط قناة")
        verbose_name_plural = _("ربط القنوات")
        ordering = ["customer_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "connector_key"], name="customer_connector_unique"
            ),
            models.CheckConstraint(
                condition=Q(state__in=[state.value for state in ConnectorState]),
                name="customer_connector_state_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id}:{self.connector_key}={self.state}"
