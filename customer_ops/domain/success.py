"""Customer success: cadences, weekly check-ins, at-risk scores, 30-day plans and the health score.

SPEC_RULES §7. Better than the original: metrics must be numbers (no `int("abc")` 500s, no
negative counts); all five bundles have their own 30-day plan (two used to get Growth Starter's),
and an unknown bundle is `UnknownBundle`; plans also come out as dated touchpoints; the doc-only
health score is implemented.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NamedTuple

from customer_ops.domain.errors import InvalidValue
from customer_ops.domain.inputs import require_count, require_number
from customer_ops.domain.plurals import (
    DAYS,
    DRAFTS,
    MEETINGS,
    MESSAGES,
    REPLIES,
    RISKS,
    arabic_count,
)
from positioning.lock import BundleId, bundle_get


class CadenceType(StrEnum):
    WEEKLY_CHECK_IN = "weekly_check_in"
    MONTHLY_PROOF_REVIEW = "monthly_proof_review"
    QUARTERLY_BUSINESS_REVIEW = "quarterly_business_review"
    AT_RISK_ALERT = "at_risk_alert"
    RENEWAL_30_DAY = "renewal_30_day"
    RENEWAL_7_DAY = "renewal_7_day"


CADENCE_TYPES: tuple[str, ...] = tuple(cadence.value for cadence in CadenceType)


# ── Weekly check-in (§7.2) ──────────────────────────────────────────────────────────────────────
WEEKLY_AGENDA_AR: tuple[str, ...] = (
    "مراجعة آخر Proof Pack (5 دقائق).",
    "أبرز فرصة في الـ pipeline (5 دقائق).",
    "أبرز خطر في القنوات (5 دقائق).",
    "خطة الأسبوع القادم (5 دقائق).",
    "أي مساعدة من فريقنا؟ (5 دقائق).",
)
_COUNT_METRICS = ("drafts_approved", "replies", "meetings", "risks_blocked")


def build_weekly_check_in(
    *, customer_id: str = "", company_name: str = "", metrics: Mapping[str, object] | None = None
) -> dict[str, Any]:
    """The 25-minute weekly agenda and four Arabic talking points built from the week's numbers."""
    values = metrics or {}
    if not isinstance(values, Mapping):
        raise InvalidValue("metrics", "metrics must be an object")
    counts = {
        name: require_count(f"metrics.{name}", values.get(name, 0)) for name in _COUNT_METRICS
    }
    pipeline = require_number("metrics.pipeline_sar", values.get("pipeline_sar", 0))
    return {
        "customer_id": customer_id,
        "company_name": company_name,
        "type": CadenceType.WEEKLY_CHECK_IN.value,
        "agenda_ar": list(WEEKLY_AGENDA_AR),
        "talking_points_ar": [
            f"اعتمدتم {arabic_count(counts['drafts_approved'], MESSAGES)} هذا الأسبوع،"
            f" ووصلكم {arabic_count(counts['replies'], REPLIES)}.",
            f"تم تجهيز {arabic_count(counts['meetings'], MEETINGS)}.",
            f"تم منع {arabic_count(counts['risks_blocked'], RISKS)} تلقائياً.",
            f"Pipeline متأثر بقيمة {pipeline:,.0f} ريال.",
        ],
        "approval_required": True,
        "live_send_allowed": False,
    }


# ── At-risk score (§7.3) ────────────────────────────────────────────────────────────────────────
class RiskSeverity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@dataclass(frozen=True, slots=True)
class RiskScore:
    """A churn-risk score 0..100, its band and the Arabic reasons behind each point."""

    score: int
    severity: RiskSeverity
    reasons_ar: tuple[str, ...]


RECOMMENDED_ACTION_AR: dict[RiskSeverity, str] = {
    RiskSeverity.HIGH: "أرسل إيميلاً شخصياً من المؤسس + احجز QBR هذا الأسبوع.",
    RiskSeverity.MEDIUM: "أرسل ملخص Proof Pack + اقترح عرضاً تجريبياً لخدمة جديدة.",
    RiskSeverity.LOW: "متابعة weekly check-in عادية.",
}
HIGH_FROM, MEDIUM_FROM = 60, 30


def at_risk_score(
    *, days_inactive: int, drafts_pending: int, last_proof_pack_days_ago: int
) -> RiskScore:
    """Inactivity (+20/+40), pending drafts (+10/+25) and a stale Proof Pack (+30); max 95."""
    inactive = require_count("days_inactive", days_inactive)
    pending = require_count("drafts_pending", drafts_pending)
    stale = require_count("last_proof_pack_days_ago", last_proof_pack_days_ago)
    score = 0
    reasons: list[str] = []
    if inactive >= 14:
        score += 40
        reasons.append(f"العميل غير نشط منذ {arabic_count(inactive, DAYS)}.")
    elif inactive >= 7:
        score += 20
        reasons.append(f"انخفاض النشاط منذ {arabic_count(inactive, DAYS)}.")
    if pending >= 10:
        score += 25
        reasons.append(f"{arabic_count(pending, DRAFTS)} معلقة بدون اعتماد.")
    elif pending >= 5:
        score += 10
        reasons.append(f"تراكم {arabic_count(pending, DRAFTS)} بدون اعتماد.")
    if stale >= 14:
        score += 30
        reasons.append(f"آخر Proof Pack قبل {arabic_count(stale, DAYS)} — يتجاوز SLA.")
    score = min(100, score)
    if score >= HIGH_FROM:
        severity = RiskSeverity.HIGH
    elif score >= MEDIUM_FROM:
        severity = RiskSeverity.MEDIUM
    else:
        severity = RiskSeverity.LOW
    return RiskScore(score=score, severity=severity, reasons_ar=tuple(reasons))


def build_at_risk_alert(
    *,
    customer_id: str = "",
    days_inactive: int = 0,
    drafts_pending: int = 0,
    last_proof_pack_days_ago: int = 0,
) -> dict[str, Any]:
    """The at-risk alert of POST /cs/at-risk-alert (§7.3), with its recommended action."""
    risk = at_risk_score(
        days_inactive=days_inactive,
        drafts_pending=drafts_pending,
        last_proof_pack_days_ago=last_proof_pack_days_ago,
    )
    return {
        "customer_id": customer_id,
        "type": CadenceType.AT_RISK_ALERT.value,
        "risk_score": risk.score,
        "severity": risk.severity.value,
        "reasons_ar": list(risk.reasons_ar),
        "recommended_action_ar": RECOMMENDED_ACTION_AR[risk.severity],
        "approval_required": True,
        "live_send_allowed": False,
    }


# ── 30-day plans per bundle (§7.4) ─────────────────────────────────────────────────────────────
@dataclass(frozen=True, slots=True)
class Touchpoint:
    """One planned contact: day N of the plan (day 1 is the start date) and what happens."""

    day: int
    text: str

    @property
    def line(self) -> str:
        """The original "Day N: …" line."""
        return f"Day {self.day}: {self.text}"


_T = Touchpoint
SUCCESS_PLANS: dict[BundleId, tuple[Touchpoint, ...]] = {
    BundleId.GROWTH_STARTER: (
        _T(1, "kick-off call + intake."),
        _T(3, "review first 3 opportunities + drafts."),
        _T(7, "deliver Proof Pack v1."),
        _T(14, "weekly check-in + upsell offer."),
        _T(30, "monthly proof review + renewal/upgrade decision."),
    ),
    BundleId.DATA_TO_REVENUE: (
        _T(1, "list upload + intake + source and PDPL consent check."),
        _T(3, "List Intelligence: cleaned list + safe / needs_review / blocked buckets."),
        _T(7, "Top 50 Targets + per-segment message drafts for approval."),
        _T(14, "Risk Report + channel mix review in the weekly check-in."),
        _T(30, "monthly proof review + Executive Growth OS upgrade decision."),
    ),
    BundleId.EXECUTIVE_GROWTH_OS: (
        _T(1, "onboarding + connect channels."),
        _T(7, "first weekly Proof Pack."),
        _T(14, "weekly check-in + Founder Shadow Board v1."),
        _T(21, "monthly proof review."),
        _T(30, "QBR + annual upgrade conversation."),
    ),
    BundleId.PARTNERSHIP_GROWTH: (
        _T(1, "partner ICP intake."),
        _T(5, "20 partners list + 10 outreach drafts."),
        _T(10, "5 partner meetings booked."),
        _T(14, "weekly check-in."),
        _T(30, "partner scorecard + revenue share setup."),
    ),
    BundleId.FULL_GROWTH_CONTROL_TOWER: (
        _T(1, "founder kick-off + connect all channels (drafts only) + 30-day phase plan."),
        _T(7, "phase 1: First 10 Opportunities + List Intelligence + Proof Pack v1."),
        _T(14, "phase 2: partner sprint + meeting booking sprint + weekly check-in."),
        _T(21, "phase 3: executive brief + Founder Shadow Board + monthly proof review."),
        _T(30, "QBR across all services + next-quarter plan."),
    ),
}
if set(SUCCESS_PLANS) != set(BundleId):
    raise RuntimeError("every bundle of the positioning lock needs a success plan")


def build_customer_success_plan(
    *, customer_id: str = "", bundle_id: str = BundleId.GROWTH_STARTER.value
) -> dict[str, Any]:
    """The bundle's 30-day cadence as "Day N: …" lines; an unknown bundle is an error."""
    bundle = bundle_get(bundle_id)
    return {
        "customer_id": customer_id,
        "bundle_id": bundle.id.value,
        "cadence_ar": [touchpoint.line for touchpoint in SUCCESS_PLANS[bundle.id]],
        "default_cadence_type": CadenceType.WEEKLY_CHECK_IN.value,
        "approval_required": True,
    }


class DatedTouchpoint(NamedTuple):
    day_offset: int
    due_on: dt.date
    text: str


def plan_touchpoints(*, bundle_id: str, start: dt.date) -> list[DatedTouchpoint]:
    """The plan as dated tasks: Day N falls N − 1 days after `start`."""
    bundle = bundle_get(bundle_id)
    if not isinstance(start, dt.date) or isinstance(start, dt.datetime):
        raise InvalidValue("start", "start must be a date")
    return [
        DatedTouchpoint(tp.day - 1, start + dt.timedelta(days=tp.day - 1), tp.text)
        for tp in SUCCESS_PLANS[bundle.id]
    ]


# ── Health score (doc-only §7.5, implemented) ───────────────────────────────────────────────────
class HealthBand(StrEnum):
    HEALTHY = "healthy"
    WATCH = "watch"
    AT_RISK = "at_risk"


@dataclass(frozen=True, slots=True)
class HealthScore:
    """The playbook's health score (not clamped: the formula can leave 0..100) and its band."""

    score: float
    band: HealthBand


HEALTHY_FROM, WATCH_FROM = 75, 50


def health_score(
    *,
    csat: float,
    pipeline_sar: float,
    meetings: int,
    approval_rate: float,
    days_inactive: int,
    drafts_pending: int,
) -> HealthScore:
    """csat×5 + pipeline/1000 + meetings×8 + approval_rate×50 − days_inactive×2 − drafts_pending."""
    score = (
        require_number("csat", csat, maximum=10) * 5
        + require_number("pipeline_sar", pipeline_sar) / 1000
        + require_count("meetings", meetings) * 8
        + require_number("approval_rate", approval_rate, maximum=1) * 50
        - require_count("days_inactive", days_inactive) * 2
        - require_count("drafts_pending", drafts_pending)
    )
    score = round(score, 1)
    if score >= HEALTHY_FROM:
        band = HealthBand.HEALTHY
    elif score >= WATCH_FROM:
        band = HealthBand.WATCH
    else:
        band = HealthBand.AT_RISK
    return HealthScore(score=score, band=band)


def ensure_renewal_after_pilot_start(
    *, pilot_started_on: dt.date | None, renewal_on: dt.date | None
) -> None:
    """A renewal cannot fall before the pilot it renews started (API and console alike)."""
    if pilot_started_on is not None and renewal_on is not None and renewal_on < pilot_started_on:
        raise InvalidValue(
            "renewal_on",
            f"the renewal ({renewal_on.isoformat()}) is before the pilot start "
            f"({pilot_started_on.isoformat()})",
            message_ar="تاريخ التجديد قبل بداية التجربة.",
        )
