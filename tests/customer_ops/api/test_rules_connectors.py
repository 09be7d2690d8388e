"""GET /connectors/catalog, POST /connectors/summary, POST /connectors/update, GET /connectors/demo."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from customer_ops.models import CustomerConnector, LedgerEntry
from tests.customer_ops.api.endpoints import assert_400
from tests.factories import make_customer
from tests.spec_rules import SPEC_CONNECTORS

pytestmark = pytest.mark.django_db

DEMO_STATUSES = {
    "gmail": {"state": "connected_draft_only"},
    "google_calendar": {"state": "connected_draft_only"},
    "moyasar": {"state": "configuring"},
    "whatsapp_cloud": {"state": "not_started"},
}


def _state_of(customer: Any, key: str) -> str:
    return CustomerConnector.objects.get(customer=customer, connector_key=key).state


# ── GET /connectors/catalog ──────────────────────────────────────────────────────────────────────
def test_catalog_lists_the_11_connectors_in_order(get: Callable[..., Any]) -> None:
    response = get("connectors/catalog")

    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 11
    assert [
        (c["key"], c["default_mode"], c["phase"], c["blocking"]) for c in body["connectors"]
    ] == list(SPEC_CONNECTORS)
    assert body["connectors"][3]["label_ar"] == "Moyasar (فاتورة يدوية)"
    assert set(body) == {"total", "connectors"}


# ── POST /connectors/summary ─────────────────────────────────────────────────────────────────────
def test_summary_of_the_demo_statuses(post: Callable[..., Any]) -> None:
    response = post("connectors/summary", {"customer_id": "c-9", "statuses": DEMO_STATUSES})

    assert response.status_code == 200
    body = response.json()
    assert body["customer_id"] == "c-9"
    assert body["total_connectors"] == 11
    assert body["connected_count"] == 2
    assert body["connected_pct"] == 18.2
    assert body["blocking_missing"] == ["whatsapp_cloud"]
    assert body["by_state"] == {"connected_draft_only": 2, "not_started": 8, "configuring": 1}
    assert body["ready_for_first_service"] is False
    assert [item["key"] for item in body["items"]] == [row[0] for row in SPEC_CONNECTORS]
    assert body["items"][0] == {
        "key": "gmail",
        "label_ar": "Gmail",
        "default_mode": "draft_only",
        "blocking": False,
        "phase": "phase_1",
        "state": "connected_draft_only",
        "notes": "",
    }


def test_summary_without_a_body_is_all_not_started(post: Callable[..., Any]) -> None:
    response = post("connectors/summary")

    assert response.status_code == 200
    body = response.json()
    assert body["connected_count"] == 0
    assert body["connected_pct"] == 0.0
    assert body["blocking_missing"] == ["whatsapp_cloud"]
    assert body["by_state"] == {"not_started": 11}
    assert body["ready_for_first_service"] is False


def test_summary_only_gmail_is_not_ready(post: Callable[..., Any]) -> None:
    body = post(
        "connectors/summary", {"statuses": {"gmail": {"state": "connected_draft_only"}}}
    ).json()

    assert "whatsapp_cloud" in body["blocking_missing"]
    assert body["ready_for_first_service"] is False


def test_summary_gmail_and_whatsapp_is_ready(post: Callable[..., Any]) -> None:
    statuses = {
        "gmail": {"state": "connected_draft_only"},
        "whatsapp_cloud": {"state": "connected_draft_only", "notes": "opt-in audited"},
    }

    body = post("connectors/summary", {"statuses": statuses}).json()

    assert body["ready_for_first_service"] is True
    assert body["blocking_missing"] == []
    assert body["items"][4]["notes"] == "opt-in audited"


@pytest.mark.parametrize(
    ("statuses", "field"),
    [
        ({"gmail": {"state": "totally_invalid"}}, "statuses.gmail.state"),
        ({"fax_machine": {"state": "configuring"}}, "statuses.fax_machine"),
        ({"gmail": "connected_draft_only"}, "statuses.gmail.non_field_errors"),
        ([], "statuses"),
    ],
)
def test_summary_refuses_bad_statuses(post: Callable[..., Any], statuses: Any, field: str) -> None:
    assert_400(post("connectors/summary", {"statuses": statuses}), field)


# ── POST /connectors/update (stateless) ──────────────────────────────────────────────────────────
def test_update_writes_the_entry_into_the_statuses_sent(post: Callable[..., Any]) -> None:
    response = post(
        "connectors/update",
        {
            "statuses": {"moyasar": {"state": "configuring"}},
            "connector_key": "gmail",
            "state": "connected_draft_only",
            "notes": "ok",
        },
    )

    assert response.status_code == 200
    assert response.json() == {
        "statuses": {
            "moyasar": {"state": "configuring"},
            "gmail": {"state": "connected_draft_only", "notes": "ok"},
        }
    }


def test_update_defaults_to_not_started_and_cuts_notes(post: Callable[..., Any]) -> None:
    body = post("connectors/update", {"connector_key": "gmail", "notes": "x" * 250}).json()

    assert body["statuses"]["gmail"] == {"state": "not_started", "notes": "x" * 200}


def test_update_refuses_an_unknown_state(post: Callable[..., Any]) -> None:
    body = assert_400(
        post("connectors/update", {"connector_key": "gmail", "state": "totally_invalid"}), "state"
    )

    assert body["errors"]["state"] == ["Unknown connector state: totally_invalid"]


@pytest.mark.parametrize("connector_key", ["", "fax_machine", 7])
def test_update_refuses_an_unknown_connector(post: Callable[..., Any], connector_key: Any) -> None:
    assert_400(
        post("connectors/update", {"connector_key": connector_key, "state": "configuring"}),
        "connector_key",
    )


def test_update_refuses_a_missing_connector_key(post: Callable[..., Any]) -> None:
    assert_400(post("connectors/update", {"state": "configuring"}), "connector_key")


def test_update_refuses_non_text_notes(post: Callable[..., Any]) -> None:
    assert_400(post("connectors/update", {"connector_key": "gmail", "notes": 5}), "notes")


# ── POST /connectors/update (stored customer) ────────────────────────────────────────────────────
def test_update_moves_a_stored_connector_and_returns_the_stored_statuses(
    post: Callable[..., Any], founder: Any
) -> None:
    customer = make_customer(actor=founder)

    first = post(
        "connectors/update",
        {"customer_id": customer.pk, "connector_key": "gmail", "state": "configuring"},
    )
    second = post(
        "connectors/update",
        {
            "customer_id": str(customer.pk),
            "connector_key": "gmail",
            "state": "connected_draft_only",
            "notes": "OAuth ok",
        },
    )

    assert first.status_code == 200
    assert second.status_code == 200
    statuses = second.json()["statuses"]
    assert len(statuses) == 11
    assert statuses["gmail"] == {"state": "connected_draft_only", "notes": "OAuth ok"}
    assert statuses["whatsapp_cloud"]["state"] == "not_started"
    assert _state_of(customer, "gmail") == "connected_draft_only"
    assert LedgerEntry.objects.filter(verb="connectors.state_changed").count() == 2


def test_update_refuses_an_illegal_stored_move_with_409(
    post: Callable[..., Any], founder: Any
) -> None:
    customer = make_customer(actor=founder)

    response = post(
        "connectors/update",
        {"customer_id": customer.pk, "connector_key": "gmail", "state": "connected_draft_only"},
    )

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "invalid_transition"
    assert "not_started" in body["error"]
    assert body["error_ar"]
    assert _state_of(customer, "gmail") == "not_started"


def test_update_of_a_stored_connector_to_its_own_state_is_409(
    post: Callable[..., Any], founder: Any
) -> None:
    customer = make_customer(actor=founder)

    response = post("connectors/update", {"customer_id": customer.pk, "connector_key": "gmail"})

    assert response.status_code == 409


def test_update_for_a_stored_customer_refuses_an_unknown_state_and_writes_nothing(
    post: Callable[..., Any], founder: Any
) -> None:
    customer = make_customer(actor=founder)

    assert_400(
        post(
            "connectors/update",
            {"customer_id": customer.pk, "connector_key": "gmail", "state": "live"},
        ),
        "state",
    )
    assert _state_of(customer, "gmail") == "not_started"
    assert not LedgerEntry.objects.filter(verb="connectors.state_changed").exists()


def test_update_with_an_id_of_no_stored_customer_computes_statelessly(
    post: Callable[..., Any],
) -> None:
    response = post(
        "connectors/update",
        {"customer_id": "424242", "connector_key": "gmail", "state": "connected_draft_only"},
    )

    assert response.status_code == 200
    assert response.json() == {
        "statuses": {"gmail": {"state": "connected_draft_only", "notes": ""}}
    }


# ── GET /connectors/demo ─────────────────────────────────────────────────────────────────────────
def test_demo_summary(get: Callable[..., Any]) -> None:
    response = get("connectors/demo")

    assert response.status_code == 200
    body = response.json()
    assert body["customer_id"] == "demo"
    assert body["connected_count"] == 2
    assert body["connected_pct"] == 18.2
    assert body["blocking_missing"] == ["whatsapp_cloud"]
    assert body["by_state"] == {"connected_draft_only": 2, "not_started": 8, "configuring": 1}
    assert body["ready_for_first_service"] is False
    assert len(body["items"]) == 11
