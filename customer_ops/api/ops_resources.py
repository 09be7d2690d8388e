"""The operations resource API (/api/v1/...): tickets, SLA health, incidents, customer success.

Same conventions as `resources.py`: reads through selectors, each write one service call, small
input serializers, read-only outputs, every list paginated.
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from customer_ops.api.ops_serializers import (
    AtRiskFilterInput,
    AtRiskOutput,
    CheckInInput,
    CheckInOutput,
    CloseInput,
    CustomerSuccessPlanInput,
    CustomerSuccessPlanOutput,
    IncidentDetailOutput,
    IncidentFilterInput,
    IncidentInput,
    IncidentOutput,
    IncidentUpdateInput,
    PlanStepInput,
    PlanStepOutput,
    PostmortemInput,
    PostmortemOutput,
    ProofPackInput,
    ProofPackOutput,
    ReplyDraftInput,
    SlaHealthOutput,
    SlaHealthQueryInput,
    TicketDetailOutput,
    TicketEventInput,
    TicketEventOutput,
    TicketFilterInput,
    TicketInput,
    TicketOutput,
    TicketUpdateInput,
    TimelineInput,
    TimelineOutput,
    TouchpointOutput,
    UpdateDraftInput,
    sla_block,
)
from customer_ops.api.permissions import IsStaffMember
from customer_ops.api.resource_serializers import DraftOutput
from customer_ops.domain.incidents import POSTMORTEM_REQUIRED, missing_postmortem_fields
from customer_ops.models import Customer, Incident, Ticket
from customer_ops.selectors.incidents import (
    incident_detail_queryset,
    incident_list,
    incident_postmortem_values,
    incident_timeline,
)
from customer_ops.selectors.success import (
    at_risk_list,
    customer_health,
    proof_packs_for,
    success_plan_for,
    touchpoint_of,
)
from customer_ops.selectors.tickets import ticket_events, ticket_queue, ticket_sla_now
from customer_ops.services import incidents as incident_services
from customer_ops.services import tickets as ticket_services
from customer_ops.services.sla_report import sla_health_review
from customer_ops.services.success import (
    check_in_create,
    proof_pack_record,
    success_plan_create,
    touchpoint_complete,
)
from dealix.api_errors import validated_input, validated_query

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
            actor=request.user,
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
            actor=request.user,
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
                actor=request.user,
                now=timezone.now(),
            )
            return Response(TicketEventOutput(event).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(ticket_events(ticket_id=ticket.pk))
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
            actor=request.user,
            now=timezone.now(),
        )
        return Response(DraftOutput(draft).data, status=status.HTTP_201_CREATED)


# ── SLA health ──────────────────────────────────────────────────────────────────────────────────
class SlaHealthView(APIView):
    permission_classes = [IsStaffMember]

    @extend_schema(
        parameters=[
            OpenApiParameter("from", str, required=True, description="YYYY-MM-DD, included"),
            OpenApiParameter("to", str, required=True, description="YYYY-MM-DD, included"),
        ],
        responses=SlaHealthOutput,
        description="SLA health of the tickets opened in the period (database aggregates); a "
        "critical verdict notifies the founders once per period.",
    )
    def get(self, request: Request) -> Response:
        data = validated_query(SlaHealthQueryInput, request.query_params)
        report = sla_health_review(
            date_from=data["date_from"], date_to=data["date_to"], now=timezone.now()
        )
        return Response(SlaHealthOutput(report).data)


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
            actor=request.user,
            now=timezone.now(),
        )
        return self._detail(incident.pk, code=status.HTTP_201_CREATED)

    @extend_schema(request=IncidentUpdateInput, responses=IncidentDetailOutput)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        incident = self.get_object()
        data = validated_input(IncidentUpdateInput, request.data)
        now = timezone.now()
        if "severity" in data:
            incident_services.incident_set_severity(
                incident_id=incident.pk,
                severity=data["severity"],
                note=data["note"],
                actor=request.user,
                now=now,
            )
        if "status" in data:
            incident_services.incident_change_status(
                incident_id=incident.pk,
                to=data["status"],
                note=data["note"],
                actor=request.user,
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
                actor=request.user,
                now=timezone.now(),
            )
            return Response(TimelineOutput(entry).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(incident_timeline(incident_id=incident.pk))
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
            actor=request.user,
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
                incident_id=incident.pk, values=data, actor=request.user, now=timezone.now()
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
            incident_id=incident.pk, note=data["note"], actor=request.user, now=timezone.now()
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
            actor=request.user,
            now=timezone.now(),
        )
        return Response(DraftOutput(drafts, many=True).data, status=status.HTTP_201_CREATED)


# ── Customer success ────────────────────────────────────────────────────────────────────────────
class SuccessPlanView(APIView):
    """/api/v1/customers/{id}/success-plan/: GET the plan; POST creates it when missing."""

    permission_classes = [IsStaffMember]

    def _render(self, customer_id: int, *, code: int = status.HTTP_200_OK) -> Response:
        plan = success_plan_for(customer_id=customer_id)
        if plan is None:
            return Response(
                {"error": "no success plan yet: POST to create it", "error_ar": "لا توجد خطة بعد"},
                status=status.HTTP_404_NOT_FOUND,
            )
        plan.health = customer_health(customer_id=customer_id, now=timezone.now())  # type: ignore[attr-defined]
        return Response(CustomerSuccessPlanOutput(plan).data, status=code)

    @extend_schema(responses=CustomerSuccessPlanOutput)
    def get(self, request: Request, pk: int) -> Response:
        customer = get_object_or_404(Customer, pk=pk)
        return self._render(customer.pk)

    @extend_schema(
        request=CustomerSuccessPlanInput,
        responses={200: CustomerSuccessPlanOutput, 201: CustomerSuccessPlanOutput},
    )
    def post(self, request: Request, pk: int) -> Response:
        customer = get_object_or_404(Customer, pk=pk)
        data = validated_input(CustomerSuccessPlanInput, request.data)
        existed = success_plan_for(customer_id=customer.pk) is not None
        success_plan_create(
            customer_id=customer.pk,
            start_on=data["start_on"],
            actor=request.user,
            now=timezone.now(),
        )
        return self._render(
            customer.pk, code=status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        )


class AtRiskView(GenericAPIView[Any]):
    """Every current customer's at-risk alert from real activity, riskiest first."""

    permission_classes = [IsStaffMember]
    serializer_class = AtRiskOutput

    @extend_schema(
        parameters=[OpenApiParameter("severity", str, enum=["low", "medium", "high"])],
        responses=AtRiskOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        data = validated_query(AtRiskFilterInput, request.query_params)
        rows = at_risk_list(now=timezone.now(), severity=data.get("severity"))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(AtRiskOutput(page, many=True).data)


class TouchpointDoneView(APIView):
    """POST /api/v1/customers/{id}/success-plan/touchpoints/{day}/: mark that day's task done."""

    permission_classes = [IsStaffMember]

    @extend_schema(request=None, responses=TouchpointOutput)
    def post(self, request: Request, pk: int, day: int) -> Response:
        touchpoint = touchpoint_of(customer_id=pk, day=day)
        if touchpoint is None:
            return Response(
                {"error": "no such touchpoint", "error_ar": "لا توجد مهمة بهذا اليوم"},
                status=status.HTTP_404_NOT_FOUND,
            )
        done = touchpoint_complete(
            touchpoint_id=touchpoint.pk, actor=request.user, now=timezone.now()
        )
        return Response(TouchpointOutput(done).data)


class ProofPackView(GenericAPIView[Any]):
    """/api/v1/customers/{id}/proof-packs/: the delivered Proof Packs; POST records one."""

    permission_classes = [IsStaffMember]
    serializer_class = ProofPackOutput

    @extend_schema(responses=ProofPackOutput(many=True))
    def get(self, request: Request, pk: int) -> Response:
        customer = get_object_or_404(Customer, pk=pk)
        page = self.paginate_queryset(proof_packs_for(customer_id=customer.pk))
        return self.get_paginated_response(ProofPackOutput(page, many=True).data)

    @extend_schema(request=ProofPackInput, responses={201: ProofPackOutput})
    def post(self, request: Request, pk: int) -> Response:
        customer = get_object_or_404(Customer, pk=pk)
        data = validated_input(ProofPackInput, request.data)
        delivery = proof_pack_record(
            customer_id=customer.pk,
            title=data["title"],
            delivered_at=data["delivered_at"],
            note=data["note"],
            actor=request.user,
            now=timezone.now(),
        )
        return Response(ProofPackOutput(delivery).data, status=status.HTTP_201_CREATED)


class CheckInView(APIView):
    """POST /api/v1/customers/{id}/check-ins/: this week's check-in draft (one per week)."""

    permission_classes = [IsStaffMember]

    @extend_schema(request=CheckInInput, responses={201: CheckInOutput})
    def post(self, request: Request, pk: int) -> Response:
        customer = get_object_or_404(Customer, pk=pk)
        data = validated_input(CheckInInput, request.data)
        check_in = check_in_create(
            customer_id=customer.pk, actor=request.user, now=timezone.now(), **data
        )
        return Response(CheckInOutput(check_in).data, status=status.HTTP_201_CREATED)
