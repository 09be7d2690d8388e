"""What a support lead expects to see: a resolved ticket stops every countdown, the customer page
shows the customer's tickets, incidents and success plan, SLA targets say what they mean."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from customer_ops.domain.incidents import PDPL_PLAN_STEP_AR, pdpl_step_open
from customer_ops.domain.transitions import TicketStatus
from customer_ops.models import IncidentPlanStep
from customer_ops.services.incidents import incident_plan_step_tick
from customer_ops.services.success import success_plan_create
from customer_ops.services.tickets import ticket_change_status
from customer_ops.templatetags.ops import sla_target
from tests.factories import make_customer, make_incident, make_ticket

pytestmark = pytest.mark.django_db


def test_resolved_ticket_shows_no_running_countdown(
    operator_client: Client, founder: Any, operator: Any
) -> None:
    customer = make_customer(actor=founder, name="شركة نمو")
    now = timezone.now()
    ticket = make_ticket(customer=customer, actor=operator, now=now - dt.timedelta(hours=1))
    ticket_change_status(
        ticket_id=ticket.pk,
        to=TicketStatus.RESOLVED,
        actor=operator,
        now=now,
        customer_confirmation="أكد العميل أن المشكلة حُلّت",
        customer_confirmed_at=now,
    )

    page = operator_client.get(reverse("ticket-page", args=[ticket.pk])).content.decode()
    queue = operator_client.get(reverse("ticket-queue") + "?status=resolved").content.decode()

    assert 'role="timer"' not in page
    assert 'role="timer"' not in queue


def test_customer_page_shows_the_customers_tickets_incidents_and_success_plan(
    operator_client: Client, founder: Any, operator: Any
) -> None:
    customer = make_customer(actor=founder, name="شركة نمو")
    other = make_customer(actor=founder, name="شركة أخرى")
    now = timezone.now()
    ticket = make_ticket(customer=customer, actor=operator, now=now, subject="Gmail لا يتزامن")
    make_ticket(customer=other, actor=operator, now=now, subject="تذكرة عميل آخر")
    incident = make_incident(actor=operator, now=now, title="تأخر الإرسال", customers=(customer,))
    success_plan_create(customer_id=customer.pk, actor=operator, now=now)

    html = operator_client.get(reverse("customer-page", args=[customer.pk])).content.decode()
    panel = html.split('id="customer-cases"')[1].split("</section>")[0]

    assert f'href="{reverse("ticket-page", args=[ticket.pk])}"' in panel
    assert "مفتوحة" in panel
    assert "تذكرة عميل آخر" not in panel
    assert f'href="{reverse("incident-page", args=[incident.pk])}"' in panel
    assert f'href="{reverse("customer-success", args=[customer.pk])}"' in panel
    assert "الخطوة التالية:" in panel
    assert "kick-off" not in panel  # the plan's task in the console's language


def test_pdpl_step_open_only_for_a_data_leak_with_the_step_unticked() -> None:
    steps = [("تجميد", True), (PDPL_PLAN_STEP_AR, False)]

    assert pdpl_step_open(has_data_leak=True, steps=steps) is True
    assert pdpl_step_open(has_data_leak=False, steps=steps) is False
    assert pdpl_step_open(has_data_leak=True, steps=[(PDPL_PLAN_STEP_AR, True)]) is False


def test_sev1_data_leak_warns_before_closing_while_the_pdpl_step_is_unticked(
    operator_client: Client, operator: Any
) -> None:
    now = timezone.now()
    incident = make_incident(actor=operator, now=now, title="SEV1: تسريب", has_data_leak=True)
    url = reverse("incident-page", args=[incident.pk])

    before = operator_client.get(url).content.decode()
    position = IncidentPlanStep.objects.get(
        incident=incident, text=PDPL_PLAN_STEP_AR, retired_at__isnull=True
    ).position
    incident_plan_step_tick(incident_id=incident.pk, position=position, actor=operator, now=now)
    after = operator_client.get(url).content.decode()

    assert 'data-warning="pdpl"' in before
    assert 'hx-confirm="خطوة إخطار PDPL' in before
    assert 'data-warning="pdpl"' not in after
    assert "خطوة إخطار PDPL" not in after


def test_working_time_targets_are_labelled_in_working_days_on_preview_page_and_report(
    operator_client: Client, founder: Any, operator: Any
) -> None:
    customer = make_customer(actor=founder, name="شركة نمو")
    ticket = make_ticket(customer=customer, actor=operator, now=timezone.now())
    assert ticket.priority == "P3"

    preview = operator_client.get(reverse("ticket-new")).content.decode()
    page = operator_client.get(reverse("ticket-page", args=[ticket.pk])).content.decode()
    report = operator_client.get(reverse("sla-report")).content.decode()

    for html in (preview, page, report):
        assert "21 يوم عمل (168 ساعة عمل)" in html
        assert "7 أيام" not in html and "7 يوم" not in html
    assert "3 أيام عمل (24 ساعة عمل)" in page  # the first-response clock


def test_round_the_clock_targets_stay_clock_time() -> None:
    with translation.override("en"):
        assert sla_target(240, "P0") == "4 h"
        assert sla_target(dt.timedelta(hours=72), "P2") == "9 working days (72 working hours)"
