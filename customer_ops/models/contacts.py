"""Contact points: the numbers and addresses a customer reaches us from, and their opt-in.

`Customer.contact_phone` (E.164) is the customer's main WhatsApp number; these add more, and hold
the opt-in WhatsApp requires before we message anyone: who recorded it, when, and how the
customer agreed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from customer_ops.domain.messages import MessageChannel
from customer_ops.models.customers import Customer


class ContactPoint(models.Model):
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="contact_points", verbose_name=_("العميل")
    )
    channel = models.CharField(
        _("القناة"),
        max_length=20,
        choices=[
            (MessageChannel.WHATSAPP.value, _("واتساب")),
            (MessageChannel.EMAIL.value, _("بريد إلكتروني")),
        ],
    )
    # E.164 for WhatsApp, a lower-cased address for email.
    value = models.CharField(_("الرقم أو العنوان"), max_length=254)
    label = models.CharField(_("الوصف"), max_length=100, blank=True)
    opted_in_at = models.DateTimeField(_("وافق في"), null=True, blank=True)
    opted_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("سجّل الموافقة"),
    )
    opt_in_method = models.CharField(_("طريقة الموافقة"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("أنشئ في"), auto_now_add=True)
    updated_at = models.DateTimeField(_("حُدّث في"), auto_now=True)

    class Meta:
        verbose_name = _("وسيلة تواصل")
        verbose_name_plural = _("وسائل التواصل")
        ordering = ["customer", "channel", "value"]
        constraints = [
            # One number belongs to one customer: an inbound message must match one ticket owner.
            models.UniqueConstraint(fields=["channel", "value"], name="contact_point_unique"),
            models.CheckConstraint(
                condition=Q(opted_in_at__isnull=True)
                | (Q(opted_in_by__isnull=False) & ~Q(opt_in_method="")),
                name="contact_opt_in_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel}: {self.value}"
