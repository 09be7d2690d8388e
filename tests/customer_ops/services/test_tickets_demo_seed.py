"""`seed_operations`: the demo tickets, incidents and plans, through the services, once."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from customer_ops.models import Incident, SuccessPlan, Ticket
from customer_ops.selectors.tickets import ticket_queue
from customer_ops.services.demo_operations import seed_operations

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "now",
    [
        dt.datetime(2026, 3, 6, 9, 0, tzinfo=dt.UTC),  # a Friday
        dt.datetime(2026, 3, 8, 6, 30, tzinfo=dt.UTC),  # Sunday 09:30 in Riyadh
    ],
    ids=["friday", "sunday-morning"],
)
def test_seed_operations_creates_a_live_demo_once(now: dt.datetime) -> None:
    with time_machine.travel(now, tick=False):
        call_command("seed_demo", force=True, verbosity=0)  # runs seed_operations(now=now)

    again = seed_operations(now=now + dt.timedelta(hours=1))

    assert again == {"tickets": 0, "incidents": 0, "plans": 0}
    assert Ticket.objects.count() == 5
    assert Incident.objects.filter(severity="SEV2", status="mitigating").count() == 1
    assert SuccessPlan.objects.count() == 5
    breached = ticket_queue(now=now, breached=True)
    assert [ticket.priority for ticket in breached] == ["P2"]
    assert ticket_queue(now=now + dt.timedelta(minutes=11), breached=True).count() == 2
