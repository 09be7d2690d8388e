"""Ticket selectors: queue ordering, the breached-now flag and the API's `sla` block."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from customer_ops.api.tickets import sla_block
from customer_ops.selectors.incidents import incident_postmortem_values
from customer_ops.selectors.tickets import ticket_queue, ticket_sla_now
from customer_ops.services.tickets import ticket_update
from tests.factories import make_incident, make_ticket

pytestmark = pytest.mark.django_db

RIYADH = ZoneInfo("Asia/Riyadh")
T0 = dt.datetime(2026, 3, 8, 10, 0, tzinfo=RIYADH)  # Sunday
MIN = dt.timedelta(minutes=1)


@pytest.fixture
def customer_fields() -> dict[str, Any]:
    return {
        "now": T0,
    }


def test_queue_puts_the_soonest_due_first_and_stopped_clocks_last(
    customer: Any, operator: Any
) -> None:
    p3 = make_ticket(customer=customer, actor=operator, now=T0)
    p0 = make_ticket(customer=customer, actor=operator, now=T0 + MIN, subject="تسريب")
    paused = make_ticket(customer=customer, actor=operator, now=T0, subject="outage")
    ticket_update(ticket_id=paused.pk, status="pending_customer", actor=operator, now=T0 + MIN)

    ordered = [ticket.pk for ticket in ticket_queue(now=T0 + 2 * MIN)]

    assert ordered == [p0.pk, p3.pk, paused.pk]


def test_queue_rows_carry_breached_now(customer: Any, operator: Any) -> None:
    ticket = make_ticket(customer=customer, actor=operator, now=T0, subject="تسريب")

    on_time = ticket_queue(now=T0 + 30 * MIN).get()
    late = ticket_queue(now=T0 + 31 * MIN).get()

    assert (on_time.pk, on_time.breached_now, late.breached_now) == (ticket.pk, False, True)


def test_sla_block_shape(customer: Any, operator: Any) -> None:
    ticket = make_ticket(customer=customer, actor=operator, now=T0, subject="Gmail")

    block = sla_block(ticket_sla_now(ticket=ticket, now=T0 + 60 * MIN))

    assert block["basis"] == "working_hours"
    assert block["first_response"]["elapsed_minutes"] == 60
    assert block["first_response"]["remaining_minutes"] == 420
    assert block["first_response"]["met"] is None
    assert block["resolution"]["target_minutes"] == 72 * 60


def test_postmortem_values_are_blank_before_writing(operator: Any) -> None:
    incident = make_incident(actor=operator, now=T0)

    values = incident_postmortem_values(incident_id=incident.pk)

    assert len(values) == 8 and set(values.values()) == {""}
