"""Demo operations for `seed_demo`: onboarding stages, connectors, tickets on their SLA clocks,
incidents, success plans.

The customers are at different onboarding stages, and what each one has matches its stage: a
customer writing about a Gmail sync has a Gmail connector (in `failed`), a customer with a Proof
Pack has run its first service, nobody received a Proof Pack before their pilot started.

Everything goes through the services, so the ledger, SLA events and drafts are real. Idempotent:
when any ticket exists nothing is created. Needs the demo founder and operator and at least one
customer (seed_demo creates them first).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction

from customer_ops.domain.errors import RuleRefused
from customer_ops.domain.onboarding import ONBOARDING_STEPS
from customer_ops.models import Customer, Ticket
from customer_ops.roles import Role, SignedInUser
from customer_ops.services import drafts as draft_services
from customer_ops.services.connectors import connector_set_state
from customer_ops.services.incidents import (
    incident_change_status,
    incident_close,
    incident_declare,
    incident_plan_step_tick,
    incident_timeline_add,
)
from customer_ops.services.onboarding import onboarding_set_step
from customer_ops.services.success import (
    check_in_create,
    proof_pack_record,
    success_plan_create,
)
from customer_ops.services.tickets import (
    sla_event_record,
    ticket_create,
    ticket_reply_draft,
    ticket_update,
)

MINUTE = dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


def _member(role: Role) -> SignedInUser:
    user = get_user_model().objects.filter(groups__name=role).order_by("pk").first()
    if user is None:
        raise RuleRefused(f"seed_operations needs a {role} user (run seed_demo first)")
    return user


# Connectors a customer has running once its channels are connected (WhatsApp is the blocking one).
CONNECTED_AT_SETUP = ("gmail", "google_calendar", "google_sheets", "whatsapp_cloud")


def _advance(
    customer: Customer,
    *,
    steps: int,
    founder: SignedInUser,
    at: dt.datetime,
    connectors: tuple[str, ...] = CONNECTED_AT_SETUP,
) -> None:
    """Tick the first `steps` onboarding steps (as the founder, so approvals are given) and, from
    the channels step on, connect `connectors` in draft-only mode, in the order the runbook does."""
    for index, step in enumerate(ONBOARDING_STEPS[:steps]):
        if step.id.value == "connect_channels":
            for key in connectors:
                for state in ("configuring", "connected_draft_only"):
                    connector_set_state(
                        customer_id=customer.pk, connector_key=key, to=state, actor=founder, now=at
                    )
        onboarding_set_step(
            customer_id=customer.pk,
            step_id=step.id.value,
            completed=True,
            actor=founder,
            now=at + index * MINUTE,
        )


def _pilot_start(customer: Customer, now: dt.datetime) -> dt.datetime:
    """When the customer's onboarding began: their pilot's first morning, never after `now`."""
    started = customer.pilot_started_on or now.date()
    morning = dt.datetime.combine(started, dt.time(10, 0), tzinfo=now.tzinfo)
    return min(morning, now - DAY)


@transaction.atomic
def seed_operations(*, now: dt.datetime) -> dict[str, int]:
    """Create the demo tickets, incidents, plans, Proof Packs and a check-in (once)."""
    if Ticket.objects.exists():
        return {"tickets": 0, "incidents": 0, "plans": 0}
    founder, operator = _member(Role.FOUNDER), _member(Role.OPERATOR)
    customers = list(Customer.objects.order_by("pk")[:5])
    if not customers:
        raise RuleRefused("seed_operations needs customers (run seed_demo first)")
    first, *others = customers
    second = others[0] if others else first
    # Stages: the first two are onboarded and served; the third long since (its Proof Pack is
    # stale); the fourth is connecting channels and its Gmail failed; the last has just signed.
    stages = (8, 7, 8, 4, 0)
    connecting = customers[3] if len(customers) > 3 else customers[-1]
    for customer, steps in zip(customers, stages, strict=False):
        connectors = tuple(
            key for key in CONNECTED_AT_SETUP if not (customer == connecting and key == "gmail")
        )
        at = _pilot_start(customer, now)
        _advance(customer, steps=steps, founder=founder, at=at, connectors=connectors)
    if connecting.connectors.filter(connector_key="gmail", state="not_started").exists():
        for state in ("configuring", "failed"):
            connector_set_state(
                customer_id=connecting.pk,
                connector_key="gmail",
                to=state,
                actor=operator,
                now=now - 4 * DAY,
                notes="الربط يطلب الصلاحيات مرة أخرى" if state == "failed" else "",
            )
    tickets = 0

    def ticket(customer: Customer, subject: str, body: str, opened: dt.datetime) -> Ticket:
        nonlocal tickets
        tickets += 1
        return ticket_create(
            customer_id=customer.pk,
            subject=subject,
            body=body,
            channel="email",
            assignee_id=operator.pk,
            actor=operator,
            now=opened,
        )

    # P0 opened 20 minutes ago: 10 minutes left; its reply waits in the founder's inbox.
    urgent = ticket(first, "أرسل بدون موافقتي", "وصلت رسالة لعميلنا لم نعتمدها.", now - 20 * MINUTE)
    if first.contact_email:
        ticket_reply_draft(ticket_id=urgent.pk, actor=operator, now=now - 15 * MINUTE)
    # P1 answered within 40 minutes, still being worked on.
    down = ticket(second, "service down: التقارير لا تصل", "", now - 5 * HOUR)
    sla_event_record(
        ticket_id=down.pk, event="first_response", actor=operator, now=now - 4 * HOUR - 20 * MINUTE
    )
    # P2 never answered: past its 8 working hours (breached now). Its Gmail connector failed.
    ticket(connecting, "Gmail connector لا يتزامن", "المزامنة متوقفة منذ أمس.", now - 4 * DAY)
    # P3 waiting on the customer: its clocks are paused.
    waiting = ticket(first, "سؤال عن الفاتورة", "هل يمكن تعديل اسم المنشأة؟", now - 2 * DAY)
    sla_event_record(ticket_id=waiting.pk, event="first_response", actor=operator, now=now - DAY)
    ticket_update(ticket_id=waiting.pk, status="pending_customer", actor=operator, now=now - DAY)
    # P0 handled on time, resolved and closed with the customer's confirmation.
    handled = ticket(second, "leak في رابط المشاركة", "", now - 3 * DAY)
    sla_event_record(
        ticket_id=handled.pk,
        event="first_response",
        actor=operator,
        now=now - 3 * DAY + 12 * MINUTE,
    )
    ticket_update(
        ticket_id=handled.pk, status="resolved", actor=operator, now=now - 3 * DAY + 3 * HOUR
    )
    ticket_update(
        ticket_id=handled.pk,
        status="closed",
        customer_confirmation="أكد العميل بالبريد أن الرابط أُغلق.",
        actor=operator,
        now=now - 2 * DAY,
    )

    # A SEV2 across (up to) five customers, being mitigated; and a closed SEV3.
    sev2 = incident_declare(
        title="تأخر مزامنة WhatsApp لعدة عملاء",
        description="رسائل العملاء تصل بتأخير يصل إلى ساعة.",
        affected_customer_ids=[customer.pk for customer in customers],
        affected_count=max(5, len(customers)),
        actor=operator,
        now=now - 2 * HOUR,
    )
    for position in (1, 2):
        incident_plan_step_tick(
            incident_id=sev2.pk, position=position, actor=operator, now=now - 110 * MINUTE
        )
    incident_change_status(incident_id=sev2.pk, to="mitigating", actor=operator, now=now - HOUR)
    incident_timeline_add(
        incident_id=sev2.pk,
        kind="note",
        text="حُدّد السبب المبدئي: مهلة الاتصال بمزوّد WhatsApp.",
        actor=operator,
        now=now - 50 * MINUTE,
    )
    sev3 = incident_declare(
        title="بطء في لوحة المتابعة",
        affected_customer_ids=[first.pk],
        actor=operator,
        now=now - 5 * DAY,
    )
    incident_change_status(
        incident_id=sev3.pk, to="resolved", actor=operator, now=now - 5 * DAY + HOUR
    )
    incident_close(incident_id=sev3.pk, actor=founder, now=now - 4 * DAY)

    # Success plans for every customer, two Proof Packs and this week's check-in.
    for customer in customers:
        success_plan_create(customer_id=customer.pk, actor=operator, now=now)
    proof_pack_record(
        customer_id=first.pk, title="Proof Pack v1", actor=operator, now=now - 3 * DAY
    )
    served_long_ago = customers[2] if len(customers) > 2 else second
    proof_pack_record(
        customer_id=served_long_ago.pk,
        title="Proof Pack v1",
        delivered_at=now - 20 * DAY,  # stale: shows up in the at-risk list
        actor=operator,
        now=now,
    )
    if first.contact_email:
        check_in = check_in_create(
            customer_id=first.pk, actor=operator, now=now, replies=3, meetings=1, pipeline_sar=12000
        )
        draft_services.draft_approve(draft_id=check_in.draft_id, approver=founder, now=now)
    return {"tickets": tickets, "incidents": 2, "plans": len(customers)}
