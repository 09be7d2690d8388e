"""Writes for customers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from customer_ops.domain.errors import RuleRefused
from customer_ops.domain.ledger import LedgerVerb
from customer_ops.domain.recipients import require_recipient
from customer_ops.domain.success import ensure_renewal_after_pilot_start
from customer_ops.models import Customer
from customer_ops.roles import SignedInUser
from customer_ops.selectors.locks import customer_for_update
from customer_ops.services.connectors import connectors_create
from customer_ops.services.ledger import ledger_record
from customer_ops.services.onboarding import onboarding_steps_create
from customer_ops.services.search import search_index_customer
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

# A customer's contacts are the default recipients of replies, check-ins and incident updates:
# each must be one recipient by the rule of its channel, or empty.
CONTACT_CHANNELS = {"contact_email": "email", "contact_phone": "phone"}


def _contact(field: str, value: str) -> str:
    return (
        require_recipient(channel=CONTACT_CHANNELS[field], to=value, field=field)
        if value.strip()
        else ""
    )


@transaction.atomic
def customer_create(
    *,
    company_name: str,
    bundle: str,
    actor: SignedInUser | None,
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
    """Create a customer on a locked bundle, with its 8 onboarding steps and 11 connectors."""
    bundle_get(bundle)  # an unknown bundle is an error, never a silent default
    ensure_renewal_after_pilot_start(pilot_started_on=pilot_started_on, renewal_on=renewal_on)
    customer = Customer(
        company_name=company_name.strip(),
        bundle=bundle,
        sector=sector,
        city=city,
        contact_name=contact_name,
        contact_email=_contact("contact_email", contact_email),
        contact_phone=_contact("contact_phone", contact_phone),
        pilot_started_on=pilot_started_on,
        renewal_on=renewal_on,
        status_changed_at=now,
    )
    customer.full_clean()
    customer.save()
    search_index_customer(customer, contact_values=())
    onboarding_steps_create(customer_id=customer.pk)
    connectors_create(customer_id=customer.pk)
    ledger_record(
        verb=LedgerVerb.CUSTOMERS_CREATED,
        obj=customer,
        actor=actor,
        actor_label=actor_label,
        at=now,
        after={field: getattr(customer, field) for field in CUSTOMER_FIELDS},
    )
    return customer


@transaction.atomic
def customer_update(
    *, customer_id: int, actor: SignedInUser | None, now: dt.datetime, **changes: Any
) -> Customer:
    """Change a customer's details; the ledger keeps the values before and after."""
    unknown = set(changes) - set(CUSTOMER_FIELDS)
    if unknown:
        raise RuleRefused(f"cannot change {sorted(unknown)}", field=sorted(unknown)[0])
    if "bundle" in changes:
        bundle_get(changes["bundle"])
    for field in CONTACT_CHANNELS.keys() & changes.keys():
        changes[field] = _contact(field, changes[field])
    customer = customer_for_update(customer_id=customer_id)
    changed = {
        field: value for field, value in changes.items() if getattr(customer, field) != value
    }
    if not changed:
        return customer
    before = {field: getattr(customer, field) for field in changed}
    for field, value in changed.items():
        setattr(customer, field, value)
    ensure_renewal_after_pilot_start(
        pilot_started_on=customer.pilot_started_on, renewal_on=customer.renewal_on
    )
    customer.full_clean()
    customer.save(update_fields=[*changed, "updated_at"])
    search_index_customer(customer)
    ledger_record(
        verb=LedgerVerb.CUSTOMERS_UPDATED,
        obj=customer,
        actor=actor,
        at=now,
        before=before,
        after=changed,
    )
    return customer
