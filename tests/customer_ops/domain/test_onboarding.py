"""The onboarding checklist (SPEC_RULES §2)."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st

from customer_ops.domain.errors import InvalidValue, RuleRefused, UnknownStep
from customer_ops.domain.onboarding import (
    DONE,
    ONBOARDING_STEPS,
    build_onboarding_checklist,
    current_step_id,
    ensure_step_may_complete,
    progress_pct,
    update_onboarding_step,
)
from positioning.lock import UnknownBundle
from tests.spec_rules import SPEC_ONBOARDING_STEPS

STEP_IDS = [step.id.value for step in ONBOARDING_STEPS]


# ── Ported from the original suite (#1–#4) ──────────────────────────────────────────────────────
def test_build_onboarding_checklist_has_8_steps():  # original #1
    checklist = build_onboarding_checklist(customer_id="c1")

    assert checklist["total_steps"] == 8
    assert checklist["current_step_id"] == "select_goal"


def test_update_onboarding_step_completes_and_advances():  # original #2
    checklist = build_onboarding_checklist(customer_id="c1")

    updated = update_onboarding_step(checklist, step_id="select_goal", completed=True)

    assert updated["progress_pct"] == 12.5
    assert updated["current_step_id"] == "select_bundle"


def test_update_onboarding_step_raises_for_unknown_step():  # original #3, now an error
    checklist = build_onboarding_checklist(customer_id="c1")

    with pytest.raises(UnknownStep) as raised:
        update_onboarding_step(checklist, step_id="bogus_step")

    assert str(raised.value) == "unknown step: bogus_step"
    assert raised.value.field == "step_id"


def test_update_onboarding_step_all_steps_in_order_reaches_done():  # original #4
    checklist = build_onboarding_checklist(customer_id="c1")

    for step_id in STEP_IDS:
        checklist = update_onboarding_step(checklist, step_id=step_id, completed=True)

    assert checklist["progress_pct"] == 100.0
    assert checklist["current_step_id"] == "done"


# ── The fresh checklist ─────────────────────────────────────────────────────────────────────────
def test_build_onboarding_checklist_has_exactly_the_original_fields():
    checklist = build_onboarding_checklist(
        customer_id="demo", company_name="شركة نمو للتدريب", bundle_id="growth_starter"
    )

    assert list(checklist) == [
        "customer_id",
        "company_name",
        "bundle_id",
        "total_steps",
        "current_step_id",
        "steps",
        "estimated_total_minutes",
        "live_send_allowed",
    ]
    assert checklist["estimated_total_minutes"] == 27
    assert checklist["live_send_allowed"] is False
    assert [step["id"] for step in checklist["steps"]] == STEP_IDS
    assert all(step["completed"] is False for step in checklist["steps"])


def test_build_onboarding_checklist_steps_match_the_spec_table():
    rows = [
        (s.id.value, s.input_required, s.minutes, s.approval_required) for s in ONBOARDING_STEPS
    ]

    assert rows == list(SPEC_ONBOARDING_STEPS)
    assert all(any("\u0600" <= c <= "\u06ff" for c in s.label_ar) for s in ONBOARDING_STEPS)


def test_build_onboarding_checklist_accepts_no_bundle():
    assert build_onboarding_checklist(customer_id="c1")["bundle_id"] is None


def test_build_onboarding_checklist_rejects_unknown_bundle():
    with pytest.raises(UnknownBundle):
        build_onboarding_checklist(customer_id="c1", bundle_id="platinum")


# ── Updating ────────────────────────────────────────────────────────────────────────────────────
def test_update_onboarding_step_does_not_mutate_the_input():
    checklist = build_onboarding_checklist(customer_id="c1")
    before = copy.deepcopy(checklist)

    update_onboarding_step(checklist, step_id="select_goal", notes="done on the call")

    assert checklist == before


def test_update_onboarding_step_out_of_order_keeps_first_incomplete_as_current():
    checklist = build_onboarding_checklist(customer_id="c1")

    updated = update_onboarding_step(checklist, step_id="risk_review")

    assert updated["current_step_id"] == "select_goal"
    assert updated["progress_pct"] == 12.5


def test_update_onboarding_step_reticking_an_early_step_after_done_stays_done():
    checklist = build_onboarding_checklist(customer_id="c1")
    for step_id in STEP_IDS:
        checklist = update_onboarding_step(checklist, step_id=step_id)

    again = update_onboarding_step(checklist, step_id="select_goal")

    assert again["current_step_id"] == DONE


def test_update_onboarding_step_unticking_moves_current_back_to_that_step():
    checklist = build_onboarding_checklist(customer_id="c1")
    for step_id in STEP_IDS[:4]:
        checklist = update_onboarding_step(checklist, step_id=step_id)

    unticked = update_onboarding_step(checklist, step_id="select_bundle", completed=False)

    assert unticked["current_step_id"] == "select_bundle"
    assert unticked["progress_pct"] == 37.5


def test_update_onboarding_step_cuts_notes_to_200_characters():
    checklist = build_onboarding_checklist(customer_id="c1")

    updated = update_onboarding_step(checklist, step_id="company_intake", notes="ن" * 500)

    step = next(s for s in updated["steps"] if s["id"] == "company_intake")
    assert step["notes"] == "ن" * 200


def test_update_onboarding_step_keeps_earlier_notes_when_no_new_notes_given():
    checklist = update_onboarding_step(
        build_onboarding_checklist(customer_id="c1"), step_id="select_goal", notes="first"
    )

    updated = update_onboarding_step(checklist, step_id="select_goal", completed=False)

    assert next(s for s in updated["steps"] if s["id"] == "select_goal")["notes"] == "first"


def test_update_onboarding_step_restores_the_step_definitions_from_the_catalog():
    checklist = build_onboarding_checklist(customer_id="c1")
    checklist["steps"][0]["label_ar"] = "forged"
    checklist["steps"][0]["approval_required"] = True

    updated = update_onboarding_step(checklist, step_id="select_bundle")

    assert updated["steps"][0]["label_ar"] == ONBOARDING_STEPS[0].label_ar
    assert updated["steps"][0]["approval_required"] is False


def test_update_onboarding_step_on_an_empty_checklist_builds_the_steps():
    updated = update_onboarding_step({}, step_id="select_goal")

    assert updated["total_steps"] == 8
    assert updated["progress_pct"] == 12.5


def test_update_onboarding_step_refuses_a_string_boolean():
    with pytest.raises(InvalidValue) as raised:
        update_onboarding_step({}, step_id="select_goal", completed="false")  # type: ignore[arg-type]

    assert raised.value.field == "completed"


def test_update_onboarding_step_refuses_malformed_steps():
    with pytest.raises(InvalidValue):
        update_onboarding_step({"steps": "nope"}, step_id="select_goal")


# ── Shared rules ────────────────────────────────────────────────────────────────────────────────
@given(st.integers(min_value=0, max_value=8))
def test_progress_pct_is_12_5_per_completed_step(count):
    assert progress_pct(count) == 12.5 * count


@pytest.mark.parametrize("count", [-1, 9, True])
def test_progress_pct_rejects_impossible_counts(count):
    with pytest.raises(InvalidValue):
        progress_pct(count)


@given(st.sets(st.sampled_from(STEP_IDS)))
def test_current_step_id_is_the_first_incomplete_step_in_order(completed):
    current = current_step_id(completed)

    expected = next((s for s in STEP_IDS if s not in completed), "done")
    assert current == expected


def test_current_step_id_rejects_unknown_step():
    with pytest.raises(UnknownStep):
        current_step_id(["select_goal", "nope"])


def test_ensure_step_may_complete_refuses_first_service_before_connectors_are_ready():
    with pytest.raises(RuleRefused):
        ensure_step_may_complete(step_id="first_service_run", connectors_ready=False)


def test_ensure_step_may_complete_allows_other_steps_without_ready_connectors():
    assert (
        ensure_step_may_complete(step_id="risk_review", connectors_ready=False).value
        == "risk_review"
    )
