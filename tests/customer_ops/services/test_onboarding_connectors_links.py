from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from customer_ops.domain.errors import DomainError, UnknownConnector, UnknownStep
from customer_ops.domain.transitions import InvalidTransition
from customer_ops.models import LedgerEntry, OnboardingStep, ProgressLink
from customer_ops.selectors.connectors import connector_summary_for
from customer_ops.selectors.links import customer_for_progress_token
from customer_ops.selectors.onboarding import onboarding_checklist_for
from customer_ops.services.connectors import connector_set_state
from customer_ops.services.links import progress_link_create, progress_link_revoke
from customer_ops.services.onboarding import onboarding_approve_step, onboarding_set_step
from tests.factories import set_connector
from tests.spec_rules import SPEC_STEP_IDS

pytestmark = pytest.mark.django_db


def test_new_customer_has_8_steps_and_11_connectors(customer: Any) -> None:
    checklist = onboarding_checklist_for(customer=customer)

    assert [step["id"] for step in checklist["steps"]] == list(SPEC_STEP_IDS)
    assert checklist["current_step_id"] == "select_goal"
    assert checklist["progress_pct"] == 0.0
    assert customer.connectors.count() == 11


def test_ticking_a_step_records_who_and_when_and_advances(customer: Any, operator: Any) -> None:
    now = timezone.now()

    step = onboarding_set_step(
        customer_id=customer.pk,
        step_id="select_goal",
        completed=True,
        actor=operator,
        now=now,
        notes="النمو عبر الشراكات",
    )

    assert (step.completed_by, step.completed_at, step.notes) == (
        operator,
        now,
        "النمو عبر الشراكات",
    )
    checklist = onboarding_checklist_for(customer=customer)
    assert checklist["progress_pct"] == 12.5
    assert checklist["current_step_id"] == "select_bundle"
    assert LedgerEntry.objects.filter(verb="onboarding.step_completed").count() == 1


def test_current_step_is_the_first_incomplete_even_when_ticked_out_of_order(
    customer: Any, operator: Any
) -> None:
    for step_id in ("select_goal", "company_intake"):
        onboarding_set_step(
            customer_id=customer.pk,
            step_id=step_id,
            completed=True,
            actor=operator,
            now=timezone.now(),
        )

    assert onboarding_checklist_for(customer=customer)["current_step_id"] == "select_bundle"


def test_operator_tick_of_approval_step_awaits_founder(
    customer: Any, operator: Any, founder: Any
) -> None:
    onboarding_set_step(
        customer_id=customer.pk,
        step_id="select_bundle",
        completed=True,
        actor=operator,
        now=timezone.now(),
    )
    step = onboarding_checklist_for(customer=customer)["steps"][1]
    assert step["awaiting_approval"] is True

    with pytest.raises(DomainError):
        onboarding_approve_step(
            customer_id=customer.pk, step_id="select_bundle", approver=operator, now=timezone.now()
        )
    onboarding_approve_step(
        customer_id=customer.pk, step_id="select_bundle", approver=founder, now=timezone.now()
    )

    stored = OnboardingStep.objects.get(customer=customer, step_id="select_bundle")
    assert stored.approved_by == founder


def test_unknown_step_is_an_error(customer: Any, operator: Any) -> None:
    with pytest.raises(UnknownStep):
        onboarding_set_step(
            customer_id=customer.pk,
            step_id="bogus_step",
            completed=True,
            actor=operator,
            now=timezone.now(),
        )


def test_first_service_run_refused_until_connectors_ready(customer: Any, operator: Any) -> None:
    set_connector(customer, "gmail", actor=operator)
    with pytest.raises(DomainError, match="connectors are ready"):
        onboarding_set_step(
            customer_id=customer.pk,
            step_id="first_service_run",
            completed=True,
            actor=operator,
            now=timezone.now(),
        )

    set_connector(customer, "whatsapp_cloud", actor=operator)
    step = onboarding_set_step(
        customer_id=customer.pk,
        step_id="first_service_run",
        completed=True,
        actor=operator,
        now=timezone.now(),
    )

    assert step.completed


def test_connector_moves_follow_the_table_and_land_in_the_ledger(
    customer: Any, operator: Any
) -> None:
    with pytest.raises(InvalidTransition):
        connector_set_state(
            customer_id=customer.pk,
            connector_key="gmail",
            to="connected_draft_only",
            actor=operator,
            now=timezone.now(),
        )

    set_connector(customer, "gmail", actor=operator)

    summary = connector_summary_for(customer_id=customer.pk)
    assert summary["connected_count"] == 1
    assert summary["blocking_missing"] == ["whatsapp_cloud"]
    assert summary["ready_for_first_service"] is False
    assert LedgerEntry.objects.filter(verb="connectors.state_changed").count() == 2


def test_unknown_connector_and_state_are_errors(customer: Any, operator: Any) -> None:
    with pytest.raises(UnknownConnector):
        connector_set_state(
            customer_id=customer.pk,
            connector_key="telex",
            to="configuring",
            actor=operator,
            now=timezone.now(),
        )
    with pytest.raises(DomainError):
        connector_set_state(
            customer_id=customer.pk,
            connector_key="gmail",
            to="totally_invalid",
            actor=operator,
            now=timezone.now(),
        )


def test_progress_link_resolves_only_while_live(customer: Any, operator: Any) -> None:
    now = timezone.now()
    issued = progress_link_create(customer_id=customer.pk, actor=operator, now=now)
    token = issued.url.rstrip("/").rsplit("/", 1)[-1]

    assert customer_for_progress_token(token=token, now=now) == customer
    assert ProgressLink.objects.get().token_hash != token  # only the hash is stored
    assert customer_for_progress_token(token=token + "x", now=now) is None
    assert customer_for_progress_token(token=token, now=now + dt.timedelta(days=31)) is None

    progress_link_revoke(customer_id=customer.pk, actor=operator, now=now)

    assert customer_for_progress_token(token=token, now=now) is None


def test_new_progress_link_revokes_the_previous_one(customer: Any, operator: Any) -> None:
    now = timezone.now()
    first = progress_link_create(customer_id=customer.pk, actor=operator, now=now)
    second = progress_link_create(customer_id=customer.pk, actor=operator, now=now)

    first_token = first.url.rstrip("/").rsplit("/", 1)[-1]
    second_token = second.url.rstrip("/").rsplit("/", 1)[-1]
    assert customer_for_progress_token(token=first_token, now=now) is None
    assert customer_for_progress_token(token=second_token, now=now) == customer
