"""The tickets API: the queue, one ticket with its SLA clocks, its events, changes and reply drafts."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from customer_ops.api.drafts import DraftOutput
from customer_ops.api.fields import ID_MAX_VALUE, CodeChoiceField, QueryBooleanField, code_output
from customer_ops.api.permissions import IsStaffMember, staff_user
from customer_ops.domain.priority import Priority
from customer_ops.domain.sla import SlaClock, SlaEventType, TicketSla
from customer_ops.domain.transitions import TicketStatus
from customer_ops.models import (
    SlaEvent,
    Ticket,
)
from customer_ops.models.drafts import DraftChannel
from customer_ops.models.tickets import TicketChannel
from customer_ops.roles import SignedInUser
from customer_ops.selectors.tickets import ORDERINGS, ticket_events, ticket_queue, ticket_sla_now
from customer_ops.services import tickets as ticket_services
from dealix.api_errors import MULTILINE, validated_input, validated_query

TICKET_FILTERS = [
    OpenApiParameter("priority", str, enum=["P0", "P1", "P2", "P3"]),
    OpenApiParameter("status", str, enum=["open", "pending_customer", "resolved", "closed"]),
    OpenApiParameter("customer", int),
    OpenApiParameter("assignee", int),
    OpenApiParameter("breached", bool, description="past an SLA target now"),
    OpenApiParameter(
        "ordering",
        str,
        enum=["next_due_at", "-next_due_at", "opened_at", "-opened_at", "priority", "-priority"],
    ),
]


PRIORITY_CHOICES = [priority.value for priority in Priority]


TICKET_STATUS_VALUES = [status.value for status in TicketStatus]


TICKET_CHANNEL_VALUES = list(TicketChannel.values)


SLA_EVENT_VALUES = [event.value for event in SlaEventType]


# ── Tickets ─────────────────────────────────────────────────────────────────────────────────────
class TicketOutput(serializers.ModelSerializer[Ticket]):
    channel = code_output(TICKET_CHANNEL_VALUES)
    status = code_output(TICKET_STATUS_VALUES)
    customer_name = serializers.CharField(source="customer.company_name", read_only=True)
    assignee_username = serializers.CharField(
        source="assignee.username", read_only=True, allow_null=True, default=None
    )
    breached = serializers.BooleanField(source="breached_now", read_only=True)
    first_response_minutes = serializers.SerializerMethodField()
    resolution_hours = serializers.SerializerMethodField()

    class Meta:
        model = Ticket
        fields = [
            "id",
            "customer",
            "customer_name",
            "channel",
            "subject",
            "priority",
            "classified_priority",
            "matched_keyword",
            "priority_reason_ar",
            "status",
            "assignee",
            "assignee_username",
            "opened_at",
            "first_response_due_at",
            "resolution_due_at",
            "next_due_at",
            "first_response_at",
            "resolved_at",
            "first_response_minutes",
            "resolution_hours",
            "breached",
            "customer_confirmation",
            "customer_confirmed_at",
            "closed_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_first_response_minutes(self, ticket: Ticket) -> float | None:
        seconds = ticket.first_response_seconds
        return None if seconds is None else round(seconds / 60, 1)

    def get_resolution_hours(self, ticket: Ticket) -> float | None:
        seconds = ticket.resolution_seconds
        return None if seconds is None else round(seconds / 3600, 2)


class SlaClockOutput(serializers.Serializer[Any]):
    target_minutes = serializers.FloatField()
    due_at = serializers.DateTimeField()
    elapsed_minutes = serializers.FloatField()
    remaining_minutes = serializers.FloatField(help_text="negative once overdue")
    breached = serializers.BooleanField()
    paused = serializers.BooleanField()
    stopped_at = serializers.DateTimeField(allow_null=True)
    met = serializers.BooleanField(allow_null=True, help_text="null while the clock runs")


class SlaBlockOutput(serializers.Serializer[Any]):
    basis = serializers.ChoiceField(choices=["24_7", "working_hours"])
    computed_at = serializers.DateTimeField()
    breached = serializers.BooleanField()
    paused = serializers.BooleanField()
    first_response = SlaClockOutput()
    resolution = SlaClockOutput()


class TicketDetailOutput(TicketOutput):
    sla = SlaBlockOutput(read_only=True)

    class Meta(TicketOutput.Meta):
        fields = [*TicketOutput.Meta.fields, "body", "sla"]
        read_only_fields = fields


class TicketInput(serializers.Serializer[Any]):
    customer = serializers.IntegerField(min_value=1, max_value=ID_MAX_VALUE)
    subject = serializers.CharField(max_length=200)
    body = serializers.CharField(
        max_length=20000, required=False, allow_blank=True, default="", style=MULTILINE
    )
    channel = CodeChoiceField(choices=TICKET_CHANNEL_VALUES)
    assignee = serializers.IntegerField(
        min_value=1, max_value=ID_MAX_VALUE, required=False, allow_null=True, default=None
    )


class TicketUpdateInput(serializers.Serializer[Any]):
    priority = serializers.ChoiceField(choices=PRIORITY_CHOICES, required=False)
    assignee = serializers.IntegerField(
        min_value=1, max_value=ID_MAX_VALUE, required=False, allow_null=True
    )
    status = serializers.ChoiceField(choices=TICKET_STATUS_VALUES, required=False)
    customer_confirmation = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default="", style=MULTILINE
    )
    customer_confirmed_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    note = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="", style=MULTILINE
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not {"priority", "assignee", "status"} & set(attrs):
            raise serializers.ValidationError(
                "nothing to change: give priority, assignee or status"
            )
        return attrs


class TicketFilterInput(serializers.Serializer[Any]):
    priority = serializers.ChoiceField(choices=PRIORITY_CHOICES, required=False)
    status = serializers.ChoiceField(choices=TICKET_STATUS_VALUES, required=False)
    customer = serializers.IntegerField(min_value=1, max_value=ID_MAX_VALUE, required=False)
    assignee = serializers.IntegerField(min_value=1, max_value=ID_MAX_VALUE, required=False)
    breached = QueryBooleanField(required=False)
    ordering = serializers.ChoiceField(choices=list(ORDERINGS), required=False)


class TicketEventOutput(serializers.ModelSerializer[SlaEvent]):
    actor: serializers.SlugRelatedField[SignedInUser] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    # Plain codes, the same enum as the rule endpoint /customer-ops/sla/event.
    event = serializers.ChoiceField(choices=SLA_EVENT_VALUES, read_only=True)

    class Meta:
        model = SlaEvent
        fields = ["id", "ticket", "event", "at", "actor", "actor_label", "note"]
        read_only_fields = fields


class TicketEventInput(serializers.Serializer[Any]):
    event = serializers.ChoiceField(choices=SLA_EVENT_VALUES)
    note = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="", style=MULTILINE
    )


class ReplyDraftInput(serializers.Serializer[Any]):
    channel = serializers.ChoiceField(choices=DraftChannel.choices, required=False)
    to = serializers.CharField(max_length=254, required=False, allow_blank=True, default="")
    body = serializers.CharField(
        max_length=20000, required=False, allow_blank=True, default="", style=MULTILINE
    )


def sla_block(sla: TicketSla) -> dict[str, Any]:
    """The `sla` block of the ticket API: due times, remaining, breached and paused per clock."""

    def clock_view(clock: SlaClock) -> dict[str, Any]:
        return {
            "target_minutes": clock.target.total_seconds() / 60,
            "due_at": clock.due_at,
            "elapsed_minutes": round(clock.elapsed.total_seconds() / 60, 1),
            "remaining_minutes": round(clock.remaining.total_seconds() / 60, 1),
            "breached": clock.breached,
            "paused": clock.paused,
            "stopped_at": clock.stopped_at,
            "met": clock.met,
        }

    return {
        "basis": sla.basis.value,
        "computed_at": sla.computed_at,
        "breached": sla.breached,
        "paused": sla.paused,
        "first_response": clock_view(sla.first_response),
        "resolution": clock_view(sla.resolution),
    }


# ── Tickets ─────────────────────────────────────────────────────────────────────────────────────
class TicketViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Ticket],
):
    serializer_class = TicketOutput
    permission_classes = [IsStaffMember]

    def get_queryset(self) -> Any:
        filters: dict[str, Any] = {}
        if self.action == "list":
            data = validated_query(TicketFilterInput, self.request.query_params)
            filters = {
                "priority": data.get("priority"),
                "status": data.get("status"),
                "customer_id": data.get("customer"),
                "assignee_id": data.get("assignee"),
                "breached": data.get("breached"),
                "ordering": data.get("ordering") or "next_due_at",
            }
        return ticket_queue(now=timezone.now(), **filters)

    def _detail(self, ticket_id: int, *, code: int = status.HTTP_200_OK) -> Response:
        now = timezone.now()
        ticket = get_object_or_404(ticket_queue(now=now), pk=ticket_id)
        ticket.sla = sla_block(ticket_sla_now(ticket=ticket, now=now))  # type: ignore[attr-defined]
        return Response(TicketDetailOutput(ticket).data, status=code)

    @extend_schema(parameters=TICKET_FILTERS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=TicketDetailOutput)
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        return self._detail(self.get_object().pk)

    @extend_schema(request=TicketInput, responses={201: TicketDetailOutput})
    def create(self, request: Request) -> Response:
        data = validated_input(TicketInput, request.data)
        ticket = ticket_services.ticket_create(
            customer_id=data["customer"],
            subject=data["subject"],
            body=data["body"],
            channel=data["channel"],
            assignee_id=data["assignee"],
            actor=staff_user(request),
            now=timezone.now(),
        )
        return self._detail(ticket.pk, code=status.HTTP_201_CREATED)

    @extend_schema(request=TicketUpdateInput, responses=TicketDetailOutput)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        ticket = self.get_object()
        data = validated_input(TicketUpdateInput, request.data)
        changes: dict[str, Any] = {key: data[key] for key in ("priority", "status") if key in data}
        if "assignee" in data:
            changes["assignee_id"] = data["assignee"]
        ticket_services.ticket_update(
            ticket_id=ticket.pk,
            actor=staff_user(request),
            now=timezone.now(),
            customer_confirmation=data["customer_confirmation"],
            customer_confirmed_at=data["customer_confirmed_at"],
            note=data["note"],
            **changes,
        )
        return self._detail(ticket.pk)

    @extend_schema(methods=["GET"], responses=TicketEventOutput(many=True))
    @extend_schema(methods=["POST"], request=TicketEventInput, responses={201: TicketEventOutput})
    @action(detail=True, methods=["get", "post"])
    def events(self, request: Request, pk: str | None = None) -> Response:
        ticket = self.get_object()
        if request.method == "POST":
            data = validated_input(TicketEventInput, request.data)
            event = ticket_services.sla_event_record(
                ticket_id=ticket.pk,
                event=data["event"],
                note=data["note"],
                actor=staff_user(request),
                now=timezone.now(),
            )
            return Response(TicketEventOutput(event).data, status=status.HTTP_201_CREATED)
        events = ticket_events(ticket_id=ticket.pk)
        page: list[SlaEvent] | None = self.paginate_queryset(events)  # type: ignore[arg-type]  # stubs: only the view's own model pages
        return self.get_paginated_response(TicketEventOutput(page, many=True).data)

    @extend_schema(request=ReplyDraftInput, responses={201: DraftOutput})
    @action(detail=True, methods=["post"], url_path="reply-draft")
    def reply_draft(self, request: Request, pk: str | None = None) -> Response:
        ticket = self.get_object()
        data = validated_input(ReplyDraftInput, request.data)
        draft = ticket_services.ticket_reply_draft(
            ticket_id=ticket.pk,
            channel=data.get("channel"),
            to=data["to"] or None,
            body=data["body"] or None,
            actor=staff_user(request),
            now=timezone.now(),
        )
        return Response(DraftOutput(draft).data, status=status.HTTP_201_CREATED)
