"""Small builders for test data, going through the services like the app does."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from customer_ops.models import Customer, Incident, OutboundDraft, Ticket
from customer_ops.services import draft_delivery
from customer_ops.services.connectors import connector_set_state
from customer_ops.services.customers import customer_create
from customer_ops.services.drafts import draft_approve, draft_create
from customer_ops.services.incidents import incident_declare
from customer_ops.services.messages import message_receive
from customer_ops.services.tickets import ticket_create


def make_customer(
    *,
    actor: Any,
    name: str = "شركة الاختبار",
    bundle: str = "growth_starter",
    now: dt.datetime | None = None,
    **extra: Any,
) -> Customer:
    return customer_create(
        company_name=name, bundle=bundle, actor=actor, now=now or timezone.now(), **extra
    )


def set_connector(
    customer: Customer, key: str, *, actor: Any, state: str = "connected_draft_only"
) -> None:
    """Move a customer's connector through `configuring` to `state`, as the board does."""
    for to in ("configuring", state):
        connector_set_state(
            customer_id=customer.pk, connector_key=key, to=to, actor=actor, now=timezone.now()
        )


def make_draft(
    *,
    customer: Customer,
    author: Any,
    body: str = "هلا، هذا تحديث أسبوعي عن التقدّم.",
    channel: str = "email",
    to: str = "client@example.sa",
    subject: str = "تحديث",
    **extra: Any,
) -> OutboundDraft:
    return draft_create(
        customer_id=customer.pk,
        channel=channel,
        to=to,
        subject=subject,
        body=body,
        author=author,
        now=timezone.now(),
        **extra,
    )


def make_approved_draft(
    *, customer: Customer, author: Any, approver: Any, **fields: Any
) -> OutboundDraft:
    """A draft `author` wrote (`fields` as for `make_draft`) that `approver` approved."""
    draft = make_draft(customer=customer, author=author, **fields)
    return draft_approve(draft_id=draft.pk, approver=approver, now=timezone.now())


def crashed_send(draft: OutboundDraft, actor: Any, *, ago: dt.timedelta) -> OutboundDraft:
    """The claim a send killed during delivery leaves behind, `ago` in the past."""
    claimed, _route, _request = draft_delivery._claim_send(
        draft_id=draft.pk, actor=actor, now=timezone.now() - ago
    )
    return claimed


# ── Operations (issue #6) ───────────────────────────────────────────────────────────────────────
def make_ticket(
    *,
    customer: Customer,
    actor: Any,
    now: dt.datetime,
    subject: str = "سؤال عن التقرير الأسبوعي",
    body: str = "متى يصل التقرير؟",
    channel: str = "email",
    **extra: Any,
) -> Any:
    return ticket_create(
        customer_id=customer.pk,
        subject=subject,
        body=body,
        channel=channel,
        actor=actor,
        now=now,
        **extra,
    )


def make_incident(
    *,
    actor: Any,
    now: dt.datetime,
    title: str = "تأخر مزامنة Gmail",
    customers: tuple[Customer, ...] = (),
    **extra: Any,
) -> Any:
    return incident_declare(
        title=title,
        description=extra.pop("description", "تأخرت المزامنة ساعة."),
        affected_customer_ids=[customer.pk for customer in customers],
        actor=actor,
        now=now,
        **extra,
    )


# ── A customer with one of everything (tests/test_bad_input*.py) ─────────────────────────────────
@dataclass(frozen=True)
class World:
    founder: Any
    operator: Any
    customer: Customer
    ticket: Ticket
    incident: Incident
    draft: OutboundDraft  # pending, WhatsApp, written by the operator
    now: dt.datetime
    unmatched_message_id: int  # a WhatsApp message from a number nobody knows


def make_world(founder: Any, operator: Any) -> World:
    """A customer with a ticket, an incident, a pending draft, and a message from a stranger."""
    now = timezone.now()
    customer = make_customer(
        actor=operator,
        name="شركة نمو",
        contact_email="client@example.sa",
        contact_phone="+966500000001",
    )
    return World(
        founder=founder,
        operator=operator,
        customer=customer,
        ticket=make_ticket(customer=customer, actor=operator, now=now),
        incident=make_incident(actor=operator, now=now, customers=(customer,)),
        draft=make_draft(
            customer=customer, author=operator, channel="whatsapp", to="+966500000001"
        ),
        now=now,
        unmatched_message_id=message_receive(
            channel="whatsapp",
            external_id="wamid.bad-input",
            sender="+966555555555",
            sender_name="",
            kind="text",
            text="من أنتم؟",
            at=now,
            now=now,
        ).pk,
    )
