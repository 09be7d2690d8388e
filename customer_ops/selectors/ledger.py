"""Reads of the Action Ledger across all customers: the ledger screen, its filters and links."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse

from customer_ops.models import Customer, LedgerEntry
from customer_ops.selectors.calendar import business_timezone

# Where each kind of object opens in the console: by its own id, or (for the pieces of a customer
# that have no page of their own) on its customer's page.
_OWN_PAGES = {
    "customer": ("customer-page", "customer_id"),
    "ticket": ("ticket-page", "ticket_id"),
    "incident": ("incident-page", "incident_id"),
    "outbounddraft": ("approvals-draft", "draft_id"),
}
_CUSTOMER_PAGES = {
    "customerconnector": "customer-page",
    "onboardingstep": "customer-page",
    "progresslink": "customer-page",
    "contactpoint": "customer-page",
    "successplan": "customer-success",
    "successtouchpoint": "customer-success",
    "checkin": "customer-success",
    "proofpackdelivery": "customer-success",
}
_CALENDAR_OBJECTS = frozenset({"holidayoverride", "calendarperiod", "workingcalendarstate"})


def ledger_object_link(entry: LedgerEntry) -> str:
    """The console page of a ledger row's object ("" when it has none)."""
    if entry.object_type in _OWN_PAGES and entry.object_id.isdigit():
        name, kwarg = _OWN_PAGES[entry.object_type]
        return reverse(name, kwargs={kwarg: int(entry.object_id)})
    if entry.object_type in _CUSTOMER_PAGES and entry.customer_id:
        return reverse(_CUSTOMER_PAGES[entry.object_type], args=[entry.customer_id])
    if entry.object_type in _CALENDAR_OBJECTS:
        return reverse("calendar")
    if entry.object_type == "weeklyslareview":
        return reverse("sla-report")
    return ""


def ledger_entries_for(*, filters: Mapping[str, Any]) -> QuerySet[LedgerEntry]:
    """The ledger, newest first, filtered by who (`actor`), what (`verb`), when and object type.

    `date_from` / `date_to` are days in the business timezone, both included.
    """
    company = Customer.objects.filter(pk=OuterRef("customer_id")).values("company_name")[:1]
    entries = (
        LedgerEntry.objects.select_related("actor")
        .annotate(customer_name=Subquery(company))
        .order_by("-at", "-id")
    )
    if filters.get("actor"):
        entries = entries.filter(actor_id=filters["actor"])
    if filters.get("verb"):
        entries = entries.filter(verb=filters["verb"])
    if filters.get("object_type"):
        entries = entries.filter(object_type=filters["object_type"])
    zone = business_timezone()
    if filters.get("date_from"):
        start = dt.datetime.combine(filters["date_from"], dt.time.min, tzinfo=zone)
        entries = entries.filter(at__gte=start)
    if filters.get("date_to"):
        end = dt.datetime.combine(
            filters["date_to"] + dt.timedelta(days=1), dt.time.min, tzinfo=zone
        )
        entries = entries.filter(at__lt=end)
    return entries
