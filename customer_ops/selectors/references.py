"""Rows named inside a request body: an unknown id there is bad input (a field error), not a 404."""

from __future__ import annotations

from customer_ops.domain.errors import InvalidValue
from customer_ops.models import Customer


def customer_referenced(customer_id: int, *, field: str = "customer") -> Customer:
    """The customer a form or API body names, or InvalidValue on `field` (400, both languages)."""
    customer = Customer.objects.filter(pk=customer_id).first()
    if customer is None:
        raise InvalidValue(
            field,
            f"no customer with id {customer_id}",
            message_ar=f"لا يوجد عميل برقم {customer_id}",
        )
    return customer
