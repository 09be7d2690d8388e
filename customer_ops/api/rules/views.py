"""The 20 rule endpoints under /api/v1/customer-ops/ (SPEC_RULES §8, SPEC.md §4).

Each view: the JSON body → an input serializer → one domain (or service/selector) call → the
domain's dict as the response. The output serializers document those dicts in the schema; they are
not run per request (on POST /support/classify that would be a third of the view's own cost), and
tests/customer_ops/api/test_rules_schema.py validates real responses against the published schema
instead. Refusals come from `dealix.api_errors`: invalid input and domain errors are 400, an
illegal stored connector move is 409, an unknown path value is 404 — never a 200 with "error".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import api_view, parser_classes
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from customer_ops.api.permissions import staff_user
from customer_ops.api.rules import serializers as s
from customer_ops.domain import connectors as connector_rules
from customer_ops.domain import incidents as incident_rules
from customer_ops.domain import onboarding as onboarding_rules
from customer_ops.domain import priority as priority_rules
from customer_ops.domain import sla as sla_rules
from customer_ops.domain import success as success_rules
from customer_ops.domain.errors import DomainError
from customer_ops.models import Ticket
from customer_ops.selectors.connectors import connector_statuses_for
from customer_ops.selectors.onboarding import onboarding_checklist_for
from customer_ops.services.connectors import connector_set_state
from customer_ops.services.onboarding import onboarding_set_step
from customer_ops.services.tickets import sla_event_record
from dealix.api_errors import BODY_NOT_OBJECT, InputInvalid, validated_input
from dealix.parsers import BoundedJSONParser

TAGS = ["customer-ops"]
DEMO_CUSTOMER_ID = "demo"
DEMO_COMPANY_NAME = "شركة نمو للتدريب"
DEMO_BUNDLE_ID = "growth_starter"

_BODY_REQUIRED = ("a JSON object body is required", "مطلوب جسم طلب بصيغة JSON (كائن)")


def _body(request: Request, *, required: bool) -> Mapping[str, Any]:
    """The JSON object sent; no body at all is {} where the body is optional, else a 400."""
    data = request.data  # parses first: malformed JSON is a ParseError (400)
    if request.stream is None:  # DRF's own test for "no body": no Content-Length or zero
        if required:
            raise _non_field(*_BODY_REQUIRED)
        return {}
    if not isinstance(data, Mapping):  # a JSON list, string, number or null
        raise _non_field(*BODY_NOT_OBJECT)
    return data


def _non_field(message: str, message_ar: str) -> InputInvalid:
    return InputInvalid({"non_field_errors": [message]}, {"non_field_errors": [message_ar]})


def _not_found(error: DomainError) -> NotFound:
    """An unknown path value: 404 with the same `error`/`error_ar` keys as every refusal."""
    return NotFound({"error": error.message, "error_ar": error.message_ar})


def _schema(
    summary: str,
    *,
    request: type | None = None,
    response: type,
    errors: tuple[int, ...] = (400,),
    parameters: list[OpenApiParameter] | None = None,
    created: bool = False,
) -> Any:
    responses: dict[int, Any] = {200: response}
    if created:
        responses[201] = response
    for code in errors:
        responses[code] = {
            400: s.ErrorOutput,
            404: s.NotFoundOutput,
            409: s.ConflictOutput,
        }[code]
    return extend_schema(
        summary=summary,
        tags=TAGS,
        request=request,
        responses=responses,
        parameters=parameters,
    )


# ── Onboarding ───────────────────────────────────────────────────────────────────────────────────
@_schema(
    "A fresh 8-step onboarding checklist",
    request=s.OnboardingChecklistInput,
    response=s.OnboardingChecklistOutput,
)
@api_view(["POST"])
@parser_classes([BoundedJSONParser])
def onboarding_checklist(request: Request) -> Response:
    data = validated_input(s.OnboardingChecklistInput, _body(request, required=False))
    checklist = onboarding_rules.build_onboarding_checklist(**data)
    return Response(checklist)


@_schema(
    "Tick or untick one onboarding step (a stored customer's, or the checklist sent)",
    request=s.OnboardingUpdateStepInput,
    response=s.OnboardingChecklistOutput,
)
@api_view(["POST"])
@parser_classes([BoundedJSONParser])
def onboarding_update_step(request: Request) -> Response:
    data = validated_input(s.OnboardingUpdateStepInput, _body(request, required=True))
    customer = data["customer"]
    if customer is not None:
        onboarding_set_step(
            customer_id=customer.pk,
            step_id=data["step_id"],
            completed=data["completed"],
            notes=data["notes"],
            actor=staff_user(request),
            now=timezone.now(),
        )
        checklist = onboarding_checklist_for(customer=customer)
    else:
        checklist = onboarding_rules.update_onboarding_step(
            data["checklist"],
            step_id=data["step_id"],
            completed=data["completed"],
            notes=data["notes"],
        )
    return Response(checklist)


@_schema(
    "The demo checklist (customer 'demo', Growth Starter)",
    response=s.OnboardingChecklistOutput,
    errors=(),
)
@api_view(["GET"])
def onboarding_checklist_demo(request: Request) -> Response:
    checklist = onboarding_rules.build_onboarding_checklist(
        customer_id=DEMO_CUSTOMER_ID, company_name=DEMO_COMPANY_NAME, bundle_id=DEMO_BUNDLE_ID
    )
    return Response(checklist)


# ── Connectors ───────────────────────────────────────────────────────────────────────────────────
@_schema("The 11 supported connectors", response=s.ConnectorCatalogOutput, errors=())
@api_view(["GET"])
def connectors_catalog(request: Request) -> Response:
    return Response(connector_rules.catalog())


@_schema(
    "Connector readiness for the statuses sent",
    request=s.ConnectorSummaryInput,
    response=s.ConnectorSummaryOutput,
)
@api_view(["POST"])
@parser_classes([BoundedJSONParser])
def connectors_summary(request: Request) -> Response:
    data = validated_input(s.ConnectorSummaryInput, _body(request, required=False))
    summary = connector_rules.build_connector_setup_summary(**data)
    return Response(summary)


@_schema(
    "Set one connector's state (a stored customer's, or in the statuses sent)",
    request=s.ConnectorUpdateInput,
    response=s.ConnectorStatusesOutput,
    errors=(400, 409),
)
@api_view(["POST"])
@parser_classes([BoundedJSONParser])
def connectors_update(request: Request) -> Response:
    data = validated_input(s.ConnectorUpdateInput, _body(request, required=True))
    customer = data["customer"]
    if customer is not None:
        connector_set_state(
            customer_id=customer.pk,
            connector_key=data["connector_key"],
            to=data["state"],
            notes=data["notes"],
            actor=staff_user(request),
            now=timezone.now(),
        )
        statuses = connector_statuses_for(customer_id=customer.pk)
    else:
        statuses = connector_rules.update_connector_status(
            data["statuses"],
            connector_key=data["connector_key"],
            state=data["state"],
            notes=data["notes"],
        )
    return Response({"statuses": statuses})


@_schema(
    "The demo connector summary (2 connected, WhatsApp missing)",
    response=s.ConnectorSummaryOutput,
    errors=(),
)
@api_view(["GET"])
def connectors_demo(request: Request) -> Response:
    summary = connector_rules.build_connector_setup_summary(
        customer_id=DEMO_CUSTOMER_ID, statuses=connector_rules.DEMO_CONNECTOR_STATUSES
    )
    return Response(summary)


# ── Support ──────────────────────────────────────────────────────────────────────────────────────
@_schema("The 4 support priorities and their SLA", response=s.PrioritiesOutput, errors=())
@api_view(["GET"])
def support_priorities(request: Request) -> Response:
    priorities = [level.as_dict() for level in priority_rules.SUPPORT_PRIORITIES]
    return Response({"priorities": priorities})


@_schema(
    "Classify a ticket's text into P0–P3",
    request=s.SupportClassifyInput,
    response=s.ClassificationOutput,
)
@api_view(["POST"])
@parser_classes([BoundedJSONParser])
def support_classify(request: Request) -> Response:
    data = validated_input(s.SupportClassifyInput, _body(request, required=True))
    decision = priority_rules.classify_priority(data["text"])
    return Response(decision.as_dict())


@_schema(
    "Classify a ticket and attach its SLA and first-response draft",
    request=s.SupportRouteInput,
    response=s.RouteOutput,
)
@api_view(["POST"])
@parser_classes([BoundedJSONParser])
def support_route(request: Request) -> Response:
    data = validated_input(s.SupportRouteInput, _body(request, required=True))
    return Response(priority_rules.route_ticket(**data))


@_schema(
    "The Arabic first-response draft for a priority",
    response=s.FirstResponseTemplateOutput,
    errors=(404,),
    parameters=[
        OpenApiParameter(
            "priority", OpenApiTypes.STR, OpenApiParameter.PATH, enum=s.PRIORITY_CHOICES
        )
    ],
)
@api_view(["GET"])
def support_first_response(request: Request, priority: str) -> Response:
    try:
        template = priority_rules.first_response_template(priority=priority)
    except DomainError as error:
        raise _not_found(error) from None
    return Response(template)


# ── SLA ──────────────────────────────────────────────────────────────────────────────────────────
@_schema(
    "Record an SLA event: stored (201) for a stored ticket's id, else validated and echoed (200)",
    request=s.SlaEventInput,
    response=s.SlaEventOutput,
    errors=(400, 409),
    created=True,
)
@api_view(["POST"])
@parser_classes([BoundedJSONParser])
def sla_event(request: Request) -> Response:
    data = validated_input(s.SlaEventInput, _body(request, required=True))
    ticket_id = str(data["ticket_id"])
    if ticket_id.isdigit() and Ticket.objects.filter(pk=int(ticket_id)).exists():
        # A stored ticket: the event joins its SLA history (and moves its status with it).
        event = sla_event_record(
            ticket_id=int(ticket_id),
            event=data["event"],
            actor=staff_user(request),
            now=timezone.now(),
        )
        body = {
            "ticket_id": ticket_id,
            "priority": event.ticket.priority,
            "event": event.event,
            "ts": event.at.timestamp(),
        }
        return Response(body, status=status.HTTP_201_CREATED)
    # No stored ticket of that id: validate and echo, as the original endpoint did.
    record = sla_rules.record_sla_event(**data, ts=timezone.now())
    return Response(record.as_dict(), status=status.HTTP_200_OK)


@_schema(
    "Which of a ticket's times breach its priority's SLA",
    request=s.SlaClassifyBreachInput,
    response=s.SlaBreachOutput,
)
@api_view(["POST"])
@parser_classes([BoundedJSONParser])
def sla_classify_breach(request: Request) -> Response:
    data = validated_input(s.SlaClassifyBreachInput, _body(request, required=True))
    return Response(sla_rules.classify_sla_breach(**data))


@_schema(
    "Breach rate, per-priority averages and verdict over the tickets sent",
    request=s.SlaHealthReportInput,
    response=s.SlaHealthReportOutput,
)
@api_view(["POST"])
@parser_classes([BoundedJSONParser])
def sla_health_report(request: Request) -> Response:
    data = validated_input(s.SlaHealthReportInput, _body(request, required=False))
    return Response(sla_rules.build_sla_health_report(**data))


@_schema(
    "The demo SLA health report (4 tickets, verdict critical)",
    response=s.SlaHealthReportOutput,
    errors=(),
)
@api_view(["GET"])
def sla_health_report_demo(request: Request) -> Response:
    report = sla_rules.build_sla_health_report(tickets=sla_rules.DEMO_SLA_TICKETS)
    return Response(report)


# ── Incidents ────────────────────────────────────────────────────────────────────────────────────
@_schema(
    "Triage an incident into SEV1–SEV3",
    request=s.IncidentTriageInput,
    response=s.IncidentTriageOutput,
)
@api_view(["POST"])
@parser_classes([BoundedJSONParser])
def incidents_triage(request: Request) -> Response:
    data = validated_input(s.IncidentTriageInput, _body(request, required=True))
    return Response(incident_rules.triage_incident(**data))


@_schema(
    "The numbered Arabic response plan for a severity",
    response=s.IncidentResponsePlanOutput,
    errors=(404,),
    parameters=[
        OpenApiParameter(
            "severity", OpenApiTypes.STR, OpenApiParameter.PATH, enum=s.SEVERITY_CHOICES
        )
    ],
)
@api_view(["GET"])
def incidents_response_plan(request: Request, severity: str) -> Response:
    try:
        plan = incident_rules.build_incident_response_plan(severity=severity)
    except DomainError as error:
        raise _not_found(error) from None
    return Response(plan)


# ── Customer success ─────────────────────────────────────────────────────────────────────────────
@_schema(
    "A weekly check-in agenda and talking points from the week's metrics",
    request=s.WeeklyCheckInInput,
    response=s.WeeklyCheckInOutput,
)
@api_view(["POST"])
@parser_classes([BoundedJSONParser])
def cs_weekly_check_in(request: Request) -> Response:
    data = validated_input(s.WeeklyCheckInInput, _body(request, required=False))
    return Response(success_rules.build_weekly_check_in(**data))


@_schema(
    "An at-risk alert: score, severity, reasons and recommended action",
    request=s.AtRiskAlertInput,
    response=s.AtRiskAlertOutput,
)
@api_view(["POST"])
@parser_classes([BoundedJSONParser])
def cs_at_risk_alert(request: Request) -> Response:
    data = validated_input(s.AtRiskAlertInput, _body(request, required=False))
    return Response(success_rules.build_at_risk_alert(**data))


@_schema(
    "A bundle's 30-day customer-success cadence",
    request=s.SuccessPlanInput,
    response=s.SuccessPlanOutput,
)
@api_view(["POST"])
@parser_classes([BoundedJSONParser])
def cs_success_plan(request: Request) -> Response:
    data = validated_input(s.SuccessPlanInput, _body(request, required=False))
    plan = success_rules.build_customer_success_plan(**data)
    # The rules' plan carries no live flag (as in the original); a plan is a draft like the rest.
    return Response({**plan, "live_send_allowed": False})
