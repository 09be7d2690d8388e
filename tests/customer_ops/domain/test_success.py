"""Customer success: check-ins, at-risk scores, plans and health (SPEC_RULES §7)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from customer_ops.domain.errors import InvalidValue
from customer_ops.domain.success import (
    CADENCE_TYPES,
    SUCCESS_PLANS,
    HealthBand,
    RiskSeverity,
    at_risk_score,
    build_at_risk_alert,
    build_customer_success_plan,
    build_weekly_check_in,
    health_score,
    plan_touchpoints,
)
from positioning.lock import BundleId, UnknownBundle

METRICS = {
    "drafts_approved": 5,
    "replies": 2,
    "meetings": 1,
    "risks_blocked": 3,
    "pipeline_sar": 18000,
}


# ── Ported from the original suite (#30–#34) ────────────────────────────────────────────────────
def test_build_weekly_check_in_has_arabic_talking_points_with_pipeline():  # original #30
    check_in = build_weekly_check_in(customer_id="c1", company_name="Acme", metrics=METRICS)

    assert check_in["type"] == "weekly_check_in"
    assert any("Pipeline" in point for point in check_in["talking_points_ar"])


def test_build_at_risk_alert_high_severity():  # original #31
    alert = build_at_risk_alert(
        customer_id="c1", days_inactive=20, drafts_pending=15, last_proof_pack_days_ago=21
    )

    assert alert["severity"] == "high"
    assert alert["risk_score"] >= 60


def test_build_at_risk_alert_low_severity():  # original #32
    alert = build_at_risk_alert(
        customer_id="c1", days_inactive=2, drafts_pending=1, last_proof_pack_days_ago=3
    )

    assert alert["severity"] == "low"


def test_build_customer_success_plan_growth_starter_starts_on_day_1():  # original #33
    plan = build_customer_success_plan(customer_id="c1", bundle_id="growth_starter")

    assert any("Day 1" in line for line in plan["cadence_ar"])


def test_build_customer_success_plan_executive_has_founder_shadow_board():  # original #34
    plan = build_customer_success_plan(customer_id="c1", bundle_id="executive_growth_os")

    assert any("Founder Shadow Board" in line for line in plan["cadence_ar"])


# ── Cadences and check-ins ──────────────────────────────────────────────────────────────────────
def test_cadence_types_are_the_six_of_the_spec():
    assert CADENCE_TYPES == (
        "weekly_check_in",
        "monthly_proof_review",
        "quarterly_business_review",
        "at_risk_alert",
        "renewal_30_day",
        "renewal_7_day",
    )


def test_build_weekly_check_in_agenda_and_numbers():
    check_in = build_weekly_check_in(customer_id="c1", company_name="Acme", metrics=METRICS)

    assert len(check_in["agenda_ar"]) == 5
    assert all("5 دقائق" in item for item in check_in["agenda_ar"])
    assert check_in["talking_points_ar"][0] == "اعتمدتم 5 رسائل هذا الأسبوع، ووصلكم ردّان."
    assert check_in["talking_points_ar"][3] == "Pipeline متأثر بقيمة 18,000 ريال."
    assert check_in["approval_required"] is True
    assert check_in["live_send_allowed"] is False


def test_build_weekly_check_in_defaults_missing_metrics_to_zero():
    assert build_weekly_check_in(customer_id="c1")["talking_points_ar"][1] == "تم تجهيز 0 اجتماع."


@pytest.mark.parametrize(
    ("metrics", "field"),
    [
        ({"replies": "two"}, "metrics.replies"),
        ({"meetings": -1}, "metrics.meetings"),
        ({"pipeline_sar": "18000"}, "metrics.pipeline_sar"),
        ({"drafts_approved": 2.5}, "metrics.drafts_approved"),
    ],
)
def test_build_weekly_check_in_rejects_bad_metrics_naming_the_field(metrics, field):
    with pytest.raises(InvalidValue) as raised:
        build_weekly_check_in(customer_id="c1", metrics=metrics)

    assert raised.value.field == field


# ── At-risk ─────────────────────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize(
    ("inputs", "score", "severity"),
    [
        ((20, 15, 21), 95, "high"),
        ((2, 1, 3), 0, "low"),
        ((7, 5, 0), 30, "medium"),
        ((14, 0, 0), 40, "medium"),
        ((7, 0, 14), 50, "medium"),
        ((0, 0, 14), 30, "medium"),
    ],
)
def test_build_at_risk_alert_worked_values(inputs, score, severity):
    days, drafts, proof = inputs

    alert = build_at_risk_alert(
        customer_id="c1", days_inactive=days, drafts_pending=drafts, last_proof_pack_days_ago=proof
    )

    assert alert["risk_score"] == score
    assert alert["severity"] == severity


def test_build_at_risk_alert_reasons_carry_the_numbers():
    alert = build_at_risk_alert(
        customer_id="c1", days_inactive=20, drafts_pending=15, last_proof_pack_days_ago=21
    )

    assert alert["reasons_ar"] == [
        "العميل غير نشط منذ 20 يوماً.",
        "15 مسودة معلقة بدون اعتماد.",
        "آخر Proof Pack قبل 21 يوماً — يتجاوز SLA.",
    ]
    assert alert["type"] == "at_risk_alert"
    assert alert["live_send_allowed"] is False


def test_at_risk_score_rejects_negative_and_text():
    with pytest.raises(InvalidValue):
        at_risk_score(days_inactive=-1, drafts_pending=0, last_proof_pack_days_ago=0)
    with pytest.raises(InvalidValue):
        at_risk_score(days_inactive="3", drafts_pending=0, last_proof_pack_days_ago=0)  # type: ignore[arg-type]


_DAYS = st.integers(min_value=0, max_value=400)


@given(_DAYS, _DAYS, _DAYS, st.integers(min_value=0, max_value=3), st.integers(0, 2))
def test_at_risk_score_is_bounded_and_monotone_in_each_input(days, drafts, proof, bump, which):
    base = at_risk_score(days_inactive=days, drafts_pending=drafts, last_proof_pack_days_ago=proof)
    raised_inputs = [days, drafts, proof]
    raised_inputs[which] += bump

    raised = at_risk_score(
        days_inactive=raised_inputs[0],
        drafts_pending=raised_inputs[1],
        last_proof_pack_days_ago=raised_inputs[2],
    )

    assert 0 <= base.score <= 95
    assert raised.score >= base.score
    assert len(base.reasons_ar) <= 3
    expected = (
        RiskSeverity.HIGH
        if base.score >= 60
        else RiskSeverity.MEDIUM
        if base.score >= 30
        else RiskSeverity.LOW
    )
    assert base.severity is expected


# ── 30-day plans ────────────────────────────────────────────────────────────────────────────────
def test_every_bundle_has_its_own_five_line_plan():
    plans = {
        b.value: build_customer_success_plan(customer_id="c1", bundle_id=b.value) for b in BundleId
    }

    assert all(len(plan["cadence_ar"]) == 5 for plan in plans.values())
    assert all(plan["cadence_ar"][0].startswith("Day 1: ") for plan in plans.values())
    assert all(plan["cadence_ar"][-1].startswith("Day 30: ") for plan in plans.values())
    assert len({tuple(plan["cadence_ar"]) for plan in plans.values()}) == 5


def test_data_to_revenue_plan_covers_its_bundle_contents():
    lines = " ".join(
        build_customer_success_plan(customer_id="c1", bundle_id="data_to_revenue")["cadence_ar"]
    )

    for fragment in ("List Intelligence", "Top 50 Targets", "message", "Risk Report"):
        assert fragment in lines


def test_full_growth_control_tower_plan_runs_all_services_in_phases():
    lines = build_customer_success_plan(customer_id="c1", bundle_id="full_growth_control_tower")[
        "cadence_ar"
    ]

    assert sum("phase" in line for line in lines) >= 3


def test_build_customer_success_plan_shape():
    plan = build_customer_success_plan(customer_id="c1", bundle_id="partnership_growth")

    assert plan == {
        "customer_id": "c1",
        "bundle_id": "partnership_growth",
        "cadence_ar": [
            "Day 1: partner ICP intake.",
            "Day 5: 20 partners list + 10 outreach drafts.",
            "Day 10: 5 partner meetings booked.",
            "Day 14: weekly check-in.",
            "Day 30: partner scorecard + revenue share setup.",
        ],
        "default_cadence_type": "weekly_check_in",
        "approval_required": True,
    }


def test_build_customer_success_plan_rejects_unknown_bundle():
    with pytest.raises(UnknownBundle):
        build_customer_success_plan(customer_id="c1", bundle_id="gold")


def test_plan_touchpoints_dates_day_n_from_the_start():
    start = dt.date(2026, 3, 1)

    touchpoints = plan_touchpoints(bundle_id="growth_starter", start=start)

    assert [(t.day_offset, t.due_on) for t in touchpoints] == [
        (0, dt.date(2026, 3, 1)),
        (2, dt.date(2026, 3, 3)),
        (6, dt.date(2026, 3, 7)),
        (13, dt.date(2026, 3, 14)),
        (29, dt.date(2026, 3, 30)),
    ]
    day_offset, due_on, text = touchpoints[2]
    assert text == SUCCESS_PLANS[BundleId.GROWTH_STARTER][2].text


def test_plan_touchpoints_rejects_unknown_bundle():
    with pytest.raises(UnknownBundle):
        plan_touchpoints(bundle_id="nope", start=dt.date(2026, 3, 1))


# ── Health score ────────────────────────────────────────────────────────────────────────────────
def test_health_score_formula():
    result = health_score(
        csat=8, pipeline_sar=20000, meetings=3, approval_rate=0.6, days_inactive=2, drafts_pending=4
    )

    # 40 + 20 + 24 + 30 − 4 − 4
    assert result.score == 106.0
    assert result.band is HealthBand.HEALTHY


@pytest.mark.parametrize(
    ("csat", "band"),
    [
        (10, HealthBand.HEALTHY),
        (9.9, HealthBand.WATCH),
        (5, HealthBand.WATCH),
        (4.9, HealthBand.AT_RISK),
    ],
)
def test_health_score_bands(csat, band):
    # csat×5 + 25 puts csat 10 at exactly 75 and csat 5 at exactly 50.
    result = health_score(
        csat=csat, pipeline_sar=0, meetings=0, approval_rate=0.5, days_inactive=0, drafts_pending=0
    )

    assert result.band is band


@pytest.mark.parametrize(
    "kwargs",
    [{"csat": 11}, {"csat": -1}, {"approval_rate": 1.2}, {"meetings": -2}, {"pipeline_sar": "big"}],
)
def test_health_score_validates_ranges(kwargs):
    values = {
        "csat": 5,
        "pipeline_sar": 0,
        "meetings": 0,
        "approval_rate": 0.5,
        "days_inactive": 0,
        "drafts_pending": 0,
    }

    with pytest.raises(InvalidValue):
        health_score(**(values | kwargs))
