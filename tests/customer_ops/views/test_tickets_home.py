"""Home additions (tickets nearest to breach, incidents owing an update, at-risk customers) and
the console routes of the operations screens."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse
from django.utils import timezone

from customer_ops.services.tickets import ticket_change_status
from tests.factories import make_customer, make_incident, make_ticket

pytestmark = pytest.mark.django_db

OPERATIONS_URL_NAMES = [
    "ticket-queue",
    "ticket-queue-csv",
    "ticket-new",
    "ticket-classify",
    "ticket-page",
    "ticket-move",
    "ticket-close",
    "ticket-priority-set",
    "ticket-assign",
    "ticket-reply",
    "incident-room",
    "incident-new",
    "incident-triage",
    "incident-page",
    "incident-severity-set",
    "incident-status-set",
    "incident-plan-tick",
    "incident-timeline-add",
    "incident-postmortem-save",
    "incident-comms",
    "success-home",
    "success-at-risk",
    "touchpoint-done",
    "customer-success",
    "success-plan-create",
    "proof-pack-record",
    "check-in-build",
    "sla-report",
    "sla-report-csv",
    "modes",
    "modes-delivery",
    "modes-handoff",
    "notifications",
    "notifications-badge",
]


def test_operations_url_names_do_not_collide_with_the_api() -> None:
    for name in OPERATIONS_URL_NAMES:
        patterns = get_resolver().reverse_dict.getlist(name)
        assert len(patterns) == 1, name
        assert not patterns[0][1].startswith("api/"), name


def test_navigation_links_every_operations_screen(operator_client: Client) -> None:
    html = operator_client.get(reverse("home")).content.decode()
    nav = html.split('<nav class="nav"')[1].split("</nav>")[0]

    for name in ("ticket-queue", "incident-room", "success-home", "sla-report", "modes"):
        assert f'href="{reverse(name)}"' in nav, name
    queue = operator_client.get(reverse("ticket-queue")).content.decode()
    assert f'<a href="{reverse("ticket-queue")}" aria-current="page">' in queue


def test_home_lists_what_needs_the_operator_now_each_linking_to_the_item(
    operator_client: Client, founder: Any, operator: Any
) -> None:
    now = timezone.now()
    customer = make_customer(
        actor=founder,
        name="عميل قديم",
        contact_email="o@example.sa",
        now=now - dt.timedelta(days=30),
    )
    urgent = make_ticket(customer=customer, actor=operator, now=now, subject="تسريب")
    question = make_ticket(customer=customer, actor=operator, now=now, subject="سؤال")
    waiting = make_ticket(customer=customer, actor=operator, now=now, subject="بانتظار")
    ticket_change_status(ticket_id=waiting.pk, to="pending_customer", actor=operator, now=now)
    incident = make_incident(actor=operator, now=now, title="بطء الإرسال", customers=(customer,))

    response = operator_client.get(reverse("home"))

    html = response.content.decode()
    assert [t.pk for t in response.context["nearest"]] == [urgent.pk, question.pk]
    assert reverse("ticket-page", kwargs={"ticket_id": urgent.pk}) in html
    assert [i.pk for i in response.context["updates_due"]] == [incident.pk]
    assert reverse("incident-page", kwargs={"incident_id": incident.pk}) in html
    assert [row["company_name"] for row in response.context["at_risk"]] == ["عميل قديم"]
    assert reverse("customer-success", kwargs={"customer_id": customer.pk}) in html
    assert html.count("data-due=") >= 3  # live countdowns on tickets and the incident


def test_home_query_count_does_not_grow_with_tickets(
    operator_client: Client, founder: Any, operator: Any
) -> None:
    now = timezone.now()
    customer = make_customer(actor=founder, name="عميل")
    make_ticket(customer=customer, actor=operator, now=now)
    with CaptureQueriesContext(connection) as small:
        operator_client.get(reverse("home"))
    for index in range(12):
        make_ticket(customer=customer, actor=operator, now=now, subject=f"تسريب {index}")
        make_incident(actor=operator, now=now, title=f"حادثة {index}", customers=(customer,))

    with CaptureQueriesContext(connection) as large:
        operator_client.get(reverse("home"))

    assert len(large.captured_queries) == len(small.captured_queries)
