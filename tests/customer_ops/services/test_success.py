"""Customer success: plans per bundle, check-ins, Proof Packs, at-risk from data, health, briefs."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from customer_ops.domain.errors import RuleRefused
from customer_ops.models import Customer, LedgerEntry
from customer_ops.models.customers import CustomerStatus
from customer_ops.selectors.briefs import (
    self_growth_brief,
    service_delivery_brief,
    sla_status_for_delivery,
)
from customer_ops.selectors.success import at_risk_list, customer_health, week_start
from customer_ops.services import drafts as draft_services
from customer_ops.services.onboarding import onboarding_set_step
from customer_ops.services.success import (
    check_in_create,
    delivery_handoff,
    proof_pack_record,
    success_plan_create,
    touchpoint_complete,
)
from customer_ops.services.tickets import sla_event_record, ticket_update
from tests.factories import make_customer, make_ticket

pytestmark = pytest.mark.django_db

RIYADH = ZoneInfo("Asia/Riyadh")
NOW = dt.datetime(2026, 4, 15, 12, 0, tzinfo=RIYADH)  # a Wednesday
DAY = dt.timedelta(days=1)


def draft_at(customer: Any, author: Any, when: dt.datetime, body: str = "تحديث") -> Any:
    return draft_services.draft_create(
        customer_id=customer.pk,
        channel="email",
        to="c@example.sa",
        subject="تحديث",
        body=body,
        author=author,
        now=when,
    )


# ── Plans ───────────────────────────────────────────────────────────────────────────────────────
def test_plan_has_the_bundles_dated_touchpoints(founder: Any, operator: Any) -> None:
    customer = make_customer(actor=founder, bundle="executive_growth_os", now=NOW)

    plan = success_plan_create(
        customer_id=customer.pk, actor=operator, now=NOW, start_on=dt.date(2026, 3, 1)
    )

    rows = [(tp.day, tp.due_on) for tp in plan.touchpoints.all()]
    assert rows == [
        (1, dt.date(2026, 3, 1)),
        (7, dt.date(2026, 3, 7)),
        (14, dt.date(2026, 3, 14)),
        (21, dt.date(2026, 3, 21)),
        (30, dt.date(2026, 3, 30)),
    ]
    assert "Founder Shadow Board" in plan.touchpoints.get(day=14).text
    assert LedgerEntry.objects.filter(verb="success.plan_created", customer_id=customer.pk).exists()


def test_plan_creation_is_idempotent_and_starts_at_the_pilot(founder: Any, operator: Any) -> None:
    customer = make_customer(
        actor=founder, bundle="data_to_revenue", now=NOW, pilot_started_on=dt.date(2026, 4, 2)
    )

    first = success_plan_create(customer_id=customer.pk, actor=operator, now=NOW)
    second = success_plan_create(customer_id=customer.pk, actor=operator, now=NOW + DAY)

    assert first.pk == second.pk
    assert first.start_on == dt.date(2026, 4, 2)
    assert (
        "List Intelligence" in first.touchpoints.get(day=3).text
    )  # its own plan, not Growth Starter
    assert LedgerEntry.objects.filter(verb="success.plan_created").count() == 1


def test_touchpoint_completion_records_who(founder: Any, operator: Any) -> None:
    customer = make_customer(actor=founder, now=NOW)
    plan = success_plan_create(customer_id=customer.pk, actor=operator, now=NOW)
    touchpoint = plan.touchpoints.get(day=1)

    done = touchpoint_complete(touchpoint_id=touchpoint.pk, actor=operator, now=NOW)
    again = touchpoint_complete(touchpoint_id=touchpoint.pk, actor=founder, now=NOW + DAY)

    assert done.done_by == operator and done.done_at == NOW
    assert again.done_by == operator


# ── Weekly check-ins ────────────────────────────────────────────────────────────────────────────
def test_check_in_counts_the_weeks_approvals_and_blocks(founder: Any, operator: Any) -> None:
    customer = make_customer(
        actor=founder, now=NOW - 30 * DAY, contact_name="ريم", contact_email="reem@x.sa"
    )
    sunday = dt.datetime(2026, 4, 12, 10, 0, tzinfo=RIYADH)
    for n in range(3):
        draft = draft_at(customer, operator, NOW - 10 * DAY, body=f"رسالة {n}")
        when = sunday if n < 2 else NOW - 5 * DAY  # the third was approved last week
        draft_services.draft_approve(draft_id=draft.pk, approver=founder, now=when)
    blocked = draft_at(customer, operator, sunday, body="مرفوضة")
    draft_services.draft_reject(draft_id=blocked.pk, actor=founder, now=sunday, reason="ادعاء")

    check_in = check_in_create(
        customer_id=customer.pk, actor=operator, now=NOW, replies=4, meetings=2, pipeline_sar=15000
    )

    assert check_in.week_start == dt.date(2026, 4, 12)
    assert check_in.metrics == {
        "drafts_approved": 2,
        "risks_blocked": 1,
        "replies": 4,
        "meetings": 2,
        "pipeline_sar": 15000,
    }
    draft = check_in.draft
    assert draft.status == "pending"
    assert draft.source == "cs_check_in"
    assert draft.to == "reem@x.sa"
    assert "اعتمدتم رسالتين هذا الأسبوع، ووصلكم 4 ردود." in draft.body
    assert "تم تجهيز اجتماعين." in draft.body
    assert "15,000 ريال" in draft.body
    assert "Pipeline" in draft.body
    assert "مرحباً ريم" in draft.body


def test_one_check_in_per_week(founder: Any, operator: Any) -> None:
    customer = make_customer(actor=founder, now=NOW, contact_email="c@x.sa")
    check_in_create(customer_id=customer.pk, actor=operator, now=NOW)

    with pytest.raises(RuleRefused):
        check_in_create(customer_id=customer.pk, actor=operator, now=NOW + DAY)
    next_week = check_in_create(customer_id=customer.pk, actor=operator, now=NOW + 4 * DAY)

    assert next_week.week_start == dt.date(2026, 4, 19)


def test_week_starts_on_sunday() -> None:
    assert week_start(dt.date(2026, 4, 12)) == dt.date(2026, 4, 12)  # Sunday
    assert week_start(dt.date(2026, 4, 18)) == dt.date(2026, 4, 12)  # Saturday


# ── At-risk from real activity ──────────────────────────────────────────────────────────────────
@pytest.fixture
def seeded(founder: Any, operator: Any) -> dict[str, Customer]:
    # Quiet for 20 days, 10 drafts waiting, last Proof Pack 21 days ago: 40 + 25 + 30 = 95.
    quiet = make_customer(actor=founder, name="أ — هادئ", now=NOW - 60 * DAY)
    proof_pack_record(
        customer_id=quiet.pk, title="Proof Pack v1", actor=operator, now=NOW - 21 * DAY
    )
    for n in range(10):
        draft_at(quiet, operator, NOW - 20 * DAY, body=f"مسودة {n}")
    # Active 2 days ago, 1 draft waiting, Proof Pack 3 days ago: 0.
    busy = make_customer(actor=founder, name="ب — نشط", now=NOW - 60 * DAY)
    proof_pack_record(customer_id=busy.pk, title="Proof Pack v3", actor=operator, now=NOW - 3 * DAY)
    draft_at(busy, operator, NOW - 2 * DAY)
    # Created 8 days ago with 5 drafts and no Proof Pack yet: 20 + 10 + 0 = 30.
    new = make_customer(actor=founder, name="ج — جديد", now=NOW - 8 * DAY)
    for n in range(5):
        draft_at(new, operator, NOW - 8 * DAY, body=f"مسودة {n}")
    gone = make_customer(actor=founder, name="د — منتهٍ", now=NOW - 90 * DAY)
    Customer.objects.filter(pk=gone.pk).update(status=CustomerStatus.CHURNED)
    return {"quiet": quiet, "busy": busy, "new": new, "gone": gone}


def test_at_risk_scores_come_from_the_database(seeded: dict[str, Customer]) -> None:
    rows = at_risk_list(now=NOW)

    summary = [
        (
            row["company_name"],
            row["days_inactive"],
            row["drafts_pending"],
            row["last_proof_pack_days_ago"],
            row["risk_score"],
            row["severity"],
        )
        for row in rows
    ]
    assert summary == [
        ("أ — هادئ", 20, 10, 21, 95, "high"),
        ("ج — جديد", 8, 5, 8, 30, "medium"),
        ("ب — نشط", 2, 1, 3, 0, "low"),
    ]
    assert rows[0]["reasons_ar"][0] == "العميل غير نشط منذ 20 يوماً."


def test_at_risk_filter_by_severity(seeded: dict[str, Customer]) -> None:
    assert [row["company_name"] for row in at_risk_list(now=NOW, severity="high")] == ["أ — هادئ"]


def test_at_risk_list_is_one_query_whatever_the_number_of_customers(
    seeded: dict[str, Customer], founder: Any
) -> None:
    with CaptureQueriesContext(connection) as few:
        at_risk_list(now=NOW)
    for n in range(10):
        make_customer(actor=founder, name=f"إضافي {n}", now=NOW - n * DAY)
    with CaptureQueriesContext(connection) as many:
        assert len(at_risk_list(now=NOW)) == 13

    assert len(few) == len(many) == 1


# ── Health score ────────────────────────────────────────────────────────────────────────────────
def test_health_score_waits_for_the_operators_inputs(founder: Any) -> None:
    customer = make_customer(actor=founder, now=NOW - 3 * DAY)

    health = customer_health(customer_id=customer.pk, now=NOW)

    assert health["score"] is None
    assert set(health["missing"]) == {"csat", "pipeline_sar", "meetings", "approval_rate"}
    assert health["inputs"]["days_inactive"] == 3


def test_health_score_from_database_and_check_in(founder: Any, operator: Any) -> None:
    customer = make_customer(actor=founder, now=NOW - 20 * DAY, contact_email="c@x.sa")
    for n in range(4):
        draft = draft_at(customer, operator, NOW - 2 * DAY, body=f"رسالة {n}")
        if n < 3:
            draft_services.draft_approve(draft_id=draft.pk, approver=founder, now=NOW - DAY)
        else:
            draft_services.draft_reject(draft_id=draft.pk, actor=founder, now=NOW - DAY, reason="x")
    check_in_create(
        customer_id=customer.pk,
        actor=operator,
        now=NOW,
        meetings=2,
        pipeline_sar=20000,
        csat=8,
    )

    health = customer_health(customer_id=customer.pk, now=NOW)

    # 8×5 + 20000/1000 + 2×8 + 0.75×50 − 0×2 − 1 pending (the check-in draft) = 112.5
    assert health["missing"] == []
    assert health["inputs"]["approval_rate"] == 0.75
    assert health["score"] == 112.5
    assert health["band"] == "healthy"


# ── Briefs and the handoff ──────────────────────────────────────────────────────────────────────
def test_handoff_is_refused_while_an_open_ticket_is_breached(founder: Any, operator: Any) -> None:
    customer = make_customer(actor=founder, now=NOW - 10 * DAY)
    ticket = make_ticket(customer=customer, actor=operator, now=NOW - DAY, subject="تسريب")

    with pytest.raises(RuleRefused) as refused:
        delivery_handoff(
            customer_id=customer.pk,
            service_id="first_10_opportunities_sprint",
            actor=operator,
            now=NOW,
        )
    ticket_update(ticket_id=ticket.pk, status="resolved", actor=operator, now=NOW)
    handoff = delivery_handoff(
        customer_id=customer.pk,
        service_id="first_10_opportunities_sprint",
        actor=operator,
        now=NOW + dt.timedelta(minutes=1),
        delivered_metrics={"opportunities": 10},
    )

    assert refused.value.field == "open_breaches"
    assert len(handoff["handoff_steps_ar"]) == 5
    assert handoff["success_plan_id"] == customer.success_plan.pk
    assert LedgerEntry.objects.filter(verb="delivery.handed_off").count() == 1


def test_sla_status_for_delivery_flags_an_unanswered_open_ticket(
    founder: Any, operator: Any
) -> None:
    customer = make_customer(actor=founder, now=NOW - 10 * DAY)
    late = make_ticket(
        customer=customer, actor=operator, now=NOW - dt.timedelta(hours=2), subject="تسريب"
    )
    fine = make_ticket(
        customer=customer, actor=operator, now=NOW - dt.timedelta(hours=2), subject="outage"
    )
    sla_event_record(
        ticket_id=fine.pk,
        event="first_response",
        actor=operator,
        now=NOW - dt.timedelta(hours=1, minutes=50),
    )

    status = sla_status_for_delivery(customer_id=customer.pk, now=NOW)

    assert status["health"]["total_tickets"] == 2
    assert [row["ticket_id"] for row in status["breaches"]] == [late.pk]
    assert status["breaches"][0]["first_response_min"] == 120.0


def test_self_growth_brief_targets_real_pilot_customers(founder: Any) -> None:
    pilot = make_customer(actor=founder, name="شركة في التجربة", now=NOW)
    active = make_customer(actor=founder, name="شركة نشطة", now=NOW)
    Customer.objects.filter(pk=active.pk).update(status=CustomerStatus.ACTIVE)

    brief = self_growth_brief()

    assert [t["company_name"] for t in brief["top_10_targets"]] == [pilot.company_name]
    assert "شركة واحدة" in brief["company_brief"]["summary_ar"][0]
    assert brief["live_send_allowed"] is False


def test_service_delivery_brief_uses_the_intake_once_done(founder: Any) -> None:
    customer = make_customer(actor=founder, now=NOW, sector="تدريب")

    before = service_delivery_brief(customer_id=customer.pk, service_id="list_intelligence")
    onboarding_set_step(
        customer_id=customer.pk, step_id="company_intake", completed=True, actor=founder, now=NOW
    )
    after = service_delivery_brief(customer_id=customer.pk, service_id="list_intelligence")

    assert before["intake_received"] is False
    assert after["intake_received"] is True
    assert after["service_id"] == "list_intelligence"
