"""The incidents API: declare, change severity and status, timeline, plan steps, post-mortem, updates."""

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
from customer_ops.api.fields import COUNT_MAX, ID_MAX_VALUE, CustomerRefOutput, code_output
from customer_ops.api.permissions import IsStaffMember, staff_user
from customer_ops.domain.incidents import (
    POSTMORTEM_FIELDS,
    POSTMORTEM_REQUIRED,
    CommsKind,
    Severity,
    missing_postmortem_fields,
)
from customer_ops.domain.transitions import IncidentStatus
from customer_ops.models import (
    Incident,
    IncidentPlanStep,
    IncidentTimelineEntry,
)
from customer_ops.models.drafts import DraftChannel
from customer_ops.roles import SignedInUser
from customer_ops.selectors.incidents import (
    incident_detail_queryset,
    incident_list,
    incident_postmortem_values,
    incident_timeline,
)
from customer_ops.services import incidents as incident_services
from customer_ops.services.incidents import TIMELINE_INPUT_KINDS
from dealix.api_errors import MULTILINE, validated_input, validated_query

INCIDENT_STATUS_VALUES = [status.value for status in IncidentStatus]


SEVERITY_CHOICES = [severity.value for severity in Severity]


class IncidentOutput(serializers.ModelSerializer[Incident]):
    status = code_output(INCIDENT_STATUS_VALUES)
    affected_customers = CustomerRefOutput(many=True, read_only=True)
    declared_by: serializers.SlugRelatedField[SignedInUser] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

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
    done_by: serializers.SlugRelatedField[SignedInUser] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

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
    actor: serializers.SlugRelatedField[SignedInUser] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

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


# ── Incidents ───────────────────────────────────────────────────────────────────────────────────
class IncidentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Incident],
):
    serializer_class = IncidentOutput
    permission_classes = [IsStaffMember]

    def get_queryset(self) -> Any:
        if self.action == "list":
            data = validated_query(IncidentFilterInput, self.request.query_params)
            return incident_list(
                status=data.get("status"),
                severity=data.get("severity"),
                customer_id=data.get("customer"),
            )
        return incident_detail_queryset()

    def _detail(self, incident_id: int, *, code: int = status.HTTP_200_OK) -> Response:
        incident = get_object_or_404(incident_detail_queryset(), pk=incident_id)
        context = {"now": timezone.now()}
        return Response(IncidentDetailOutput(incident, context=context).data, status=code)

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=["open", "mitigating", "resolved", "closed"]),
            OpenApiParameter("severity", str, enum=["SEV1", "SEV2", "SEV3"]),
            OpenApiParameter("customer", int),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=IncidentDetailOutput)
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        return self._detail(self.get_object().pk)

    @extend_schema(request=IncidentInput, responses={201: IncidentDetailOutput})
    def create(self, request: Request) -> Response:
        data = validated_input(IncidentInput, request.data)
        incident = incident_services.incident_declare(
            title=data["title"],
            description=data["description"],
            affected_customer_ids=data["affected_customers"],
            affected_count=data["affected_count"],
            has_data_leak=data["has_data_leak"],
            has_unauthorized_send=data["has_unauthorized_send"],
            detected_at=data["detected_at"],
            severity=data["severity"],
            actor=staff_user(request),
            now=timezone.now(),
        )
        return self._detail(incident.pk, code=status.HTTP_201_CREATED)

    @extend_schema(request=IncidentUpdateInput, responses=IncidentDetailOutput)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        incident = self.get_object()
        data = validated_input(IncidentUpdateInput, request.data)
        now = timezone.now()
        incident_services.incident_update(
            incident_id=incident.pk,
            severity=data.get("severity"),
            status=data.get("status"),
            note=data["note"],
            actor=staff_user(request),
            now=now,
        )
        return self._detail(incident.pk)

    @extend_schema(methods=["GET"], responses=TimelineOutput(many=True))
    @extend_schema(methods=["POST"], request=TimelineInput, responses={201: TimelineOutput})
    @action(detail=True, methods=["get", "post"])
    def timeline(self, request: Request, pk: str | None = None) -> Response:
        incident = self.get_object()
        if request.method == "POST":
            data = validated_input(TimelineInput, request.data)
            entry = incident_services.incident_timeline_add(
                incident_id=incident.pk,
                kind=data["kind"],
                text=data["text"],
                actor=staff_user(request),
                now=timezone.now(),
            )
            return Response(TimelineOutput(entry).data, status=status.HTTP_201_CREATED)
        timeline = incident_timeline(incident_id=incident.pk)
        page: list[IncidentTimelineEntry] | None = self.paginate_queryset(timeline)  # type: ignore[arg-type]  # stubs: only the view's own model pages
        return self.get_paginated_response(TimelineOutput(page, many=True).data)

    @extend_schema(request=PlanStepInput, responses=PlanStepOutput)
    @action(detail=True, methods=["post"], url_path=r"plan-steps/(?P<position>[0-9]+)")
    def plan_step(self, request: Request, pk: str | None = None, position: str = "") -> Response:
        incident = self.get_object()
        data = validated_input(PlanStepInput, request.data)
        step = incident_services.incident_plan_step_tick(
            incident_id=incident.pk,
            position=int(position),
            done=data["done"],
            actor=staff_user(request),
            now=timezone.now(),
        )
        return Response(PlanStepOutput(step).data)

    @extend_schema(methods=["GET"], responses=PostmortemOutput)
    @extend_schema(methods=["PUT"], request=PostmortemInput, responses=PostmortemOutput)
    @action(detail=True, methods=["get", "put"])
    def postmortem(self, request: Request, pk: str | None = None) -> Response:
        incident = self.get_object()
        if request.method == "PUT":
            data = validated_input(PostmortemInput, request.data)
            incident_services.incident_postmortem_save(
                incident_id=incident.pk, values=data, actor=staff_user(request), now=timezone.now()
            )
        values = incident_postmortem_values(incident_id=incident.pk)
        missing = missing_postmortem_fields(values)
        body = {
            **values,
            "missing": missing,
            "complete": not missing,
            "required_to_close": incident.severity in POSTMORTEM_REQUIRED,
        }
        return Response(PostmortemOutput(body).data)

    @extend_schema(request=CloseInput, responses=IncidentDetailOutput)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        incident = self.get_object()
        data = validated_input(CloseInput, request.data)
        incident_services.incident_close(
            incident_id=incident.pk,
            note=data["note"],
            actor=staff_user(request),
            now=timezone.now(),
        )
        return self._detail(incident.pk)

    @extend_schema(request=UpdateDraftInput, responses={201: DraftOutput(many=True)})
    @action(detail=True, methods=["post"], url_path="update-draft")
    def update_draft(self, request: Request, pk: str | None = None) -> Response:
        incident = self.get_object()
        data = validated_input(UpdateDraftInput, request.data)
        drafts = incident_services.incident_update_draft(
            incident_id=incident.pk,
            kind=data["kind"],
            values=data["values"],
            customer_ids=data["customers"],
            channel=data["channel"],
            actor=staff_user(request),
            now=timezone.now(),
        )
        return Response(DraftOutput(drafts, many=True).data, status=status.HTTP_201_CREATED)


if list(PostmortemInput().fields) != [field.key for field in POSTMORTEM_FIELDS]:
    raise RuntimeError("PostmortemInput must list the 8 post-mortem fields in order")
