"""Writes for a customer's onboarding checklist."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from customer_ops.domain import onboarding as rules
from customer_ops.domain.errors import RoleRefused, RuleRefused
from customer_ops.domain.ledger import LedgerVerb
from customer_ops.models import OnboardingStep
from customer_ops.roles import SignedInUser, is_founder
from customer_ops.selectors.connectors import connector_summary_for
from customer_ops.selectors.locks import customer_for_update
from customer_ops.services.ledger import ledger_record


def onboarding_steps_create(*, customer_id: int) -> None:
    """The 8 empty steps of a new customer (called inside customer_create's transaction)."""
    OnboardingStep.objects.bulk_create(
        OnboardingStep(customer_id=customer_id, step_id=step.id, position=index)
        for index, step in enumerate(rules.ONBOARDING_STEPS, start=1)
    )


@transaction.atomic
def onboarding_set_step(
    *,
    customer_id: int,
    step_id: str,
    completed: bool,
    actor: SignedInUser,
    now: dt.datetime,
    notes: str = "",
) -> OnboardingStep:
    """Tick or untick one step.

    A founder ticking an approval-required step approves it at the same time; an operator's tick
    waits for the founder's approval (`onboarding_approve_step`). `first_service_run` cannot be
    ticked while the customer's connectors are not ready for the first service.
    """
    definition = rules.STEPS_BY_ID[rules.parse_step_id(step_id)]  # unknown → UnknownStep
    customer_for_update(customer_id=customer_id)  # serialises changes to one checklist
    step = OnboardingStep.objects.get(customer_id=customer_id, step_id=definition.id)
    if completed:
        summary = connector_summary_for(customer_id=customer_id)
        rules.ensure_step_may_complete(
            step_id=definition.id, connectors_ready=summary["ready_for_first_service"]
        )
    before = {"completed": step.completed, "notes": step.notes}
    step.completed = completed
    step.completed_at = now if completed else None
    step.completed_by = actor if completed else None
    if notes:
        step.notes = notes[: rules.NOTES_MAX_CHARS]
    approves = completed and definition.approval_required and is_founder(actor)
    step.approved_by = actor if approves else None
    step.approved_at = now if approves else None
    step.save(
        update_fields=[
            "completed",
            "completed_at",
            "completed_by",
            "notes",
            "approved_by",
            "approved_at",
        ]
    )
    ledger_record(
        verb=LedgerVerb.ONBOARDING_STEP_COMPLETED
        if completed
        else LedgerVerb.ONBOARDING_STEP_REOPENED,
        obj=step,
        actor=actor,
        at=now,
        before=before,
        after={
            "step_id": step.step_id,
            "completed": completed,
            "notes": step.notes,
            "approved": approves,
        },
    )
    return step


@transaction.atomic
def onboarding_approve_step(
    *, customer_id: int, step_id: str, approver: SignedInUser, now: dt.datetime
) -> OnboardingStep:
    """A founder approves a completed approval-required step (a second approval is a no-op)."""
    definition = rules.STEPS_BY_ID[rules.parse_step_id(step_id)]
    customer_for_update(customer_id=customer_id)
    step = OnboardingStep.objects.get(customer_id=customer_id, step_id=definition.id)
    if not is_founder(approver):
        raise RoleRefused(
            "only a founder approves onboarding steps",
            field="step_id",
            message_ar="اعتماد خطوات التهيئة للمؤسس فقط",
        )
    if not definition.approval_required:
        raise RuleRefused(
            "this step needs no approval", field="step_id", message_ar="هذه الخطوة لا تحتاج اعتماداً"
        )
    if not step.completed:
        raise RuleRefused(
            "complete the step before approving it",
            field="step_id",
            message_ar="أكمل الخطوة قبل اعتمادها",
        )
    if step.approved_by_id is not None:
        return step
    step.approved_by = approver
    step.approved_at = now
    step.save(update_fields=["approved_by", "approved_at"])
    ledger_record(
        verb=LedgerVerb.ONBOARDING_STEP_APPROVED,
        obj=step,
        actor=approver,
        at=now,
        after={"step_id": step.step_id},
    )
    return step
