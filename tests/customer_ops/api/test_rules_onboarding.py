"""POST /onboarding/checklist, POST /onboarding/update-step, GET /onboarding/checklist/demo."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from customer_ops.models import CustomerConnector, OnboardingStep
from tests.customer_ops.api.endpoints import assert_400
from tests.factories import make_customer
from tests.spec_rules import SPEC_ONBOARDING_STEPS, SPEC_STEP_IDS

pytestmark = pytest.mark.django_db


@pytest.fixture
def fresh(post: Callable[..., Any]) -> dict[str, Any]:
    response = post("onboarding/checklist", {"customer_id": "c-1", "company_name": "نمو"})
    assert response.status_code == 200
    return response.json()


# ── POST /onboarding/checklist ───────────────────────────────────────────────────────────────────
def test_checklist_is_the_fresh_8_step_checklist(post: Callable[..., Any]) -> None:
    response = post(
        "onboarding/checklist",
        {"customer_id": "c-1", "company_name": "شركة نمو", "bundle_id": "data_to_revenue"},
    )

    assert response.status_code == 200
    body = response.json()
    assert body["customer_id"] == "c-1"
    assert body["company_name"] == "شركة نمو"
    assert body["bundle_id"] == "data_to_revenue"
    assert body["total_steps"] == 8
    assert body["current_step_id"] == "select_goal"
    assert body["estimated_total_minutes"] == 27
    assert body["live_send_allowed"] is False
    assert "progress_pct" not in body
    assert "approval_required" not in body
    assert [
        (s["id"], s["input_required"], s["minutes"], s["approval_required"]) for s in body["steps"]
    ] == list(SPEC_ONBOARDING_STEPS)
    assert all(step["completed"] is False for step in body["steps"])
    assert all(step["label_ar"] for step in body["steps"])


def test_checklist_without_a_body_uses_the_defaults(post: Callable[..., Any]) -> None:
    response = post("onboarding/checklist")

    assert response.status_code == 200
    body = response.json()
    assert (body["customer_id"], body["company_name"], body["bundle_id"]) == ("", "", None)
    assert body["total_steps"] == 8


def test_checklist_accepts_an_integer_customer_id(post: Callable[..., Any]) -> None:
    response = post("onboarding/checklist", {"customer_id": 42})

    assert response.json()["customer_id"] == "42"


def test_checklist_refuses_an_unknown_bundle(post: Callable[..., Any]) -> None:
    body = assert_400(post("onboarding/checklist", {"bundle_id": "platinum"}), "bundle_id")

    assert body["errors"]["bundle_id"] == ["unknown bundle: platinum"]
    assert "platinum" in body["errors_ar"]["bundle_id"][0]


@pytest.mark.parametrize(
    ("field", "value"),
    [("customer_id", True), ("customer_id", [1]), ("company_name", 5), ("bundle_id", 3)],
)
def test_checklist_refuses_wrong_types(post: Callable[..., Any], field: str, value: Any) -> None:
    assert_400(post("onboarding/checklist", {field: value}), field)


# ── POST /onboarding/update-step (stateless) ─────────────────────────────────────────────────────
def test_update_step_completes_a_step(post: Callable[..., Any], fresh: dict[str, Any]) -> None:
    response = post("onboarding/update-step", {"checklist": fresh, "step_id": "select_goal"})

    assert response.status_code == 200
    body = response.json()
    assert body["progress_pct"] == 12.5
    assert body["current_step_id"] == "select_bundle"
    assert body["steps"][0]["completed"] is True
    assert body["customer_id"] == "c-1"
    assert body["company_name"] == "نمو"
    assert body["live_send_allowed"] is False
    assert body["estimated_total_minutes"] == 27


def test_update_step_all_8_in_order_is_done(
    post: Callable[..., Any], fresh: dict[str, Any]
) -> None:
    checklist = fresh
    for step_id in SPEC_STEP_IDS:
        response = post("onboarding/update-step", {"checklist": checklist, "step_id": step_id})
        assert response.status_code == 200
        checklist = response.json()

    assert checklist["progress_pct"] == 100.0
    assert checklist["current_step_id"] == "done"


def test_update_step_uncompletes_with_a_real_false(
    post: Callable[..., Any], fresh: dict[str, Any]
) -> None:
    done = post("onboarding/update-step", {"checklist": fresh, "step_id": "select_goal"}).json()

    response = post(
        "onboarding/update-step", {"checklist": done, "step_id": "select_goal", "completed": False}
    )

    body = response.json()
    assert body["steps"][0]["completed"] is False
    assert body["progress_pct"] == 0.0
    assert body["current_step_id"] == "select_goal"


def test_update_step_keeps_notes_cut_to_200(
    post: Callable[..., Any], fresh: dict[str, Any]
) -> None:
    response = post(
        "onboarding/update-step",
        {"checklist": fresh, "step_id": "company_intake", "notes": "ن" * 300},
    )

    assert response.json()["steps"][2]["notes"] == "ن" * 200


def test_update_step_never_echoes_a_live_send_flag(
    post: Callable[..., Any], fresh: dict[str, Any]
) -> None:
    tampered = {**fresh, "live_send_allowed": True, "estimated_total_minutes": 1}

    body = post("onboarding/update-step", {"checklist": tampered, "step_id": "select_goal"}).json()

    assert body["live_send_allowed"] is False
    assert body["estimated_total_minutes"] == 27


def test_update_step_refuses_an_unknown_step(
    post: Callable[..., Any], fresh: dict[str, Any]
) -> None:
    body = assert_400(
        post("onboarding/update-step", {"checklist": fresh, "step_id": "bogus_step"}), "step_id"
    )

    assert body["errors"]["step_id"] == ["unknown step: bogus_step"]


def test_update_step_refuses_a_missing_step_id(
    post: Callable[..., Any], fresh: dict[str, Any]
) -> None:
    assert_400(post("onboarding/update-step", {"checklist": fresh}), "step_id")


@pytest.mark.parametrize("completed", ["false", "true", 0, 1, None])
def test_update_step_refuses_a_non_boolean_completed(
    post: Callable[..., Any], fresh: dict[str, Any], completed: Any
) -> None:
    response = post(
        "onboarding/update-step",
        {"checklist": fresh, "step_id": "select_goal", "completed": completed},
    )

    assert_400(response, "completed")


@pytest.mark.parametrize("checklist", [None, {}, {"steps": []}])
def test_update_step_without_a_checklist_or_stored_customer_is_400(
    post: Callable[..., Any], checklist: Any
) -> None:
    body: dict[str, Any] = {"step_id": "select_goal"}
    if checklist is not None:
        body["checklist"] = checklist

    assert_400(post("onboarding/update-step", body), "checklist")


def test_update_step_with_an_unknown_customer_id_and_no_checklist_is_400(
    post: Callable[..., Any],
) -> None:
    assert_400(
        post("onboarding/update-step", {"customer_id": "999999", "step_id": "select_goal"}),
        "checklist",
    )


def test_update_step_refuses_a_checklist_that_is_not_an_object(
    post: Callable[..., Any],
) -> None:
    assert_400(post("onboarding/update-step", {"checklist": [], "step_id": "select_goal"}))


def test_update_step_refuses_an_unknown_step_inside_the_checklist(
    post: Callable[..., Any], fresh: dict[str, Any]
) -> None:
    fresh["steps"][0]["id"] = "nope"

    body = assert_400(
        post("onboarding/update-step", {"checklist": fresh, "step_id": "risk_review"})
    )

    assert "checklist.steps.0.id" in body["errors"]


# ── POST /onboarding/update-step (stored customer) ───────────────────────────────────────────────
@pytest.mark.parametrize("as_text", [False, True])
def test_update_step_changes_a_stored_customers_checklist(
    post: Callable[..., Any], founder: Any, operator: Any, as_text: bool
) -> None:
    customer = make_customer(actor=founder, name="شركة محفوظة")
    customer_id: Any = str(customer.pk) if as_text else customer.pk

    response = post(
        "onboarding/update-step",
        {"customer_id": customer_id, "step_id": "select_goal", "notes": "تم"},
    )

    assert response.status_code == 200
    body = response.json()
    assert body["customer_id"] == str(customer.pk)
    assert body["company_name"] == "شركة محفوظة"
    assert body["progress_pct"] == 12.5
    assert body["current_step_id"] == "select_bundle"
    assert body["steps"][0]["completed"] is True
    assert body["steps"][0]["completed_by"] == operator.username
    assert body["steps"][0]["notes"] == "تم"
    stored = OnboardingStep.objects.get(customer=customer, step_id="select_goal")
    assert stored.completed is True
    assert stored.completed_by == operator


def test_update_step_for_a_stored_customer_ignores_the_checklist_sent(
    post: Callable[..., Any], founder: Any, fresh: dict[str, Any]
) -> None:
    customer = make_customer(actor=founder)
    fresh["steps"][1]["completed"] = True

    body = post(
        "onboarding/update-step",
        {"customer_id": customer.pk, "checklist": fresh, "step_id": "select_goal"},
    ).json()

    assert [step["completed"] for step in body["steps"][:2]] == [True, False]


def test_update_step_refuses_first_service_run_while_whatsapp_is_not_connected(
    post: Callable[..., Any], founder: Any
) -> None:
    customer = make_customer(actor=founder)

    body = assert_400(
        post(
            "onboarding/update-step", {"customer_id": customer.pk, "step_id": "first_service_run"}
        ),
        "step_id",
    )

    assert "first_service_run" in body["error"]
    assert not OnboardingStep.objects.get(customer=customer, step_id="first_service_run").completed


def test_update_step_allows_first_service_run_once_whatsapp_is_connected(
    post: Callable[..., Any], founder: Any
) -> None:
    customer = make_customer(actor=founder)
    for state in ("configuring", "connected_draft_only"):
        moved = post(
            "connectors/update",
            {"customer_id": customer.pk, "connector_key": "whatsapp_cloud", "state": state},
        )
        assert moved.status_code == 200

    response = post(
        "onboarding/update-step", {"customer_id": customer.pk, "step_id": "first_service_run"}
    )

    assert response.status_code == 200
    assert response.json()["steps"][6]["completed"] is True
    assert CustomerConnector.objects.get(
        customer=customer, connector_key="whatsapp_cloud"
    ).state == ("connected_draft_only")


def test_update_step_for_a_stored_customer_refuses_an_unknown_step(
    post: Callable[..., Any], founder: Any
) -> None:
    customer = make_customer(actor=founder)

    assert_400(
        post("onboarding/update-step", {"customer_id": customer.pk, "step_id": "bogus"}), "step_id"
    )
    assert not OnboardingStep.objects.filter(customer=customer, completed=True).exists()


# ── GET /onboarding/checklist/demo ───────────────────────────────────────────────────────────────
def test_checklist_demo(get: Callable[..., Any]) -> None:
    response = get("onboarding/checklist/demo")

    assert response.status_code == 200
    body = response.json()
    assert body["customer_id"] == "demo"
    assert body["company_name"] == "شركة نمو للتدريب"
    assert body["bundle_id"] == "growth_starter"
    assert body["total_steps"] == 8
    assert body["current_step_id"] == "select_goal"
    assert body["estimated_total_minutes"] == 27
    assert body["live_send_allowed"] is False
    assert [step["id"] for step in body["steps"]] == list(SPEC_STEP_IDS)
