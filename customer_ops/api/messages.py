"""Ticket conversations in the API: the thread and notes, the unmatched inbox, WhatsApp opt-ins."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from customer_ops.api.fields import ID_MAX_VALUE
from customer_ops.api.permissions import IsStaffMember, staff_user
from customer_ops.domain.messages import MessageChannel
from customer_ops.models import ContactPoint, Customer, Ticket, TicketMessage
from customer_ops.roles import SignedInUser
from customer_ops.selectors.messages import ticket_thread, unmatched_messages
from customer_ops.services.contacts import contact_opt_in_record
from customer_ops.services.messages import message_assign, message_note_add
from dealix.api_errors import validated_input


class MessageOutput(serializers.ModelSerializer[TicketMessage]):
    author: serializers.SlugRelatedField[SignedInUser] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
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
    opted_in_by: serializers.SlugRelatedField[SignedInUser] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
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


class TicketMessagesView(generics.ListAPIView[TicketMessage]):
    """The ticket's thread, oldest first: customer messages, our replies, internal notes."""

    serializer_class = MessageOutput
    permission_classes = [IsStaffMember]

    def get_queryset(self) -> QuerySet[TicketMessage]:
        ticket = get_object_or_404(Ticket, pk=self.kwargs["pk"])
        return ticket_thread(ticket_id=ticket.pk)

    @extend_schema(
        request=NoteInput,
        responses={201: MessageOutput},
        description="Add an internal note to the thread (never sent to the customer).",
    )
    def post(self, request: Request, pk: int) -> Response:
        data = validated_input(NoteInput, request.data)
        note = message_note_add(
            ticket_id=get_object_or_404(Ticket, pk=pk).pk,
            text=data["text"],
            actor=staff_user(request),
            now=timezone.now(),
        )
        return Response(MessageOutput(note).data, status=status.HTTP_201_CREATED)


class UnmatchedMessagesView(generics.ListAPIView[TicketMessage]):
    """Customer messages from numbers or addresses nobody knows yet, oldest first."""

    serializer_class = MessageOutput
    permission_classes = [IsStaffMember]

    def get_queryset(self) -> QuerySet[TicketMessage]:
        return unmatched_messages()


class MessageAssignView(generics.GenericAPIView[TicketMessage]):
    permission_classes = [IsStaffMember]
    serializer_class = MessageOutput

    @extend_schema(
        request=MessageAssignInput,
        responses=MessageOutput,
        description=(
            "Say whose unmatched message this is: it joins that customer's open ticket on its "
            "channel (or opens one), with the other messages waiting from the same sender."
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        data = validated_input(MessageAssignInput, request.data)
        message = get_object_or_404(TicketMessage, pk=pk)
        assigned = message_assign(
            message_id=message.pk,
            customer_id=data["customer"],
            actor=staff_user(request),
            now=timezone.now(),
        )
        return Response(MessageOutput(assigned).data)


class WhatsAppOptInView(generics.GenericAPIView[Any]):
    permission_classes = [IsStaffMember]
    serializer_class = ContactPointOutput

    @extend_schema(
        request=OptInInput,
        responses={201: ContactPointOutput},
        description=(
            "Record that this WhatsApp number of the customer agreed to be messaged: who "
            "recorded it (you), when (now) and how (`method`). Live WhatsApp sends need it."
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        data = validated_input(OptInInput, request.data)
        point = contact_opt_in_record(
            customer_id=get_object_or_404(Customer, pk=pk).pk,
            channel=MessageChannel.WHATSAPP.value,
            value=data["value"],
            method=data["method"],
            actor=staff_user(request),
            now=timezone.now(),
        )
        return Response(ContactPointOutput(point).data, status=status.HTTP_201_CREATED)
