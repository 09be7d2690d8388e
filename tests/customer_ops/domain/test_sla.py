"""SLA targets, events, breaches and the health report (SPEC_RULES §5)."""

from __future__ import annotations

import datetime as dt

import pytest

from customer_ops.domain.errors import InvalidValue, UnknownPriority, UnknownSlaEvent
from customer_ops.domain.priority import SUPPORT_PRIORITIES
from customer_ops.domain.sla import (
    DEMO_SLA_TICKETS,
    SLA_TARGETS,
    SlaEventType,
    SlaVerdict,
    build_sla_health_report,
    classify_sla_breach,
    first_response_target,
    record_sla_event,
    resolution_target,
    sla_verdict,
)

NOW = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


# ── Ported from the original suite (#19–#24) ────────────────────────────────────────────────────
def test_record_sla_event_rejects_unknown_event():  # original #19
    with pytest.raises(UnknownSlaEvent) as raised:
        record_sla_event(ticket_id="t1", priority="P0", event="bogus", ts=NOW)

    assert isinstance(raised.value, ValueError)
    assert str(raised.value) == "Unknown SLA event: bogus"
    assert raised.value.field == "event"


def test_record_sla_event_returns_the_entry_to_store():  # original #20 (the log was the storage)
    record = record_sla_event(ticket_id="t1", priority="P0", event="opened", ts=NOW)

    assert record.as_dict() == {
        "ticket_id": "t1",
        "priority": "P0",
        "event": "opened",
        "ts": NOW.timestamp(),
    }
    assert record.event is SlaEventType.OPENED


def test_classify_sla_breach_within_target():  # original #21
    result = classify_sla_breach(priority="P0", minutes_to_first_response=20, hours_to_resolve=3)

    assert result == {"priority": "P0", "breached": False, "breaches": []}


def test_classify_sla_breach_exceeded_on_both_targets():  # original #22
    result = classify_sla_breach(priority="P0", minutes_to_first_response=120, hours_to_resolve=10)

    assert result["breached"] is True
    assert result["breaches"] == ["first_response: 120 > 30 min", "resolution: 10.0h > 4h"]


def test_build_sla_health_report_counts_each_breached_ticket_once():  # original #23
    report = build_sla_health_report(
        tickets=[
            {"priority": "P0", "first_response_min": 12, "resolution_hours": 2},
            {"priority": "P1", "first_response_min": 90, "resolution_hours": 18},
            {"priority": "P3", "first_response_min": 1500, "resolution_hours": 200},
        ]
    )

    assert report["total_tickets"] == 3
    assert report["total_breached"] == 1
    assert report["by_priority"]["P3"]["breaches"] == 1


def test_build_sla_health_report_critical_when_all_breach():  # original #24
    report = build_sla_health_report(
        tickets=[
            {"priority": "P0", "first_response_min": m, "resolution_hours": h}
            for m, h in ((60, 10), (120, 20), (180, 30), (240, 40))
        ]
    )

    assert report["verdict"] == "critical"
    assert report["breach_rate"] == 1.0


# ── Targets ─────────────────────────────────────────────────────────────────────────────────────
def test_sla_targets_are_derived_from_the_priority_table():
    assert SLA_TARGETS == {
        "P0": {"first_response_min": 30, "resolution_hours": 4},
        "P1": {"first_response_min": 120, "resolution_hours": 24},
        "P2": {"first_response_min": 480, "resolution_hours": 72},
        "P3": {"first_response_min": 1440, "resolution_hours": 168},
    }
    assert len(SLA_TARGETS) == len(SUPPORT_PRIORITIES)


def test_targets_as_timedeltas():
    assert first_response_target("P2") == dt.timedelta(hours=8)
    assert resolution_target("P3") == dt.timedelta(weeks=1)


# ── Events ──────────────────────────────────────────────────────────────────────────────────────
def test_sla_event_types_include_pause_and_resume():
    assert [e.value for e in SlaEventType] == [
        "opened",
        "first_response",
        "paused",
        "resumed",
        "resolved",
        "escalated",
    ]


def test_record_sla_event_rejects_unknown_priority():
    with pytest.raises(UnknownPriority):
        record_sla_event(ticket_id="t1", priority="P7", event="opened", ts=NOW)


def test_record_sla_event_rejects_naive_time():
    with pytest.raises(ValueError, match="timezone-aware"):
        record_sla_event(ticket_id="t1", priority="P1", event="opened", ts=dt.datetime(2026, 3, 1))  # noqa: DTZ001


# ── Breaches ────────────────────────────────────────────────────────────────────────────────────
def test_classify_sla_breach_exactly_at_target_is_not_a_breach():
    result = classify_sla_breach(priority="P0", minutes_to_first_response=30, hours_to_resolve=4)

    assert result["breached"] is False


def test_classify_sla_breach_just_over_target_is_a_breach():
    result = classify_sla_breach(priority="P0", minutes_to_first_response=30.2)

    assert result["breaches"] == ["first_response: 30 > 30 min"]


def test_classify_sla_breach_formats_resolution_with_one_decimal():
    result = classify_sla_breach(priority="P2", hours_to_resolve=72.25)

    assert result["breaches"] == ["resolution: 72.2h > 72h"]


def test_classify_sla_breach_with_no_measurements():
    assert classify_sla_breach(priority="P3")["breached"] is False


def test_classify_sla_breach_rejects_unknown_priority_instead_of_using_p3():
    with pytest.raises(UnknownPriority):
        classify_sla_breach(priority="urgent", minutes_to_first_response=5)


@pytest.mark.parametrize("value", ["120", -5, float("nan"), True])
def test_classify_sla_breach_rejects_non_numbers_and_negatives(value):
    with pytest.raises(InvalidValue) as raised:
        classify_sla_breach(priority="P1", minutes_to_first_response=value)

    assert raised.value.field == "minutes_to_first_response"


# ── Health report ───────────────────────────────────────────────────────────────────────────────
def test_build_sla_health_report_demo_is_exactly_critical():
    report = build_sla_health_report(tickets=DEMO_SLA_TICKETS)

    assert report["total_tickets"] == 4
    assert report["total_breached"] == 1
    assert report["breach_rate"] == 0.25
    assert report["verdict"] == "critical"
    assert report["by_priority"]["P2"]["breaches"] == 1


def test_build_sla_health_report_when_empty():
    assert build_sla_health_report(tickets=[]) == {
        "total_tickets": 0,
        "total_breached": 0,
        "breach_rate": 0.0,
        "by_priority": {},
        "verdict": "healthy",
    }


def test_build_sla_health_report_bucket_fields_and_rounding():
    report = build_sla_health_report(
        tickets=[
            {"priority": "P1", "first_response_min": 10, "resolution_hours": 1},
            {"priority": "P1", "first_response_min": 11, "resolution_hours": 2},
            {"priority": "P1", "first_response_min": 11},
            {"priority": "P1"},
        ]
    )

    assert report["by_priority"]["P1"] == {
        "count": 4,
        "breaches": 0,
        "total_first_response_min": 32.0,
        "total_resolution_hours": 3.0,
        "responded_count": 3,
        "resolved_count": 2,
        "avg_first_response_min": 10.7,
        "avg_resolution_hours": 1.5,
    }


def test_build_sla_health_report_omits_averages_without_measurements():
    bucket = build_sla_health_report(tickets=[{"priority": "P2"}])["by_priority"]["P2"]

    assert "avg_first_response_min" not in bucket
    assert "avg_resolution_hours" not in bucket


def test_build_sla_health_report_defaults_missing_priority_to_p3():
    report = build_sla_health_report(tickets=[{"first_response_min": 5}])

    assert list(report["by_priority"]) == ["P3"]


def test_build_sla_health_report_rounds_breach_rate_to_three_decimals():
    tickets = [{"priority": "P0", "first_response_min": 31}] + [{"priority": "P0"}] * 2

    assert build_sla_health_report(tickets=tickets)["breach_rate"] == 0.333


def test_build_sla_health_report_rejects_unknown_priority():
    with pytest.raises(UnknownPriority):
        build_sla_health_report(tickets=[{"priority": "P9"}])


def test_build_sla_health_report_names_the_ticket_with_a_bad_number():
    with pytest.raises(InvalidValue) as raised:
        build_sla_health_report(
            tickets=[{"priority": "P0"}, {"priority": "P0", "resolution_hours": "3"}]
        )

    assert raised.value.field == "tickets[1].resolution_hours"


@pytest.mark.parametrize(
    ("rate", "verdict"),
    [
        (0.0, SlaVerdict.HEALTHY),
        (0.099, SlaVerdict.HEALTHY),
        (0.10, SlaVerdict.WATCH),
        (0.249, SlaVerdict.WATCH),
        (0.25, SlaVerdict.CRITICAL),
        (1.0, SlaVerdict.CRITICAL),
    ],
)
def test_sla_verdict_bands(rate, verdict):
    assert sla_verdict(rate) is verdict


def test_sla_verdict_rejects_rate_above_one():
    with pytest.raises(InvalidValue):
        sla_verdict(1.5)
