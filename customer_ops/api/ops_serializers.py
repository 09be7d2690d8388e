"""Serializers of the operations API (tickets, SLA, incidents, customer success).

Outputs are read-only; inputs are small shapes checked here and passed to one service each.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

from customer_ops.domain.incidents import POSTMORTEM_FIELDS, CommsKind, Severity
from customer_ops.domain.priority import Priority
from customer_ops.domain.sla import SlaClock, SlaEventType, TicketSla
from customer_ops.domain.success import RiskSeverity
from customer_ops.domain.transitions import IncidentStatus, TicketStatus
from customer_ops.models import (
    CheckIn,
    Incident,
    IncidentPlanStep,
    IncidentTimelineEntry,
    ProofPackDelivery,
    SlaEvent,
    SuccessPlan,
    SuccessTouchpoint,
    Ticket,
)
from customer_ops.models.drafts import DraftChannel
from customer_ops.models.tickets import TicketChannel
from customer_ops.selectors.tickets import ORDERINGS
from customer_ops.services.incidents import TIMELINE_INPUT_KINDS
from dealix.api_errors import MULTILINE

# The largest id a BigAutoField holds: a larger number is a 400, not an overflow (a 500) in the
# database driver. Counts stop at a billion for the same reason.
ID_MAX_VALUE = 2**63 - 1
COUNT_MAX = 10**9
PRIORITY_CHOICES = [priority.value for priority in Priority]
TICKET_STATUS_VALUES = [status.value for status in TicketStatus]
INCIDENT_STATUS_VALUES = [status.value for status in IncidentStatus]
TICKET_CHANNEL_VALUES = list(TicketChannel.values)
SLA_EVENT_VALUES = [event.value for event in SlaEventType]
SEVERITY_CHOICES = [severity.value for severity in Severity]
RISK_SEVERITY_VALUES = [severity.value for severity in RiskSeverity]


@extend_schema_field(OpenApiTypes.STR)
class CodeChoiceField(serializers.ChoiceField):
    """A choice of codes documented as a string listing them, not as a shared enum component.

    drf-spectacular names enums by field name; a second `status` or `channel` choice set used in
    several components makes it warn (and `check --deploy` fails on warnings) unless
    ENUM_NAME_OVERRIDES names each set.
    """

    def __init__(self, *, choices: list[str], **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "one of: " + ", ".join(choices))
        super().__init__(choices=choices, **kwargs)


def _code_output(choices: list[str]) -> CodeChoiceField:
    return CodeChoiceField(choices=choices, read_only=True)


# ── Tickets ─────────────────────────────────────────────────────────────────────────────────────
class TicketOutput(serializers.ModelSerializer[Ticket]):
    channel = _code_output(TICKET_CHANNEL_VALUES)
    status = _code_output(TICKET_STATUS_VALUES)
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


class QueryBooleanField(serializers.BooleanField):
    """`true` or `false` in a query string; DRF would also take null, yes, on, 1 and the like."""

    default_empty_html = empty  # left out means no filter (an HTML checkbox would mean false)

    def to_internal_value(self, data: Any) -> bool:
        if data not in ("true", "false"):
            self.fail("invalid")
        return data == "true"


class TicketFilterInput(serializers.Serializer[Any]):
    priority = serializers.ChoiceField(choices=PRIORITY_CHOICES, required=False)
    status = serializers.ChoiceField(choices=TICKET_STATUS_VALUES, required=False)
    customer = serializers.IntegerField(min_value=1, max_value=ID_MAX_VALUE, required=False)
    assignee = serializers.IntegerField(min_value=1, max_value=ID_MAX_VALUE, required=False)
    breached = QueryBooleanField(required=False)
    ordering = serializers.ChoiceField(choices=list(ORDERINGS), required=False)


class TicketEventOutput(serializers.ModelSerializer[SlaEvent]):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
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


# ── SLA health ──────────────────────────────────────────────────────────────────────────────────
class SlaHealthQueryInput(serializers.Serializer[Any]):
    """?from=YYYY-MM-DD&to=YYYY-MM-DD (both included); `from` is a Python keyword, hence get_fields."""

    def get_fields(self) -> dict[str, serializers.Field]:
        return {
            "from": serializers.DateField(source="date_from"),
            "to": serializers.DateField(source="date_to"),
        }


class SlaBucketOutput(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    breaches = serializers.IntegerField()
    total_first_response_min = serializers.FloatField()
    total_resolution_hours = serializers.FloatField()
    responded_count = serializers.IntegerField()
    resolved_count = serializers.IntegerField()
    avg_first_response_min = serializers.FloatField(required=False)
    avg_resolution_hours = serializers.FloatField(required=False)


class SlaWeekOutput(serializers.Serializer[Any]):
    week_start = serializers.DateField()
    iso_week = serializers.CharField()
    total_tickets = serializers.IntegerField()
    total_breached = serializers.IntegerField()
    breach_rate = serializers.FloatField()


class SlaHealthOutput(serializers.Serializer[Any]):
    total_tickets = serializers.IntegerField()
    total_breached = serializers.IntegerField()
    breach_rate = serializers.FloatField()
    by_priority = serializers.DictField(child=SlaBucketOutput())
    verdict = serializers.ChoiceField(choices=["healthy", "watch", "critical"])
    weekly = SlaWeekOutput(many=True)
    founders_notified = serializers.BooleanField()

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        return {"from": instance["from"].isoformat(), "to": instance["to"].isoformat(), **data}


# ── Incidents ───────────────────────────────────────────────────────────────────────────────────
class CustomerRefOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    company_name = serializers.CharField()


class IncidentOutput(serializers.ModelSerializer[Incident]):
    status = _code_output(INCIDENT_STATUS_VALUES)
    affected_customers = CustomerRefOutput(many=True, read_only=True)
    declared_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Incident
        fields = [
            "id",
            "title",
            "severity",
            "triaged_severity",
            "severity_reason_ar",
            "status",
            "affected_count",
            "affected_customers",
            "has_data_leak",
            "has_unauthorized_send",
            "detected_at",
            "declared_at",
            "declared_by",
            "last_update_at",
            "next_update_due_at",
            "pdpl_deadline_at",
            "resolved_at",
            "closed_at",
        ]
        read_only_fields = fields


class PlanStepOutput(serializers.ModelSerializer[IncidentPlanStep]):
    done_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = IncidentPlanStep
        fields = ["position", "text", "done", "done_at", "done_by"]
        read_only_fields = fields


class IncidentDetailOutput(IncidentOutput):
    plan_steps = PlanStepOutput(many=True, read_only=True, source="active_plan_steps")
    update_overdue = serializers.SerializerMethodField()
    pdpl_remaining_minutes = serializers.SerializerMethodField()

    class Meta(IncidentOutput.Meta):
        fields = [
            *IncidentOutput.Meta.fields,
            "description",
            "plan_steps",
            "update_overdue",
            "pdpl_remaining_minutes",
        ]
        read_only_fields = fields

    def get_update_overdue(self, incident: Incident) -> bool:
        due = incident.next_update_due_at
        return due is not None and due < self.context["now"]

    def get_pdpl_remaining_minutes(self, incident: Incident) -> float | None:
        """Minutes left to notify under PDPL (negative once late); null without a leak."""
        if incident.pdpl_deadline_at is None:
            return None
        return round((incident.pdpl_deadline_at - self.context["now"]).total_seconds() / 60, 1)


class IncidentFilterInput(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=INCIDENT_STATUS_VALUES, required=False)
    severity = serializers.ChoiceField(choices=SEVERITY_CHOICES, required=False)
    customer = serializers.IntegerField(min_value=1, max_value=ID_MAX_VALUE, required=False)


class IncidentInput(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=120)
    description = serializers.CharField(
        max_length=20000, required=False, allow_blank=True, default="", style=MULTILINE
    )
    affected_customers = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=ID_MAX_VALUE),
        required=False,
        default=list,
        max_length=1000,
    )
    affected_count = serializers.IntegerField(
        min_value=0, max_value=COUNT_MAX, required=False, allow_null=True, default=None
    )
    has_data_leak = serializers.BooleanField(default=False)
    has_unauthorized_send = serializers.BooleanField(default=False)
    detected_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    severity = serializers.ChoiceField(
        choices=SEVERITY_CHOICES, required=False, allow_null=True, default=None
    )


class IncidentUpdateInput(serializers.Serializer[Any]):
    severity = serializers.ChoiceField(choices=SEVERITY_CHOICES, required=False)
    status = serializers.ChoiceField(choices=INCIDENT_STATUS_VALUES, required=False)
    note = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="", style=MULTILINE
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not {"severity", "status"} & set(attrs):
            raise serializers.ValidationError("nothing to change: give severity or status")
        return attrs


class TimelineOutput(serializers.ModelSerializer[IncidentTimelineEntry]):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = IncidentTimelineEntry
        fields = ["id", "at", "kind", "text", "actor", "draft"]
        read_only_fields = fields


class TimelineInput(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=list(TIMELINE_INPUT_KINDS), default="note")
    text = serializers.CharField(max_length=5000, style=MULTILINE)


class PlanStepInput(serializers.Serializer[Any]):
    done = serializers.BooleanField(default=True)


def _postmortem_field(label_ar: str) -> serializers.CharField:
    return serializers.CharField(
        max_length=20000,
        required=False,
        allow_blank=True,
        default="",
        help_text=label_ar,
        style=MULTILINE,
    )


class PostmortemInput(serializers.Serializer[Any]):
    """The 8 fields of SPEC_RULES §6.4 (PUT replaces them all; a missing one is saved blank)."""

    summary = _postmortem_field("ملخص الحادثة")
    timeline = _postmortem_field("الخط الزمني مع الأوقات")
    root_cause = _postmortem_field("السبب الجذري")
    what_went_right = _postmortem_field("ما الذي سار بشكل صحيح")
    what_went_wrong = _postmortem_field("ما الذي سار بشكل خاطئ")
    action_items = _postmortem_field("الإجراءات الوقائية")
    action_owners = _postmortem_field("مسؤول كل إجراء")
    deadline = _postmortem_field("الموعد النهائي")


if list(PostmortemInput().fields) != [field.key for field in POSTMORTEM_FIELDS]:
    raise RuntimeError("PostmortemInput must list the 8 post-mortem fields in order")


class PostmortemOutput(PostmortemInput):
    missing = serializers.ListField(child=serializers.CharField())
    complete = serializers.BooleanField()
    required_to_close = serializers.BooleanField()


class CloseInput(serializers.Serializer[Any]):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class UpdateDraftInput(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(
        choices=[kind.value for kind in CommsKind], required=False, allow_null=True, default=None
    )
    values = serializers.DictField(
        child=serializers.CharField(max_length=500, style=MULTILINE), required=False, default=dict
    )
    customers = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=ID_MAX_VALUE),
        required=False,
        allow_null=True,
        default=None,
    )
    channel = serializers.ChoiceField(
        choices=DraftChannel.choices, default=DraftChannel.EMAIL.value
    )


# ── Customer success ────────────────────────────────────────────────────────────────────────────
class TouchpointOutput(serializers.ModelSerializer[SuccessTouchpoint]):
    done_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = SuccessTouchpoint
        fields = ["id", "day", "due_on", "text", "done_at", "done_by"]
        read_only_fields = fields


class HealthOutput(serializers.Serializer[Any]):
    inputs = serializers.DictField()
    missing = serializers.ListField(child=serializers.CharField())
    score = serializers.FloatField(allow_null=True)
    band = serializers.ChoiceField(choices=["healthy", "watch", "at_risk"], allow_null=True)


class CustomerSuccessPlanOutput(serializers.ModelSerializer[SuccessPlan]):
    touchpoints = TouchpointOutput(many=True, read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    health = HealthOutput(read_only=True)

    class Meta:
        model = SuccessPlan
        fields = [
            "id",
            "customer",
            "bundle",
            "start_on",
            "created_by",
            "created_at",
            "touchpoints",
            "health",
        ]
        read_only_fields = fields


class CustomerSuccessPlanInput(serializers.Serializer[Any]):
    start_on = serializers.DateField(required=False, allow_null=True, default=None)


class AtRiskOutput(serializers.Serializer[Any]):
    customer_id = serializers.IntegerField()
    company_name = serializers.CharField()
    bundle = serializers.CharField()
    type = serializers.CharField()
    risk_score = serializers.IntegerField()
    severity = _code_output(RISK_SEVERITY_VALUES)
    reasons_ar = serializers.ListField(child=serializers.CharField())
    recommended_action_ar = serializers.CharField()
    days_inactive = serializers.IntegerField()
    drafts_pending = serializers.IntegerField()
    last_proof_pack_days_ago = serializers.IntegerField()
    last_activity_at = serializers.DateTimeField(allow_null=True)
    last_proof_pack_at = serializers.DateTimeField(allow_null=True)


class AtRiskFilterInput(serializers.Serializer[Any]):
    severity = serializers.ChoiceField(choices=RISK_SEVERITY_VALUES, required=False)


class ProofPackOutput(serializers.ModelSerializer[ProofPackDelivery]):
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ProofPackDelivery
        fields = ["id", "customer", "title", "note", "delivered_at", "recorded_by", "created_at"]
        read_only_fields = fields


class ProofPackInput(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=200)
    delivered_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    note = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="", style=MULTILINE
    )


class CheckInOutput(serializers.ModelSerializer[CheckIn]):
    class Meta:
        model = CheckIn
        fields = ["id", "customer", "week_start", "metrics", "draft", "created_at"]
        read_only_fields = fields


class CheckInInput(serializers.Serializer[Any]):
    """The numbers only the operator knows; approvals and blocks are counted from the database."""

    replies = serializers.IntegerField(min_value=0, max_value=COUNT_MAX, default=0)
    meetings = serializers.IntegerField(min_value=0, max_value=COUNT_MAX, default=0)
    pipeline_sar = serializers.FloatField(min_value=0, default=0)
    csat = serializers.FloatField(
        min_value=0, max_value=10, required=False, allow_null=True, default=None
    )
    channel = serializers.ChoiceField(
        choices=DraftChannel.choices, default=DraftChannel.EMAIL.value
    )
    to = serializers.CharField(max_length=254, required=False, allow_blank=True, default="")


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
