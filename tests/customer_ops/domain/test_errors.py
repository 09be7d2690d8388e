"""Domain errors carry the field at fault and an Arabic message (for the API's 400 body)."""

from __future__ import annotations

import pytest

from customer_ops.domain.errors import (
    DomainError,
    InvalidValue,
    UnknownConnector,
    UnknownConnectorState,
    UnknownPriority,
    UnknownService,
    UnknownSeverity,
    UnknownSlaEvent,
    UnknownStep,
)


@pytest.mark.parametrize(
    ("error", "message", "field"),
    [
        (UnknownStep("x"), "unknown step: x", "step_id"),
        (UnknownConnector("x"), "unknown connector: x", "connector_key"),
        (UnknownConnectorState("x"), "Unknown connector state: x", "state"),
        (UnknownSlaEvent("x"), "Unknown SLA event: x", "event"),
        (UnknownPriority("x"), "unknown priority: x", "priority"),
        (UnknownSeverity("x"), "unknown severity: x", "severity"),
        (UnknownService("x"), "unknown service: x", "service_id"),
    ],
)
def test_unknown_errors_have_message_field_and_arabic(error, message, field):
    assert isinstance(error, DomainError)
    assert isinstance(error, ValueError)
    assert str(error) == message
    assert error.field == field
    assert any("\u0600" <= c <= "\u06ff" for c in error.message_ar)


def test_invalid_value_names_its_field():
    error = InvalidValue("metrics.replies", "metrics.replies must be a whole number")

    assert error.field == "metrics.replies"
    assert error.message_ar == error.message


def test_domain_error_without_field_uses_non_field_errors():
    assert DomainError("bad").field == "non_field_errors"
