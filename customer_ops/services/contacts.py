"""Writes for contact points: adding a customer's number or address, recording their opt-in."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from customer_ops.domain.contacts import to_e164
from customer_ops.domain.errors import InvalidValue, RuleRefused
from customer_ops.domain.ledger import LedgerVerb
from customer_ops.domain.messages import MessageChannel
from customer_ops.models import ContactPoint
from customer_ops.roles import SignedInUser
from customer_ops.selectors.contacts import contact_point_for_update
from customer_ops.selectors.customers import customer_referenced
from customer_ops.services.ledger import ledger_record
from customer_ops.services.search import search_index_customer


def contact_value(channel: str, value: str) -> str:
    """The stored form: E.164 for WhatsApp, a trimmed lower-case address for email."""
    if channel == MessageChannel.WHATSAPP:
        return to_e164(value, field="value")
    if channel == MessageChannel.EMAIL:
        return value.strip().lower()
    raise InvalidValue(
        "channel", f"unknown channel: {channel}", message_ar=f"قناة غير معروفة: {channel}"
    )


@transaction.atomic
def contact_opt_in_record(
    *,
    customer_id: int,
    channel: str,
    value: str,
    method: str,
    actor: SignedInUser,
    now: dt.datetime,
    label: str = "",
) -> ContactPoint:
    """Record that this number (or address) of the customer agreed to be messaged, and how.

    Creates the contact point if needed. A number already belonging to another customer is
    refused: an inbound message must match one customer.
    """
    customer = customer_referenced(customer_id)
    stored = contact_value(channel, value)
    if not stored:
        raise InvalidValue(
            "value", "a number or address is required", message_ar="الرقم أو العنوان مطلوب"
        )
    if not method.strip():
        raise RuleRefused(
            "say how the customer agreed (signed order form, their own message, a call…)",
            field="method",
            message_ar="اذكر كيف وافق العميل (نموذج طلب موقّع، رسالة منه، مكالمة…)",
        )
    point = contact_point_for_update(channel=channel, value=stored)
    if point is not None and point.customer_id != customer.pk:
        raise RuleRefused(
            f"{stored} belongs to another customer",
            field="value",
            message_ar=f"الرقم {stored} يخص عميلاً آخر",
        )
    before = (
        {"opted_in_at": point.opted_in_at, "opt_in_method": point.opt_in_method}
        if point is not None
        else {}
    )
    if point is None:
        point = ContactPoint(customer=customer, channel=channel, value=stored)
    point.label = label.strip()[:100] or point.label
    point.opted_in_at = now
    point.opted_in_by = actor
    point.opt_in_method = method.strip()[:200]
    point.full_clean()
    point.save()
    search_index_customer(customer)
    ledger_record(
        verb=LedgerVerb.CONTACTS_OPTED_IN,
        obj=point,
        actor=actor,
        at=now,
        before=before,
        after={"channel": channel, "value": stored, "opt_in_method": point.opt_in_method},
    )
    return point
