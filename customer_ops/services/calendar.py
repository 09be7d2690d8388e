"""Writes to the working calendar: announced holidays (and working days) that move the clocks."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from customer_ops.domain.errors import InvalidValue
from customer_ops.domain.ledger import LedgerVerb
from customer_ops.models import HolidayOverride
from customer_ops.services.ledger import ledger_record
from customer_ops.services.tickets import tickets_recompute_for_calendar_change


@transaction.atomic
def holiday_override_set(
    *,
    date: dt.date,
    name: str,
    closed: bool = True,
    actor: AbstractBaseUser | None,
    now: dt.datetime,
) -> HolidayOverride:
    """Announce a day off (or a working day) and move the open tickets' working-hours clocks."""
    if not name.strip():
        raise InvalidValue("name", "the occasion needs a name", message_ar="اسم المناسبة مطلوب")
    override = HolidayOverride.objects.select_for_update().filter(date=date).first()
    before = {"name": override.name, "closed": override.closed} if override else {}
    if override is None:
        override = HolidayOverride(date=date, created_by=actor if actor else None)
    override.name = name.strip()[:200]
    override.closed = closed
    override.full_clean()
    override.save()
    ledger_record(
        verb=LedgerVerb.SLA_HOLIDAY_SET,
        obj=override,
        actor=actor,
        at=now,
        before=before,
        after={"date": date, "name": override.name, "closed": closed},
    )
    tickets_recompute_for_calendar_change(day=date, now=now)
    return override
