"""The two operator modes as pure builders (SPEC_RULES §9): service delivery and self-growth.

Better than the original: an unknown service is an error; the post-delivery handoff refuses while
the customer still has breached open tickets (the original claimed an SLA gate and had none); the
self-growth brief is built from the targets passed in (real accounts from the database), never
from generated company names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from customer_ops.domain.errors import InvalidValue, RuleRefused, UnknownService
from customer_ops.domain.inputs import require_count
from customer_ops.domain.plurals import COMPANIES, TICKETS, arabic_count
from customer_ops.domain.sla import build_sla_health_report, classify_sla_breach


# ── Service catalog (the 12 services of service_tower) ──────────────────────────────────────────
class ServiceKind(StrEnum):
    SPRINT = "sprint"
    MONTHLY = "monthly"
    ONE_OFF = "one_off"


ESTIMATED_COMPLETION_DAYS: dict[ServiceKind, int] = {
    ServiceKind.SPRINT: 7,
    ServiceKind.MONTHLY: 30,
    ServiceKind.ONE_OFF: 1,
}

DEFAULT_WORKFLOW: tuple[str, ...] = (
    "intake",
    "data_check",
    "targeting",
    "contactability",
    "strategy",
    "drafting",
    "approval",
    "execution_or_export",
    "tracking",
    "proof",
    "upsell",
)
WORKFLOW_STEP_LABELS_AR: dict[str, str] = {
    "intake": "استلام المدخلات",
    "data_check": "فحص البيانات",
    "targeting": "تحديد الأهداف",
    "contactability": "التحقق من جواز التواصل (opt-in والمصدر)",
    "strategy": "خطة التواصل",
    "drafting": "كتابة المسودات",
    "approval": "اعتماد العميل",
    "execution_or_export": "التنفيذ المعتمد أو التصدير",
    "tracking": "متابعة النتائج",
    "proof": "إعداد Proof Pack",
    "upsell": "اقتراح الخطوة التالية",
    "agency_onboarding": "تهيئة الوكالة",
    "client_diagnostic": "تشخيص عملاء الوكالة",
    "proposal": "عرض مشترك",
    "pilot": "تشغيل Pilot",
    "revenue_share": "تفعيل مشاركة الإيراد",
    "aggregate": "تجميع إشارات اليوم",
    "prioritize": "ترتيب القرارات",
    "deliver": "تسليم الموجز",
}
# Steps that put something in front of a customer or a channel: each needs a human approval.
APPROVAL_STEPS: frozenset[str] = frozenset({"drafting", "approval", "execution_or_export"})


@dataclass(frozen=True, slots=True)
class Service:
    """A productized service Dealix delivers to a customer."""

    id: str
    name_ar: str
    kind: ServiceKind
    deliverables_ar: tuple[str, ...]
    approval_policy: str = "approval_required"
    workflow: tuple[str, ...] = DEFAULT_WORKFLOW
    growth_mission: str | None = None


_K = ServiceKind
SERVICES: tuple[Service, ...] = (
    Service(
        "free_growth_diagnostic",
        "تشخيص نمو مجاني",
        _K.ONE_OFF,
        ("3 فرص B2B مع سبب التوقيت", "رسالة عربية مخصصة", "ملاحظة مخاطر", "توصية Pilot مدفوع"),
        approval_policy="approval_required_for_share",
        growth_mission="first_10_opportunities",
    ),
    Service(
        "list_intelligence",
        "تحليل القوائم (List Intelligence)",
        _K.ONE_OFF,
        (
            "قائمة منظفة بلا تكرار",
            "تصنيف آمن / يحتاج مراجعة / محظور",
            "أفضل 50 هدفاً",
            "رسائل عربية",
            "تقرير مخاطر",
        ),
        approval_policy="draft_only",
    ),
    Service(
        "first_10_opportunities_sprint",
        "سبرنت أول 10 فرص",
        _K.SPRINT,
        ("10 فرص B2B مع سبب التوقيت", "10 رسائل عربية", "خطة متابعة 7 أيام", "Proof Pack تفصيلي"),
        approval_policy="draft_only",
        growth_mission="first_10_opportunities",
    ),
    Service(
        "self_growth_operator",
        "مدير نمو شخصي (Self-Growth Operator)",
        _K.MONTHLY,
        ("موجز يومي عربي", "5 بطاقات قرار يومياً", "مسودات + اعتمادات", "تقرير تعلّم أسبوعي"),
    ),
    Service(
        "growth_os_monthly",
        "Growth OS — اشتراك شهري",
        _K.MONTHLY,
        ("ربط القنوات", "موجز يومي", "مركز اعتماد موحد", "Proof Pack شهري", "كاشف تسرب الإيراد"),
    ),
    Service(
        "email_revenue_rescue",
        "استعادة الإيراد من البريد",
        _K.ONE_OFF,
        (
            "فحص صندوق الوارد والتصنيفات",
            "مسودات للردود المتأخرة",
            "مسودات اجتماعات",
            "تقرير الإيراد الضائع",
        ),
        growth_mission="revenue_leak_rescue",
    ),
    Service(
        "meeting_booking_sprint",
        "سبرنت حجز الاجتماعات",
        _K.SPRINT,
        ("دعوات اجتماعات", "موجز ما قبل الاجتماع", "مسودات تقويم", "متابعة ما بعد الاجتماع"),
        growth_mission="meeting_booking_sprint",
    ),
    Service(
        "partner_sprint",
        "سبرنت الشراكات",
        _K.SPRINT,
        (
            "قائمة شركاء محتملين",
            "بطاقة تقييم لكل شريك",
            "مسودات تواصل",
            "خطة اجتماعات",
            "مسودة اتفاقية إحالة",
        ),
    ),
    Service(
        "agency_partner_program",
        "برنامج الوكالة الشريكة",
        _K.ONE_OFF,
        ("تهيئة الوكالة", "تشخيص عملاء الوكالة", "Proof Pack بعلامة مشتركة", "لوحة مشاركة الإيراد"),
        workflow=(
            "agency_onboarding",
            "client_diagnostic",
            "proposal",
            "pilot",
            "proof",
            "revenue_share",
        ),
    ),
    Service(
        "whatsapp_compliance_setup",
        "إعداد امتثال واتساب",
        _K.ONE_OFF,
        ("تصنيف القوائم", "قوالب opt-in", "بطاقات اعتماد", "سجل إلغاء الاشتراك", "تقرير سلامة"),
        approval_policy="draft_only",
    ),
    Service(
        "linkedin_lead_gen_setup",
        "إعداد LinkedIn Lead Gen",
        _K.ONE_OFF,
        ("خطة الجمهور", "مغناطيس العملاء", "نموذج Lead Gen", "الحقول المخفية", "مسودات المتابعة"),
    ),
    Service(
        "executive_growth_brief",
        "موجز النمو التنفيذي",
        _K.MONTHLY,
        (
            "موجز يومي عبر البريد",
            "بطاقات اعتماد (≤ 3 أزرار)",
            "تنبيهات المخاطر",
            "Founder Shadow Board أسبوعي",
        ),
        workflow=("intake", "aggregate", "prioritize", "deliver"),
    ),
)
SERVICES_BY_ID: dict[str, Service] = {service.id: service for service in SERVICES}
if any(step not in WORKFLOW_STEP_LABELS_AR for s in SERVICES for step in s.workflow):
    raise RuntimeError("every workflow step needs an Arabic label")


def get_service(service_id: object) -> Service:
    """The catalog entry for an id; unknown is `UnknownService`."""
    if not isinstance(service_id, str) or service_id not in SERVICES_BY_ID:
        raise UnknownService(service_id)
    return SERVICES_BY_ID[service_id]


def build_service_workflow(service: Service) -> dict[str, Any]:
    """The service's workflow: numbered steps, which need approval, deliverables, duration."""
    return {
        "service_id": service.id,
        "service_name_ar": service.name_ar,
        "workflow_steps": [
            {
                "order": order,
                "step_id": step,
                "label_ar": WORKFLOW_STEP_LABELS_AR[step],
                "approval_required": step in APPROVAL_STEPS,
                "live_action": False,
            }
            for order, step in enumerate(service.workflow, start=1)
        ],
        "deliverables_ar": list(service.deliverables_ar),
        "approval_policy": service.approval_policy,
        "live_send_allowed": False,
        "estimated_completion_days": ESTIMATED_COMPLETION_DAYS[service.kind],
        "linked_growth_mission": service.growth_mission,
    }


_DELIVERY_TEMPLATES: dict[str, dict[str, Any]] = {
    "first_10_opportunities_sprint": {
        "steps_ar": [
            "اليوم 1: استلام المدخلات (القطاع، المدينة، العرض، الهدف).",
            "اليوم 2: تحديد 30 حساباً مرشحاً والتحقق من جواز التواصل.",
            "اليوم 3: اختيار أفضل 10 فرص مع سبب التوقيت لكل فرصة.",
            "اليوم 4: كتابة 10 رسائل عربية + فحص السلامة والنبرة.",
            "اليوم 5: حزمة اعتماد للعميل (≤ 3 أزرار لكل بطاقة).",
            "اليوم 6: خطة متابعة لكل فرصة معتمدة.",
            "اليوم 7: تسليم Proof Pack v1 + حجز جلسة مراجعة.",
        ],
        "deliverables_ar": ["10 بطاقات فرص", "10 رسائل عربية", "خطة متابعة", "Proof Pack v1"],
        "delivery_window_ar": "خلال 7 أيام",
    },
    "list_intelligence": {
        "steps_ar": [
            "استلام القائمة (CSV) وتوثيق مصدرها.",
            "تنظيف البيانات وإزالة التكرار.",
            "تصنيف جواز التواصل: آمن / يحتاج مراجعة / محظور.",
            "ترتيب أفضل 50 هدفاً.",
            "كتابة رسائل لكل شريحة.",
            "تقرير المخاطر ومزيج القنوات المقترح.",
            "تسليم الملفات + جلسة مراجعة 30 دقيقة.",
        ],
        "deliverables_ar": [
            "ملف CSV منظف",
            "أفضل 50 هدفاً",
            "رسائل لكل شريحة",
            "تقرير مخاطر",
            "مزيج القنوات",
        ],
        "delivery_window_ar": "خلال 3 أيام عمل",
    },
    "free_growth_diagnostic": {
        "steps_ar": [
            "استلام المدخلات (القطاع، المدينة، العرض، الهدف).",
            "اختيار 3 فرص مناسبة.",
            "كتابة رسالة عربية واحدة + ملاحظة مخاطر.",
            "تسليم التشخيص مع توصية Pilot مدفوع.",
        ],
        "deliverables_ar": ["3 فرص", "رسالة واحدة", "ملاحظة مخاطر", "توصية Pilot مدفوع"],
        "delivery_window_ar": "خلال 24 ساعة عمل",
    },
}
_GENERIC_24H_PHASES: tuple[tuple[str, str], ...] = (
    ("T+0h", "انطلاق: تأكيد المدخلات والهدف مع العميل."),
    ("T+1h", "تشخيص: مراجعة البيانات والقنوات والمخاطر."),
    ("T+6h", "كتابة: 10 رسائل + فحوص السلامة والنبرة."),
    ("T+18h", "حزمة اعتماد: بطاقات بثلاثة أزرار كحد أقصى."),
    ("T+24h", "Proof Pack v1 + حجز جلسة مراجعة 30 دقيقة."),
)


def delivery_template(service: Service) -> dict[str, Any]:
    """The delivery plan: a service-specific one, else the generic 24-hour plan in 5 phases."""
    specific = _DELIVERY_TEMPLATES.get(service.id)
    if specific is not None:
        return {"template_id": service.id, **specific, "live_send_allowed": False}
    return {
        "template_id": "24h_delivery_plan",
        "phases": [{"at": at, "label_ar": label} for at, label in _GENERIC_24H_PHASES],
        "live_send_allowed": False,
    }


def build_service_delivery_brief(
    *, customer_id: str = "", service_id: object, intake: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The day-one brief for delivering a service to a customer (§9.2)."""
    service = get_service(service_id)
    return {
        "mode": "service_delivery",
        "customer_id": customer_id,
        "service_id": service.id,
        "service_name_ar": service.name_ar,
        "intake_received": bool(intake),
        "workflow": build_service_workflow(service),
        "delivery_template": delivery_template(service),
        "approval_required": True,
        "live_send_allowed": False,
    }


def build_sla_status_for_delivery(
    *, customer_id: str = "", tickets: Sequence[Mapping[str, Any]] | None = None
) -> dict[str, Any]:
    """SLA health of a customer's tickets plus the breached ones, each with its breach detail."""
    tickets = tickets or ()
    health = build_sla_health_report(tickets=tickets)
    breaches = []
    for ticket in tickets:
        result = classify_sla_breach(
            priority=ticket.get("priority", "P3"),
            minutes_to_first_response=ticket.get("first_response_min"),
            hours_to_resolve=ticket.get("resolution_hours"),
        )
        if result["breached"]:
            breaches.append({**ticket, "breach": result})
    return {
        "customer_id": customer_id,
        "health": health,
        "breaches": breaches,
        "approval_required": True,
    }


HANDOFF_STEPS_AR: tuple[str, ...] = (
    "تسليم Proof Pack النهائي للعميل + اعتماده.",
    "حجز جلسة مراجعة 30 دقيقة.",
    "تفعيل إيقاع نجاح العميل (weekly check-ins).",
    "اقتراح الترقية المنطقية بناءً على النتائج.",
    "تحديث Action Graph + Revenue Work Units.",
)


def build_post_delivery_handoff(
    *,
    customer_id: str = "",
    service_id: object,
    delivered_metrics: Mapping[str, Any] | None = None,
    open_breaches: int,
) -> dict[str, Any]:
    """Hand a delivered service to Customer Success — refused while open tickets are breached."""
    service = get_service(service_id)
    if require_count("open_breaches", open_breaches):
        raise RuleRefused(
            f"delivery cannot be handed off: {open_breaches} open ticket(s) past their SLA",
            field="open_breaches",
            message_ar=(
                "لا يمكن تسليم الخدمة: "
                f"{arabic_count(open_breaches, TICKETS)} مفتوحة تجاوزت الـ SLA"
            ),
        )
    return {
        "mode": "service_delivery",
        "customer_id": customer_id,
        "service_id": service.id,
        "delivered_metrics": dict(delivered_metrics or {}),
        "handoff_steps_ar": list(HANDOFF_STEPS_AR),
        "approval_required": True,
        "live_send_allowed": False,
    }


# ── Self-growth mode (§9.1) ─────────────────────────────────────────────────────────────────────
@dataclass(frozen=True, slots=True)
class IcpFocus:
    """One segment of Dealix's own ideal customer profile."""

    sector: str
    city: str
    label_ar: str


DEALIX_ICP_FOCUSES: tuple[IcpFocus, ...] = (
    IcpFocus("agency", "Riyadh", "وكالات تسويق B2B في الرياض"),
    IcpFocus("training", "Riyadh", "شركات تدريب B2B في الرياض"),
    IcpFocus("consulting", "Riyadh", "شركات استشارات النمو في الرياض"),
    IcpFocus("saas", "Riyadh", "شركات SaaS سعودية صغيرة ومتوسطة"),
    IcpFocus("real_estate", "Jeddah", "وسطاء عقار B2B في جدة"),
)
OPERATOR_REMINDERS_AR: tuple[str, ...] = (
    "لا رسائل واتساب باردة (cold WhatsApp) — حتى داخل Dealix نفسه.",
    "كل مسودة تحتاج اعتمادك قبل الإرسال.",
    "لا سحب بيانات LinkedIn (scraping) — استخدم Lead Forms أو البحث اليدوي.",
    "كل تواصل يُسجَّل في Action Ledger.",
)
NEXT_ACTION_AR = (
    "اعتمد 3 رسائل اليوم فقط — الجودة قبل الكمية. Pilot صغير ناجح أفضل من 50 رسالة بلا رد."
)
SELF_GROWTH_MONTHLY_TARGETS: dict[str, int] = {
    "free_diagnostics_delivered": 30,
    "paid_pilots_started": 6,
    "growth_os_subscriptions": 3,
    "agency_partners_signed": 1,
    "case_studies_published": 1,
}
SELF_GROWTH_LOOP_AR: tuple[str, ...] = (
    "كل صباح: راجع الشركات المرشحة الجديدة + جهّز 5 مسودات.",
    "كل ظهر: راجع الردود + جدول ديمو أو اثنين.",
    "كل مساء: حدّث Proof Ledger + جهّز Free Diagnostic لثلاث شركات.",
    "كل أسبوع: اكتب تقرير التعلم + جرّب زاوية جديدة.",
    "كل شهر: راجع مؤشر جودة كل خدمة.",
)
TODAY_ACTIONS: tuple[dict[str, Any], ...] = (
    {
        "id": "review_top_targets",
        "label_ar": "راجع أعلى 3 شركات مرشحة",
        "minutes": 10,
        "approval_required": False,
        "priority": 1,
    },
    {
        "id": "approve_outreach_drafts",
        "label_ar": "اعتمد مسودات اليوم (3 كحد أقصى)",
        "minutes": 10,
        "approval_required": True,
        "priority": 2,
    },
    {
        "id": "follow_up_replies",
        "label_ar": "تابع الردود والعروض التجريبية المحجوزة",
        "minutes": 10,
        "approval_required": True,
        "priority": 3,
    },
    {
        "id": "log_actions",
        "label_ar": "سجّل كل تواصل في Action Ledger",
        "minutes": 3,
        "approval_required": False,
        "priority": 4,
    },
)


def build_dealix_self_growth_plan() -> dict[str, Any]:
    """Dealix's monthly self-growth targets and its daily-to-monthly operating loop."""
    return {
        "icp_focuses": [
            {"sector": f.sector, "city": f.city, "label_ar": f.label_ar} for f in DEALIX_ICP_FOCUSES
        ],
        "monthly_targets": dict(SELF_GROWTH_MONTHLY_TARGETS),
        "operating_loop_ar": list(SELF_GROWTH_LOOP_AR),
    }


def _fit_score(target: Mapping[str, Any]) -> float:
    score = target.get("fit_score")
    return float(score) if isinstance(score, int | float) and not isinstance(score, bool) else 0.0


def build_operator_self_growth_brief(
    *,
    targets: Sequence[Mapping[str, Any]],
    include_outreach_hint: bool = True,
    focus: IcpFocus = DEALIX_ICP_FOCUSES[0],
) -> dict[str, Any]:
    """Today's self-growth brief for the operator, from real target accounts (§9.1 key order).

    Targets are ranked by `fit_score` (highest first, stable) when they carry one; the brief only
    counts them and never invents a company.
    """
    if not isinstance(targets, Sequence) or not all(isinstance(t, Mapping) for t in targets):
        raise InvalidValue("targets", "targets must be a list of objects")
    ranked = sorted(targets, key=_fit_score, reverse=True)
    top = [dict(target) for target in ranked[:10]]
    if targets:
        summary = (
            f"عندك اليوم {arabic_count(len(targets), COMPANIES)} مرشحة في شريحة «{focus.label_ar}»."
        )
        first_action = (
            "جهّز 3 رسائل Free Diagnostic مخصصة لأعلى الشركات المرشحة واعتمدها هذا الصباح."
        )
    else:
        summary = f"لا توجد شركات مرشحة بعد في شريحة «{focus.label_ar}»."
        first_action = "أضف شركات مرشحة من مصادر معتمدة (Lead Forms أو بحث يدوي) قبل أي تواصل."
    brief: dict[str, Any] = {
        "icp": {"sector": focus.sector, "city": focus.city},
        "company_brief": {
            "greeting_ar": "صباح الخير",
            "summary_ar": [summary],
            "priority_decisions_ar": [
                "راجع أعلى 3 شركات مرشحة واعتمد رسائلها قبل الظهر.",
                "جهّز تشخيصاً مجانياً (Free Diagnostic) لأنسب شركة اليوم.",
                "تابع ردود الأمس قبل أي تواصل جديد.",
            ],
            "do_not_do_today_ar": [
                "لا تفعّل الإرسال الحي على واتساب.",
                "لا ترفع قائمة باردة بدون تصنيف مصدرها.",
                "لا تعد بنتائج في الرسائل.",
            ],
        },
        "today_actions": [dict(action) for action in TODAY_ACTIONS],
        "top_10_targets": top,
        "recommended_first_action_ar": first_action,
        "operator_reminders_ar": list(OPERATOR_REMINDERS_AR),
    }
    if include_outreach_hint:
        brief["next_action_ar"] = NEXT_ACTION_AR
    brief["approval_required"] = True
    brief["live_send_allowed"] = False
    return brief
