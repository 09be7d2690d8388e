"""The one writer of the Action Ledger."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from customer_ops.domain.ledger import LedgerVerb
from customer_ops.models import LedgerEntry
from customer_ops.roles import SignedInUser

NOTE_MAX = 500


def _jsonable(values: dict[str, Any] | None) -> dict[str, Any]:
    """Before/after values as JSON (dates and decimals encoded the way Django encodes them)."""
    encoded: dict[str, Any] = json.loads(json.dumps(values or {}, cls=DjangoJSONEncoder))
    return encoded


def ledger_record(
    *,
    verb: LedgerVerb,
    obj: models.Model,
    at: dt.datetime,
    actor: SignedInUser | None = None,
    actor_label: str = "",
    customer_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> LedgerEntry:
    """Append one row; call it inside the service's transaction so it commits with the change.

    Only declared verbs are written: an undeclared one raises ValueError before anything is saved.
    """
    verb = LedgerVerb(verb)
    if customer_id is None:
        customer_id = getattr(obj, "customer_id", None)
        if customer_id is None and obj._meta.model_name == "customer":
            customer_id = obj.pk
    return LedgerEntry.objects.create(
        at=at,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=actor_label,
        verb=verb,
        object_type=obj._meta.model_name or "",
        object_id=str(obj.pk),
        customer_id=customer_id,
        before=_jsonable(before),
        after=_jsonable(after),
        note=note[:NOTE_MAX],
    )
