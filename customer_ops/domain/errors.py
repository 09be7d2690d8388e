"""Domain errors: every refusal of bad input, with the input field it blames and an Arabic text.

One family for every refusal a service makes. Each kind says which HTTP status it means
(`http_status`): bad input and refused rules 400 (`{"error", "errors": {field: [msg]}}` in both
languages), a rule about who may do something 403 (`RoleRefused`), a state that does not allow the
move 409 (`Conflict`, of which `transitions.InvalidTransition` is one). The API's exception handler
and the console's form helper read `http_status`, so a kind means the same everywhere. They
subclass `ValueError` so callers that only know "bad value" still catch them.
"""

from __future__ import annotations

from typing import ClassVar


class DomainError(ValueError):
    """Bad input to a business rule; `field` names the input at fault."""

    default_field = "non_field_errors"
    http_status: ClassVar[int] = 400

    def __init__(self, message: str, *, field: str | None = None, message_ar: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field or self.default_field
        self.message_ar = message_ar or message


class UnknownStep(DomainError):
    """An onboarding step id that the 8-step checklist does not define."""

    def __init__(self, step_id: object) -> None:
        super().__init__(
            f"unknown step: {step_id}", field="step_id", message_ar=f"خطوة غير معروفة: {step_id}"
        )
        self.step_id = step_id


class UnknownConnector(DomainError):
    """A connector key that is not in the 11-connector catalog."""

    def __init__(self, connector_key: object) -> None:
        super().__init__(
            f"unknown connector: {connector_key}",
            field="connector_key",
            message_ar=f"قناة ربط غير معروفة: {connector_key}",
        )
        self.connector_key = connector_key


class UnknownConnectorState(DomainError):
    """A connector state outside the six valid states."""

    def __init__(self, state: object) -> None:
        super().__init__(
            f"Unknown connector state: {state}",
            field="state",
            message_ar=f"حالة ربط غير معروفة: {state}",
        )
        self.state = state


class UnknownSlaEvent(DomainError):
    """An SLA event type that the tracker does not record."""

    def __init__(self, event: object) -> None:
        super().__init__(
            f"Unknown SLA event: {event}", field="event", message_ar=f"حدث SLA غير معروف: {event}"
        )
        self.event = event


class UnknownPriority(DomainError):
    """A priority other than P0–P3 (the original silently used P3)."""

    def __init__(self, priority: object) -> None:
        super().__init__(
            f"unknown priority: {priority}",
            field="priority",
            message_ar=f"أولوية غير معروفة: {priority}",
        )
        self.priority = priority


class UnknownSeverity(DomainError):
    """A severity other than SEV1–SEV3 (the original silently used the SEV3 plan)."""

    def __init__(self, severity: object) -> None:
        super().__init__(
            f"unknown severity: {severity}",
            field="severity",
            message_ar=f"درجة خطورة غير معروفة: {severity}",
        )
        self.severity = severity


class UnknownService(DomainError):
    """A service id that the 12-service catalog does not define."""

    def __init__(self, service_id: object) -> None:
        super().__init__(
            f"unknown service: {service_id}",
            field="service_id",
            message_ar=f"خدمة غير معروفة: {service_id}",
        )
        self.service_id = service_id


class InvalidValue(DomainError):
    """A value of the wrong type or outside its range (negative count, text for a number, …)."""

    def __init__(self, field: str, message: str, *, message_ar: str = "") -> None:
        super().__init__(message, field=field, message_ar=message_ar or message)


class RuleRefused(DomainError):
    """A well-formed request that a business rule refuses (lowering a priority, closing early)."""


class RoleRefused(DomainError):
    """The caller's role may not do this (only a founder approves, lifts a freeze, …): HTTP 403."""

    default_field = "actor"
    http_status: ClassVar[int] = 403


class Conflict(DomainError):
    """The request is well formed but the record's current state refuses it: HTTP 409."""

    default_field = "status"
    http_status: ClassVar[int] = 409


class EditConflict(Conflict):
    """An edit made against a version someone else has since changed: HTTP 409.

    The input was fine, the moment was not. The editor reloads and decides again, so no one's
    change is silently overwritten. Blamed on the form as a whole: the stale version is a hidden
    field nobody can fix by hand.
    """

    default_field = "non_field_errors"
