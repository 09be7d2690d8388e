"""Incident services: triage, SEV1 by founders only, plan checklist, cadence, PDPL, close rule."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import DatabaseError, transaction

from customer_ops.domain.errors import DomainError, RoleRefused, RuleRefused
from customer_ops.domain.incidents import POSTMORTEM_FIELDS
from customer_ops.domain.transitions import InvalidTransition
from customer_ops.models import (
    IncidentPlanStep,
    IncidentTimelineEntry,
    LedgerEntry,
    Notification,
)
from customer_ops.services import draft_delivery
from customer_ops.services import drafts as draft_services
from customer_ops.services.draft_delivery import on_draft_sent
from customer_ops.services.incidents import (
    incident_change_status,
    incident_close,
    incident_on_draft_sent,
    incident_plan_step_tick,
    incident_postmortem_save,
    incident_set_severity,
    incident_timeline_add,
    incident_update_draft,
)
from tests.factories import make_customer, make_incident

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 4, 5, 8, 0, tzinfo=dt.UTC)
MIN = dt.timedelta(minutes=1)
FULL_POSTMORTEM = {field.key: f"نص {field.label_ar}" for field in POSTMORTEM_FIELDS}


@pytest.fixture
def customers(founder: Any) -> list[Any]:
    return [
        make_customer(
            actor=founder,
            name=f"عميل {n}",
            now=T0 - dt.timedelta(days=9),
            contact_email=f"c{n}@x.sa",
        )
        for n in range(6)
    ]


def timeline_kinds(incident: Any) -> list[str]:
    return list(incident.timeline.order_by("at", "id").values_list("kind", flat=True))


def active_steps(incident: Any) -> list[IncidentPlanStep]:
    return list(incident.plan_steps.filter(retired_at__isnull=True).order_by("position"))


# ── Triage on declaration ───────────────────────────────────────────────────────────────────────
def test_declare_triages_sev3_with_its_plan_and_cadence(
    customers: list[Any], operator: Any
) -> None:
    incident = make_incident(actor=operator, now=T0, customers=(customers[0],))

    assert incident.severity == incident.triaged_severity == "SEV3"
    assert incident.affected_count == 1
    assert list(incident.affected_customers.all()) == [customers[0]]
    assert incident.next_update_due_at == T0 + dt.timedelta(minutes=240)
    assert incident.pdpl_deadline_at is None
    assert [step.position for step in active_steps(incident)] == list(range(1, 8))
    assert timeline_kinds(incident) == ["declared"]
    assert LedgerEntry.objects.get(verb="incidents.declared").after["severity"] == "SEV3"


def test_five_affected_customers_make_sev2(customers: list[Any], operator: Any) -> None:
    incident = make_incident(actor=operator, now=T0, customers=tuple(customers[:5]))

    assert incident.severity == "SEV2"
    assert "5 ≥ 5" in incident.severity_reason_ar
    assert incident.next_update_due_at == T0 + dt.timedelta(minutes=60)


def test_a_leak_is_sev1_with_a_pdpl_deadline_and_the_founders_told(
    customers: list[Any], operator: Any, founder: Any
) -> None:
    detected = T0 - dt.timedelta(hours=3)

    incident = make_incident(
        actor=operator,
        now=T0,
        customers=(customers[0],),
        has_data_leak=True,
        detected_at=detected,
        title="تسريب قائمة العملاء",
    )

    assert incident.severity == "SEV1"
    assert incident.pdpl_deadline_at == detected + dt.timedelta(hours=72)
    assert incident.next_update_due_at == T0 + dt.timedelta(minutes=30)
    assert len(active_steps(incident)) == 8
    notice = Notification.objects.get(recipient=founder)
    assert notice.kind == "incident_sev1"
    assert Notification.objects.filter(recipient=operator).count() == 0


def test_affected_count_may_exceed_the_linked_customers(
    customers: list[Any], operator: Any
) -> None:
    incident = make_incident(actor=operator, now=T0, customers=(customers[0],), affected_count=40)

    assert incident.severity == "SEV2"
    with pytest.raises(DomainError):
        make_incident(actor=operator, now=T0, customers=tuple(customers[:3]), affected_count=2)


def test_detection_cannot_be_in_the_future(operator: Any) -> None:
    with pytest.raises(DomainError):
        make_incident(actor=operator, now=T0, detected_at=T0 + MIN)


# ── Severity: raise-only, SEV1 by founders ──────────────────────────────────────────────────────
def test_operator_raises_sev3_to_sev2_and_the_plan_follows(
    customers: list[Any], operator: Any
) -> None:
    incident = make_incident(actor=operator, now=T0, customers=(customers[0],))
    incident_plan_step_tick(incident_id=incident.pk, position=1, actor=operator, now=T0 + MIN)
    incident_plan_step_tick(incident_id=incident.pk, position=6, actor=operator, now=T0 + MIN)

    raised = incident_set_severity(
        incident_id=incident.pk, severity="SEV2", actor=operator, now=T0 + 2 * MIN
    )

    assert raised.severity == "SEV2"
    assert raised.next_update_due_at == T0 + dt.timedelta(minutes=60)
    steps = active_steps(incident)
    assert len(steps) == 7
    assert steps[0].done and steps[0].done_by == operator  # the common step keeps its tick
    assert not steps[5].done  # SEV2's own step 6 is new
    assert "60" in steps[5].text
    assert incident.plan_steps.filter(retired_at__isnull=False).count() == 2
    assert "severity" in timeline_kinds(incident)


def test_only_a_founder_raises_to_sev1(customers: list[Any], operator: Any, founder: Any) -> None:
    incident = make_incident(actor=operator, now=T0, customers=(customers[0],))

    with pytest.raises(RoleRefused):
        incident_set_severity(incident_id=incident.pk, severity="SEV1", actor=operator, now=T0)
    with pytest.raises(RoleRefused):
        make_incident(actor=operator, now=T0, severity="SEV1")
    raised = incident_set_severity(
        incident_id=incident.pk, severity="SEV1", actor=founder, now=T0 + MIN
    )

    assert raised.severity == "SEV1"
    assert len(active_steps(incident)) == 8
    assert Notification.objects.filter(recipient=founder, kind="incident_sev1").count() == 1


def test_severity_never_goes_below_triage(customers: list[Any], operator: Any) -> None:
    incident = make_incident(actor=operator, now=T0, customers=tuple(customers[:5]))

    with pytest.raises(RuleRefused):
        incident_set_severity(incident_id=incident.pk, severity="SEV3", actor=operator, now=T0)
    with pytest.raises(RuleRefused):
        make_incident(actor=operator, now=T0, customers=tuple(customers[:5]), severity="SEV3")


def test_a_triaged_sev1_needs_no_founder(operator: Any) -> None:
    incident = make_incident(actor=operator, now=T0, has_unauthorized_send=True)

    assert incident.severity == "SEV1"


# ── Status and the close rule ───────────────────────────────────────────────────────────────────
def test_sev2_closes_only_with_the_complete_postmortem(customers: list[Any], operator: Any) -> None:
    incident = make_incident(actor=operator, now=T0, customers=tuple(customers[:5]))
    incident_change_status(incident_id=incident.pk, to="mitigating", actor=operator, now=T0 + MIN)
    incident_change_status(incident_id=incident.pk, to="resolved", actor=operator, now=T0 + 2 * MIN)

    with pytest.raises(RuleRefused) as no_postmortem:
        incident_close(incident_id=incident.pk, actor=operator, now=T0 + 3 * MIN)
    incident_postmortem_save(
        incident_id=incident.pk,
        values={**FULL_POSTMORTEM, "deadline": "  "},
        actor=operator,
        now=T0 + 4 * MIN,
    )
    with pytest.raises(RuleRefused):
        incident_close(incident_id=incident.pk, actor=operator, now=T0 + 5 * MIN)
    incident_postmortem_save(
        incident_id=incident.pk, values=FULL_POSTMORTEM, actor=operator, now=T0 + 6 * MIN
    )
    closed = incident_close(incident_id=incident.pk, actor=operator, now=T0 + 7 * MIN)

    assert no_postmortem.value.field == "postmortem"
    assert closed.status == "closed"
    assert closed.closed_at == T0 + 7 * MIN
    assert closed.resolved_at == T0 + 2 * MIN
    assert closed.next_update_due_at is None
    entry = LedgerEntry.objects.filter(verb="incidents.postmortem_saved").order_by("id")
    assert entry.first().after["missing"] == ["deadline"]
    assert entry.last().after["missing"] == []


def test_sev3_closes_without_a_postmortem(operator: Any) -> None:
    incident = make_incident(actor=operator, now=T0)
    incident_change_status(incident_id=incident.pk, to="resolved", actor=operator, now=T0 + MIN)

    closed = incident_close(incident_id=incident.pk, actor=operator, now=T0 + 2 * MIN)

    assert closed.status == "closed"


def test_open_incident_cannot_be_closed_directly(operator: Any) -> None:
    incident = make_incident(actor=operator, now=T0)

    with pytest.raises(InvalidTransition):
        incident_close(incident_id=incident.pk, actor=operator, now=T0 + MIN)


def test_reopening_restarts_the_update_cadence(operator: Any) -> None:
    incident = make_incident(actor=operator, now=T0)
    incident_change_status(incident_id=incident.pk, to="resolved", actor=operator, now=T0 + MIN)

    reopened = incident_change_status(
        incident_id=incident.pk, to="open", actor=operator, now=T0 + dt.timedelta(hours=6)
    )

    assert reopened.next_update_due_at == T0 + dt.timedelta(hours=10)


# ── Timeline, plan steps, cadence ───────────────────────────────────────────────────────────────
def test_timeline_update_restarts_the_cadence_but_a_note_does_not(operator: Any) -> None:
    incident = make_incident(actor=operator, now=T0)

    incident_timeline_add(
        incident_id=incident.pk, kind="note", text="نراجع السجلات", actor=operator, now=T0 + MIN
    )
    incident.refresh_from_db()
    assert incident.next_update_due_at == T0 + dt.timedelta(minutes=240)
    incident_timeline_add(
        incident_id=incident.pk,
        kind="update",
        text="أبلغنا العميل بالهاتف",
        actor=operator,
        now=T0 + dt.timedelta(hours=1),
    )

    incident.refresh_from_db()
    assert incident.last_update_at == T0 + dt.timedelta(hours=1)
    assert incident.next_update_due_at == T0 + dt.timedelta(hours=5)
    assert timeline_kinds(incident) == ["declared", "note", "update"]
    with pytest.raises(DomainError):
        incident_timeline_add(
            incident_id=incident.pk, kind="status", text="x", actor=operator, now=T0
        )


def test_plan_step_tick_records_who_and_when(operator: Any, founder: Any) -> None:
    incident = make_incident(actor=operator, now=T0)

    step = incident_plan_step_tick(incident_id=incident.pk, position=2, actor=founder, now=T0 + MIN)
    again = incident_plan_step_tick(
        incident_id=incident.pk, position=2, actor=operator, now=T0 + 2 * MIN
    )
    undone = incident_plan_step_tick(
        incident_id=incident.pk, position=3, actor=operator, now=T0 + 3 * MIN, done=False
    )

    assert step.done and step.done_by == founder and step.done_at == T0 + MIN
    assert again.done_by == founder  # ticking twice changes nothing
    assert undone.done is False
    assert LedgerEntry.objects.filter(verb="incidents.plan_step_ticked").count() == 1


def test_timeline_is_append_only(operator: Any) -> None:
    incident = make_incident(actor=operator, now=T0)
    entry = incident.timeline.get()

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        IncidentTimelineEntry.objects.filter(pk=entry.pk).update(text="rewritten")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        IncidentTimelineEntry.objects.filter(pk=entry.pk).delete()


# ── Customer updates as drafts ──────────────────────────────────────────────────────────────────
def test_update_drafts_use_the_arabic_template_per_affected_customer(
    customers: list[Any], operator: Any
) -> None:
    incident = make_incident(actor=operator, now=T0, customers=tuple(customers[:5]))

    drafts = incident_update_draft(
        incident_id=incident.pk,
        values={"service_name": "Gmail", "eta": "الساعة 3 مساءً"},
        actor=operator,
        now=T0 + MIN,
    )

    assert len(drafts) == 5
    assert {draft.customer_id for draft in drafts} == {c.pk for c in customers[:5]}
    assert all(draft.status == "pending" and draft.source == "incident_update" for draft in drafts)
    assert "خدمة Gmail متعطلة جزئياً" in drafts[0].body
    assert "كل ساعة" in drafts[0].body
    assert drafts[0].incident_id == incident.pk


def test_update_draft_refuses_missing_placeholders_and_strangers(
    customers: list[Any], operator: Any
) -> None:
    incident = make_incident(actor=operator, now=T0, customers=(customers[0],))

    with pytest.raises(DomainError) as missing:
        incident_update_draft(incident_id=incident.pk, values={}, actor=operator, now=T0)
    with pytest.raises(DomainError):
        incident_update_draft(
            incident_id=incident.pk,
            values={"service_name": "Gmail", "status": "تحت المراقبة"},
            customer_ids=[customers[1].pk],
            actor=operator,
            now=T0,
        )

    assert missing.value.field == "service_name"


def test_sent_update_goes_on_the_timeline_and_restarts_the_cadence(
    customers: list[Any], operator: Any, founder: Any
) -> None:
    incident = make_incident(actor=operator, now=T0, customers=(customers[0],), has_data_leak=True)
    (draft,) = incident_update_draft(
        incident_id=incident.pk,
        values={"data_type": "أسماء وأرقام جوال"},
        actor=operator,
        now=T0 + MIN,
    )
    assert "PDPL" in draft.body
    draft_services.draft_approve(draft_id=draft.pk, approver=founder, now=T0 + 5 * MIN)

    sent = draft_delivery.draft_send(draft_id=draft.pk, actor=operator, now=T0 + 20 * MIN)
    on_draft_sent(draft=sent, actor=operator)
    incident_on_draft_sent(draft=sent, actor=operator)  # idempotent

    incident.refresh_from_db()
    assert incident.last_update_at == T0 + 20 * MIN
    assert incident.next_update_due_at == T0 + 50 * MIN
    assert incident.timeline.filter(kind="update", draft=sent).count() == 1
    assert LedgerEntry.objects.filter(verb="incidents.update_sent").count() == 1


def test_closed_incident_refuses_changes(operator: Any) -> None:
    incident = make_incident(actor=operator, now=T0)
    incident_change_status(incident_id=incident.pk, to="resolved", actor=operator, now=T0 + MIN)
    incident_close(incident_id=incident.pk, actor=operator, now=T0 + 2 * MIN)

    with pytest.raises(RuleRefused):
        incident_plan_step_tick(incident_id=incident.pk, position=1, actor=operator, now=T0)
    with pytest.raises(RuleRefused):
        incident_set_severity(incident_id=incident.pk, severity="SEV2", actor=operator, now=T0)
