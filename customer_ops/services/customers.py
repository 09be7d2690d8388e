"""Writes for customers."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from customer_ops.models import Customer
from customer_ops.services.ledger import ledger_record
from positioning.lock import bundle_get

CUSTOMER_FIELDS = (
    "company_name",
    "sector",
    "city",
    "bundle",
    "contact_name",
    "contact_email",
    "contact_phone",
    "pilot_started_on",
    "renewal_on",
)


@transaction.atomic
def customer_create(
    *,
    company_name: str,
    bundle: str,
    actor: AbstractBaseUser | None,
    now: dt.datetime,
    actor_label: str = "",
    sector: str = "",
    city: str = "",
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    pilot_started_on: dt.date | None = None,
    renewal_on: dt.date | None = None,
) -> Customer:
    """Create a customer on one of the five locked bundles and record it in the ledger."""
    bundle_get(bundle)  # an unknown bundle is an error, never a silent default
    customer = Customer(
        company_name=company_name.strip(),
        bundle=bundle,
        sector=sector,
        city=city,
        contact_name=contact_name,
        contact_email=contact_email,
        contact_phone=contact_phone,
        pilot_started_on=pilot_started_on,
        renewal_on=renewal_on,
        status_changed_at=now,
    )
    customer.full_clean()
    customer.save()
    ledger_record(
        verb="customers.created",
        obj=customer,
        actor=actor,
        actor_label=actor_label,
        at=now,
        after={field: getattr(customer, field) for field in CUSTOMER_FIELDS},
    )
    return customer
