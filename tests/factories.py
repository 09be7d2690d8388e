"""Small builders for test data, going through the services like the app does."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from customer_ops.models import Customer, OutboundDraft
from customer_ops.services.customers import customer_create
from customer_ops.services.drafts import draft_create


def make_customer(
    *,
    actor: Any,
    name: str = "شركة الاختبار",
    bundle: str = "growth_starter",
    now: dt.datetime | None = None,
    **extra: Any,
) -> Customer:
    return customer_create(
        company_name=name, bundle=bundle, actor=actor, now=now or timezone.now(), **extra
    )


def make_draft(
    *,
    customer: Customer,
    author: Any,
    body: str = "هلا، هذا تحديث أسبوعي عن التقدّم.",
    channel: str = "email",
    to: str = "client@example.sa",
    subject: str = "تحديث",
    **extra: Any,
) -> OutboundDraft:
    return draft_create(
        customer_id=customer.pk,
        channel=channel,
        to=to,
        subject=subject,
        body=body,
        author=author,
        now=timezone.now(),
        **extra,
    )
