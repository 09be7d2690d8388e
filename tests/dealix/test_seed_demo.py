from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from customer_ops.models import Customer, LedgerEntry, ProofPackDelivery, Ticket
from customer_ops.roles import is_founder
from customer_ops.selectors.connectors import connector_summary_for
from positioning.lock import BUNDLES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _debug_on(settings: object) -> None:
    # pytest-django runs tests with DEBUG off; seed_demo is a development command.
    settings.DEBUG = True  # type: ignore[attr-defined]


def test_seed_demo_creates_logins_and_customers_across_all_bundles() -> None:
    call_command("seed_demo")

    users = get_user_model().objects
    assert users.get(username="founder").check_password("dealix-demo")
    assert is_founder(users.get(username="founder"))
    assert not is_founder(users.get(username="operator"))
    assert 4 <= Customer.objects.count() <= 6
    assert set(Customer.objects.values_list("bundle", flat=True)) == {b.id.value for b in BUNDLES}


def test_seed_demo_twice_changes_nothing() -> None:
    call_command("seed_demo")
    snapshot = (
        list(Customer.objects.order_by("id").values()),
        list(get_user_model().objects.order_by("id").values("id", "username", "password")),
        LedgerEntry.objects.count(),
    )

    call_command("seed_demo")

    assert snapshot == (
        list(Customer.objects.order_by("id").values()),
        list(get_user_model().objects.order_by("id").values("id", "username", "password")),
        LedgerEntry.objects.count(),
    )


def test_seed_demo_refuses_with_debug_off(settings: object) -> None:
    settings.DEBUG = False  # type: ignore[attr-defined]

    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        call_command("seed_demo")


def test_seed_demo_uses_demo_password_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEMO_PASSWORD", "another-demo-pass")

    call_command("seed_demo")

    assert get_user_model().objects.get(username="operator").check_password("another-demo-pass")


def test_seed_demo_customers_are_at_different_stages_with_matching_data() -> None:
    # Issue #19: every demo customer was at step 0 with no connector, yet had Proof Packs and a
    # ticket about a Gmail sync. Now what a customer has follows the stage it is at.
    call_command("seed_demo")

    completed = {
        customer.pk: customer.onboarding_steps.filter(completed=True).count()
        for customer in Customer.objects.all()
    }
    assert len(set(completed.values())) >= 3  # different stages, not all alike
    for pack in ProofPackDelivery.objects.select_related("customer"):
        customer = pack.customer
        served = customer.onboarding_steps.get(step_id="first_service_run")
        assert served.completed, customer.company_name
        assert pack.delivered_at.date() >= customer.pilot_started_on, customer.company_name
    gmail_ticket = Ticket.objects.get(subject__startswith="Gmail connector")
    gmail = gmail_ticket.customer.connectors.get(connector_key="gmail")
    assert gmail.state != "not_started"
    for customer in Customer.objects.all():
        summary = connector_summary_for(customer_id=customer.pk)
        ran_first_service = customer.onboarding_steps.get(step_id="first_service_run").completed
        assert not ran_first_service or summary["ready_for_first_service"], customer.company_name
