"""Operators hear of what concerns them: their draft rejected, their ticket breaching its SLA."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from customer_ops.domain.notifications import TargetKind
from customer_ops.models import Notification
from customer_ops.selectors.notifications import notification_link
from customer_ops.services.drafts import draft_reject
from customer_ops.services.sweeps import sla_sweep
from tests.factories import make_customer, make_draft, make_ticket

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 8, 7, 0, tzinfo=dt.UTC)  # Sunday 10:00 Riyadh


def test_rejected_draft_tells_its_author_why(founder: Any, operator: Any) -> None:
    customer = make_customer(actor=founder, name="شركة نمو")
    draft = make_draft(customer=customer, author=operator, subject="تحديث الأسبوع")

    draft_reject(draft_id=draft.pk, actor=founder, now=NOW, reason="الأرقام غير مؤكدة")

    notice = Notification.objects.get(recipient=operator, kind="draft_rejected")
    assert notice.title == "رُفضت مسودتك: تحديث الأسبوع"
    assert notice.body == "الأرقام غير مؤكدة"
    assert notice.target_kind == TargetKind.CUSTOMER
    assert notification_link(notice) == f"/customers/{customer.pk}/"
    assert not Notification.objects.filter(recipient=founder, kind="draft_rejected").exists()


def test_breaching_p0_ticket_tells_its_assigned_operator_as_well_as_the_founders(
    founder: Any, operator: Any
) -> None:
    customer = make_customer(actor=founder, name="شركة نمو")
    ticket = make_ticket(
        customer=customer,
        actor=operator,
        now=NOW,
        subject="تسريب بيانات العملاء",
        assignee_id=operator.pk,
    )
    assert ticket.priority == "P0"

    sla_sweep(now=NOW + dt.timedelta(hours=1))

    mine = Notification.objects.filter(recipient=operator, kind="sla_breach")
    assert mine.count() == 1
    assert mine.get().ticket_id == ticket.pk
    assert Notification.objects.filter(recipient=founder, kind="sla_breach").count() == 1
