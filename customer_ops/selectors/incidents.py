"""Reads of incidents: the list, one incident with its plan, timeline and post-mortem, locks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from customer_ops.domain.incidents import missing_postmortem_fields
from customer_ops.domain.transitions import STATUS_ACTIVE, STATUS_ALL, IncidentStatus
from customer_ops.models import (
    Customer,
    Incident,
    IncidentPlanStep,
    IncidentPostmortem,
    IncidentTimelineEntry,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

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


class DetailRow(TypedDict):
    active_plan_steps: list[IncidentPlanStep]


# An incident as the detail view shows it: its live plan steps prefetched, in order.
type DetailIncident = WithAnnotations[Incident, DetailRow]


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


def incident_detail_queryset() -> QuerySet[DetailIncident]:
    """Incidents with everything the detail view shows, in a fixed number of queries."""
    return Incident.objects.select_related("declared_by").prefetch_related(
        _CUSTOMERS, _ACTIVE_STEPS
    )


def incident_get(*, incident_id: int) -> DetailIncident:
    return get_object_or_404(incident_detail_queryset(), pk=incident_id)


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


ACTIVE_INCIDENT_STATUSES = (IncidentStatus.OPEN.value, IncidentStatus.MITIGATING.value)


# ── Incidents ───────────────────────────────────────────────────────────────────────────────────
def incidents_for(*, filters: Mapping[str, Any]) -> QuerySet[Incident]:
    """The incident list as filtered on screen ("" or "active": open and mitigating)."""
    status = filters.get("status") or STATUS_ACTIVE
    queryset = incident_list(
        status=None if status in (STATUS_ACTIVE, STATUS_ALL) else status,
        severity=filters.get("severity") or None,
        customer_id=filters.get("customer") or None,
    )
    if status == STATUS_ACTIVE:
        queryset = queryset.filter(status__in=ACTIVE_INCIDENT_STATUSES)
    return queryset


def incidents_update_due(*, limit: int) -> list[Incident]:
    """Active incidents by when customers are owed the next update, soonest (or overdue) first."""
    return list(
        Incident.objects.filter(
            status__in=ACTIVE_INCIDENT_STATUSES, next_update_due_at__isnull=False
        ).order_by("next_update_due_at", "id")[:limit]
    )


def active_incident_counts(*, now: dt.datetime) -> dict[str, int]:
    """Active incidents in total, SEV1 and SEV2, and those owing customers an overdue update."""
    return Incident.objects.filter(status__in=ACTIVE_INCIDENT_STATUSES).aggregate(
        total=Count("id"),
        sev1=Count("id", filter=Q(severity="SEV1")),
        sev2=Count("id", filter=Q(severity="SEV2")),
        overdue=Count("id", filter=Q(next_update_due_at__lt=now)),
    )


def active_incident_count() -> int:
    return Incident.objects.filter(status__in=ACTIVE_INCIDENT_STATUSES).count()
