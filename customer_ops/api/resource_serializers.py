"""Serializers of the resource API: small input shapes, read-only outputs (no serializer saves)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from customer_ops.api.ops_serializers import ID_MAX_VALUE
from customer_ops.models import Customer, LedgerEntry, OutboundDraft
from customer_ops.models.customers import BUNDLE_CHOICES
from customer_ops.models.drafts import DraftChannel, DraftSource
from dealix.api_errors import MULTILINE


class CustomerOutput(serializers.ModelSerializer[Customer]):
    # Blank when no contact is on file: documented as "an email or empty", as the input is.
    contact_email = serializers.EmailField(read_only=True, allow_blank=True)

    class Meta:
        model = Customer
        fields = [
            "id",
            "company_name",
            "sector",
            "city",
            "bundle",
            "contact_name",
            "contact_email",
            "contact_phone",
            "status",
            "pilot_started_on",
            "renewal_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CustomerInput(serializers.Serializer[Any]):
    company_name = serializers.CharField(max_length=200)
    bundle = serializers.ChoiceField(choices=BUNDLE_CHOICES)
    sector = serializers.CharField(max_length=100, required=False, allow_blank=True)
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    contact_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    pilot_started_on = serializers.DateField(required=False, allow_null=True)
    renewal_on = serializers.DateField(required=False, allow_null=True)


class CustomerUpdateInput(CustomerInput):
    """Partial update: every field optional."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class OnboardingStepInput(serializers.Serializer[Any]):
    step_id = serializers.CharField(max_length=40)
    completed = serializers.BooleanField(default=True)
    notes = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default="", style=MULTILINE
    )


class ConnectorMoveInput(serializers.Serializer[Any]):
    connector_key = serializers.CharField(max_length=40)
    state = serializers.CharField(max_length=40)
    notes = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default="", style=MULTILINE
    )


class ProgressLinkOutput(serializers.Serializer[Any]):
    url = serializers.URLField()
    expires_at = serializers.DateTimeField()


class DraftOutput(serializers.ModelSerializer[OutboundDraft]):
    class Meta:
        model = OutboundDraft
        fields = [
            "id",
            "customer",
            "channel",
            "to",
            "subject",
            "body",
            "source",
            "source_id",
            "connector",
            "status",
            "author",
            "content_hash",
            "approved_by",
            "approved_at",
            "rejected_by",
            "rejected_at",
            "rejection_reason",
            "sent_by",
            "sent_at",
            "send_result",
            "send_started_at",  # set: a send started and was never recorded (see release-send)
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class DraftInput(serializers.Serializer[Any]):
    customer = serializers.IntegerField(min_value=1, max_value=ID_MAX_VALUE)
    channel = serializers.ChoiceField(choices=DraftChannel.choices)
    to = serializers.CharField(max_length=254)
    subject = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    body = serializers.CharField(max_length=20000, style=MULTILINE)
    source = serializers.ChoiceField(
        choices=DraftSource.choices, required=False, default=DraftSource.MANUAL
    )
    connector = serializers.IntegerField(
        min_value=1, max_value=ID_MAX_VALUE, required=False, allow_null=True
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["channel"] == DraftChannel.EMAIL:
            try:
                serializers.EmailField().run_validation(attrs["to"])
            except serializers.ValidationError as error:
                raise serializers.ValidationError({"to": error.detail}) from error
        return attrs


class DraftEditInput(serializers.Serializer[Any]):
    to = serializers.CharField(max_length=254, required=False)
    subject = serializers.CharField(max_length=200, required=False, allow_blank=True)
    body = serializers.CharField(max_length=20000, required=False, style=MULTILINE)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs:
            raise serializers.ValidationError("nothing to change")
        return attrs


class DraftRejectInput(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=500, style=MULTILINE)


class DraftMarkSentInput(serializers.Serializer[Any]):
    note = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="", style=MULTILINE
    )


class DraftReleaseSendInput(serializers.Serializer[Any]):
    note = serializers.CharField(
        max_length=500,
        help_text="What was checked: the sent mailbox, the mail server's log.",
        style=MULTILINE,
    )


class LedgerOutput(serializers.ModelSerializer[LedgerEntry]):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = LedgerEntry
        fields = [
            "id",
            "at",
            "actor",
            "actor_label",
            "verb",
            "object_type",
            "object_id",
            "customer_id",
            "before",
            "after",
            "note",
        ]
        read_only_fields = fields
