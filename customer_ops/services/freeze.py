"""Freezing live actions: after a critical SLA review nothing leaves by itself until a founder says so."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from customer_ops.domain.errors import RoleRefused, RuleRefused
from customer_ops.domain.ledger import LedgerVerb
from customer_ops.models.scheduling import LiveActionsFreeze
from customer_ops.roles import SignedInUser, is_founder
from customer_ops.selectors.locks import active_freeze_for_update
from customer_ops.services.ledger import ledger_record


def active_freeze() -> LiveActionsFreeze | None:
    """The freeze in force, if any."""
    return LiveActionsFreeze.objects.filter(active=True).first()


def ensure_not_frozen() -> None:
    """Refuse an app-initiated send while live actions are frozen (manual sends stay possible)."""
    freeze = active_freeze()
    if freeze is not None:
        raise RuleRefused(
            f"live actions are frozen since {freeze.started_at:%Y-%m-%d %H:%M} UTC: {freeze.reason}",
            field="status",
            message_ar=f"الإجراءات الحية مجمّدة: {freeze.reason}",
        )


@transaction.atomic
def freeze_live_actions(*, reason: str, now: dt.datetime, by_label: str) -> LiveActionsFreeze:
    """Start a freeze (a second call while one is active returns the active one)."""
    existing = active_freeze()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            freeze = LiveActionsFreeze.objects.create(
                reason=reason[:500], started_at=now, started_by_label=by_label
            )
    except IntegrityError:  # a concurrent caller froze first
        return LiveActionsFreeze.objects.get(active=True)
    ledger_record(
        verb=LedgerVerb.LIVE_ACTIONS_FROZEN,
        obj=freeze,
        actor_label=by_label,
        at=now,
        after={"reason": freeze.reason},
    )
    return freeze


@transaction.atomic
def lift_freeze(*, actor: SignedInUser, now: dt.datetime, note: str = "") -> LiveActionsFreeze:
    """Only a founder lifts a freeze; the ledger records who and why."""
    if not is_founder(actor):
        raise RoleRefused(
            "only a founder may lift the freeze", field="actor", message_ar="رفع التجميد للمؤسس فقط"
        )
    freeze = active_freeze_for_update()
    if freeze is None:
        raise RuleRefused("there is no active freeze", message_ar="لا يوجد تجميد نشط")
    freeze.active = False
    freeze.lifted_at = now
    freeze.lifted_by = actor
    freeze.save(update_fields=["active", "lifted_at", "lifted_by"])
    ledger_record(
        verb=LedgerVerb.LIVE_ACTIONS_UNFROZEN,
        obj=freeze,
        actor=actor,
        at=now,
        note=note,
        before={"active": True},
        after={"active": False},
    )
    return freeze
