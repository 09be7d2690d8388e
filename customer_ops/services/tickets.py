"""Writes for support tickets and their SLA events.

Rules (SPEC.md §2, SPEC_RULES §4–§5):
- a ticket is created with the classifier's priority, matched keyword and reason; humans may raise
  the priority and lower it again, never below the classified one (raising records `escalated`);
- statuses move along TICKET_MOVES and each move writes its SLA event: → pending_customer
  `paused`, pending_customer → open `resumed`, → resolved `resolved`, resolved → open `opened`
  (a reopen); closing needs the customer's confirmation (text and time);
- the first response counts when an approved reply is sent or marked sent (`on_draft_sent`), not
  when it is drafted;
- the SLA events are append-only and the source of truth: every write recomputes the ticket's
  denormalised clock columns from them in the same transaction.
Every change is in the Action Ledger.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Final

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Min

from customer_ops.domain.errors import InvalidValue, RuleRefused
from customer_ops.domain.ledger import LedgerVerb
from customer_ops.domain.priority import (
    Priority,
    classify_priority,
    ensure_priority_not_lowered,
    first_response_template,
    parse_priority,
)
from customer_ops.domain.sla import (
    SLA_CLOCK_BASIS,
    ClockBasis,
    SlaEventType,
    parse_sla_event,
    ticket_sla_columns,
)
from customer_ops.domain.transitions import (
    TICKET_MOVES,
    InvalidTransition,
    TicketStatus,
    ensure_transition,
)
from customer_ops.models import Customer, OutboundDraft, SlaEvent, Ticket
from customer_ops.models.drafts import (
    SENT_STATUSES,
    TICKET_DRAFT_SOURCES,
    DraftChannel,
    DraftSource,
)
from customer_ops.models.tickets import TicketChannel
from customer_ops.roles import SignedInUser, is_staff_member
from customer_ops.selectors.calendar import business_timezone, calendar_for_span
from customer_ops.selectors.customers import customer_referenced
from customer_ops.selectors.locks import ticket_for_update
from customer_ops.selectors.tickets import OPEN_STATUSES, ticket_event_pairs, ticket_sla
from customer_ops.services.drafts import draft_create
from customer_ops.services.ledger import ledger_record
from customer_ops.services.search import search_index_ticket

# The SLA event each status move writes.
_EVENT_OF_MOVE: Final[dict[tuple[TicketStatus, TicketStatus], SlaEventType]] = {
    (TicketStatus.OPEN, TicketStatus.PENDING_CUSTOMER): SlaEventType.PAUSED,
    (TicketStatus.PENDING_CUSTOMER, TicketStatus.OPEN): SlaEventType.RESUMED,
    (TicketStatus.OPEN, TicketStatus.RESOLVED): SlaEventType.RESOLVED,
    (TicketStatus.PENDING_CUSTOMER, TicketStatus.RESOLVED): SlaEventType.RESOLVED,
    (TicketStatus.RESOLVED, TicketStatus.OPEN): SlaEventType.OPENED,
}
# The status move an SLA event posted on its own stands for (the event and status stay in step).
_MOVE_OF_EVENT: Final[dict[SlaEventType, tuple[frozenset[TicketStatus], TicketStatus]]] = {
    SlaEventType.PAUSED: (frozenset({TicketStatus.OPEN}), TicketStatus.PENDING_CUSTOMER),
    SlaEventType.RESUMED: (frozenset({TicketStatus.PENDING_CUSTOMER}), TicketStatus.OPEN),
    SlaEventType.RESOLVED: (
        frozenset({TicketStatus.OPEN, TicketStatus.PENDING_CUSTOMER}),
        TicketStatus.RESOLVED,
    ),
    SlaEventType.OPENED: (frozenset({TicketStatus.RESOLVED}), TicketStatus.OPEN),
}
# Where a reply to a ticket goes, by the channel it came in on.
_REPLY_CHANNEL: Final = {
    TicketChannel.EMAIL: DraftChannel.EMAIL,
    TicketChannel.WEB_FORM: DraftChannel.EMAIL,
    TicketChannel.WHATSAPP: DraftChannel.WHATSAPP,
    TicketChannel.PHONE: DraftChannel.PHONE,
}


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = _Unset()


# ── SLA bookkeeping ─────────────────────────────────────────────────────────────────────────────
def _record_event(
    ticket: Ticket,
    event: SlaEventType,
    *,
    at: dt.datetime,
    actor: SignedInUser | None,
    note: str = "",
    actor_label: str = "",
) -> SlaEvent:
    return SlaEvent.objects.create(
        ticket=ticket,
        event=event.value,
        at=at,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=actor_label[:100],
        note=note[:500],
    )


def ticket_sla_recompute(ticket: Ticket, *, now: dt.datetime) -> Ticket:
    """Recompute the stored clock columns from the ticket's events (call with the row locked)."""
    events = ticket_event_pairs(ticket.pk)
    columns = ticket_sla_columns(ticket_sla(priority=ticket.priority, events=events, now=now))
    for field, value in columns.items():
        setattr(ticket, field, value)
    ticket.save(update_fields=[*columns, "updated_at"])
    return ticket


def _has_event(ticket: Ticket, event: SlaEventType) -> bool:
    return SlaEvent.objects.filter(ticket=ticket, event=event.value).exists()


# ── Create ──────────────────────────────────────────────────────────────────────────────────────
def _ensure_assignable(user_id: int | None) -> SignedInUser | None:
    if user_id is None:
        return None
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not is_staff_member(user):
        raise InvalidValue(
            "assignee",
            "the assignee must be an active operator or founder",
            message_ar="المسؤول يجب أن يكون مشغّلاً أو مؤسساً نشطاً",
        )
    return user


@transaction.atomic
def ticket_create(
    *,
    customer_id: int,
    subject: str,
    body: str,
    channel: str,
    actor: SignedInUser | None,
    now: dt.datetime,
    assignee_id: int | None = None,
    actor_label: str = "",
) -> Ticket:
    """Open a ticket with the classifier's priority and start its clocks (`opened` event)."""
    customer = customer_referenced(customer_id)
    if channel not in TicketChannel.values:
        raise InvalidValue("channel", f"unknown channel: {channel}")
    if not subject.strip():
        raise InvalidValue("subject", "a ticket needs a subject", message_ar="الموضوع مطلوب")
    decision = classify_priority(f"{subject}\n{body}")
    ticket = Ticket(
        customer=customer,
        channel=channel,
        subject=subject.strip()[:200],
        body=body,
        priority=decision.priority.value,
        classified_priority=decision.priority.value,
        matched_keyword=(decision.matched_keyword or "")[:100],
        priority_reason_ar=decision.reason_ar[:300],
        status=TicketStatus.OPEN.value,
        status_changed_at=now,
        assignee=_ensure_assignable(assignee_id),
        created_by=actor if actor is not None and actor.is_authenticated else None,
        opened_at=now,
    )
    ticket.full_clean()
    ticket.save()
    search_index_ticket(ticket)
    _record_event(ticket, SlaEventType.OPENED, at=now, actor=actor, actor_label=actor_label)
    ticket_sla_recompute(ticket, now=now)
    ledger_record(
        verb=LedgerVerb.TICKETS_CREATED,
        obj=ticket,
        actor=actor,
        actor_label=actor_label,
        at=now,
        after={
            "priority": ticket.priority,
            "matched_keyword": ticket.matched_keyword,
            "reason_ar": ticket.priority_reason_ar,
            "channel": channel,
            "subject": ticket.subject,
            "assignee_id": assignee_id,
        },
    )
    return ticket


# ── Changes ─────────────────────────────────────────────────────────────────────────────────────
def _set_priority(
    ticket: Ticket, priority: str, *, actor: SignedInUser, now: dt.datetime, note: str
) -> None:
    wanted = ensure_priority_not_lowered(classified=ticket.classified_priority, requested=priority)
    previous = parse_priority(ticket.priority)
    if wanted is previous:
        return
    order = list(Priority)
    raised = order.index(wanted) < order.index(previous)
    ticket.priority = wanted.value
    ticket.save(update_fields=["priority", "updated_at"])
    if raised:
        _record_event(
            ticket, SlaEventType.ESCALATED, at=now, actor=actor, note=f"{previous} → {wanted}"
        )
    ledger_record(
        verb=LedgerVerb.TICKETS_PRIORITY_CHANGED,
        obj=ticket,
        actor=actor,
        at=now,
        before={"priority": previous},
        after={"priority": wanted, "escalated": raised},
        note=note,
    )


def _set_assignee(
    ticket: Ticket, assignee_id: int | None, *, actor: SignedInUser, now: dt.datetime
) -> None:
    if ticket.assignee_id == assignee_id:
        return
    previous = ticket.assignee_id
    ticket.assignee = _ensure_assignable(assignee_id)
    ticket.save(update_fields=["assignee", "updated_at"])
    ledger_record(
        verb=LedgerVerb.TICKETS_ASSIGNED,
        obj=ticket,
        actor=actor,
        at=now,
        before={"assignee_id": previous},
        after={"assignee_id": assignee_id},
    )


def _move(
    ticket: Ticket,
    to: TicketStatus,
    *,
    actor: SignedInUser | None,
    now: dt.datetime,
    note: str = "",
    customer_confirmation: str = "",
    customer_confirmed_at: dt.datetime | None = None,
) -> SlaEvent | None:
    previous = TicketStatus(ticket.status)
    ensure_transition(TICKET_MOVES, previous, to)
    if to is TicketStatus.CLOSED:
        # "Never close a ticket without customer confirmation" (SUPPORT_SLA.md).
        if not customer_confirmation.strip():
            raise RuleRefused(
                "closing a ticket needs the customer's confirmation",
                field="customer_confirmation",
                message_ar="لا يمكن إغلاق التذكرة بدون تسجيل تأكيد العميل",
            )
        confirmed_at = customer_confirmed_at or now
        if confirmed_at > now or confirmed_at < ticket.opened_at:
            raise InvalidValue(
                "customer_confirmed_at",
                "the confirmation time must lie between opening and now",
                message_ar="وقت التأكيد يجب أن يكون بين فتح التذكرة والآن",
            )
    fields = ["status", "status_changed_at"]
    ticket.status, ticket.status_changed_at = to.value, now
    if to is TicketStatus.CLOSED:
        ticket.customer_confirmation = customer_confirmation.strip()
        ticket.customer_confirmed_at = confirmed_at
        ticket.closed_at = now
        fields += ["customer_confirmation", "customer_confirmed_at", "closed_at"]
    ticket.save(update_fields=[*fields, "updated_at"])
    event_type = _EVENT_OF_MOVE.get((previous, to))
    event = (
        _record_event(ticket, event_type, at=now, actor=actor, note=note)
        if event_type is not None
        else None
    )
    after: dict[str, Any] = {"status": to, "sla_event": event_type.value if event_type else None}
    if to is TicketStatus.CLOSED:
        after["customer_confirmation"] = ticket.customer_confirmation
        after["customer_confirmed_at"] = ticket.customer_confirmed_at
    ledger_record(
        verb=LedgerVerb.TICKETS_STATUS_CHANGED,
        obj=ticket,
        actor=actor,
        at=now,
        before={"status": previous},
        after=after,
        note=note,
    )
    return event


@transaction.atomic
def ticket_update(
    *,
    ticket_id: int,
    actor: SignedInUser,
    now: dt.datetime,
    priority: str | None = None,
    assignee_id: int | None | _Unset = UNSET,
    status: str | None = None,
    customer_confirmation: str = "",
    customer_confirmed_at: dt.datetime | None = None,
    note: str = "",
) -> Ticket:
    """Change priority (raise, or back towards the classified floor), assignee and/or status."""
    ticket = ticket_for_update(ticket_id=ticket_id)
    if ticket.status == TicketStatus.CLOSED and (priority or not isinstance(assignee_id, _Unset)):
        raise RuleRefused("a closed ticket cannot change", message_ar="التذكرة مغلقة")
    if priority is not None:
        _set_priority(ticket, priority, actor=actor, now=now, note=note)
    if not isinstance(assignee_id, _Unset):
        _set_assignee(ticket, assignee_id, actor=actor, now=now)
    if status is not None and status != ticket.status:
        try:
            target = TicketStatus(status)
        except ValueError:
            raise InvalidValue("status", f"unknown status: {status}") from None
        _move(
            ticket,
            target,
            actor=actor,
            now=now,
            note=note,
            customer_confirmation=customer_confirmation,
            customer_confirmed_at=customer_confirmed_at,
        )
    return ticket_sla_recompute(ticket, now=now)


@transaction.atomic
def ticket_change_status(
    *,
    ticket_id: int,
    to: TicketStatus,
    actor: SignedInUser,
    now: dt.datetime,
    note: str = "",
    customer_confirmation: str = "",
    customer_confirmed_at: dt.datetime | None = None,
) -> Ticket:
    """Move the ticket along TICKET_MOVES, writing the move's SLA event."""
    ticket = ticket_for_update(ticket_id=ticket_id)
    _move(
        ticket,
        TicketStatus(to),
        actor=actor,
        now=now,
        note=note,
        customer_confirmation=customer_confirmation,
        customer_confirmed_at=customer_confirmed_at,
    )
    return ticket_sla_recompute(ticket, now=now)


@transaction.atomic
def sla_event_record(
    *,
    ticket_id: int,
    event: str,
    actor: SignedInUser | None,
    now: dt.datetime,
    note: str = "",
    actor_label: str = "",
) -> SlaEvent:
    """Store one SLA event for a stored ticket (POST /sla/event, POST /tickets/{id}/events/).

    `paused`, `resumed`, `resolved` and `opened` (reopen) move the ticket's status with it, so
    status and clocks never disagree; a move the table refuses is `InvalidTransition` (409).
    `first_response` is refused once recorded; `escalated` is only recorded.
    """
    kind = parse_sla_event(event)
    ticket = ticket_for_update(ticket_id=ticket_id)
    current = TicketStatus(ticket.status)
    if kind in _MOVE_OF_EVENT:
        sources, target = _MOVE_OF_EVENT[kind]
        if current not in sources:
            raise InvalidTransition(current, target)
        moved = _move(ticket, target, actor=actor, now=now, note=note)
        if moved is None:  # every move of _MOVE_OF_EVENT writes its event
            raise InvalidTransition(current, target)
        recorded = moved
    else:
        if current is TicketStatus.CLOSED:
            raise RuleRefused("the ticket is closed", message_ar="التذكرة مغلقة")
        if kind is SlaEventType.FIRST_RESPONSE and _has_event(ticket, kind):
            raise RuleRefused(
                "the first response is already recorded",
                field="event",
                message_ar="أول رد مسجّل مسبقاً",
            )
        recorded = _record_event(
            ticket, kind, at=now, actor=actor, note=note, actor_label=actor_label
        )
        ledger_record(
            verb=LedgerVerb(f"tickets.{kind.value}"),
            obj=ticket,
            actor=actor,
            actor_label=actor_label,
            at=now,
            after={"sla_event": kind.value},
            note=note,
        )
    ticket_sla_recompute(ticket, now=now)
    return recorded


# ── Replies and the first response ──────────────────────────────────────────────────────────────
def _recipient(customer: Customer, channel: str) -> str:
    to = customer.contact_email if channel == DraftChannel.EMAIL else customer.contact_phone
    if not to:
        raise RuleRefused(
            f"the customer has no {'email' if channel == DraftChannel.EMAIL else 'phone'} "
            "contact: give a recipient",
            field="to",
            message_ar="لا توجد وسيلة تواصل للعميل على هذه القناة: حدّد المستلم",
        )
    return to


def reply_body(ticket: Ticket) -> str:
    """A greeting, then the priority's first-response template (SPEC_RULES §4.5)."""
    template = first_response_template(priority=ticket.priority)
    name = ticket.customer.contact_name.strip()
    greeting = f"مرحباً {name}،" if name else "مرحباً،"
    return f"{greeting}\n\n{template['body_ar']}\n\nفريق Dealix"


@transaction.atomic
def ticket_reply_draft(
    *,
    ticket_id: int,
    actor: SignedInUser,
    now: dt.datetime,
    channel: str | None = None,
    to: str | None = None,
    body: str | None = None,
) -> OutboundDraft:
    """Draft the reply (first response template by default); it goes out only once approved.

    The drafted subject does not carry the ticket id ("never leak ticket ids in public
    channels"); an email adds its `[#<ticket>]` tag only when it is sent, to the customer alone,
    so their reply finds the ticket (services/draft_delivery.py `email_request`).
    """
    ticket = ticket_for_update(ticket_id=ticket_id)
    if ticket.status == TicketStatus.CLOSED:
        raise RuleRefused("the ticket is closed", message_ar="التذكرة مغلقة")
    customer = ticket.customer
    channel = channel or _REPLY_CHANNEL[TicketChannel(ticket.channel)].value
    recipient = (to or "").strip() or _recipient(customer, channel)
    source = (
        DraftSource.TICKET_FIRST_RESPONSE
        if ticket.first_response_at is None
        else DraftSource.TICKET_REPLY
    )
    draft = draft_create(
        customer_id=customer.pk,
        channel=channel,
        to=recipient,
        subject=f"رد: {ticket.subject}"[:200],
        body=body if body and body.strip() else reply_body(ticket),
        author=actor,
        now=now,
        source=source.value,
        ticket_id=ticket.pk,
    )
    ledger_record(
        verb=LedgerVerb.TICKETS_REPLY_DRAFTED,
        obj=ticket,
        actor=actor,
        at=now,
        after={"draft_id": draft.pk, "source": source.value, "channel": channel},
    )
    return draft


@transaction.atomic
def ticket_on_draft_sent(*, draft: OutboundDraft, actor: SignedInUser | None) -> SlaEvent | None:
    """Record the ticket's first response when a reply drafted for it is sent (idempotent)."""
    if draft.source not in TICKET_DRAFT_SOURCES or draft.status not in SENT_STATUSES:
        return None
    if draft.sent_at is None or draft.ticket_id is None:
        return None
    ticket = ticket_for_update(ticket_id=draft.ticket_id)
    if ticket.customer_id != draft.customer_id:
        return None
    if _has_event(ticket, SlaEventType.FIRST_RESPONSE):
        return None
    event = _record_event(
        ticket,
        SlaEventType.FIRST_RESPONSE,
        at=draft.sent_at,
        actor=actor,
        note=f"draft {draft.pk} ({draft.status})",
    )
    ticket_sla_recompute(ticket, now=draft.sent_at)
    ledger_record(
        verb=LedgerVerb.TICKETS_FIRST_RESPONSE,
        obj=ticket,
        actor=actor,
        at=draft.sent_at,
        after={"sla_event": SlaEventType.FIRST_RESPONSE.value, "draft_id": draft.pk},
    )
    return event


# ── Customer messages ───────────────────────────────────────────────────────────────────────────
@transaction.atomic
def ticket_on_customer_message(
    *, ticket_id: int, text: str, now: dt.datetime, actor_label: str
) -> Ticket:
    """What a customer's new message means for their open ticket.

    - waiting on the customer (`pending_customer`): the paused clocks resume (`resumed` event);
    - a message that reads more urgent than the ticket raises it, and the classified floor with
      it (`escalated` event); a calmer message never lowers anything.
    """
    ticket = ticket_for_update(ticket_id=ticket_id)
    if ticket.status == TicketStatus.PENDING_CUSTOMER:
        _move(ticket, TicketStatus.OPEN, actor=None, now=now, note=f"رد العميل ({actor_label})")
    decision = classify_priority(text)
    order = list(Priority)
    previous = parse_priority(ticket.priority)
    if order.index(decision.priority) < order.index(previous):
        ticket.priority = decision.priority.value
        ticket.classified_priority = decision.priority.value
        ticket.matched_keyword = (decision.matched_keyword or "")[:100]
        ticket.priority_reason_ar = decision.reason_ar[:300]
        ticket.save(
            update_fields=[
                "priority",
                "classified_priority",
                "matched_keyword",
                "priority_reason_ar",
                "updated_at",
            ]
        )
        _record_event(
            ticket,
            SlaEventType.ESCALATED,
            at=now,
            actor=None,
            actor_label=actor_label,
            note=f"{previous} → {decision.priority}",
        )
        ledger_record(
            verb=LedgerVerb.TICKETS_PRIORITY_CHANGED,
            obj=ticket,
            actor=None,
            actor_label=actor_label,
            at=now,
            before={"priority": previous},
            after={
                "priority": decision.priority,
                "escalated": True,
                "matched_keyword": ticket.matched_keyword,
                "reason_ar": ticket.priority_reason_ar,
            },
            note="raised by the customer's new message",
        )
    return ticket_sla_recompute(ticket, now=now)


# ── Calendar changes ────────────────────────────────────────────────────────────────────────────
@dataclass(frozen=True, slots=True)
class DueMove:
    """A ticket whose next due time a calendar change moved."""

    ticket_id: int
    subject: str
    assignee_id: int | None
    before: dt.datetime | None
    after: dt.datetime | None


@transaction.atomic
def tickets_recompute_for_calendar_change(
    *, now: dt.datetime, until: dt.date | None = None
) -> list[DueMove]:
    """Recompute the working-hours tickets a calendar change may move; returns those that moved.

    Candidates: open P2/P3 tickets (open or waiting on the customer) opened by the end of `until`
    (the last day the change touches; any day when None, e.g. a new week). Resolved and closed
    tickets keep the times they were measured with, even a first-response clock left running. Each candidate is locked and recomputed
    with one calendar built for all of them, in the caller's transaction.
    """
    working = [p.value for p, basis in SLA_CLOCK_BASIS.items() if basis is ClockBasis.WORKING_HOURS]
    candidates = Ticket.objects.filter(priority__in=working, status__in=OPEN_STATUSES)
    if until is not None:
        day_end = dt.datetime.combine(
            until + dt.timedelta(days=1), dt.time(), tzinfo=business_timezone()
        )
        candidates = candidates.filter(opened_at__lt=day_end)
    oldest = candidates.aggregate(oldest=Min("opened_at"))["oldest"]
    if oldest is None:
        return []
    calendar = calendar_for_span(oldest, now)
    moves: list[DueMove] = []
    for ticket_id in candidates.order_by("pk").values_list("pk", flat=True):
        ticket = ticket_for_update(ticket_id=ticket_id)
        before = ticket.next_due_at
        columns = ticket_sla_columns(
            ticket_sla(
                priority=ticket.priority,
                events=ticket_event_pairs(ticket.pk),
                now=now,
                calendar=calendar,
            )
        )
        for field, value in columns.items():
            setattr(ticket, field, value)
        ticket.save(update_fields=[*columns, "updated_at"])
        if ticket.next_due_at != before:
            moves.append(
                DueMove(
                    ticket_id=ticket.pk,
                    subject=ticket.subject,
                    assignee_id=ticket.assignee_id,
                    before=before,
                    after=ticket.next_due_at,
                )
            )
    return moves


def ticket_sla_snapshot(ticket: Ticket, *, now: dt.datetime) -> dict[str, Any]:
    """The stored SLA columns recomputed from the events at `now` (used to verify the copy)."""
    return ticket_sla_columns(
        ticket_sla(priority=ticket.priority, events=ticket_event_pairs(ticket.pk), now=now)
    )
