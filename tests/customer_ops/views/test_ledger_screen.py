"""The ledger across all customers: filters by who, what, when and object type; each object a link."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from customer_ops.models import LedgerEntry
from tests.factories import make_customer, make_ticket

pytestmark = pytest.mark.django_db


def test_ledger_screen_lists_every_customer_with_links_to_each_object(
    operator_client: Client, founder: Any, operator: Any
) -> None:
    first = make_customer(actor=founder, name="شركة أولى")
    second = make_customer(actor=founder, name="شركة ثانية")
    ticket = make_ticket(customer=second, actor=operator, now=timezone.now())

    html = operator_client.get(reverse("ledger")).content.decode()

    assert f'href="{reverse("customer-page", args=[first.pk])}"' in html
    assert f'href="{reverse("ticket-page", args=[ticket.pk])}"' in html
    assert "شركة أولى" in html and "شركة ثانية" in html
    assert 'aria-current="page">سجل الإجراءات' in html


def test_ledger_screen_filters_by_actor_verb_object_type_and_day(
    operator_client: Client, founder: Any, operator: Any
) -> None:
    customer = make_customer(actor=founder, name="شركة نمو")
    make_ticket(customer=customer, actor=operator, now=timezone.now())
    old = LedgerEntry.objects.create(
        at=timezone.now() - dt.timedelta(days=40),
        actor=operator,
        verb="tickets.created",
        object_type="ticket",
        object_id="999",
        customer_id=customer.pk,
    )

    by_actor = operator_client.get(reverse("ledger"), {"actor": founder.pk})
    by_verb = operator_client.get(reverse("ledger"), {"verb": "tickets.created"})
    by_type = operator_client.get(reverse("ledger"), {"object_type": "customer"})
    recent = operator_client.get(
        reverse("ledger"), {"date_from": (timezone.localdate() - dt.timedelta(days=7)).isoformat()}
    )

    assert {e.actor_id for e in by_actor.context["ledger_page"]} == {founder.pk}
    assert {e.verb for e in by_verb.context["ledger_page"]} == {"tickets.created"}
    assert len(by_verb.context["ledger_page"]) == 2
    assert {e.object_type for e in by_type.context["ledger_page"]} == {"customer"}
    assert old.pk not in {e.pk for e in recent.context["ledger_page"]}
    assert len(recent.context["ledger_page"]) >= 2


def test_ledger_screen_swaps_only_its_table_for_htmx(operator_client: Client) -> None:
    html = operator_client.get(
        reverse("ledger"), {"verb": "tickets.created"}, headers={"HX-Request": "true"}
    ).content.decode()

    assert html.lstrip().startswith('<section id="ledger-table"')
    assert "<html" not in html


def test_ledger_screen_is_for_staff_only(client: Client) -> None:
    assert client.get(reverse("ledger")).status_code == 302
