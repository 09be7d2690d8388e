"""Input and output shapes of the 20 rule endpoints under /api/v1/customer-ops/ (SPEC_RULES §8).

Inputs are strict where the original coerced: text must be text, numbers must be JSON numbers
(never "5"), booleans must be JSON booleans (the string "false" is refused, never true), counts
are ≥ 0, and every code (step, connector, state, priority, event, severity, bundle) is checked by
the domain's own parser, so the API and the rules refuse exactly the same values, with the
domain's English and Arabic messages.

Outputs describe the dicts the domain builds, field by field, for the OpenAPI schema. The views
send the domain's dicts as they are; the schema tests validate real responses against these
shapes (closed: no undocumented key), so the two cannot drift apart unnoticed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import Enum
from typing import Any, ClassVar

from django.utils import translation
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.utils.serializer_helpers import BindingDict

from customer_ops.domain import onboarding as onboarding_rules
from customer_ops.domain.connectors import (
    SUPPORTED_CONNECTORS,
    ConnectorMode,
    ConnectorPhase,
    get_connector,
    parse_connector_state,
)
from customer_ops.domain.errors import DomainError, InvalidValue
from customer_ops.domain.incidents import Severity
from customer_ops.domain.priority import Priority, parse_priority
from customer_ops.domain.sla import SlaEventType, SlaVerdict, parse_sla_event
from customer_ops.domain.success import CadenceType, RiskSeverity
from customer_ops.domain.transitions import ConnectorState
from customer_ops.models import Customer
from dealix.api_errors import MULTILINE
from positioning.lock import BundleId, UnknownBundle, bundle_get

# Generous caps: the rules truncate notes (200), titles (120) and descriptions (500) as the
# original did; these only refuse payloads no client should send.
ID_MAX = 64
NAME_MAX = 200
NOTES_MAX = 2000
TITLE_MAX = 2000
TEXT_MAX = 20000
TICKETS_MAX = 10000
# Ten years of clock time and a trillion riyals: beyond any real ticket or pipeline, and small
# enough that sums over TICKETS_MAX values stay finite (1e308 twice is inf, which JSON cannot carry).
MINUTES_MAX = 10 * 365 * 24 * 60
HOURS_MAX = 10 * 365 * 24
SAR_MAX = 1e12


def bilingual(en: str, ar: str) -> str:
    """The message in the active language (validated_input validates once per language)."""
    return ar if (translation.get_language() or "").startswith("ar") else en


# DRF deep-copies and binds every declared field for each serializer instance: ~100 µs per
# serializer here, many times the rule itself on POST /support/classify. These fields keep no
# per-call state (validating and representing read only their own configuration), and every
# serializer of this module runs with no context and never partial, so the fields bound to the
# first instance of a class serve every later one. Do not give these serializers a context or
# per-instance field changes; use a plain Serializer for that. (No docstring here on purpose:
# drf-spectacular would show it as the description of every component without its own.)
class RulesSerializer(serializers.Serializer[Any]):
    _bound_fields: ClassVar[dict[type, BindingDict]] = {}

    @property
    def fields(self) -> BindingDict:
        cls = type(self)
        bound = RulesSerializer._bound_fields.get(cls)
        if bound is None:
            bound = RulesSerializer._bound_fields[cls] = super().fields
        return bound


# ── Strict input fields ──────────────────────────────────────────────────────────────────────────
class TextField(serializers.CharField):
    """Text only, kept exactly as sent: a number or boolean where text belongs is refused."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


@extend_schema_field(
    {
        "oneOf": [{"type": "string", "maxLength": ID_MAX}, {"type": "integer"}],
        "description": 'text or a JSON integer (customer 7 or "7"); answered as text',
    }
)
class IdField(serializers.CharField):
    """An identifier sent as text or as a JSON integer (customer 7 or "7"); returned as text."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("trim_whitespace", False)
        kwargs.setdefault("max_length", ID_MAX)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("default", "")
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        if isinstance(data, bool) or not isinstance(data, str | int):
            self.fail("invalid")
        return super().to_internal_value(str(data))  # CharField would make the int a str too


class StrictIntegerField(serializers.IntegerField):
    """A JSON number with no fraction (3 or 3.0); text and booleans are refused."""

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool | str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictFloatField(serializers.FloatField):
    """A finite JSON number; text ("12") and booleans are refused."""

    def to_internal_value(self, data: Any) -> float:
        if isinstance(data, bool | str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """A JSON true/false: "false", "0", 0 and "no" are refused rather than guessed."""

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class DomainChoiceField(serializers.ChoiceField):
    """A code checked by the domain parser: the schema shows the choices, the domain the error."""

    def __init__(self, *, parse: Callable[[Any], Any], **kwargs: Any) -> None:
        self.parse = parse
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        try:
            value = self.parse(data)
        except DomainError as error:
            raise serializers.ValidationError(
                bilingual(error.message, error.message_ar), code="invalid_choice"
            ) from None
        return str(value.value) if isinstance(value, Enum) else str(data)


def parse_bundle(value: object) -> BundleId:
    """A bundle of the positioning lock; UnknownBundle is not a DomainError, so convert it."""
    try:
        return bundle_get(value).id  # type: ignore[arg-type]
    except (UnknownBundle, TypeError):
        raise InvalidValue(
            "bundle_id", f"unknown bundle: {value}", message_ar=f"باقة غير معروفة: {value}"
        ) from None


STEP_CHOICES = [step.id.value for step in onboarding_rules.ONBOARDING_STEPS]
CONNECTOR_CHOICES = [connector.key for connector in SUPPORTED_CONNECTORS]
STATE_CHOICES = [state.value for state in ConnectorState]
PRIORITY_CHOICES = [priority.value for priority in Priority]
SLA_EVENT_CHOICES = [event.value for event in SlaEventType]
SEVERITY_CHOICES = [severity.value for severity in Severity]
BUNDLE_CHOICES = [bundle.value for bundle in BundleId]


def step_field(**kwargs: Any) -> DomainChoiceField:
    return DomainChoiceField(parse=onboarding_rules.parse_step_id, choices=STEP_CHOICES, **kwargs)


def connector_field(**kwargs: Any) -> DomainChoiceField:
    return DomainChoiceField(parse=get_connector, choices=CONNECTOR_CHOICES, **kwargs)


def state_field(**kwargs: Any) -> DomainChoiceField:
    return DomainChoiceField(parse=parse_connector_state, choices=STATE_CHOICES, **kwargs)


def priority_field(**kwargs: Any) -> DomainChoiceField:
    return DomainChoiceField(parse=parse_priority, choices=PRIORITY_CHOICES, **kwargs)


def bundle_field(**kwargs: Any) -> DomainChoiceField:
    return DomainChoiceField(parse=parse_bundle, choices=BUNDLE_CHOICES, **kwargs)


def stored_customer(customer_id: str) -> Customer | None:
    """The stored customer an id names (digits only), else None: the caller computes statelessly."""
    if not customer_id.isascii() or not customer_id.isdigit() or len(customer_id) > 18:
        return None
    return Customer.objects.filter(pk=int(customer_id)).first()


# ── Onboarding ───────────────────────────────────────────────────────────────────────────────────
class OnboardingChecklistInput(RulesSerializer):
    customer_id = IdField()
    company_name = TextField(max_length=NAME_MAX, allow_blank=True, default="")
    bundle_id = bundle_field(allow_null=True, default=None)


class ChecklistStepInput(RulesSerializer):
    """A step as the checklist carries it; the rules read only `id`, `completed` and `notes`."""

    id = step_field()
    completed = StrictBooleanField(default=False)
    notes = TextField(max_length=NOTES_MAX, allow_blank=True, required=False, style=MULTILINE)


class ChecklistInput(RulesSerializer):
    """The checklist a client got from POST /onboarding/checklist, sent back to be updated.

    Progress, current step and step definitions are recomputed by the rules; the constant fields
    are set here, so a client can never send back `live_send_allowed: true` and have it echoed.
    """

    customer_id = IdField()
    company_name = TextField(max_length=NAME_MAX, allow_blank=True, default="")
    bundle_id = bundle_field(allow_null=True, default=None)
    steps = serializers.ListField(
        child=ChecklistStepInput(), max_length=len(STEP_CHOICES), default=list
    )
    estimated_total_minutes = serializers.HiddenField(
        default=onboarding_rules.ESTIMATED_TOTAL_MINUTES
    )
    live_send_allowed = serializers.HiddenField(default=False)

    def validate_steps(self, steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
        ids = [step["id"] for step in steps]
        if len(ids) != len(set(ids)):
            raise serializers.ValidationError(
                bilingual("each step may appear only once", "لا تتكرر الخطوة الواحدة")
            )
        return steps


class OnboardingUpdateStepInput(RulesSerializer):
    customer_id = IdField(
        help_text="A stored customer's id: its stored checklist is updated (and `checklist` is "
        "ignored). Otherwise the `checklist` sent is updated and returned; nothing is stored."
    )
    checklist = ChecklistInput(required=False)
    step_id = step_field()
    completed = StrictBooleanField(default=True)
    notes = TextField(max_length=NOTES_MAX, allow_blank=True, default="", style=MULTILINE)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs["customer"] = stored_customer(attrs["customer_id"])
        if attrs["customer"] is None and not attrs.get("checklist", {}).get("steps"):
            raise serializers.ValidationError(
                {
                    "checklist": bilingual(
                        "send the checklist (with its steps) or the id of a stored customer",
                        "أرسل قائمة التهيئة بخطواتها أو رقم عميل محفوظ",
                    )
                }
            )
        return attrs


class OnboardingStepOutput(RulesSerializer):
    id = serializers.ChoiceField(choices=STEP_CHOICES)
    label_ar = serializers.CharField()
    input_required = serializers.CharField(allow_null=True)
    minutes = serializers.IntegerField()
    approval_required = serializers.BooleanField()
    completed = serializers.BooleanField()
    notes = serializers.CharField(required=False)


class StoredStepOutput(OnboardingStepOutput):
    """A step; who completed and approved it, and when, only on a stored customer's checklist."""

    completed_at = serializers.DateTimeField(allow_null=True, required=False)
    completed_by = serializers.CharField(allow_null=True, required=False)
    approved_by = serializers.CharField(allow_null=True, required=False)
    approved_at = serializers.DateTimeField(allow_null=True, required=False)
    awaiting_approval = serializers.BooleanField(required=False)


class OnboardingChecklistOutput(RulesSerializer):
    """A checklist; `progress_pct` is absent from a fresh one (SPEC_RULES §2.2)."""

    customer_id = serializers.CharField()
    company_name = serializers.CharField()
    bundle_id = serializers.ChoiceField(choices=BUNDLE_CHOICES, allow_null=True)
    total_steps = serializers.IntegerField()
    current_step_id = serializers.ChoiceField(
        choices=[*STEP_CHOICES, onboarding_rules.DONE],
        help_text='The first step not yet completed; "done" when all 8 are.',
    )
    steps = StoredStepOutput(many=True)
    estimated_total_minutes = serializers.IntegerField()
    progress_pct = serializers.FloatField(required=False)
    live_send_allowed = serializers.BooleanField()


# ── Connectors ───────────────────────────────────────────────────────────────────────────────────
class ConnectorStatusInput(RulesSerializer):
    """One connector's entry in `statuses`; a missing state counts as not_started."""

    state = state_field(required=False)
    notes = TextField(max_length=NOTES_MAX, allow_blank=True, required=False, style=MULTILINE)


class ConnectorStatusesField(serializers.DictField):
    """`{connector_key: {state, notes}}`; every key must be one of the 11 catalog connectors."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(child=ConnectorStatusInput(), **kwargs)

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        if isinstance(data, Mapping):
            unknown: dict[str, list[str]] = {}
            for key in data:
                try:
                    get_connector(key)
                except DomainError as error:
                    unknown[str(key)] = [bilingual(error.message, error.message_ar)]
            if unknown:
                raise serializers.ValidationError(unknown)
        return super().to_internal_value(data)


class ConnectorSummaryInput(RulesSerializer):
    customer_id = IdField()
    statuses = ConnectorStatusesField(default=dict)


class ConnectorUpdateInput(RulesSerializer):
    customer_id = IdField(
        help_text="A stored customer's id: its stored connector moves along the transition "
        "table (409 on an illegal move) and `statuses` is ignored. Otherwise the `statuses` sent "
        "are updated and returned; nothing is stored."
    )
    statuses = ConnectorStatusesField(default=dict)
    connector_key = connector_field()
    state = state_field(default=ConnectorState.NOT_STARTED.value)
    notes = TextField(max_length=NOTES_MAX, allow_blank=True, default="", style=MULTILINE)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs["customer"] = stored_customer(attrs["customer_id"])
        return attrs


class ConnectorCatalogItemOutput(RulesSerializer):
    key = serializers.ChoiceField(choices=CONNECTOR_CHOICES)
    label_ar = serializers.CharField()
    default_mode = serializers.ChoiceField(choices=[mode.value for mode in ConnectorMode])
    blocking = serializers.BooleanField()
    phase = serializers.ChoiceField(choices=[phase.value for phase in ConnectorPhase])


class ConnectorCatalogOutput(RulesSerializer):
    total = serializers.IntegerField()
    connectors = ConnectorCatalogItemOutput(many=True)


class ConnectorItemOutput(ConnectorCatalogItemOutput):
    state = serializers.ChoiceField(choices=STATE_CHOICES)
    notes = serializers.CharField(allow_blank=True)


class ConnectorSummaryOutput(RulesSerializer):
    customer_id = serializers.CharField()
    total_connectors = serializers.IntegerField()
    connected_count = serializers.IntegerField()
    connected_pct = serializers.FloatField()
    blocking_missing = serializers.ListField(child=serializers.CharField())
    by_state = serializers.DictField(
        child=serializers.IntegerField(), help_text="state → number of connectors in it"
    )
    items = ConnectorItemOutput(many=True)
    ready_for_first_service = serializers.BooleanField()


class ConnectorStatusOutput(RulesSerializer):
    state = serializers.ChoiceField(choices=STATE_CHOICES, required=False)
    notes = serializers.CharField(required=False, allow_blank=True)


class ConnectorStatusesOutput(RulesSerializer):
    statuses = serializers.DictField(
        child=ConnectorStatusOutput(), help_text="connector key → its state and notes"
    )


# ── Support ──────────────────────────────────────────────────────────────────────────────────────
class SupportClassifyInput(RulesSerializer):
    text = TextField(max_length=TEXT_MAX, allow_blank=True, default="", style=MULTILINE)


class SupportRouteInput(RulesSerializer):
    text = TextField(max_length=TEXT_MAX, allow_blank=True, default="", style=MULTILINE)
    customer_id = IdField()
    contact_email = serializers.EmailField(allow_blank=True, default="")


class PriorityOutput(RulesSerializer):
    id = serializers.ChoiceField(choices=PRIORITY_CHOICES)
    label_ar = serializers.CharField()
    first_response_minutes = serializers.IntegerField()
    resolution_target_hours = serializers.IntegerField()
    escalation_owner = serializers.CharField()


class PrioritiesOutput(RulesSerializer):
    priorities = PriorityOutput(many=True)


class ClassificationOutput(RulesSerializer):
    """`matched_keyword` is present only when a keyword decided the priority."""

    priority = serializers.ChoiceField(choices=PRIORITY_CHOICES)
    matched_keyword = serializers.CharField(required=False)
    reason_ar = serializers.CharField()


class FirstResponseTemplateOutput(RulesSerializer):
    priority = serializers.ChoiceField(choices=PRIORITY_CHOICES)
    body_ar = serializers.CharField()
    approval_required = serializers.BooleanField()
    live_send_allowed = serializers.BooleanField()


class RouteOutput(RulesSerializer):
    customer_id = serializers.CharField(allow_blank=True)
    contact_email = serializers.CharField(allow_blank=True)
    priority = serializers.ChoiceField(choices=PRIORITY_CHOICES)
    classification = ClassificationOutput()
    sla = PriorityOutput()
    first_response_template = FirstResponseTemplateOutput()
    approval_required = serializers.BooleanField()
    live_send_allowed = serializers.BooleanField()


# ── SLA ──────────────────────────────────────────────────────────────────────────────────────────
class SlaEventInput(RulesSerializer):
    ticket_id = IdField()
    priority = priority_field(default=Priority.P3.value)
    event = DomainChoiceField(
        parse=parse_sla_event, choices=SLA_EVENT_CHOICES, default=SlaEventType.OPENED.value
    )


class SlaEventOutput(RulesSerializer):
    ticket_id = serializers.CharField(allow_blank=True)
    priority = serializers.ChoiceField(choices=PRIORITY_CHOICES)
    event = serializers.ChoiceField(choices=SLA_EVENT_CHOICES)
    ts = serializers.FloatField(help_text="server time of the event, epoch seconds")


class SlaClassifyBreachInput(RulesSerializer):
    priority = priority_field(default=Priority.P3.value)
    minutes_to_first_response = StrictFloatField(
        min_value=0, max_value=MINUTES_MAX, allow_null=True, default=None
    )
    hours_to_resolve = StrictFloatField(
        min_value=0, max_value=HOURS_MAX, allow_null=True, default=None
    )


class SlaBreachOutput(RulesSerializer):
    priority = serializers.ChoiceField(choices=PRIORITY_CHOICES)
    breached = serializers.BooleanField()
    breaches = serializers.ListField(
        child=serializers.CharField(),
        help_text='e.g. "first_response: 120 > 30 min", "resolution: 10.0h > 4h"',
    )


class SlaTicketInput(RulesSerializer):
    priority = priority_field(default=Priority.P3.value)
    first_response_min = StrictFloatField(
        min_value=0, max_value=MINUTES_MAX, allow_null=True, required=False
    )
    resolution_hours = StrictFloatField(
        min_value=0, max_value=HOURS_MAX, allow_null=True, required=False
    )


class SlaHealthReportInput(RulesSerializer):
    tickets = serializers.ListField(child=SlaTicketInput(), max_length=TICKETS_MAX, default=list)


class SlaPriorityBucketOutput(RulesSerializer):
    """One priority's tickets; the averages are present only when something was measured."""

    count = serializers.IntegerField()
    breaches = serializers.IntegerField()
    total_first_response_min = serializers.FloatField()
    total_resolution_hours = serializers.FloatField()
    responded_count = serializers.IntegerField()
    resolved_count = serializers.IntegerField()
    avg_first_response_min = serializers.FloatField(required=False)
    avg_resolution_hours = serializers.FloatField(required=False)


class SlaHealthReportOutput(RulesSerializer):
    total_tickets = serializers.IntegerField()
    total_breached = serializers.IntegerField()
    breach_rate = serializers.FloatField()
    by_priority = serializers.DictField(
        child=SlaPriorityBucketOutput(), help_text="priority (P0..P3) → its bucket"
    )
    verdict = serializers.ChoiceField(
        choices=[verdict.value for verdict in SlaVerdict],
        help_text="healthy < 10 % breached ≤ watch < 25 % ≤ critical",
    )


# ── Incidents ────────────────────────────────────────────────────────────────────────────────────
class IncidentTriageInput(RulesSerializer):
    title = TextField(max_length=TITLE_MAX, allow_blank=True, default="")
    description = TextField(max_length=TEXT_MAX, allow_blank=True, default="", style=MULTILINE)
    affected_customers = StrictIntegerField(min_value=0, default=1)
    has_data_leak = StrictBooleanField(default=False)
    has_unauthorized_send = StrictBooleanField(default=False)


class SeverityOutput(RulesSerializer):
    id = serializers.ChoiceField(choices=SEVERITY_CHOICES)
    label_ar = serializers.CharField()
    first_action_minutes = serializers.IntegerField()
    communication_cadence_minutes = serializers.IntegerField()


class IncidentTriageOutput(RulesSerializer):
    title = serializers.CharField(allow_blank=True)
    description = serializers.CharField(allow_blank=True)
    severity = serializers.ChoiceField(choices=SEVERITY_CHOICES)
    reason_ar = serializers.CharField()
    severity_details = SeverityOutput()
    affected_customers = serializers.IntegerField()
    has_data_leak = serializers.BooleanField()
    has_unauthorized_send = serializers.BooleanField()
    approval_required = serializers.BooleanField()
    live_send_allowed = serializers.BooleanField()


class IncidentResponsePlanOutput(RulesSerializer):
    severity = serializers.ChoiceField(choices=SEVERITY_CHOICES)
    plan_ar = serializers.ListField(child=serializers.CharField())
    approval_required = serializers.BooleanField()
    live_send_allowed = serializers.BooleanField()


# ── Customer success ─────────────────────────────────────────────────────────────────────────────
class WeeklyMetricsInput(RulesSerializer):
    drafts_approved = StrictIntegerField(min_value=0, default=0)
    replies = StrictIntegerField(min_value=0, default=0)
    meetings = StrictIntegerField(min_value=0, default=0)
    risks_blocked = StrictIntegerField(min_value=0, default=0)
    pipeline_sar = StrictFloatField(min_value=0, max_value=SAR_MAX, default=0)


class WeeklyCheckInInput(RulesSerializer):
    customer_id = IdField()
    company_name = TextField(max_length=NAME_MAX, allow_blank=True, default="")
    metrics = WeeklyMetricsInput(required=False)


class WeeklyCheckInOutput(RulesSerializer):
    customer_id = serializers.CharField(allow_blank=True)
    company_name = serializers.CharField(allow_blank=True)
    type = serializers.ChoiceField(choices=[CadenceType.WEEKLY_CHECK_IN.value])
    agenda_ar = serializers.ListField(child=serializers.CharField())
    talking_points_ar = serializers.ListField(child=serializers.CharField())
    approval_required = serializers.BooleanField()
    live_send_allowed = serializers.BooleanField()


class AtRiskAlertInput(RulesSerializer):
    customer_id = IdField()
    days_inactive = StrictIntegerField(min_value=0, default=0)
    drafts_pending = StrictIntegerField(min_value=0, default=0)
    last_proof_pack_days_ago = StrictIntegerField(min_value=0, default=0)


class AtRiskAlertOutput(RulesSerializer):
    customer_id = serializers.CharField(allow_blank=True)
    type = serializers.ChoiceField(choices=[CadenceType.AT_RISK_ALERT.value])
    risk_score = serializers.IntegerField(min_value=0, max_value=100)
    severity = serializers.ChoiceField(choices=[severity.value for severity in RiskSeverity])
    reasons_ar = serializers.ListField(child=serializers.CharField())
    recommended_action_ar = serializers.CharField()
    approval_required = serializers.BooleanField()
    live_send_allowed = serializers.BooleanField()


class SuccessPlanInput(RulesSerializer):
    customer_id = IdField()
    bundle_id = bundle_field(default=BundleId.GROWTH_STARTER.value)


class SuccessPlanOutput(RulesSerializer):
    customer_id = serializers.CharField(allow_blank=True)
    bundle_id = serializers.ChoiceField(choices=BUNDLE_CHOICES)
    cadence_ar = serializers.ListField(child=serializers.CharField())
    default_cadence_type = serializers.ChoiceField(choices=[c.value for c in CadenceType])
    approval_required = serializers.BooleanField()
    live_send_allowed = serializers.BooleanField()


# ── Errors (documentation of dealix.api_errors' shapes) ──────────────────────────────────────────
class ErrorOutput(RulesSerializer):
    """400: a summary and per-field messages, in English and Arabic."""

    error = serializers.CharField()
    error_ar = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))  # type: ignore[assignment]  # a field: the serializer metaclass takes it off the class
    errors_ar = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class NotFoundOutput(RulesSerializer):
    """404 for an unknown path value (priority, severity)."""

    error = serializers.CharField()
    error_ar = serializers.CharField()


class ConflictOutput(RulesSerializer):
    """409 for a connector move the transition table does not allow."""

    error = serializers.CharField()
    error_ar = serializers.CharField()
    code = serializers.CharField()
