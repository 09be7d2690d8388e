"""The connector catalog, states and the setup summary (SPEC_RULES §3)."""

from __future__ import annotations

import pytest

from customer_ops.domain.connectors import (
    CONNECTED_STATES,
    DEMO_CONNECTOR_STATUSES,
    LIVE_SEND_FLAGS,
    SUPPORTED_CONNECTORS,
    ConnectorMode,
    build_connector_setup_summary,
    catalog,
    get_connector,
    update_connector_status,
)
from customer_ops.domain.errors import InvalidValue, UnknownConnector, UnknownConnectorState
from customer_ops.domain.transitions import ConnectorState
from tests.spec_rules import SPEC_CONNECTORS


# ── Ported from the original suite (#5–#9) ──────────────────────────────────────────────────────
def test_supported_connectors_include_the_critical_ones():  # original #5
    keys = {c.key for c in SUPPORTED_CONNECTORS}

    for required in (
        "gmail",
        "google_calendar",
        "moyasar",
        "whatsapp_cloud",
        "google_sheets",
        "website_forms",
        "linkedin_lead_forms",
    ):
        assert required in keys


def test_build_connector_setup_summary_lists_missing_blocking_connector():  # original #6
    summary = build_connector_setup_summary(
        customer_id="c1", statuses={"gmail": {"state": "connected_draft_only"}}
    )

    assert "whatsapp_cloud" in summary["blocking_missing"]
    assert summary["ready_for_first_service"] is False


def test_build_connector_setup_summary_ready_when_whatsapp_connected():  # original #7
    summary = build_connector_setup_summary(
        customer_id="c1",
        statuses={
            "gmail": {"state": "connected_draft_only"},
            "whatsapp_cloud": {"state": "connected_draft_only"},
        },
    )

    assert summary["ready_for_first_service"] is True


def test_update_connector_status_rejects_unknown_state():  # original #8
    with pytest.raises(UnknownConnectorState) as raised:
        update_connector_status({}, connector_key="gmail", state="totally_invalid")

    assert isinstance(raised.value, ValueError)
    assert str(raised.value) == "Unknown connector state: totally_invalid"
    assert raised.value.field == "state"


def test_update_connector_status_writes_the_state():  # original #9
    statuses = update_connector_status({}, connector_key="gmail", state="connected_draft_only")

    assert statuses["gmail"]["state"] == "connected_draft_only"


# ── Catalog ─────────────────────────────────────────────────────────────────────────────────────
def test_supported_connectors_match_the_spec_table():
    rows = [(c.key, c.default_mode.value, c.phase.value, c.blocking) for c in SUPPORTED_CONNECTORS]

    assert rows == list(SPEC_CONNECTORS)


def test_catalog_has_the_original_shape():
    out = catalog()

    assert out["total"] == 11
    assert list(out["connectors"][0]) == ["key", "label_ar", "default_mode", "blocking", "phase"]


def test_no_connector_defaults_to_a_live_mode():
    assert {c.default_mode for c in SUPPORTED_CONNECTORS} <= set(ConnectorMode)


def test_live_send_flags_name_the_env_flags_per_channel():
    assert LIVE_SEND_FLAGS == {
        "gmail": "GMAIL_ALLOW_LIVE_SEND",
        "google_calendar": "CALENDAR_ALLOW_LIVE_INSERT",
        "whatsapp_cloud": "WHATSAPP_ALLOW_LIVE_SEND",
        "google_business_profile": "GBP_ALLOW_LIVE_REPLY",
    }


def test_get_connector_returns_the_entry():
    assert get_connector("moyasar").default_mode is ConnectorMode.MANUAL


def test_get_connector_rejects_unknown_key():
    with pytest.raises(UnknownConnector, match="unknown connector: fax"):
        get_connector("fax")


def test_connected_states_are_the_two_connected_modes():
    assert {s.value for s in CONNECTED_STATES} == {
        "connected_draft_only",
        "connected_approved_execute",
    }
    assert len(ConnectorState) == 6


# ── Updating ────────────────────────────────────────────────────────────────────────────────────
def test_update_connector_status_rejects_unknown_connector():
    with pytest.raises(UnknownConnector) as raised:
        update_connector_status({}, connector_key="", state="configuring")

    assert raised.value.field == "connector_key"


def test_update_connector_status_returns_a_new_dict():
    statuses = {"gmail": {"state": "configuring", "notes": ""}}

    updated = update_connector_status(statuses, connector_key="gmail", state="failed", notes="x")

    assert statuses["gmail"]["state"] == "configuring"
    assert updated["gmail"] == {"state": "failed", "notes": "x"}


def test_update_connector_status_cuts_notes_to_200_characters():
    updated = update_connector_status(
        None, connector_key="moyasar", state="configuring", notes="a" * 300
    )

    assert len(updated["moyasar"]["notes"]) == 200


# ── Summary ─────────────────────────────────────────────────────────────────────────────────────
def test_build_connector_setup_summary_demo_values():
    summary = build_connector_setup_summary(customer_id="demo", statuses=DEMO_CONNECTOR_STATUSES)

    assert summary["total_connectors"] == 11
    assert summary["connected_count"] == 2
    assert summary["connected_pct"] == 18.2
    assert summary["blocking_missing"] == ["whatsapp_cloud"]
    assert summary["by_state"] == {"connected_draft_only": 2, "not_started": 8, "configuring": 1}
    assert summary["ready_for_first_service"] is False


def test_build_connector_setup_summary_without_statuses():
    summary = build_connector_setup_summary(customer_id="c1")

    assert summary["connected_count"] == 0
    assert summary["connected_pct"] == 0.0
    assert summary["blocking_missing"] == ["whatsapp_cloud"]
    assert summary["by_state"] == {"not_started": 11}
    assert summary["ready_for_first_service"] is False


def test_build_connector_setup_summary_items_carry_state_and_notes():
    summary = build_connector_setup_summary(
        customer_id="c1",
        statuses={"moyasar": {"state": "configuring", "notes": "بانتظار الفاتورة"}},
    )

    moyasar = next(item for item in summary["items"] if item["key"] == "moyasar")
    gmail = next(item for item in summary["items"] if item["key"] == "gmail")
    assert moyasar["state"] == "configuring"
    assert moyasar["notes"] == "بانتظار الفاتورة"
    assert gmail["notes"] == ""
    assert list(summary) == [
        "customer_id",
        "total_connectors",
        "connected_count",
        "connected_pct",
        "blocking_missing",
        "by_state",
        "items",
        "ready_for_first_service",
    ]


def test_build_connector_setup_summary_rejects_unknown_connector_key():
    with pytest.raises(UnknownConnector):
        build_connector_setup_summary(statuses={"fax": {"state": "configuring"}})


def test_build_connector_setup_summary_rejects_unknown_state():
    with pytest.raises(UnknownConnectorState):
        build_connector_setup_summary(statuses={"gmail": {"state": "connected"}})


def test_build_connector_setup_summary_rejects_non_object_status():
    with pytest.raises(InvalidValue):
        build_connector_setup_summary(statuses={"gmail": "connected_draft_only"})
