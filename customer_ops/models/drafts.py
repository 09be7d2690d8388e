from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext_lazy as _

from customer_ops.domain.transitions import DraftStatus
from customer_ops.labels import DRAFT_STATUS_LABELS
from customer_ops.models.connectors import CustomerConnector
from customer_ops.models.customers import Customer
from customer_ops.models.message_templates import MessageTemplate

DRAFT_STATUS_CHOICES = [(status.value, DRAFT_STATUS_LABELS[status]) for status in DraftStatus]
SENT_STATUSES = [DraftStatus.SENT.value, DraftStatus.SENT_MANUALLY.value]


class DraftChannel(models.TextChoices):
    EMAIL = "email", _("بريد إلكتروني")
    WHATSAPP = "whatsapp", _("واتساب")
    CALENDAR = "calendar", _("تقويم")
    GBP = "google_business_profile", _("ملف Google التجاري")
    PHONE = "phone", _("اتصال هاتفي")


class DraftSource(models.TextChoices):
    TICKET_FIRST_RESPONSE = "ticket_first_response", _("أول رد على تذكرة")
    TICKET_REPLY = "ticket_reply", _("رد على تذكرة")
    INCIDENT_UPDATE = "incident_update", _("تحديث حادثة")
    CS_CHECK_IN = "cs_check_in", _("متابعة أسبوعية")
    AT_RISK_OUTREACH = "at_risk_outreach", _("تواصل مع عميل معرّض للخطر")
    RENEWAL = "renewal", _("تجديد")
    MANUAL = "manual", _("يدوي")


# Replies drafted for a ticket (they carry `ticket`); an incident update carries `incident`.
TICKET_DRAFT_SOURCES = (DraftSource.TICKET_FIRST_RESPONSE.value, DraftSource.TICKET_REPLY.value)


class OutboundDraft(models.Model):
    """A message to a customer. It leaves only after a founder approves this exact content."""

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="drafts", verbose_name=_("العميل")
    )
    channel = models.CharField(_("القناة"), max_length=40, choices=DraftChannel)
    to = models.CharField(_("إلى"), max_length=254)
    subject = models.CharField(_("الموضوع"), max_length=200, blank=True)
    body = models.TextField(_("النص"))
    source = models.CharField(
        _("المصدر"), max_length=40, choices=DraftSource, default=DraftSource.MANUAL
    )
    # What the draft answers, as a reference the database checks (draft_source_reference_matches).
    ticket = models.ForeignKey(
        "customer_ops.Ticket",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="drafts",
        verbose_name=_("التذكرة"),
    )
    incident = models.ForeignKey(
        "customer_ops.Incident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="update_drafts",
        verbose_name=_("الحادثة"),
    )
    # When set, this customer connector decides what "sending" means (draft_only, manual, …).
    connector = models.ForeignKey(
        CustomerConnector,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="drafts",
        verbose_name=_("عبر ربط القناة"),
    )
    status = models.CharField(
        _("الحالة"), max_length=20, choices=DRAFT_STATUS_CHOICES, default=DraftStatus.PENDING
    )
    status_changed_at = models.DateTimeField(_("تاريخ تغيّر الحالة"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="authored_drafts",
        verbose_name=_("الكاتب"),
    )
    # Everyone but the author who changed the text or the recipient, as ",7,12," (ids between
    # commas, so that the constraint below can look one up): they are authors of the content too,
    # and the four-eyes rule keeps them from approving it.
    editor_ids = models.TextField(_("عدّلها"), blank=True, default="")
    content_hash = models.CharField(_("بصمة المحتوى"), max_length=64)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_drafts",
        verbose_name=_("اعتمدها"),
    )
    approved_at = models.DateTimeField(_("وقت الاعتماد"), null=True, blank=True)
    approved_hash = models.CharField(_("بصمة المحتوى المعتمد"), max_length=64, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rejected_drafts",
        verbose_name=_("رفضها"),
    )
    rejected_at = models.DateTimeField(_("وقت الرفض"), null=True, blank=True)
    rejection_reason = models.CharField(_("سبب الرفض"), max_length=500, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sent_drafts",
        verbose_name=_("أرسلها"),
    )
    sent_at = models.DateTimeField(_("وقت الإرسال"), null=True, blank=True)
    send_result = models.CharField(_("نتيجة الإرسال"), max_length=500, blank=True)
    # Set, and committed, before the email is handed to the mail server; cleared when the send is
    # recorded, fails, or a founder resolves it. Still set after a crash means nobody knows
    # whether the customer got the email, so nothing sends it again by itself.
    send_started_at = models.DateTimeField(_("بدأ إرساله في"), null=True, blank=True)
    # Why the last send failed (the provider's code and class); cleared when it goes out.
    send_error = models.CharField(_("خطأ آخر إرسال"), max_length=300, blank=True)
    # An email's Message-ID, fixed when its send is claimed: the customer's reply threads by it,
    # even when a founder resolves a send whose outcome was unknown.
    email_message_id = models.CharField(_("معرّف رسالة البريد"), max_length=255, blank=True)
    # WhatsApp outside the 24-hour window: an approved template and its parameter values.
    template = models.ForeignKey(
        MessageTemplate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="drafts",
        verbose_name=_("القالب"),
    )
    template_params = models.JSONField(_("متغيرات القالب"), default=list, blank=True)
    created_at = models.DateTimeField(_("أنشئت في"), auto_now_add=True)
    updated_at = models.DateTimeField(_("حُدّثت في"), auto_now=True)

    class Meta:
        verbose_name = _("مسودة صادرة")
        verbose_name_plural = _("المسودات الصادرة")
        ordering = ["-created_at", "-id"]
        permissions = [("approve_outbounddraft", "Can approve or reject outbound drafts")]
        indexes = [
            models.Index(fields=["status", "created_at"], name="draft_status_idx"),
            models.Index(
                fields=["email_message_id"],
                condition=~Q(email_message_id=""),
                name="draft_email_message_id_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[status.value for status in DraftStatus]),
                name="draft_status_known",
            ),
            # The database itself refuses a sent draft that nobody approved.
            models.CheckConstraint(
                condition=~Q(status__in=SENT_STATUSES)
                | (
                    Q(approved_by__isnull=False)
                    & Q(approved_at__isnull=False)
                    & Q(sent_at__isnull=False)
                    & ~Q(approved_hash="")
                ),
                name="draft_sent_requires_approval",
            ),
            models.CheckConstraint(
                condition=~Q(status=DraftStatus.APPROVED.value)
                | (Q(approved_by__isnull=False) & Q(approved_at__isnull=False)),
                name="draft_approved_has_approver",
            ),
            # A draft names what it answers by a real reference, and only the one its source needs.
            models.CheckConstraint(
                condition=(
                    Q(source__in=TICKET_DRAFT_SOURCES, ticket__isnull=False, incident__isnull=True)
                    | Q(
                        source=DraftSource.INCIDENT_UPDATE.value,
                        incident__isnull=False,
                        ticket__isnull=True,
                    )
                    | (
                        ~Q(source__in=[*TICKET_DRAFT_SOURCES, DraftSource.INCIDENT_UPDATE.value])
                        & Q(ticket__isnull=True, incident__isnull=True)
                    )
                ),
                name="draft_source_reference_matches",
            ),
            # Four eyes: nobody approves their own draft.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("author")),
                name="draft_approver_not_author",
            ),
            # … nor a draft whose content they changed.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True)
                | ~Q(
                    editor_ids__contains=Concat(
                        Value(","), Cast("approved_by", output_field=CharField()), Value(",")
                    )
                ),
                name="draft_approver_not_editor",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.to}: {self.subject or self.body[:40]}"

    @property
    def content_author_ids(self) -> frozenset[int]:
        """The author and every editor: nobody among them may approve this content."""
        editors = {int(pk) for pk in self.editor_ids.split(",") if pk}
        return frozenset({self.author_id, *editors})
