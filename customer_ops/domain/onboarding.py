"""The 8-step Pilot onboarding checklist (SPEC_RULES §2, SPEC.md §2).

Better than the original: an unknown step is an error (not a 200 with "error"); the input
checklist is never mutated; `current_step_id` is always the first incomplete step in order
("done" when none is left), so ticking steps out of order or re-ticking an early step can never
move it past an unfinished step or back past a finished one; the step definitions (labels,
minutes, approval flags) always come from here, whatever a client sends back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from customer_ops.domain.errors import InvalidValue, RuleRefused, UnknownStep
from customer_ops.domain.inputs import require_bool, require_text
from positioning.lock import bundle_get


class StepId(StrEnum):
    SELECT_GOAL = "select_goal"
    SELECT_BUNDLE = "select_bundle"
    COMPANY_INTAKE = "company_intake"
    CONNECT_CHANNELS = "connect_channels"
    UPLOAD_OR_SOURCE = "upload_or_source"
    RISK_REVIEW = "risk_review"
    FIRST_SERVICE_RUN = "first_service_run"
    FIRST_PROOF_PACK = "first_proof_pack"


@dataclass(frozen=True, slots=True)
class OnboardingStep:
    """One step of the checklist; `minutes` is 0 for the steps Dealix runs asynchronously."""

    id: StepId
    label_ar: str
    input_required: str | None
    minutes: int
    approval_required: bool

    def as_dict(self) -> dict[str, Any]:
        """The original step dict (without the per-customer `completed`/`notes`)."""
        return {
            "id": self.id.value,
            "label_ar": self.label_ar,
            "input_required": self.input_required,
            "minutes": self.minutes,
            "approval_required": self.approval_required,
        }


ONBOARDING_STEPS: tuple[OnboardingStep, ...] = (
    OnboardingStep(StepId.SELECT_GOAL, "اختيار الهدف الأساسي", "goal", 2, False),
    OnboardingStep(StepId.SELECT_BUNDLE, "اختيار الباقة المناسبة", "bundle_id", 3, True),
    OnboardingStep(StepId.COMPANY_INTAKE, "بيانات الشركة", "company_profile", 5, False),
    OnboardingStep(
        StepId.CONNECT_CHANNELS,
        "ربط القنوات (Gmail/Calendar/Sheets — مسودات فقط)",
        "channels_oauth",
        8,
        True,
    ),
    OnboardingStep(
        StepId.UPLOAD_OR_SOURCE, "رفع قائمة أو ربط مصدر عملاء محتملين", "list_or_source", 5, True
    ),
    OnboardingStep(StepId.RISK_REVIEW, "مراجعة المخاطر (PDPL + سمعة القناة)", None, 4, True),
    OnboardingStep(
        StepId.FIRST_SERVICE_RUN,
        "تشغيل أول خدمة (First 10 Opportunities أو List Intelligence)",
        None,
        0,  # asynchronous: Dealix runs it
        True,
    ),
    OnboardingStep(StepId.FIRST_PROOF_PACK, "استلام أول Proof Pack", None, 0, False),
)
STEPS_BY_ID: dict[StepId, OnboardingStep] = {step.id: step for step in ONBOARDING_STEPS}
ESTIMATED_TOTAL_MINUTES = sum(step.minutes for step in ONBOARDING_STEPS)  # 27
DONE = "done"
NOTES_MAX_CHARS = 200


def parse_step_id(value: object) -> StepId:
    """The step for its id; anything else is `UnknownStep`."""
    if not isinstance(value, str):  # no other type is a member either
        raise UnknownStep(value)
    try:
        return StepId(value)
    except ValueError:
        raise UnknownStep(value) from None


def progress_pct(completed_count: int) -> float:
    """Percent complete, one decimal: each of the 8 steps is worth 12.5."""
    if isinstance(completed_count, bool) or not 0 <= completed_count <= len(ONBOARDING_STEPS):
        raise InvalidValue("completed_count", f"completed_count must be 0..{len(ONBOARDING_STEPS)}")
    return round(100 * completed_count / len(ONBOARDING_STEPS), 1)


def current_step_id(completed_ids: Iterable[str]) -> str:
    """The first step in order that is not complete, or "done" when all are."""
    done = {parse_step_id(step_id) for step_id in completed_ids}
    return next((step.id.value for step in ONBOARDING_STEPS if step.id not in done), DONE)


def build_onboarding_checklist(
    *, customer_id: str = "", company_name: str = "", bundle_id: str | None = None
) -> dict[str, Any]:
    """A fresh checklist (SPEC_RULES §2.2); a given bundle must exist in the positioning lock."""
    if bundle_id is not None:
        bundle_get(bundle_id)
    return {
        "customer_id": customer_id,
        "company_name": company_name,
        "bundle_id": bundle_id,
        "total_steps": len(ONBOARDING_STEPS),
        "current_step_id": ONBOARDING_STEPS[0].id.value,
        "steps": [{**step.as_dict(), "completed": False} for step in ONBOARDING_STEPS],
        "estimated_total_minutes": ESTIMATED_TOTAL_MINUTES,
        "live_send_allowed": False,
    }


def update_onboarding_step(
    checklist: Mapping[str, Any] | None,
    *,
    step_id: object,
    completed: bool = True,
    notes: str = "",
) -> dict[str, Any]:
    """A new checklist with one step ticked or unticked, its progress and its current step.

    Per-step state (`completed`, `notes`) is read from the given checklist by step id; the step
    definitions always come from `ONBOARDING_STEPS`. Non-empty notes are cut to 200 characters.
    """
    target = parse_step_id(step_id)
    require_bool("completed", completed)
    require_text("notes", notes)
    source = checklist or {}
    if not isinstance(source, Mapping):
        raise InvalidValue("checklist", "checklist must be an object")
    given_steps = source.get("steps") or []
    if not isinstance(given_steps, list) or not all(isinstance(s, Mapping) for s in given_steps):
        raise InvalidValue("checklist", "checklist.steps must be a list of objects")
    previous = {str(s.get("id")): s for s in given_steps}

    steps: list[dict[str, Any]] = []
    for step in ONBOARDING_STEPS:
        before = previous.get(step.id.value, {})
        row = {**step.as_dict(), "completed": before.get("completed") is True}
        if before.get("notes"):
            row["notes"] = str(before["notes"])[:NOTES_MAX_CHARS]
        if step.id is target:
            row["completed"] = completed
            if notes:
                row["notes"] = notes[:NOTES_MAX_CHARS]
        steps.append(row)

    completed_ids = [row["id"] for row in steps if row["completed"]]
    return {
        **source,
        "total_steps": len(ONBOARDING_STEPS),
        "steps": steps,
        "current_step_id": current_step_id(completed_ids),
        "progress_pct": progress_pct(len(completed_ids)),
    }


def ensure_step_may_complete(*, step_id: object, connectors_ready: bool) -> StepId:
    """`first_service_run` waits for the connectors to be ready for a first service (SPEC.md §2)."""
    step = parse_step_id(step_id)
    if step is StepId.FIRST_SERVICE_RUN and not connectors_ready:
        raise RuleRefused(
            "first_service_run cannot be completed before the connectors are ready "
            "(a blocking connector such as WhatsApp is not connected)",
            field="step_id",
            message_ar="لا يمكن إكمال تشغيل أول خدمة قبل جاهزية القنوات (قناة أساسية غير مربوطة)",
        )
    return step
