"""Races on PostgreSQL: the critical-verdict notice and the first response happen once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection

from customer_ops.models import Notification, SlaEvent, SlaVerdictNotice
from customer_ops.services import draft_delivery
from customer_ops.services import drafts as draft_services
from customer_ops.services.draft_delivery import on_draft_sent
from customer_ops.services.sla_report import sla_health_review
from customer_ops.services.tickets import ticket_reply_draft
from tests.customer_ops.services.test_draft_races import run_at_once
from tests.factories import make_customer, make_ticket

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row-lock races need PostgreSQL (CI runs it)"
    ),
]

T0 = dt.datetime(2026, 3, 1, 7, 0, tzinfo=dt.UTC)
THREADS = 12


def test_concurrent_reports_notify_the_founders_once(founder: Any, operator: Any) -> None:
    customer = make_customer(actor=founder, now=T0)
    make_ticket(customer=customer, actor=operator, now=T0, subject="تسريب")
    later = T0 + dt.timedelta(hours=2)

    errors = run_at_once(
        lambda: sla_health_review(
            date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 7), now=later
        ),
        THREADS,
    )

    assert errors == []
    assert SlaVerdictNotice.objects.count() == 1
    assert Notification.objects.filter(recipient=founder, kind="sla_critical").count() == 1


def test_concurrent_sent_hooks_record_one_first_response(founder: Any, operator: Any) -> None:
    customer = make_customer(actor=founder, now=T0, contact_email="c@x.sa")
    ticket = make_ticket(customer=customer, actor=operator, now=T0)
    draft = ticket_reply_draft(ticket_id=ticket.pk, actor=operator, now=T0)
    draft_services.draft_approve(draft_id=draft.pk, approver=founder, now=T0)
    sent = draft_delivery.draft_send(draft_id=draft.pk, actor=operator, now=T0)

    errors = run_at_once(lambda: on_draft_sent(draft=sent, actor=operator), THREADS)

    assert errors == []
    assert SlaEvent.objects.filter(ticket=ticket, event="first_response").count() == 1
