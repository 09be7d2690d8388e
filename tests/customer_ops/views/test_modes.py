"""Operator modes from real data: the self-growth brief, the delivery brief, SLA status, handoff."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from customer_ops.models import Customer, LedgerEntry, SuccessPlan
from customer_ops.services.onboarding import onboarding_set_step
from tests.factories import make_customer, make_ticket
from tests.helpers import HX

pytestmark = pytest.mark.django_db

SERVICE = "first_10_opportunities_sprint"


@pytest.fixture
def customer_fields() -> dict[str, Any]:
    return {
        "name": "شركة التسليم",
        "contact_email": "d@example.sa",
    }


def test_modes_send_anonymous_users_to_login(client: Client) -> None:
    for name in ("modes", "modes-delivery"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_modes_refuse_a_user_without_a_role(
    client: Client, make_user: Callable[..., Any], customer: Customer
) -> None:
    client.force_login(make_user("outsider"))

    assert client.get(reverse("modes")).status_code == 403
    assert (
        client.post(
            reverse("modes-handoff"), {"customer": customer.pk, "service": SERVICE}
        ).status_code
        == 403
    )


def test_self_growth_brief_targets_the_real_pilot_customers(
    operator_client: Client, founder: Any
) -> None:
    pilot = make_customer(actor=founder, name="عميل في التجربة")
    active = make_customer(actor=founder, name="عميل نشط")
    Customer.objects.filter(pk=active.pk).update(status="active")

    response = operator_client.get(reverse("modes"))

    html = response.content.decode()
    targets = response.context["brief"]["top_10_targets"]
    assert [t["company_name"] for t in targets] == ["عميل في التجربة"]
    assert reverse("customer-page", kwargs={"customer_id": pilot.pk}) in html
    assert "عندك اليوم شركة واحدة مرشحة" in html
    assert "عميل نشط" not in html


def test_delivery_brief_shows_workflow_intake_and_sla_status(
    operator_client: Client, customer: Customer, operator: Any
) -> None:
    onboarding_set_step(
        customer_id=customer.pk,
        step_id="company_intake",
        completed=True,
        actor=operator,
        now=timezone.now(),
    )

    response = operator_client.get(
        reverse("modes-delivery"), {"customer": customer.pk, "service": SERVICE}, headers=HX
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="delivery-brief"')
    assert "<html" not in html
    assert response.context["brief"]["intake_received"] is True
    assert html.count('class="workflow__step') == 11
    assert 'data-action="handoff"' in html


def test_handoff_is_refused_while_an_open_ticket_is_breached(
    operator_client: Client, customer: Customer, operator: Any
) -> None:
    make_ticket(
        customer=customer,
        actor=operator,
        now=timezone.now() - dt.timedelta(hours=3),
        subject="تسريب",
    )
    brief = operator_client.get(
        reverse("modes-delivery"), {"customer": customer.pk, "service": SERVICE}
    ).content.decode()
    assert "تذاكر مفتوحة تجاوزت الـ SLA: 1" in brief

    response = operator_client.post(
        reverse("modes-handoff"), {"customer": customer.pk, "service": SERVICE}, headers=HX
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert html.lstrip().startswith('<section id="handoff"')
    assert "لا يمكن تسليم الخدمة: تذكرة واحدة مفتوحة تجاوزت الـ SLA" in html
    assert not SuccessPlan.objects.filter(customer=customer).exists()


def test_handoff_creates_the_success_plan_when_no_ticket_is_breached(
    operator_client: Client, customer: Customer
) -> None:
    response = operator_client.post(
        reverse("modes-handoff"), {"customer": customer.pk, "service": SERVICE}, headers=HX
    )

    assert response.status_code == 200
    assert "سُلّمت الخدمة لنجاح العملاء" in response.content.decode()
    assert SuccessPlan.objects.filter(customer=customer).exists()
    assert LedgerEntry.objects.filter(verb="delivery.handed_off").exists()


def test_handoff_with_an_unknown_service_is_refused(
    operator_client: Client, customer: Customer
) -> None:
    response = operator_client.post(
        reverse("modes-handoff"), {"customer": customer.pk, "service": "nope"}, headers=HX
    )

    assert response.status_code == 422
    assert not LedgerEntry.objects.filter(verb="delivery.handed_off").exists()
