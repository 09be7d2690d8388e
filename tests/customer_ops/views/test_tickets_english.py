"""The operations screens in English: every UI string translated, left to right; stored content
(what customers and operators wrote, the Arabic templates and reasons) stays as written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from customer_ops.domain.incidents import CANONICAL_PLAN_AR, EXTRA_PLAN_AR
from customer_ops.domain.modes import SERVICES, WORKFLOW_STEP_LABELS_AR
from customer_ops.domain.priority import SUPPORT_PRIORITIES
from customer_ops.labels import (
    plan_step_text,
    priority_label,
    service_name,
    workflow_step_label,
)
from customer_ops.models import (
    IncidentTimelineEntry,
    OutboundDraft,
    SlaEvent,
    Ticket,
)
from customer_ops.services.incidents import incident_plan_step_tick
from customer_ops.services.success import success_plan_create
from customer_ops.services.tickets import ticket_reply_draft
from tests.customer_ops.views.test_i18n import ARABIC, arabic_in_ui
from tests.factories import make_customer, make_incident, make_ticket

pytestmark = pytest.mark.django_db


def stored_content() -> tuple[str, ...]:
    """Text the app stores as written: it is shown as it is in either language."""
    values: list[str] = []
    for ticket in Ticket.objects.all():
        values += [ticket.subject, ticket.body, ticket.priority_reason_ar, ticket.matched_keyword]
    values += list(IncidentTimelineEntry.objects.values_list("text", flat=True))
    values += list(SlaEvent.objects.values_list("note", flat=True))
    for draft in OutboundDraft.objects.all():
        values += [draft.subject, *draft.body.splitlines()]
    return tuple(sorted({value for value in values if value}, key=len, reverse=True))


def test_operations_screens_are_english_with_the_english_switch(
    english_client: Client, founder: Any, operator: Any
) -> None:
    now = timezone.now()
    customer = make_customer(
        actor=founder,
        name="Acme Trading",
        contact_name="Sara",
        contact_email="sara@acme.sa",
        now=now - dt.timedelta(days=20),
    )
    ticket = make_ticket(
        customer=customer, actor=operator, now=now, subject="Gmail sync broken", body="Since 9am."
    )
    ticket_reply_draft(ticket_id=ticket.pk, actor=operator, now=now)
    make_ticket(
        customer=customer, actor=operator, now=now - dt.timedelta(hours=3), subject="data leak"
    )
    incident = make_incident(
        actor=operator,
        now=now,
        title="WhatsApp delay",
        customers=(customer,),
        description="Messages late.",
        has_data_leak=True,
    )
    incident_plan_step_tick(incident_id=incident.pk, position=1, actor=operator, now=now)
    success_plan_create(customer_id=customer.pk, actor=operator, now=now)
    urls = [
        reverse("home"),
        reverse("ticket-queue"),
        reverse("ticket-new"),
        reverse("ticket-page", kwargs={"ticket_id": ticket.pk}),
        reverse("incident-room"),
        reverse("incident-new"),
        reverse("incident-page", kwargs={"incident_id": incident.pk}),
        reverse("success-home"),
        reverse("success-at-risk"),
        reverse("customer-success", kwargs={"customer_id": customer.pk}),
        reverse("sla-report"),
        reverse("modes"),
        reverse("modes-delivery") + f"?customer={customer.pk}&service=list_intelligence",
        reverse("notifications"),
    ]
    content = stored_content()

    for url in urls:
        response = english_client.get(url)
        html = response.content.decode()

        assert response.status_code == 200, url
        assert '<html lang="en" dir="ltr">' in html, url
        assert arabic_in_ui(html, content=content) == [], url


def test_domain_labels_shown_by_the_console_have_english_text() -> None:
    # The priority, service, workflow and response-plan labels are Arabic data in the domain;
    # the console shows them through these filters, whose catalogue entries must exist.
    with translation.override("en"):
        english = [
            *(priority_label(level.id) for level in SUPPORT_PRIORITIES),
            *(service_name(service.id) for service in SERVICES),
            *(workflow_step_label(step) for step in WORKFLOW_STEP_LABELS_AR),
            *(plan_step_text(step) for step in CANONICAL_PLAN_AR),
            *(plan_step_text(step) for steps in EXTRA_PLAN_AR.values() for step in steps),
        ]

    assert len(english) == 4 + len(SERVICES) + len(WORKFLOW_STEP_LABELS_AR) + 12
    assert [label for label in english if ARABIC.search(label)] == []
