"""The documents and landing pages say what the code says: bundles, modes, SLA, connectors.

Values come from the code (`positioning/lock.py` and `customer_ops/domain/`); the SPEC_RULES
tables quoted in `tests/spec_rules.py` pin the code and the documents to the original system at
the same time.
"""

from __future__ import annotations

import re

import pytest

from customer_ops.domain import connectors, incidents, onboarding, sla, success
from customer_ops.domain.priority import SUPPORT_PRIORITIES, Priority
from positioning.lock import BUNDLES, MODES, BundleId
from tests.positioning.corpus import doc, page, parse_page, table_with_header, unquote_code
from tests.spec_rules import SPEC_CONNECTORS, SPEC_ONBOARDING_STEPS, SPEC_SEVERITIES

_YES_NO = {"نعم": True, "لا": False}


def _first_number(cell: str) -> int:
    match = re.match(r"\s*(\d+)", cell)
    assert match, f"no number at the start of {cell!r}"
    return int(match.group(1))


# ── Bundles and modes (positioning/lock.py) ───────────────────────────────────────────────────


def test_positioning_lock_bundle_table_is_lock_bundles() -> None:
    rows = table_with_header(doc("POSITIONING_LOCK.md"), "الباقة")

    documented = [(r["الباقة"], r["الاسم العربي"], r["السعر"], r["المحتوى"]) for r in rows]

    assert documented == [(b.name, b.name_ar, b.price_ar, b.contents_ar) for b in BUNDLES]


def test_positioning_lock_states_each_english_price() -> None:
    text = doc("POSITIONING_LOCK.md")

    for bundle in BUNDLES:
        assert f"{bundle.name} {bundle.price_en}" in text


def test_positioning_lock_mode_table_is_lock_modes() -> None:
    rows = table_with_header(doc("POSITIONING_LOCK.md"), "الوضع")

    assert [(r["الوضع"], r["ماذا يعرض"]) for r in rows] == [(m.name, m.summary_ar) for m in MODES]


@pytest.mark.parametrize(
    ("name", "expected_ids"),
    [
        ("companies.html", [b.id for b in BUNDLES if b.id is not BundleId.PARTNERSHIP_GROWTH]),
        ("marketers.html", [b.id for b in BUNDLES]),
    ],
)
def test_landing_bundle_cards_are_lock_bundles(name: str, expected_ids: list[BundleId]) -> None:
    cards = parse_page(page(name)).bundles
    by_id = {b.id.value: b for b in BUNDLES}

    assert list(cards) == [bundle_id.value for bundle_id in expected_ids]
    for bundle_id, card in cards.items():
        bundle = by_id[bundle_id]
        assert card == {
            "name": bundle.name,
            "name-ar": bundle.name_ar,
            "price": bundle.price_ar,
            "contents": bundle.contents_ar,
        }


def test_customer_success_playbook_has_the_domain_plan_days_for_every_bundle() -> None:
    text = doc("CUSTOMER_SUCCESS_PLAYBOOK.md")

    for bundle in BUNDLES:
        heading = f"### {bundle.name} — `{bundle.id.value}`"
        assert heading in text
        plan = text.split(heading, 1)[1].split("\n### ", 1)[0].split("\n## ", 1)[0]
        days = [int(day) for day in re.findall(r"^- اليوم (\d+):", plan, re.M)]
        assert days == [touchpoint.day for touchpoint in success.SUCCESS_PLANS[bundle.id]]


def test_customer_success_playbook_bands_are_the_domain_bands() -> None:
    text = doc("CUSTOMER_SUCCESS_PLAYBOOK.md")
    risk_rows = table_with_header(text, "الدرجة")

    assert [(r["الدرجة"], unquote_code(r["الشدة"])) for r in risk_rows] == [
        (f"{success.HIGH_FROM} فأكثر", success.RiskSeverity.HIGH.value),
        (f"{success.MEDIUM_FROM} إلى {success.HIGH_FROM - 1}", success.RiskSeverity.MEDIUM.value),
        (f"أقل من {success.MEDIUM_FROM}", success.RiskSeverity.LOW.value),
    ]
    assert f"**{success.HEALTHY_FROM} فأكثر**" in text
    assert f"**{success.WATCH_FROM} إلى {success.HEALTHY_FROM - 1}**" in text
    assert f"**أقل من {success.WATCH_FROM}**" in text
    assert [f"`{cadence}`" in text for cadence in success.CADENCE_TYPES] == [True] * 6


# ── Support SLA (customer_ops/domain/priority.py) ─────────────────────────────────────────────


def test_support_sla_priority_table_is_the_domain_table() -> None:
    rows = table_with_header(doc("SUPPORT_SLA.md"), "الأولوية")

    documented = [
        (
            r["الأولوية"],
            int(r["أول رد (دقيقة)"]),
            int(r["هدف الحل (ساعة)"]),
            unquote_code(r["التصعيد إلى"]),
        )
        for r in rows
    ]

    assert documented == [
        (
            level.id.value,
            level.first_response_minutes,
            level.resolution_target_hours,
            level.escalation_owner,
        )
        for level in SUPPORT_PRIORITIES
    ]


def test_support_sla_states_the_domain_clock_basis_and_calendar() -> None:
    text = doc("SUPPORT_SLA.md")
    calendar = sla.DEFAULT_CALENDAR
    round_the_clock = [
        p for p in Priority if sla.SLA_CLOCK_BASIS[p] is sla.ClockBasis.ROUND_THE_CLOCK
    ]
    working_hours = [p for p in Priority if sla.SLA_CLOCK_BASIS[p] is sla.ClockBasis.WORKING_HOURS]

    assert round_the_clock == [Priority.P0, Priority.P1]
    assert working_hours == [Priority.P2, Priority.P3]
    assert "- **P0 وP1:** على مدار الساعة، كل أيام الأسبوع (24/7)." in text
    assert "- **P2 وP3:** في ساعات العمل فقط" in text
    assert calendar.workdays == sla.SUNDAY_TO_THURSDAY
    assert "من الأحد إلى الخميس" in text
    assert f"{calendar.day_start:%H:%M}–{calendar.day_end:%H:%M}" in text
    assert f"({calendar.tz})" in text
    assert "العطل الرسمية السعودية" in text
    assert "`pending_customer`" in text
    assert "`paused` و`resumed`" in text


def test_support_sla_targets_are_the_domain_sla_targets() -> None:
    rows = table_with_header(doc("SUPPORT_SLA.md"), "الأولوية")

    documented = {
        r["الأولوية"]: {
            "first_response_min": int(r["أول رد (دقيقة)"]),
            "resolution_hours": int(r["هدف الحل (ساعة)"]),
        }
        for r in rows
    }

    assert documented == sla.SLA_TARGETS


def test_support_sla_verdict_bands_and_critical_actions() -> None:
    text = doc("SUPPORT_SLA.md")
    rows = table_with_header(text, "الحكم")
    watch, critical = round(sla.WATCH_FROM * 100), round(sla.CRITICAL_FROM * 100)

    assert [(unquote_code(r["الحكم"]), r["نسبة التجاوز"]) for r in rows] == [
        (sla.SlaVerdict.HEALTHY.value, f"أقل من {watch}%"),
        (sla.SlaVerdict.WATCH.value, f"من {watch}% إلى أقل من {critical}%"),
        (sla.SlaVerdict.CRITICAL.value, f"{critical}% فأكثر"),
    ]
    assert "يُبلَّغ المؤسس فوراً" in text
    assert "تُجمَّد الإجراءات الحية" in text


# ── Connectors ────────────────────────────────────────────────────────────────────────────────


def _documented_connectors() -> list[tuple[str, str, str, bool]]:
    rows = table_with_header(doc("CONNECTOR_SETUP_GUIDES.md"), "المفتاح")
    return [
        (
            unquote_code(r["المفتاح"]),
            unquote_code(r["الوضع الافتراضي"]),
            unquote_code(r["المرحلة"]),
            _YES_NO[r["مانعة (blocking)"]],
        )
        for r in rows
    ]


def test_connector_table_matches_the_spec_catalog() -> None:
    assert _documented_connectors() == list(SPEC_CONNECTORS)


def test_connector_table_matches_the_domain_catalog() -> None:
    catalog = [
        (c.key, c.default_mode.value, c.phase.value, c.blocking)
        for c in connectors.SUPPORTED_CONNECTORS
    ]

    assert _documented_connectors() == catalog


def test_connector_guide_names_each_domain_live_flag() -> None:
    text = doc("CONNECTOR_SETUP_GUIDES.md")

    for connector in connectors.SUPPORTED_CONNECTORS:
        if connector.live_flag:
            assert connector.live_flag in text, connector.key


def test_every_connector_has_a_setup_section() -> None:
    text = doc("CONNECTOR_SETUP_GUIDES.md")

    for key, *_ in SPEC_CONNECTORS:
        assert re.search(rf"^### .+ — `{key}`", text, re.M), key


# ── Onboarding and incidents (SPEC_RULES) ─────────────────────────────────────────────────────


def test_onboarding_runbook_step_table_is_the_8_steps() -> None:
    rows = table_with_header(doc("ONBOARDING_RUNBOOK.md"), "#")

    documented = [
        (unquote_code(r["المعرّف"]), _first_number(r["الدقائق"]), _YES_NO[r["تحتاج موافقة"]])
        for r in rows
    ]

    assert documented == [
        (step_id, minutes, approval) for step_id, _, minutes, approval in SPEC_ONBOARDING_STEPS
    ]
    assert sum(minutes for _, minutes, _ in documented) == 27


def test_onboarding_runbook_step_table_is_the_domain_checklist() -> None:
    rows = table_with_header(doc("ONBOARDING_RUNBOOK.md"), "#")

    documented = [
        (unquote_code(r["المعرّف"]), _first_number(r["الدقائق"]), _YES_NO[r["تحتاج موافقة"]])
        for r in rows
    ]

    assert documented == [
        (step.id.value, step.minutes, step.approval_required)
        for step in onboarding.ONBOARDING_STEPS
    ]


def test_incident_severity_table_is_the_domain_table() -> None:
    rows = table_with_header(doc("INCIDENT_RESPONSE.md"), "الدرجة")

    documented = [
        (r["الدرجة"], int(r["أول إجراء خلال (دقيقة)"]), int(r["تحديث العملاء كل (دقيقة)"]))
        for r in rows
    ]

    assert documented == list(SPEC_SEVERITIES)
    assert documented == [
        (s.id.value, s.first_action_minutes, s.communication_cadence_minutes)
        for s in incidents.INCIDENT_SEVERITIES
    ]


def test_incident_response_has_the_domain_post_mortem_fields_and_pdpl_deadline() -> None:
    text = doc("INCIDENT_RESPONSE.md")
    post_mortem = text.split("## 7.", 1)[1].split("\n## ", 1)[0]
    pdpl_hours = int(incidents.PDPL_NOTIFICATION_WINDOW.total_seconds() // 3600)

    assert len(re.findall(r"^\d\. ", post_mortem, re.M)) == len(incidents.POSTMORTEM_FIELDS) == 8
    assert f"{pdpl_hours} ساعة" in text
    assert "PDPL" in text
    required = sorted(s.value for s in incidents.POSTMORTEM_REQUIRED)
    assert required == ["SEV1", "SEV2"]
    assert "إلزامي قبل إغلاق أي حادث SEV1 أو SEV2" in post_mortem
    assert f"{incidents.SEV2_FROM_AFFECTED_CUSTOMERS} عملاء متأثرين أو أكثر" in text
