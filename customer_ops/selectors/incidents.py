"""Reads of incidents: the list, one incident with its plan, timeline and post-mortem, locks."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from customer_ops.domain.incidents import missing_postmortem_fields
from customer_ops.models import (
    Customer,
    Incident,
    IncidentPlanStep,
    IncidentPostmortem,
    IncidentTimelineEntry,
)

_CUSTOMERS = Prefetch(
    "affected_customers", queryset=Customer.objects.only("id", "company_name").order_by("id")
)
_ACTIVE_STEPS = Prefetch(
    "plan_steps",
    queryset=IncidentPlanStep.objects.filter(retired_at__isnull=True)
    .select_related("done_by")
    .order_by("position"),
    to_attr="active_plan_steps",
)


def incident_list(
    *, status: str | None = None, severity: str | None = None, customer_id: int | None = None
) -> QuerySet[Incident]:
    """Incidents, newest first, with who declared them and the affected customers (prefetched)."""
    queryset = Incident.objects.select_related("declared_by").prefetch_related(_CUSTOMERS)
    if status:
        queryset = queryset.filter(status=status)
    if severity:
        queryset = queryset.filter(severity=severity)
    if customer_id is not None:
        queryset = queryset.filter(affected_customers__id=customer_id)
    return queryset.order_by("-declared_at", "-id")


def incident_detail_queryset() -> QuerySet[Incident]:
    """Incidents with everything the detail view shows, in a fixed number of queries."""
    return Incident.objects.select_related("declared_by").prefetch_related(
        _CUSTOMERS, _ACTIVE_STEPS
    )


def incident_get(*, incident_id: int) -> Incident:
    return get_object_or_404(incident_detail_queryset(), pk=incident_id)


def incident_for_update(*, incident_id: int) -> Incident:
    """The incident, locked until the surrounding transaction ends (404 when unknown)."""
    return get_object_or_404(Incident.objects.select_for_update(), pk=incident_id)


def incident_timeline(*, incident_id: int) -> QuerySet[IncidentTimelineEntry]:
    """The incident's timeline, oldest first."""
    return (
        IncidentTimelineEntry.objects.filter(incident_id=incident_id)
        .select_related("actor")
        .order_by("at", "id")
    )


def incident_postmortem_values(*, incident_id: int) -> dict[str, str]:
    """The 8 post-mortem fields (blank when none was written yet)."""
    postmortem = IncidentPostmortem.objects.filter(incident_id=incident_id).first()
    if postmortem is None:
        return dict.fromkeys(missing_postmortem_fields({}), "")
    return postmortem.values()
