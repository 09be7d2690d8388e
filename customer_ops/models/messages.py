"""Ticket conversations: every message in or out, on any channel, and its delivery history.

`TicketMessage` is the thread (customer messages, our replies, internal notes). `(channel,
external_id)` is unique: the provider's id is the idempotency key, so a delivery received twice is
one message. A customer message from nobody we know has no ticket or customer yet: it waits in
the unmatched inbox until an operator assigns it. `MessageStatusEvent` is append-only: every
status a provider reported, kept by provider id so a report that arrives before the send is
recorded is not lost; the message's `delivery_status` is folded from them (domain/messages.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from customer_ops.domain.email_inbound import AutomaticKind
from customer_ops.domain.messages import DeliveryStatus, MessageChannel, MessageDirection
from customer_ops.models.customers import Customer
from customer_ops.models.drafts import OutboundDraft
from customer_ops.models.tickets import Ticket

DIRECTION_LABELS = {
    MessageDirection.IN: _("من العميل"),
    MessageDirection.OUT: _("إلى العميل"),
    MessageDirection.NOTE: _("ملاحظة داخلية"),
}
CHANNEL_LABELS = {
    MessageChannel.WHATSAPP: _("واتساب"),
    MessageChannel.EMAIL: _("بريد إلكتروني"),
    MessageChannel.INTERNAL: _("داخلي"),
}
DELIVERY_LABELS = {
    DeliveryStatus.ACCEPTED: _("قُبلت"),
    DeliveryStatus.SENT: _("أُرسلت"),
    DeliveryStatus.DELIVERED: _("وصلت"),
    DeliveryStatus.READ: _("قُرئت"),
    DeliveryStatus.FAILED: _("فشلت"),
    DeliveryStatus.REJECTED: _("رفضها المزوّد"),
    DeliveryStatus.BOUNCED: _("ارتدّت"),
    DeliveryStatus.COMPLAINED: _("أُبلغ عنها كرسالة مزعجة"),
}
AUTOMATIC_LABELS = {
    AutomaticKind.AUTO_REPLY: _("رد آلي"),
    AutomaticKind.BOUNCE: _("إشعار ارتداد"),
    AutomaticKind.BULK: _("بريد جماعي"),
}


class TicketMessage(models.Model):
    ticket = models.ForeignKey(
        Ticket,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("التذكرة"),
    )
    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("العميل"),
    )
    direction = models.CharField(
        _("الاتجاه"),
        max_length=4,
        choices=[(d.value, DIRECTION_LABELS[d]) for d in MessageDirection],
    )
    channel = models.CharField(
        _("القناة"), max_length=20, choices=[(c.value, CHANNEL_LABELS[c]) for c in MessageChannel]
    )
    # The provider's message id (WhatsApp `wamid…`, an email Message-ID); empty for notes.
    external_id = models.CharField(_("معرّف المزوّد"), max_length=255, blank=True)
    # E.164 number or address for customer messages; the username for ours.
    sender = models.CharField(_("المرسل"), max_length=254, blank=True)
    sender_name = models.CharField(_("اسم المرسل"), max_length=200, blank=True)
    kind = models.CharField(_("النوع"), max_length=20, default="text")
    # For email: the reply without its quoted history (shown, and read by the classifier);
    # `full_text` keeps everything the customer sent.
    text = models.TextField(_("النص"), blank=True)
    full_text = models.TextField(_("النص الكامل"), blank=True)
    subject = models.CharField(_("الموضوع"), max_length=300, blank=True)
    # Email threading, as received or sent: the ids a reply's headers name.
    in_reply_to = models.CharField(_("ردٌّ على"), max_length=255, blank=True)
    references = models.TextField(_("المراجع"), blank=True)
    # The provider's own id when it differs from ours (Anymail's message_id): tracking finds it.
    provider_id = models.CharField(_("معرّف مزوّد الإرسال"), max_length=255, blank=True)
    # Written by a machine (auto-reply, bounce, list mail): recorded, never resumes or opens.
    automatic = models.CharField(
        _("رسالة آلية"),
        max_length=20,
        blank=True,
        choices=[(kind.value, AUTOMATIC_LABELS[kind]) for kind in AutomaticKind],
    )
    media = models.JSONField(_("المرفق"), default=dict, blank=True)
    at = models.DateTimeField(_("الوقت"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("الكاتب"),
    )
    draft = models.OneToOneField(
        OutboundDraft,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="message",
        verbose_name=_("المسودة المعتمدة"),
    )
    delivery_status = models.CharField(
        _("حالة التسليم"),
        max_length=20,
        blank=True,
        choices=[(s.value, DELIVERY_LABELS[s]) for s in DeliveryStatus],
    )
    delivery_error = models.CharField(_("خطأ التسليم"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("سُجّلت في"), auto_now_add=True)
    updated_at = models.DateTimeField(_("حُدّثت في"), auto_now=True)

    class Meta:
        verbose_name = _("رسالة")
        verbose_name_plural = _("الرسائل")
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["ticket", "at"], name="message_thread_idx"),
            models.Index(
                fields=["channel", "direction", "sender", "at"], name="message_contact_idx"
            ),
            models.Index(
                fields=["provider_id"],
                condition=~Q(provider_id=""),
                name="message_provider_id_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id"],
                condition=~Q(external_id=""),
                name="message_external_id_unique",
            ),
            models.CheckConstraint(
                condition=Q(direction__in=[d.value for d in MessageDirection]),
                name="message_direction_known",
            ),
            # Only a customer's message may wait unassigned; notes and replies belong somewhere.
            models.CheckConstraint(
                condition=Q(direction=MessageDirection.IN.value) | Q(customer__isnull=False),
                name="message_ours_has_customer",
            ),
            models.CheckConstraint(
                condition=~Q(direction=MessageDirection.NOTE.value) | Q(ticket__isnull=False),
                name="message_note_has_ticket",
            ),
            models.CheckConstraint(
                condition=Q(ticket__isnull=True) | Q(customer__isnull=False),
                name="message_ticket_has_customer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.direction} {self.channel} {self.external_id or self.pk}"


class MessageStatusEvent(models.Model):
    """One delivery status a provider reported (append-only; repeats of the same one are kept once)."""

    channel = models.CharField(_("القناة"), max_length=20)
    external_id = models.CharField(_("معرّف المزوّد"), max_length=255)
    message = models.ForeignKey(
        TicketMessage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="status_events",
        verbose_name=_("الرسالة"),
    )
    status = models.CharField(
        _("الحالة"), max_length=20, choices=[(s.value, DELIVERY_LABELS[s]) for s in DeliveryStatus]
    )
    at = models.DateTimeField(_("وقت الحالة عند المزوّد"))
    error_code = models.IntegerField(_("رمز الخطأ"), null=True, blank=True)
    error_kind = models.CharField(_("نوع الخطأ"), max_length=30, blank=True)
    error_text = models.CharField(_("وصف الخطأ"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(_("سُجّلت في"))

    class Meta:
        verbose_name = _("حالة تسليم")
        verbose_name_plural = _("حالات التسليم")
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id", "status"], name="message_status_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.external_id} {self.status}"


class MessageAttachment(models.Model):
    """A file that came with an email: listed on the thread, downloaded by staff, never shown inline.

    Its bytes are kept only up to `SUPPORT_EMAIL_ATTACHMENT_MAX_BYTES`; a larger file is listed
    (name, type, size) with no content.
    """

    message = models.ForeignKey(
        TicketMessage,
        on_delete=models.PROTECT,
        related_name="attachments",
        verbose_name=_("الرسالة"),
    )
    name = models.CharField(_("اسم الملف"), max_length=200)
    content_type = models.CharField(_("النوع"), max_length=100)
    size = models.PositiveBigIntegerField(_("الحجم بالبايت"))
    content = models.BinaryField(_("المحتوى"), null=True, blank=True)
    kept = models.BooleanField(_("المحتوى محفوظ"), default=False)
    created_at = models.DateTimeField(_("سُجّل في"), auto_now_add=True)

    class Meta:
        verbose_name = _("مرفق")
        verbose_name_plural = _("المرفقات")
        ordering = ["message", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kept=False) | Q(content__isnull=False), name="attachment_kept_content"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MailboxCursor(models.Model):
    """How far the support mailbox has been read over IMAP: the last UID stored, per UIDVALIDITY.

    Advanced in the same transaction that stores the message, so a message is either stored and
    passed, or neither: a crash in between leaves both undone and the next poll fetches it again.
    """

    mailbox = models.CharField(_("صندوق البريد"), max_length=300, unique=True)
    uidvalidity = models.BigIntegerField(_("UIDVALIDITY"), default=0)
    last_uid = models.BigIntegerField(_("آخر UID مُخزّن"), default=0)
    updated_at = models.DateTimeField(_("حُدّث في"), auto_now=True)

    class Meta:
        verbose_name = _("مؤشر صندوق البريد")
        verbose_name_plural = _("مؤشرات صناديق البريد")

    def __str__(self) -> str:
        return f"{self.mailbox} {self.uidvalidity}:{self.last_uid}"
