"""API shapes for ticket conversations, the unmatched inbox and WhatsApp opt-ins."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from customer_ops.api.ops_serializers import ID_MAX_VALUE
from customer_ops.models import ContactPoint, TicketMessage


class MessageOutput(serializers.ModelSerializer[TicketMessage]):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    channel = serializers.CharField(read_only=True, help_text="whatsapp, email or internal")
    delivery_status = serializers.CharField(
        read_only=True,
        help_text="outbound only: accepted, sent, delivered, read or failed; empty otherwise",
    )

    class Meta:
        model = TicketMessage
        fields = [
            "id",
            "ticket",
            "customer",
            "direction",
            "channel",
            "kind",
            "text",
            "external_id",
            "sender",
            "sender_name",
            "author",
            "draft",
            "delivery_status",
            "delivery_error",
            "at",
        ]
        read_only_fields = fields


class NoteInput(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=5000)


class MessageAssignInput(serializers.Serializer[Any]):
    customer = serializers.IntegerField(min_value=1, max_value=ID_MAX_VALUE)


class OptInInput(serializers.Serializer[Any]):
    value = serializers.CharField(max_length=40, help_text="the WhatsApp number, any common form")
    method = serializers.CharField(
        max_length=200, help_text="how the customer agreed (signed order form, their message, …)"
    )


class ContactPointOutput(serializers.ModelSerializer[ContactPoint]):
    opted_in_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    channel = serializers.CharField(read_only=True)  # "whatsapp" or "email"

    class Meta:
        model = ContactPoint
        fields = [
            "id",
            "customer",
            "channel",
            "value",
            "opted_in_at",
            "opted_in_by",
            "opt_in_method",
        ]
        read_only_fields = fields
