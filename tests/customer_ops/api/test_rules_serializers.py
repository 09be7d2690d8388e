"""The rule serializers share one set of bound fields per class: results must not leak between
instances, languages or threads."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.utils import translation

from customer_ops.api.rules import serializers as s
from dealix.api_errors import InputInvalid, validated_input

pytestmark = pytest.mark.django_db


def _outcome(payload: dict[str, Any]) -> Any:
    try:
        return validated_input(s.IncidentTriageInput, payload)
    except InputInvalid as error:
        return ("invalid", sorted(error.errors), error.errors_ar)


PAYLOADS: list[dict[str, Any]] = [
    {"title": "a", "affected_customers": 5},
    {"title": "b", "has_data_leak": "false"},
    {"title": "c", "has_unauthorized_send": True, "affected_customers": 0},
    {"affected_customers": -1, "description": 3},
]


def test_instances_of_one_class_do_not_share_results() -> None:
    expected = [_outcome(payload) for payload in PAYLOADS]

    assert [_outcome(payload) for payload in reversed(PAYLOADS)] == expected[::-1]
    assert expected[0]["affected_customers"] == 5
    assert expected[1][1] == ["has_data_leak"]
    assert expected[3][1] == ["affected_customers", "description"]


def test_errors_follow_the_active_language_each_time() -> None:
    with translation.override("ar"):
        first = _outcome(PAYLOADS[1])
    with translation.override("en"):
        second = _outcome(PAYLOADS[1])

    assert first == second
    assert first[2]["has_data_leak"] != ["Must be a valid boolean."]


def test_concurrent_validation_gives_each_caller_its_own_answer() -> None:
    expected = [_outcome(payload) for payload in PAYLOADS]
    jobs = [index % len(PAYLOADS) for index in range(400)]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda index: _outcome(PAYLOADS[index]), jobs))

    assert results == [expected[index] for index in jobs]


def test_output_serializers_omit_absent_optional_keys() -> None:
    decision = {"priority": "P3", "reason_ar": "افتراضي"}
    hit = {"priority": "P0", "matched_keyword": "leak", "reason_ar": "x"}

    assert dict(s.ClassificationOutput(decision).data) == decision
    assert dict(s.ClassificationOutput(hit).data) == hit
    assert dict(s.ClassificationOutput(decision).data) == decision
