"""Incident triage, plans, post-mortems, comms and deadlines (SPEC_RULES §6)."""

from __future__ import annotations

import datetime as dt

import pytest

from customer_ops.domain.errors import InvalidValue, RuleRefused, UnknownSeverity
from customer_ops.domain.incidents import (
    INCIDENT_SEVERITIES,
    POSTMORTEM_FIELDS,
    CommsKind,
    Severity,
    build_incident_response_plan,
    comms_template,
    ensure_may_close,
    ensure_severity_not_lowered,
    may_close,
    missing_postmortem_fields,
    next_update_due,
    pdpl_deadline,
    postmortem_complete,
    triage_incident,
)
from tests.spec_rules import SPEC_SEVERITIES

DETECTED = dt.datetime(2026, 3, 1, 8, 30, tzinfo=dt.UTC)


# ── Ported from the original suite (#25–#29) ────────────────────────────────────────────────────
def test_triage_incident_data_leak_is_sev1():  # original #25
    assert triage_incident(title="Possible data exposure", has_data_leak=True)["severity"] == "SEV1"


def test_triage_incident_unauthorized_send_is_sev1():  # original #26
    result = triage_incident(title="Unauthorized message", has_unauthorized_send=True)

    assert result["severity"] == "SEV1"


def test_triage_incident_many_customers_is_sev2():  # original #27
    assert triage_incident(title="Service outage", affected_customers=10)["severity"] == "SEV2"


def test_triage_incident_single_customer_is_sev3():  # original #28
    result = triage_incident(title="Customer X has issue", affected_customers=1)

    assert result["severity"] == "SEV3"


def test_build_incident_response_plan_sev1_mentions_pdpl():  # original #29
    plan = build_incident_response_plan(severity="SEV1")

    assert "PDPL" in " ".join(plan["plan_ar"])


# ── Severities and triage ───────────────────────────────────────────────────────────────────────
def test_incident_severities_match_the_spec_table():
    assert [
        (s.id.value, s.first_action_minutes, s.communication_cadence_minutes)
        for s in INCIDENT_SEVERITIES
    ] == list(SPEC_SEVERITIES)


def test_triage_incident_leak_is_sev1_whatever_the_customer_count():
    assert (
        triage_incident(title="t", affected_customers=0, has_data_leak=True)["severity"] == "SEV1"
    )


def test_triage_incident_sev2_starts_at_five_customers():
    four = triage_incident(title="t", affected_customers=4)
    five = triage_incident(title="t", affected_customers=5)

    assert four["severity"] == "SEV3"
    assert five["severity"] == "SEV2"
    assert five["reason_ar"] == "عدد العملاء المتأثرين: 5 ≥ 5."


def test_triage_incident_output_shape_and_truncation():
    result = triage_incident(title="ع" * 200, description="d" * 900, affected_customers=0)

    assert list(result) == [
        "title",
        "description",
        "severity",
        "reason_ar",
        "severity_details",
        "affected_customers",
        "has_data_leak",
        "has_unauthorized_send",
        "approval_required",
        "live_send_allowed",
    ]
    assert len(result["title"]) == 120
    assert len(result["description"]) == 500
    assert result["severity_details"]["first_action_minutes"] == 120
    assert result["live_send_allowed"] is False


def test_triage_incident_rejects_negative_affected_customers():
    with pytest.raises(InvalidValue) as raised:
        triage_incident(title="t", affected_customers=-1)

    assert raised.value.field == "affected_customers"


def test_triage_incident_rejects_string_booleans():
    with pytest.raises(InvalidValue) as raised:
        triage_incident(title="t", has_data_leak="false")  # type: ignore[arg-type]

    assert raised.value.field == "has_data_leak"


def test_ensure_severity_not_lowered_allows_raising_and_refuses_lowering():
    assert ensure_severity_not_lowered(classified="SEV3", requested="SEV1") is Severity.SEV1
    with pytest.raises(RuleRefused):
        ensure_severity_not_lowered(classified="SEV1", requested="SEV2")


# ── Response plan ───────────────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize(("severity", "steps"), [("SEV1", 8), ("SEV2", 7), ("SEV3", 7)])
def test_build_incident_response_plan_has_canonical_steps_plus_severity_steps(severity, steps):
    plan = build_incident_response_plan(severity=severity)

    assert len(plan["plan_ar"]) == steps
    assert plan["plan_ar"][0].startswith("1. ")
    assert "72" in plan["plan_ar"][4]
    assert plan["approval_required"] is True
    assert plan["live_send_allowed"] is False


def test_build_incident_response_plan_sev2_updates_every_60_minutes():
    assert "60 دقيقة" in build_incident_response_plan(severity="SEV2")["plan_ar"][5]


@pytest.mark.parametrize("severity", ["sev1", "SEV4", ""])
def test_build_incident_response_plan_rejects_unknown_severity(severity):
    with pytest.raises(UnknownSeverity) as raised:
        build_incident_response_plan(severity=severity)

    assert raised.value.field == "severity"


# ── Post-mortem and closing ─────────────────────────────────────────────────────────────────────
def test_postmortem_has_eight_fields_with_arabic_labels():
    assert [f.key for f in POSTMORTEM_FIELDS] == [
        "summary",
        "timeline",
        "root_cause",
        "what_went_right",
        "what_went_wrong",
        "action_items",
        "action_owners",
        "deadline",
    ]
    assert all(any("\u0600" <= c <= "\u06ff" for c in f.label_ar) for f in POSTMORTEM_FIELDS)


def test_missing_postmortem_fields_lists_blanks_in_order():
    values = {f.key: "نص" for f in POSTMORTEM_FIELDS} | {"root_cause": "  ", "deadline": ""}

    assert missing_postmortem_fields(values) == ["root_cause", "deadline"]
    assert postmortem_complete(values) is False
    assert postmortem_complete({f.key: "نص" for f in POSTMORTEM_FIELDS}) is True


@pytest.mark.parametrize(
    ("severity", "complete", "allowed"),
    [
        ("SEV1", False, False),
        ("SEV1", True, True),
        ("SEV2", False, False),
        ("SEV2", True, True),
        ("SEV3", False, True),
    ],
)
def test_may_close_requires_a_postmortem_for_sev1_and_sev2(severity, complete, allowed):
    assert may_close(severity=severity, postmortem_complete=complete) is allowed


def test_ensure_may_close_refuses_sev1_without_postmortem():
    with pytest.raises(RuleRefused):
        ensure_may_close(severity="SEV1", postmortem_complete=False)


# ── Deadlines ───────────────────────────────────────────────────────────────────────────────────
def test_pdpl_deadline_is_72_hours_after_detection():
    assert pdpl_deadline(detected_at=DETECTED) == dt.datetime(2026, 3, 4, 8, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize(("severity", "minutes"), [("SEV1", 30), ("SEV2", 60), ("SEV3", 240)])
def test_next_update_due_follows_the_communication_cadence(severity, minutes):
    due = next_update_due(severity=severity, last_update_at=DETECTED)

    assert due == DETECTED + dt.timedelta(minutes=minutes)


def test_deadlines_reject_naive_datetimes():
    with pytest.raises(ValueError, match="timezone-aware"):
        pdpl_deadline(detected_at=dt.datetime(2026, 3, 1))  # noqa: DTZ001


# ── Comms templates ─────────────────────────────────────────────────────────────────────────────
def test_comms_template_sev1_first_hour_promises_update_in_30_minutes():
    draft = comms_template(kind="sev1_first_hour", event_type="إرسال غير معتمد")

    assert "إرسال غير معتمد" in draft["body_ar"]
    assert "30 دقيقة" in draft["body_ar"]
    assert draft["approval_required"] is True
    assert draft["live_send_allowed"] is False


def test_comms_template_sev1_data_leak_mentions_pdpl_72_hours():
    body = comms_template(kind=CommsKind.SEV1_DATA_LEAK, data_type="أرقام جوالات")["body_ar"]

    assert "PDPL" in body
    assert "72 ساعة" in body
    assert "نعتذر" in body


def test_comms_template_sev2_has_eta_and_hourly_updates():
    body = comms_template(kind="sev2_update", service_name="Gmail", eta="الساعة 3 عصراً")["body_ar"]

    assert "الساعة 3 عصراً" in body
    assert "كل ساعة" in body


def test_comms_template_sev3_and_resolved_are_real_arabic():
    sev3 = comms_template(kind="sev3_update", service_name="Sheets", status="نعمل على الإصلاح")
    resolved = comms_template(kind="resolved", service_name="Sheets", cause="انتهاء صلاحية الربط")

    assert "4 ساعات" in sev3["body_ar"]
    assert "post-mortem" in resolved["body_ar"]


def test_comms_template_requires_every_placeholder():
    with pytest.raises(InvalidValue) as raised:
        comms_template(kind="sev2_update", service_name="Gmail")

    assert raised.value.field == "eta"


def test_comms_template_rejects_unknown_placeholder_and_kind():
    with pytest.raises(InvalidValue):
        comms_template(kind="sev1_data_leak", data_type="x", extra="y")
    with pytest.raises(InvalidValue):
        comms_template(kind="sev9")
