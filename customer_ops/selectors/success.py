"""Reads for customer success: plans, the at-risk list from real activity, the health score.

At-risk inputs per customer (SPEC_RULES §7.3), all from the database in one query of correlated
aggregate subqueries (no N+1):
- days inactive: since the customer's last Action Ledger row;
- drafts pending: its drafts still waiting for approval;
- days since its last delivered Proof Pack, or — when none was delivered yet — since the customer
  started (pilot start date, else its first ledger row).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from customer_ops.domain.success import (
    RECOMMENDED_ACTION_AR,
    RiskSeverity,
    at_risk_score,
    health_score,
)
from customer_ops.domain.transitions import DraftStatus
from customer_ops.models import (
    CheckIn,
    Customer,
    LedgerEntry,
    OutboundDraft,
    ProofPackDelivery,
    SuccessPlan,
    SuccessTouchpoint,
)
from customer_ops.models.customers import CustomerStatus
from customer_ops.models.drafts import SENT_STATUSES
from customer_ops.selectors.calendar import business_timezone

APPROVAL_WINDOW = dt.timedelta(days=30)


def success_plan_for(*, customer_id: int) -> SuccessPlan | None:
    """The customer's plan with its touchpoints (and who completed them), or None."""
    return (
        SuccessPlan.objects.filter(customer_id=customer_id)
        .select_related("customer", "created_by")
        .prefetch_related("touchpoints__done_by")
        .first()
    )


def _aggregate_of(model: Any, aggregate: Any, *, customer_field: str) -> Subquery:
    return Subquery(
        model.objects.filter(**{customer_field: OuterRef("pk")})
        .order_by()
        .values(customer_field)
        .annotate(value=aggregate)
        .values("value")[:1]
    )


def customers_with_activity() -> QuerySet[Customer]:
    """Customers annotated with last activity, pending drafts and last Proof Pack (one query)."""
    pending = Subquery(
        OutboundDraft.objects.filter(customer=OuterRef("pk"), status=DraftStatus.PENDING)
        .order_by()
        .values("customer")
        .annotate(n=Count("id"))
        .values("n")[:1],
        output_field=IntegerField(),
    )
    return Customer.objects.annotate(
        first_activity_at=_aggregate_of(LedgerEntry, Min("at"), customer_field="customer_id"),
        last_activity_at=_aggregate_of(LedgerEntry, Max("at"), customer_field="customer_id"),
        last_proof_pack_at=_aggregate_of(
            ProofPackDelivery, Max("delivered_at"), customer_field="customer"
        ),
        drafts_pending=Coalesce(pending, 0),
    )


def _days_since(moment: dt.datetime | None, fallback: dt.datetime, now: dt.datetime) -> int:
    return max(0, (now - (moment or fallback)).days)


@dataclass(frozen=True, slots=True)
class RiskInputs:
    customer_id: int
    company_name: str
    bundle: str
    status: str
    days_inactive: int
    drafts_pending: int
    last_proof_pack_days_ago: int
    last_activity_at: dt.datetime | None
    last_proof_pack_at: dt.datetime | None


def _inputs(customer: Any, now: dt.datetime) -> RiskInputs:
    # Without a Proof Pack (or any activity), count from when the customer started: the pilot
    # start, else its first ledger row (its creation), else the row's creation time.
    started: dt.datetime = customer.first_activity_at or customer.created_at
    if customer.pilot_started_on is not None:
        started = dt.datetime.combine(
            customer.pilot_started_on, dt.time(), tzinfo=business_timezone()
        )
    return RiskInputs(
        customer_id=customer.pk,
        company_name=customer.company_name,
        bundle=customer.bundle,
        status=customer.status,
        days_inactive=_days_since(customer.last_activity_at, started, now),
        drafts_pending=customer.drafts_pending,
        last_proof_pack_days_ago=_days_since(customer.last_proof_pack_at, started, now),
        last_activity_at=customer.last_activity_at,
        last_proof_pack_at=customer.last_proof_pack_at,
    )


def risk_inputs_for(*, customer_id: int, now: dt.datetime) -> RiskInputs:
    """The at-risk inputs of one customer."""
    return _inputs(customers_with_activity().get(pk=customer_id), now)


def at_risk_list(
    *, now: dt.datetime, severity: str | None = None, at_risk_only: bool = False
) -> list[dict[str, Any]]:
    """Every current customer's at-risk alert, riskiest first (churned customers left out).

    `at_risk_only` keeps the customers at risk (medium and high) unless a `severity` is asked for.
    """
    rows: list[dict[str, Any]] = []
    for customer in customers_with_activity().exclude(status=CustomerStatus.CHURNED).order_by("id"):
        inputs = _inputs(customer, now)
        risk = at_risk_score(
            days_inactive=inputs.days_inactive,
            drafts_pending=inputs.drafts_pending,
            last_proof_pack_days_ago=inputs.last_proof_pack_days_ago,
        )
        if severity and risk.severity != severity:
            continue
        if at_risk_only and not severity and risk.severity == RiskSeverity.LOW:
            continue
        rows.append(
            {
                "customer_id": inputs.customer_id,
                "company_name": inputs.company_name,
                "bundle": inputs.bundle,
                "type": "at_risk_alert",
                "risk_score": risk.score,
                "severity": risk.severity.value,
                "reasons_ar": list(risk.reasons_ar),
                "recommended_action_ar": RECOMMENDED_ACTION_AR[risk.severity],
                "days_inactive": inputs.days_inactive,
                "drafts_pending": inputs.drafts_pending,
                "last_proof_pack_days_ago": inputs.last_proof_pack_days_ago,
                "last_activity_at": inputs.last_activity_at,
                "last_proof_pack_at": inputs.last_proof_pack_at,
            }
        )
    rows.sort(key=lambda row: (-row["risk_score"], row["company_name"], row["customer_id"]))
    return rows


def approval_rate_for(*, customer_id: int, now: dt.datetime) -> float | None:
    """Share of the customer's drafts decided in the last 30 days that were approved (or sent)."""
    counts = OutboundDraft.objects.filter(
        customer_id=customer_id, status_changed_at__gte=now - APPROVAL_WINDOW
    ).aggregate(
        approved=Count("id", filter=Q(status__in=[DraftStatus.APPROVED, *SENT_STATUSES])),
        rejected=Count("id", filter=Q(status=DraftStatus.REJECTED)),
    )
    decided = counts["approved"] + counts["rejected"]
    return round(counts["approved"] / decided, 3) if decided else None


def customer_health(*, customer_id: int, now: dt.datetime) -> dict[str, Any]:
    """The playbook's health score (§7.5) from what the database knows.

    days_inactive, drafts_pending and the approval rate come from the database; csat, meetings and
    pipeline_sar from the latest weekly check-in's operator input. While an input is unknown the
    score is None and `missing` names it.
    """
    inputs = risk_inputs_for(customer_id=customer_id, now=now)
    latest = CheckIn.objects.filter(customer_id=customer_id).order_by("-week_start", "-id").first()
    metrics = latest.metrics if latest else {}
    known: dict[str, Any] = {
        "csat": metrics.get("csat"),
        "pipeline_sar": metrics.get("pipeline_sar"),
        "meetings": metrics.get("meetings"),
        "approval_rate": approval_rate_for(customer_id=customer_id, now=now),
        "days_inactive": inputs.days_inactive,
        "drafts_pending": inputs.drafts_pending,
    }
    missing = [name for name, value in known.items() if value is None]
    result: dict[str, Any] = {"inputs": known, "missing": missing, "score": None, "band": None}
    if not missing:
        score = health_score(**known)
        result["score"], result["band"] = score.score, score.band.value
    return result


def week_start(day: dt.date) -> dt.date:
    """The Sunday that starts the Saudi working week containing `day`."""
    return day - dt.timedelta(days=(day.weekday() + 1) % 7)


def check_in_counts(*, customer_id: int, since: dt.datetime, until: dt.datetime) -> dict[str, int]:
    """The check-in numbers the database has: drafts approved and drafts blocked at the gate."""
    return OutboundDraft.objects.filter(customer_id=customer_id).aggregate(
        drafts_approved=Count("id", filter=Q(approved_at__gte=since, approved_at__lt=until)),
        risks_blocked=Count("id", filter=Q(rejected_at__gte=since, rejected_at__lt=until)),
    )


def proof_packs_for(*, customer_id: int) -> QuerySet[ProofPackDelivery]:
    """The customer's delivered Proof Packs, newest first."""
    return (
        ProofPackDelivery.objects.filter(customer_id=customer_id)
        .select_related("recorded_by")
        .order_by("-delivered_at", "-id")
    )


def touchpoint_of(*, customer_id: int, day: int) -> SuccessTouchpoint | None:
    """Day `day` of the customer's plan."""
    return SuccessTouchpoint.objects.filter(plan__customer_id=customer_id, day=day).first()


# ── Customer success ────────────────────────────────────────────────────────────────────────────
def touchpoints_due(*, until: dt.date) -> QuerySet[SuccessTouchpoint]:
    """Touchpoints not yet done and due by `until` (overdue ones first), across every plan."""
    return (
        SuccessTouchpoint.objects.filter(done_at__isnull=True, due_on__lte=until)
        .select_related("plan__customer")
        .order_by("due_on", "plan__customer__company_name", "id")
    )


def touchpoint_get(*, touchpoint_id: int) -> SuccessTouchpoint:
    """One touchpoint with its plan's customer and who completed it (404 when unknown)."""
    return get_object_or_404(
        SuccessTouchpoint.objects.select_related("plan__customer", "done_by"), pk=touchpoint_id
    )


def customers_without_plan() -> QuerySet[Customer]:
    """Current customers that have no success plan yet."""
    return (
        Customer.objects.filter(success_plan__isnull=True)
        .exclude(status=CustomerStatus.CHURNED)
        .order_by("company_name", "id")
    )


def customer_check_ins(*, customer_id: int, limit: int) -> list[Any]:
    """The customer's latest weekly check-ins with their drafts."""
    return list(
        CheckIn.objects.filter(customer_id=customer_id)
        .select_related("draft", "created_by")
        .order_by("-week_start", "-id")[:limit]
    )
