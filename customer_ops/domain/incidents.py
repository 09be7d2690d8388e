"""Incident severities, triage, response plans, comms templates and deadlines (SPEC_RULES §6).

Better than the original: an unknown severity (including lowercase "sev1") is an error, not the
SEV3 plan; a negative affected-customer count is an error; the doc-only parts — post-mortem fields,
Arabic comms templates, update cadence, the PDPL 72-hour deadline, "no close without a post-mortem"
for SEV1/SEV2 — are implemented; a human may raise a severity, never lower it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from string import Formatter
from typing import Any

from customer_ops.domain.errors import InvalidValue, RuleRefused, UnknownSeverity
from customer_ops.domain.inputs import require_aware, require_bool, require_count, require_text
from customer_ops.domain.plurals import HOURS, MINUTES, arabic_count


class Severity(StrEnum):
    SEV1 = "SEV1"
    SEV2 = "SEV2"
    SEV3 = "SEV3"


@dataclass(frozen=True, slots=True)
class SeverityLevel:
    """One severity: how fast the first action comes and how often customers hear from us."""

    id: Severity
    label_ar: str
    first_action_minutes: int
    communication_cadence_minutes: int

    def as_dict(self) -> dict[str, Any]:
        """The original API shape of a severity."""
        return {
            "id": self.id.value,
            "label_ar": self.label_ar,
            "first_action_minutes": self.first_action_minutes,
            "communication_cadence_minutes": self.communication_cadence_minutes,
        }


INCIDENT_SEVERITIES: tuple[SeverityLevel, ...] = (
    SeverityLevel(Severity.SEV1, "حرج جداً — تسريب أمان / إرسال خاطئ / تعطل كامل", 15, 30),
    SeverityLevel(Severity.SEV2, "خدمة مهمة معطلة لعدد كبير من العملاء", 30, 60),
    SeverityLevel(Severity.SEV3, "خدمة معطلة لعميل واحد أو أداء متراجع", 120, 240),
)
SEVERITIES_BY_ID: dict[Severity, SeverityLevel] = {s.id: s for s in INCIDENT_SEVERITIES}
_RANK: dict[Severity, int] = {s.id: rank for rank, s in enumerate(INCIDENT_SEVERITIES)}

SEV2_FROM_AFFECTED_CUSTOMERS = 5
TITLE_MAX_CHARS = 120
DESCRIPTION_MAX_CHARS = 500
PDPL_NOTIFICATION_WINDOW = dt.timedelta(hours=72)
POSTMORTEM_REQUIRED: frozenset[Severity] = frozenset({Severity.SEV1, Severity.SEV2})


def parse_severity(value: object) -> Severity:
    """The severity for "SEV1".."SEV3" exactly; anything else is `UnknownSeverity`."""
    if not isinstance(value, str):  # no other type is a member either
        raise UnknownSeverity(value)
    try:
        return Severity(value)
    except ValueError:
        raise UnknownSeverity(value) from None


def severity_get(severity: object) -> SeverityLevel:
    """The table row for a severity."""
    return SEVERITIES_BY_ID[parse_severity(severity)]


def ensure_severity_not_lowered(*, classified: object, requested: object) -> Severity:
    """Return `requested` if it is at least as severe as `classified`: humans raise, never lower."""
    floor, wanted = parse_severity(classified), parse_severity(requested)
    if _RANK[wanted] > _RANK[floor]:
        raise RuleRefused(
            f"severity may not be lowered below the triaged {floor} (requested {wanted})",
            field="severity",
            message_ar=f"لا يمكن خفض الخطورة عن المصنّفة {floor} (المطلوب {wanted})",
        )
    return wanted


def more_severe(first: object, second: object) -> Severity:
    """The more severe of two severities (SEV1 over SEV2 over SEV3)."""
    a, b = parse_severity(first), parse_severity(second)
    return a if _RANK[a] <= _RANK[b] else b


def severity_change_needs_founder(*, current: object, wanted: object) -> bool:
    """Whether only a founder may make this severity change.

    Raising to SEV1 is the founder's call (SPEC.md §1), and so is lowering a SEV1 or SEV2: an
    operator bringing a founder's SEV1 back to SEV3 would also drop the post-mortem it needs.
    """
    now_at, then_at = parse_severity(current), parse_severity(wanted)
    raising_to_sev1 = then_at is Severity.SEV1 and now_at is not Severity.SEV1
    lowering_serious = _RANK[then_at] > _RANK[now_at] and now_at in POSTMORTEM_REQUIRED
    return raising_to_sev1 or lowering_serious


def triage_incident(
    *,
    title: str,
    description: str = "",
    affected_customers: int = 1,
    has_data_leak: bool = False,
    has_unauthorized_send: bool = False,
) -> dict[str, Any]:
    """Leak or unapproved send → SEV1; else ≥ 5 affected customers → SEV2; else SEV3 (§6.2)."""
    title = require_text("title", title)
    description = require_text("description", description)
    affected = require_count("affected_customers", affected_customers)
    leak = require_bool("has_data_leak", has_data_leak)
    unauthorized = require_bool("has_unauthorized_send", has_unauthorized_send)
    if leak or unauthorized:
        severity, reason_ar = Severity.SEV1, "تسريب أمان أو إرسال غير معتمد — أعلى أولوية."
    elif affected >= SEV2_FROM_AFFECTED_CUSTOMERS:
        severity = Severity.SEV2
        reason_ar = f"عدد العملاء المتأثرين: {affected} ≥ {SEV2_FROM_AFFECTED_CUSTOMERS}."
    else:
        severity, reason_ar = Severity.SEV3, "حدث محدود التأثير."
    return {
        "title": title[:TITLE_MAX_CHARS],
        "description": description[:DESCRIPTION_MAX_CHARS],
        "severity": severity.value,
        "reason_ar": reason_ar,
        "severity_details": SEVERITIES_BY_ID[severity].as_dict(),
        "affected_customers": affected,
        "has_data_leak": leak,
        "has_unauthorized_send": unauthorized,
        "approval_required": True,
        "live_send_allowed": False,
    }


# ── Response plan (SPEC_RULES §6.3) ──────────────────────────────────────────────────────────────
CANONICAL_PLAN_AR: tuple[str, ...] = (
    "تجميد الإجراءات الحية (live actions) على القناة المعنية فوراً.",
    "إخطار المؤسس + المشغّل المناوب (on-call operator).",
    "فتح قناة للحادثة (incident channel) مع خط زمني.",
    "مراجعة Action Ledger للإجراءات المرتبطة.",
    "إذا حدث تسريب: إخطار العملاء المتأثرين خلال 72 ساعة (PDPL).",
)
PDPL_PLAN_STEP_AR = CANONICAL_PLAN_AR[4]


def pdpl_step_open(*, has_data_leak: bool, steps: Iterable[tuple[str, bool]]) -> bool:
    """Whether a data-leak incident still has its PDPL notification step unticked.

    Closing (or resolving) such an incident is allowed — the step may have been done outside the
    console — but the screen warns first: the affected people must be told within 72 hours.
    """
    return has_data_leak and any(text == PDPL_PLAN_STEP_AR and not done for text, done in steps)


EXTRA_PLAN_AR: dict[Severity, tuple[str, ...]] = {
    Severity.SEV1: (
        "تواصل مباشر مع المؤسس + تشكيل خلية أزمة.",
        "كتابة post-mortem خلال 24 ساعة.",
        "مراجعة قانونية إن لزم (DPA + تبعات PDPL).",
    ),
    Severity.SEV2: (
        "تحديث العملاء المتأثرين كل 60 دقيقة.",
        "كتابة post-mortem خلال 48 ساعة.",
    ),
    Severity.SEV3: (
        "تحديث العميل المتأثر مع كل خطوة.",
        "post-mortem اختياري (موصى به عند تكرار النمط).",
    ),
}


def response_plan_steps(severity: object) -> tuple[str, ...]:
    """The plan's steps without numbering: the 5 canonical steps, then the severity's own."""
    return CANONICAL_PLAN_AR + EXTRA_PLAN_AR[parse_severity(severity)]


def build_incident_response_plan(*, severity: object) -> dict[str, Any]:
    """The numbered Arabic plan: 8 steps for SEV1, 7 for SEV2 and SEV3."""
    level = severity_get(severity)
    steps = response_plan_steps(level.id)
    return {
        "severity": level.id.value,
        "plan_ar": [f"{number}. {step}" for number, step in enumerate(steps, start=1)],
        "approval_required": True,
        "live_send_allowed": False,
    }


# ── Post-mortem (SPEC_RULES §6.4) ────────────────────────────────────────────────────────────────
@dataclass(frozen=True, slots=True)
class PostmortemField:
    key: str
    label_ar: str


POSTMORTEM_FIELDS: tuple[PostmortemField, ...] = (
    PostmortemField("summary", "ملخص الحادثة"),
    PostmortemField("timeline", "الخط الزمني مع الأوقات"),
    PostmortemField("root_cause", "السبب الجذري"),
    PostmortemField("what_went_right", "ما الذي سار بشكل صحيح"),
    PostmortemField("what_went_wrong", "ما الذي سار بشكل خاطئ"),
    PostmortemField("action_items", "الإجراءات الوقائية"),
    PostmortemField("action_owners", "مسؤول كل إجراء"),
    PostmortemField("deadline", "الموعد النهائي"),
)


def missing_postmortem_fields(values: Mapping[str, object]) -> list[str]:
    """The post-mortem fields still blank, in template order."""
    return [
        field.key
        for field in POSTMORTEM_FIELDS
        if not isinstance(values.get(field.key), str) or not str(values.get(field.key)).strip()
    ]


def postmortem_complete(values: Mapping[str, object]) -> bool:
    """All 8 fields filled in."""
    return not missing_postmortem_fields(values)


def may_close(*, severity: object, postmortem_complete: bool) -> bool:
    """SEV1/SEV2 close only with a complete post-mortem; SEV3's post-mortem is optional.

    `severity` is the highest the incident ever had (`Incident.peak_severity`): one that was SEV1
    and was brought down to SEV3 still needs its post-mortem.
    """
    return parse_severity(severity) not in POSTMORTEM_REQUIRED or postmortem_complete


def ensure_may_close(*, severity: object, postmortem_complete: bool) -> None:
    """Raise unless `may_close`; the incident service calls this before `resolved → closed`."""
    if not may_close(severity=severity, postmortem_complete=postmortem_complete):
        raise RuleRefused(
            f"a {severity} incident needs a complete post-mortem before it can be closed",
            field="postmortem",
            message_ar="لا يمكن إغلاق حادثة SEV1/SEV2 قبل اكتمال الـ post-mortem",
        )


# ── Deadlines ───────────────────────────────────────────────────────────────────────────────────
def next_update_due(*, severity: object, last_update_at: dt.datetime) -> dt.datetime:
    """When customers are owed the next status update: the severity's communication cadence."""
    level = severity_get(severity)
    start = require_aware("last_update_at", last_update_at)
    return start + dt.timedelta(minutes=level.communication_cadence_minutes)


def pdpl_deadline(*, detected_at: dt.datetime) -> dt.datetime:
    """PDPL: affected people are notified within 72 hours of detecting a leak."""
    return require_aware("detected_at", detected_at) + PDPL_NOTIFICATION_WINDOW


# ── Comms templates (SPEC_RULES §6.4, Arabic) ────────────────────────────────────────────────────
class CommsKind(StrEnum):
    SEV1_FIRST_HOUR = "sev1_first_hour"
    SEV1_DATA_LEAK = "sev1_data_leak"
    SEV2_UPDATE = "sev2_update"
    SEV3_UPDATE = "sev3_update"
    RESOLVED = "resolved"


def _arabic_duration(minutes: int) -> str:
    if minutes % 60:
        return arabic_count(minutes, MINUTES)
    hours = minutes // 60
    return {1: "ساعة", 2: "ساعتين"}.get(hours) or arabic_count(hours, HOURS)


_CADENCE_AR = {
    level.id: _arabic_duration(level.communication_cadence_minutes) for level in INCIDENT_SEVERITIES
}
COMMS_TEMPLATES_AR: dict[CommsKind, str] = {
    CommsKind.SEV1_FIRST_HOUR: (
        "رصدنا حدثاً أمنياً/تشغيلياً من نوع {event_type}. "
        "أوقفنا فوراً كل الإجراءات الحية على القناة المعنية، ونعمل على احتوائه الآن. "
        f"سنرسل لكم تحديثاً خلال {_CADENCE_AR[Severity.SEV1]}."
    ),
    CommsKind.SEV1_DATA_LEAK: (
        "نعتذر لكم بصدق. اكتشفنا تسريباً لبيانات من نوع {data_type}. "
        "نراجع الآن نطاق الأثر، وسنرسل لكم التفاصيل وخطوات الحماية الموصى بها خلال 24 ساعة. "
        "ووفقاً لنظام حماية البيانات الشخصية (PDPL) نلتزم بالإبلاغ خلال 72 ساعة من اكتشاف التسريب."
    ),
    CommsKind.SEV2_UPDATE: (
        "خدمة {service_name} متعطلة جزئياً الآن، وفريقنا يعمل على إصلاحها. "
        "الوقت المتوقع للاستعادة: {eta}. "
        f"سنوافيكم بتحديث كل {_CADENCE_AR[Severity.SEV2]} حتى تعود الخدمة بالكامل."
    ),
    CommsKind.SEV3_UPDATE: (
        "تحديث بخصوص {service_name}: {status}. "
        f"سنوافيكم بالتحديث التالي خلال {_CADENCE_AR[Severity.SEV3]}، "
        "ولا داعي لأي إجراء من طرفكم الآن."
    ),
    CommsKind.RESOLVED: (
        "تمت استعادة {service_name} بالكامل وعادت الخدمة للعمل الطبيعي. "
        "السبب المبدئي: {cause}. "
        "سنشارككم ملخص المراجعة (post-mortem) والإجراءات الوقائية، وشكراً لصبركم."
    ),
}
COMMS_PLACEHOLDERS: dict[CommsKind, frozenset[str]] = {
    kind: frozenset(name for _, name, _, _ in Formatter().parse(body) if name)
    for kind, body in COMMS_TEMPLATES_AR.items()
}


def comms_template(*, kind: object, **values: str) -> dict[str, Any]:
    """An Arabic customer update as a draft; every placeholder must be given, and nothing else."""
    if not isinstance(kind, str):  # no other type is a member either
        raise InvalidValue("kind", f"unknown comms template: {kind}")
    try:
        comms_kind = CommsKind(kind)
    except ValueError:
        raise InvalidValue("kind", f"unknown comms template: {kind}") from None
    expected = COMMS_PLACEHOLDERS[comms_kind]
    for name in sorted(expected - values.keys()):
        raise InvalidValue(name, f"{name} is required for the {comms_kind} template")
    for name in sorted(values.keys() - expected):
        raise InvalidValue(name, f"{name} is not a placeholder of the {comms_kind} template")
    for name, value in values.items():
        if not isinstance(value, str) or not value.strip():
            raise InvalidValue(name, f"{name} must be non-empty text")
    return {
        "kind": comms_kind.value,
        "body_ar": COMMS_TEMPLATES_AR[comms_kind].format(
            **{k: v.strip() for k, v in values.items()}
        ),
        "approval_required": True,
        "live_send_allowed": False,
    }
