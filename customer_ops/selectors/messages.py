"""Reads of ticket conversations: threads, the unmatched inbox, and what WhatsApp rules need."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Max, QuerySet
from django.shortcuts import get_object_or_404

from customer_ops.domain.contacts import to_e164
from customer_ops.domain.delivery import Route
from customer_ops.domain.errors import DomainError
from customer_ops.domain.messages import DeliveryStatus, MessageChannel, MessageDirection
from customer_ops.domain.whatsapp import SendFacts, SendRule, TemplateView, whatsapp_send_rule
from customer_ops.models import MessageStatusEvent, OutboundDraft, TicketMessage
from customer_ops.models.message_templates import TemplateStatus
from customer_ops.selectors.contacts import contact_opt_in
from customer_ops.selectors.drafts import draft_route


def ticket_thread(*, ticket_id: int) -> QuerySet[TicketMessage]:
    """The ticket's messages, oldest first, with who wrote them and the draft that carried them."""
    return (
        TicketMessage.objects.filter(ticket_id=ticket_id)
        .select_related("author", "draft")
        .order_by("at", "id")
    )


def ticket_last_message_id(*, ticket_id: int) -> int:
    """The newest message id of a thread (0 when empty): the console polls for a change of it."""
    return TicketMessage.objects.filter(ticket_id=ticket_id).aggregate(m=Max("id"))["m"] or 0


def unmatched_messages() -> QuerySet[TicketMessage]:
    """Customer messages from nobody we know, oldest first, waiting for an operator."""
    return TicketMessage.objects.filter(
        direction=MessageDirection.IN, customer__isnull=True
    ).order_by("at", "id")


def inbound_message_latest_id() -> int:
    """The newest customer message id anywhere (0 when none): the queue polls for a change of it."""
    return (
        TicketMessage.objects.filter(direction=MessageDirection.IN).aggregate(m=Max("id"))["m"] or 0
    )


def message_for_update(*, message_id: int) -> TicketMessage:
    return get_object_or_404(TicketMessage.objects.select_for_update(), pk=message_id)


def message_by_external_id(*, channel: str, external_id: str) -> TicketMessage | None:
    return (
        TicketMessage.objects.select_for_update()
        .filter(channel=channel, external_id=external_id)
        .first()
    )


def message_status_reports(*, channel: str, external_id: str) -> list[DeliveryStatus]:
    """Every status reported for a provider id, kept even before its message was recorded."""
    return [
        DeliveryStatus(status)
        for status in MessageStatusEvent.objects.filter(
            channel=channel, external_id=external_id
        ).values_list("status", flat=True)
    ]


def message_status_history(*, message_id: int) -> QuerySet[MessageStatusEvent]:
    return MessageStatusEvent.objects.filter(message_id=message_id).order_by("at", "id")


def last_inbound_at(*, channel: str, sender: str) -> dt.datetime | None:
    """When this number or address last wrote to us (the 24-hour window counts from it)."""
    return TicketMessage.objects.filter(
        channel=channel, direction=MessageDirection.IN, sender=sender
    ).aggregate(last=Max("at"))["last"]


def whatsapp_send_facts(draft: OutboundDraft) -> SendFacts:
    """Opt-in, window and template of a WhatsApp draft, for `domain.whatsapp.whatsapp_send_rule`."""
    try:
        to = to_e164(draft.to, field="to")
    except DomainError:
        to = draft.to
    template = draft.template
    return SendFacts(
        to=to,
        opt_in=contact_opt_in(channel=MessageChannel.WHATSAPP, value=to),
        last_inbound_at=last_inbound_at(channel=MessageChannel.WHATSAPP, sender=to),
        template=TemplateView(
            name=template.name,
            language=template.language,
            parameter_count=template.parameter_count,
            approved=template.status == TemplateStatus.APPROVED,
        )
        if template is not None
        else None,
        template_params=[str(value) for value in draft.template_params or []],
    )


def whatsapp_live(draft: OutboundDraft) -> bool:
    """True when the app itself sends this draft through the Graph API once approved."""
    try:
        return draft_route(draft) == Route.WHATSAPP
    except DomainError:
        return False


def whatsapp_advice(draft: OutboundDraft, *, now: dt.datetime) -> dict[str, object] | None:
    """What the draft card tells the founder before approving a WhatsApp draft (None otherwise).

    `rule` is free text or template when it may go now; `refusal` says why it may not.
    """
    if draft.channel != MessageChannel.WHATSAPP:
        return None
    facts = whatsapp_send_facts(draft)
    advice: dict[str, object] = {
        "live": whatsapp_live(draft) and bool(settings.WHATSAPP_ALLOW_LIVE_SEND),
        "facts": facts,
        "window_closes_at": facts.window_closes_at(),
        "rule": "",
        "refusal": "",
    }
    try:
        rule: SendRule = whatsapp_send_rule(facts, now=now)
        advice["rule"] = rule.value
    except DomainError as refusal:
        advice["refusal"] = refusal
    return advice
