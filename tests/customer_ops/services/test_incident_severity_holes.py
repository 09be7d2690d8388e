"""Incidents (issue #17): only a founder lowers a SEV1/SEV2; once SEV1/SEV2, closing needs the
post-mortem, whatever the severity is now."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from customer_ops.domain.errors import RoleRefused, RuleRefused
from customer_ops.domain.incidents import severity_change_needs_founder
from customer_ops.models import Incident
from customer_ops.services.incidents import (
    incident_change_status,
    incident_close,
    incident_set_severity,
)
from tests.factories import make_incident

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 4, 5, 8, 0, tzinfo=dt.UTC)
MIN = dt.timedelta(minutes=1)


@pytest.mark.parametrize(
    ("current", "wanted", "founder_only"),
    [
        ("SEV3", "SEV1", True),
        ("SEV2", "SEV1", True),
        ("SEV3", "SEV2", False),
        ("SEV1", "SEV2", True),
        ("SEV1", "SEV3", True),
        ("SEV2", "SEV3", True),
    ],
)
def test_severity_change_needs_founder(current: str, wanted: str, founder_only: bool) -> None:
    assert severity_change_needs_founder(current=current, wanted=wanted) is founder_only


def test_operator_cannot_lower_a_founders_sev1(operator: Any, founder: Any) -> None:
    incident = make_incident(actor=operator, now=T0)
    incident_set_severity(incident_id=incident.pk, severity="SEV1", actor=founder, now=T0 + MIN)

    with pytest.raises(RoleRefused):
        incident_set_severity(
            incident_id=incident.pk, severity="SEV3", actor=operator, now=T0 + 2 * MIN
        )
    with pytest.raises(RoleRefused):
        incident_set_severity(
            incident_id=incident.pk, severity="SEV2", actor=operator, now=T0 + 2 * MIN
        )

    assert Incident.objects.get(pk=incident.pk).severity == "SEV1"


def test_operator_cannot_lower_a_sev2_they_raised(operator: Any) -> None:
    incident = make_incident(actor=operator, now=T0)
    incident_set_severity(incident_id=incident.pk, severity="SEV2", actor=operator, now=T0 + MIN)

    with pytest.raises(RoleRefused):
        incident_set_severity(
            incident_id=incident.pk, severity="SEV3", actor=operator, now=T0 + 2 * MIN
        )


def test_an_incident_once_sev1_needs_its_postmortem_to_close(operator: Any, founder: Any) -> None:
    incident = make_incident(actor=operator, now=T0)
    incident_set_severity(incident_id=incident.pk, severity="SEV1", actor=founder, now=T0 + MIN)
    lowered = incident_set_severity(
        incident_id=incident.pk, severity="SEV3", actor=founder, now=T0 + 2 * MIN
    )
    incident_change_status(incident_id=incident.pk, to="resolved", actor=operator, now=T0 + 3 * MIN)

    with pytest.raises(RuleRefused) as refused:
        incident_close(incident_id=incident.pk, actor=operator, now=T0 + 4 * MIN)

    assert (lowered.severity, lowered.peak_severity) == ("SEV3", "SEV1")
    assert refused.value.field == "postmortem"
    assert Incident.objects.get(pk=incident.pk).status == "resolved"


def test_incident_room_offers_an_operator_no_lowering_of_a_sev1(
    operator_client: Any, operator: Any, founder: Any
) -> None:
    incident = make_incident(actor=operator, now=T0)
    incident_set_severity(incident_id=incident.pk, severity="SEV1", actor=founder, now=T0 + MIN)

    page = operator_client.get(f"/incidents/{incident.pk}/")

    assert page.context["severity_options"] == []


def test_database_keeps_the_peak_at_least_as_severe_as_the_severity(operator: Any) -> None:
    incident = make_incident(actor=operator, now=T0)

    with pytest.raises(IntegrityError), transaction.atomic():
        Incident.objects.filter(pk=incident.pk).update(severity="SEV1")
