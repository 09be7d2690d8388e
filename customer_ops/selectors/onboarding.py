"""Reads of a customer's stored onboarding checklist, shaped like SPEC_RULES §2.2 plus progress."""

from __future__ import annotations

from typing import Any

from customer_ops.domain import onboarding as rules
from customer_ops.models import Customer, OnboardingStep


def onboarding_checklist_for(*, customer: Customer) -> dict[str, Any]:
    """The checklist fields of §2.2 for the stored steps, with who/when and `progress_pct`."""
    stored = {
        step.step_id: step
        for step in OnboardingStep.objects.filter(customer=customer).select_related(
            "completed_by", "approved_by"
        )
    }
    steps: list[dict[str, Any]] = []
    for definition in rules.ONBOARDING_STEPS:
        row = stored[definition.id]
        steps.append(
            {
                **definition.as_dict(),
                "completed": row.completed,
                "notes": row.notes,
                "completed_at": row.completed_at,
                "completed_by": row.completed_by.get_username() if row.completed_by else None,
                "approved_by": row.approved_by.get_username() if row.approved_by else None,
                "approved_at": row.approved_at,
                "awaiting_approval": bool(
                    definition.approval_required and row.completed and row.approved_by is None
                ),
            }
        )
    completed_ids = [step["id"] for step in steps if step["completed"]]
    return {
        "customer_id": str(customer.pk),
        "company_name": customer.company_name,
        "bundle_id": customer.bundle,
        "total_steps": len(steps),
        "current_step_id": rules.current_step_id(completed_ids),
        "steps": steps,
        "estimated_total_minutes": rules.ESTIMATED_TOTAL_MINUTES,
        "progress_pct": rules.progress_pct(len(completed_ids)),
        "live_send_allowed": False,
    }
