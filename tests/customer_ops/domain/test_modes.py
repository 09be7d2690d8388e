"""Operator modes: service delivery and self-growth (SPEC_RULES §9)."""

from __future__ import annotations

import pytest

from customer_ops.domain.errors import InvalidValue, RuleRefused, UnknownService
from customer_ops.domain.modes import (
    DEALIX_ICP_FOCUSES,
    OPERATOR_REMINDERS_AR,
    SERVICES,
    ServiceKind,
    build_dealix_self_growth_plan,
    build_operator_self_growth_brief,
    build_post_delivery_handoff,
    build_service_delivery_brief,
    build_sla_status_for_delivery,
)
from customer_ops.domain.sla import DEMO_SLA_TICKETS


# ── Service catalog and delivery brief ──────────────────────────────────────────────────────────
def test_service_catalog_has_twelve_distinct_services_with_arabic_names():
    assert len(SERVICES) == 12
    assert len({s.id for s in SERVICES}) == 12
    assert {"free_growth_diagnostic", "list_intelligence", "first_10_opportunities_sprint"} <= {
        s.id for s in SERVICES
    }
    assert all(any("\u0600" <= c <= "\u06ff" for c in s.name_ar) for s in SERVICES)
    assert {s.kind for s in SERVICES} == set(ServiceKind)


@pytest.mark.parametrize(
    ("service_id", "days"),
    [("first_10_opportunities_sprint", 7), ("growth_os_monthly", 30), ("list_intelligence", 1)],
)
def test_build_service_delivery_brief_estimates_days_by_kind(service_id, days):
    brief = build_service_delivery_brief(
        customer_id="c1", service_id=service_id, intake={"sector": "training"}
    )

    assert brief["workflow"]["estimated_completion_days"] == days
    assert brief["intake_received"] is True
    assert brief["mode"] == "service_delivery"
    assert brief["live_send_allowed"] is False


def test_build_service_delivery_brief_marks_approval_steps():
    steps = build_service_delivery_brief(customer_id="c1", service_id="list_intelligence")[
        "workflow"
    ]["workflow_steps"]

    needing_approval = {s["step_id"] for s in steps if s["approval_required"]}
    assert needing_approval == {"drafting", "approval", "execution_or_export"}
    assert all(s["live_action"] is False for s in steps)
    assert [s["order"] for s in steps] == list(range(1, len(steps) + 1))


def test_build_service_delivery_brief_uses_the_service_template():
    first_10 = build_service_delivery_brief(
        customer_id="c1", service_id="first_10_opportunities_sprint"
    )
    diagnostic = build_service_delivery_brief(customer_id="c1", service_id="free_growth_diagnostic")
    listing = build_service_delivery_brief(customer_id="c1", service_id="list_intelligence")

    assert len(first_10["delivery_template"]["steps_ar"]) == 7
    assert len(first_10["delivery_template"]["deliverables_ar"]) == 4
    assert len(listing["delivery_template"]["steps_ar"]) == 7
    assert len(diagnostic["delivery_template"]["steps_ar"]) == 4
    assert "24 ساعة عمل" in diagnostic["delivery_template"]["delivery_window_ar"]


def test_build_service_delivery_brief_other_services_get_the_24h_plan():
    template = build_service_delivery_brief(customer_id="c1", service_id="partner_sprint")[
        "delivery_template"
    ]

    assert [phase["at"] for phase in template["phases"]] == [
        "T+0h",
        "T+1h",
        "T+6h",
        "T+18h",
        "T+24h",
    ]


def test_build_service_delivery_brief_without_intake():
    assert (
        build_service_delivery_brief(customer_id="c1", service_id="partner_sprint")[
            "intake_received"
        ]
        is False
    )


def test_build_service_delivery_brief_rejects_unknown_service():
    with pytest.raises(UnknownService, match="unknown service: magic"):
        build_service_delivery_brief(customer_id="c1", service_id="magic")


# ── SLA status and handoff ──────────────────────────────────────────────────────────────────────
def test_build_sla_status_for_delivery_lists_breached_tickets_with_detail():
    status = build_sla_status_for_delivery(customer_id="c1", tickets=DEMO_SLA_TICKETS)

    assert status["health"]["verdict"] == "critical"
    assert len(status["breaches"]) == 1
    assert status["breaches"][0]["priority"] == "P2"
    assert status["breaches"][0]["breach"]["breaches"] == ["first_response: 600 > 480 min"]
    assert status["approval_required"] is True


def test_build_post_delivery_handoff_has_five_steps():
    handoff = build_post_delivery_handoff(
        customer_id="c1",
        service_id="first_10_opportunities_sprint",
        delivered_metrics={"opportunities": 10},
        open_breaches=0,
    )

    assert len(handoff["handoff_steps_ar"]) == 5
    assert handoff["delivered_metrics"] == {"opportunities": 10}
    assert handoff["live_send_allowed"] is False


def test_build_post_delivery_handoff_refuses_while_tickets_are_breached():
    with pytest.raises(RuleRefused) as raised:
        build_post_delivery_handoff(
            customer_id="c1", service_id="list_intelligence", open_breaches=2
        )

    assert raised.value.field == "open_breaches"


def test_build_post_delivery_handoff_rejects_unknown_service():
    with pytest.raises(UnknownService):
        build_post_delivery_handoff(customer_id="c1", service_id="x", open_breaches=0)


# ── Self-growth ─────────────────────────────────────────────────────────────────────────────────
TARGETS = [
    {"name": "Account A", "sector": "agency", "city": "Riyadh", "fit_score": 60},
    {"name": "Account B", "sector": "agency", "city": "Riyadh", "fit_score": 90},
    {"name": "Account C", "sector": "agency", "city": "Riyadh"},
]


def test_build_operator_self_growth_brief_keys_in_spec_order():
    brief = build_operator_self_growth_brief(targets=TARGETS)

    assert list(brief) == [
        "icp",
        "company_brief",
        "today_actions",
        "top_10_targets",
        "recommended_first_action_ar",
        "operator_reminders_ar",
        "next_action_ar",
        "approval_required",
        "live_send_allowed",
    ]
    assert brief["icp"] == {"sector": "agency", "city": "Riyadh"}
    assert brief["approval_required"] is True
    assert brief["live_send_allowed"] is False


def test_build_operator_self_growth_brief_uses_only_the_given_targets_ranked_by_fit():
    brief = build_operator_self_growth_brief(targets=TARGETS)

    assert [t["name"] for t in brief["top_10_targets"]] == ["Account B", "Account A", "Account C"]
    assert "3" in brief["company_brief"]["summary_ar"][0]


def test_build_operator_self_growth_brief_keeps_at_most_ten_targets():
    many = [{"name": f"Account {i}", "fit_score": i} for i in range(25)]

    assert len(build_operator_self_growth_brief(targets=many)["top_10_targets"]) == 10


def test_build_operator_self_growth_brief_without_targets_invents_nothing():
    brief = build_operator_self_growth_brief(targets=[])

    assert brief["top_10_targets"] == []
    assert "لا توجد شركات مرشحة" in brief["company_brief"]["summary_ar"][0]


def test_build_operator_self_growth_brief_without_outreach_hint():
    brief = build_operator_self_growth_brief(targets=TARGETS, include_outreach_hint=False)

    assert "next_action_ar" not in brief
    assert list(brief)[-2:] == ["approval_required", "live_send_allowed"]


def test_build_operator_self_growth_brief_has_the_four_reminders():
    reminders = build_operator_self_growth_brief(targets=[])["operator_reminders_ar"]

    assert reminders == list(OPERATOR_REMINDERS_AR)
    assert len(reminders) == 4
    assert "واتساب" in reminders[0]
    assert "LinkedIn" in reminders[2]
    assert "Action Ledger" in reminders[3]


def test_build_operator_self_growth_brief_rejects_non_object_targets():
    with pytest.raises(InvalidValue):
        build_operator_self_growth_brief(targets=["Account A"])  # type: ignore[list-item]


def test_icp_focuses_are_the_five_segments():
    assert [(f.sector, f.city) for f in DEALIX_ICP_FOCUSES] == [
        ("agency", "Riyadh"),
        ("training", "Riyadh"),
        ("consulting", "Riyadh"),
        ("saas", "Riyadh"),
        ("real_estate", "Jeddah"),
    ]


def test_build_dealix_self_growth_plan_monthly_targets():
    plan = build_dealix_self_growth_plan()

    assert plan["monthly_targets"] == {
        "free_diagnostics_delivered": 30,
        "paid_pilots_started": 6,
        "growth_os_subscriptions": 3,
        "agency_partners_signed": 1,
        "case_studies_published": 1,
    }
    assert len(plan["operating_loop_ar"]) == 5
    assert len(plan["icp_focuses"]) == 5
