"""Writes for customer success: plans and touchpoints, weekly check-ins, Proof Packs, handoff.

Rules (SPEC.md §2, SPEC_RULES §7, CUSTOMER_SUCCESS_PLAYBOOK): every bundle gets its own 30-day
plan as dated touchpoints; at most one check-in per customer and week, and it is a draft behind
the approval gate; Proof Pack deliveries are recorded (their age feeds the at-risk score); a
delivered service is handed to Customer Success only while none of the customer's open tickets is
past its SLA. Every change is in the Action Ledger.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from customer_ops.domain.errors import InvalidValue, RuleRefused
from customer_ops.domain.inputs import require_count, require_number
from customer_ops.domain.ledger import LedgerVerb
from customer_ops.domain.modes import build_post_delivery_handoff
from customer_ops.domain.success import WEEKLY_AGENDA_AR, build_weekly_check_in, plan_touchpoints
from customer_ops.models import CheckIn, ProofPackDelivery, SuccessPlan, SuccessTouchpoint
from customer_ops.models.drafts import DraftChannel, DraftSource
from customer_ops.roles import SignedInUser
from customer_ops.selectors.calendar import business_timezone
from customer_ops.selectors.locks import customer_for_update, touchpoint_for_update
from customer_ops.selectors.success import check_in_counts, success_plan_for, week_start
from customer_ops.selectors.tickets import open_breached_ticket_count
from customer_ops.services.drafts import draft_create
from customer_ops.services.ledger import ledger_record


def _local_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(business_timezone()).date()


# ── Plans ───────────────────────────────────────────────────────────────────────────────────────
@transaction.atomic
def success_plan_create(
    *,
    customer_id: int,
    actor: SignedInUser,
    now: dt.datetime,
    start_on: dt.date | None = None,
) -> SuccessPlan:
    """Create the customer's plan from its bundle (idempotent: an existing plan is returned).

    Day 1 is `start_on`, else the pilot start date, else today.
    """
    customer = customer_for_update(customer_id=customer_id)
    existing = success_plan_for(customer_id=customer.pk)
    if existing is not None:
        return existing
    start = start_on or customer.pilot_started_on or _local_date(now)
    touchpoints = plan_touchpoints(bundle_id=customer.bundle, start=start)
    plan = SuccessPlan.objects.create(
        customer=customer, bundle=customer.bundle, start_on=start, created_by=actor, created_at=now
    )
    SuccessTouchpoint.objects.bulk_create(
        SuccessTouchpoint(plan=plan, day=tp.day_offset + 1, due_on=tp.due_on, text=tp.text)
        for tp in touchpoints
    )
    ledger_record(
        verb=LedgerVerb.SUCCESS_PLAN_CREATED,
        obj=plan,
        actor=actor,
        at=now,
        customer_id=customer.pk,
        after={"bundle": customer.bundle, "start_on": start, "touchpoints": len(touchpoints)},
    )
    created = success_plan_for(customer_id=customer.pk)
    if created is None:  # pragma: no cover - just created in this transaction
        raise RuntimeError("plan vanished")
    return created


@transaction.atomic
def touchpoint_complete(
    *, touchpoint_id: int, actor: SignedInUser, now: dt.datetime
) -> SuccessTouchpoint:
    """Mark a touchpoint done (idempotent), recording who and when."""
    touchpoint = touchpoint_for_update(touchpoint_id=touchpoint_id)
    if touchpoint.done_at is not None:
        return touchpoint
    touchpoint.done_at, touchpoint.done_by = now, actor
    touchpoint.save(update_fields=["done_at", "done_by"])
    ledger_record(
        verb=LedgerVerb.SUCCESS_TOUCHPOINT_DONE,
        obj=touchpoint.plan,
        actor=actor,
        at=now,
        customer_id=touchpoint.plan.customer_id,
        after={"day": touchpoint.day, "text": touchpoint.text},
    )
    return touchpoint


# ── Proof Packs ─────────────────────────────────────────────────────────────────────────────────
@transaction.atomic
def proof_pack_record(
    *,
    customer_id: int,
    title: str,
    actor: SignedInUser,
    now: dt.datetime,
    delivered_at: dt.datetime | None = None,
    note: str = "",
) -> ProofPackDelivery:
    """Record that a Proof Pack was delivered to the customer."""
    customer = customer_for_update(customer_id=customer_id)
    delivered = delivered_at or now
    if delivered > now:
        raise InvalidValue("delivered_at", "a delivery cannot be in the future")
    if not title.strip():
        raise InvalidValue("title", "the Proof Pack needs a title", message_ar="العنوان مطلوب")
    delivery = ProofPackDelivery.objects.create(
        customer=customer,
        title=title.strip()[:200],
        note=note.strip()[:500],
        delivered_at=delivered,
        recorded_by=actor,
        created_at=now,
    )
    ledger_record(
        verb=LedgerVerb.SUCCESS_PROOF_PACK_DELIVERED,
        obj=delivery,
        actor=actor,
        at=now,
        after={"title": delivery.title, "delivered_at": delivered},
    )
    return delivery


# ── Weekly check-ins ────────────────────────────────────────────────────────────────────────────
def check_in_body(check_in: dict[str, Any], *, contact_name: str) -> str:
    """The check-in as a message: greeting, the week's numbers, the 25-minute agenda."""
    greeting = f"مرحباً {contact_name}،" if contact_name else "مرحباً،"
    points = "\n".join(f"• {line}" for line in check_in["talking_points_ar"])
    agenda = "\n".join(f"{n}. {line}" for n, line in enumerate(WEEKLY_AGENDA_AR, start=1))
    return (
        f"{greeting}\n\nأرقام هذا الأسبوع:\n{points}\n\n"
        f"جدول مكالمة المتابعة (25 دقيقة):\n{agenda}\n\nفريق Dealix"
    )


@transaction.atomic
def check_in_create(
    *,
    customer_id: int,
    actor: SignedInUser,
    now: dt.datetime,
    replies: int = 0,
    meetings: int = 0,
    pipeline_sar: float = 0,
    csat: float | None = None,
    channel: str = DraftChannel.EMAIL,
    to: str = "",
) -> CheckIn:
    """This week's check-in draft (at most one per week), numbers from the database + operator.

    drafts_approved and risks_blocked (drafts stopped at the approval gate) are counted since the
    week began; replies, meetings, pipeline and CSAT come from the operator.
    """
    customer = customer_for_update(customer_id=customer_id)
    week = week_start(_local_date(now))
    if CheckIn.objects.filter(customer=customer, week_start=week).exists():
        raise RuleRefused(
            "this customer already has a check-in this week",
            field="week_start",
            message_ar="للعميل متابعة هذا الأسبوع بالفعل (متابعة واحدة أسبوعياً كحد أقصى)",
        )
    since = dt.datetime.combine(week, dt.time(), tzinfo=business_timezone())
    counted = check_in_counts(customer_id=customer.pk, since=since, until=now)
    metrics: dict[str, Any] = {
        **counted,
        "replies": require_count("replies", replies),
        "meetings": require_count("meetings", meetings),
        "pipeline_sar": require_number("pipeline_sar", pipeline_sar),
    }
    if csat is not None:
        metrics["csat"] = require_number("csat", csat, maximum=10)
    built = build_weekly_check_in(
        customer_id=str(customer.pk), company_name=customer.company_name, metrics=metrics
    )
    recipient = to.strip() or (
        customer.contact_email if channel == DraftChannel.EMAIL else customer.contact_phone
    )
    if not recipient:
        raise RuleRefused(
            "the customer has no contact on this channel: give a recipient",
            field="to",
            message_ar="لا توجد وسيلة تواصل للعميل على هذه القناة: حدّد المستلم",
        )
    draft = draft_create(
        customer_id=customer.pk,
        channel=channel,
        to=recipient,
        subject=f"متابعة أسبوعية — {customer.company_name}"[:200],
        body=check_in_body(built, contact_name=customer.contact_name.strip()),
        author=actor,
        now=now,
        source=DraftSource.CS_CHECK_IN.value,
    )
    check_in = CheckIn.objects.create(
        customer=customer,
        week_start=week,
        metrics=metrics,
        draft=draft,
        created_by=actor,
        created_at=now,
    )
    ledger_record(
        verb=LedgerVerb.SUCCESS_CHECK_IN_DRAFTED,
        obj=check_in,
        actor=actor,
        at=now,
        after={"week_start": week, "metrics": metrics, "draft_id": draft.pk},
    )
    return check_in


# ── Service delivery handoff (SPEC_RULES §9.2) ──────────────────────────────────────────────────
@transaction.atomic
def delivery_handoff(
    *,
    customer_id: int,
    service_id: str,
    actor: SignedInUser,
    now: dt.datetime,
    delivered_metrics: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Hand a delivered service to Customer Success; refused while open tickets are breached.

    On success the customer's success plan exists (created if missing) and the ledger says so.
    """
    customer = customer_for_update(customer_id=customer_id)
    handoff = build_post_delivery_handoff(
        customer_id=str(customer.pk),
        service_id=service_id,
        delivered_metrics=delivered_metrics,
        open_breaches=open_breached_ticket_count(customer_id=customer.pk, now=now),
    )
    plan = success_plan_create(customer_id=customer.pk, actor=actor, now=now)
    ledger_record(
        verb=LedgerVerb.DELIVERY_HANDED_OFF,
        obj=customer,
        actor=actor,
        at=now,
        after={"service_id": handoff["service_id"], "success_plan_id": plan.pk},
    )
    return {**handoff, "success_plan_id": plan.pk}
