"""Reads of contact points: who a number or address belongs to, and their recorded opt-in."""

from __future__ import annotations

from customer_ops.domain.messages import MessageChannel
from customer_ops.domain.whatsapp import OptIn
from customer_ops.models import ContactPoint, Customer


def customer_for_contact(*, channel: str, value: str) -> Customer | None:
    """The customer a number (E.164) or address belongs to: a contact point, else `contact_*`."""
    if not value:
        return None
    point = (
        ContactPoint.objects.select_related("customer").filter(channel=channel, value=value).first()
    )
    if point is not None:
        return point.customer
    field = "contact_phone" if channel == MessageChannel.WHATSAPP else "contact_email__iexact"
    matches = list(Customer.objects.filter(**{field: value}).order_by("pk")[:2])
    # Two customers sharing a number cannot be told apart: the message waits for an operator.
    return matches[0] if len(matches) == 1 else None


def contact_opt_in(*, channel: str, value: str) -> OptIn | None:
    """The recorded opt-in of this number or address, if anyone recorded one."""
    point = (
        ContactPoint.objects.select_related("opted_in_by")
        .filter(channel=channel, value=value, opted_in_at__isnull=False)
        .first()
    )
    if point is None or point.opted_in_at is None:
        return None
    by = point.opted_in_by.get_username() if point.opted_in_by is not None else ""
    return OptIn(at=point.opted_in_at, by=by, method=point.opt_in_method)


def contact_points_for(*, customer_id: int) -> list[ContactPoint]:
    return list(
        ContactPoint.objects.filter(customer_id=customer_id)
        .select_related("opted_in_by")
        .order_by("channel", "value")
    )


def contact_point_for_update(*, channel: str, value: str) -> ContactPoint | None:
    return ContactPoint.objects.select_for_update().filter(channel=channel, value=value).first()


def customer_email_addresses(*, customer_id: int) -> list[str]:
    """Every address the customer writes from: their contact email and their email contact points."""
    customer = Customer.objects.filter(pk=customer_id).values_list("contact_email", flat=True)
    points = ContactPoint.objects.filter(
        customer_id=customer_id, channel=MessageChannel.EMAIL
    ).values_list("value", flat=True)
    return [address.lower() for address in [*customer, *points] if address]
