"""Every code→label table of the console and its API, in one place, in the reader's language.

Stored codes (statuses, priorities, ledger verbs, service ids) stay codes in the database and the
API; people read them through these tables. Labels are Arabic source strings marked for
translation (`locale/en` holds the English), so the Arabic console shows them as written and the
English switch shows the catalogue's text. Domain tables that keep Arabic labels as data (the
connector catalog, the checklist, the response plan) are marked here with `gettext_noop` so the
catalogue has them. Also here: a refusal in the reader's language (`refusal_text`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import get_language, gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from customer_ops.domain.connectors import CONNECTORS_BY_KEY
from customer_ops.domain.ledger import LedgerVerb
from customer_ops.domain.modes import DEALIX_ICP_FOCUSES
from customer_ops.domain.sla import SlaEventType
from customer_ops.domain.transitions import (
    ConnectorState,
    DraftStatus,
    IncidentStatus,
    TicketStatus,
)


def is_arabic() -> bool:
    """Whether the reader's language is Arabic (the console's default)."""
    return (get_language() or "ar").startswith("ar")


def refusal_text(exc: BaseException) -> str:
    """A service's refusal in the reader's language: `message_ar` in Arabic, English otherwise."""
    if is_arabic():
        return getattr(exc, "message_ar", "") or str(exc)
    return str(exc)


# ── Statuses ────────────────────────────────────────────────────────────────────────────────────
STATE_LABELS = {
    ConnectorState.NOT_STARTED: _("لم يبدأ"),
    ConnectorState.CONFIGURING: _("قيد الإعداد"),
    ConnectorState.CONNECTED_DRAFT_ONLY: _("متصل — مسودات فقط"),
    ConnectorState.CONNECTED_APPROVED_EXECUTE: _("متصل — تنفيذ بعد الموافقة"),
    ConnectorState.FAILED: _("فشل"),
    ConnectorState.SKIPPED: _("تم التخطي"),
}

# Short forms for the board's cells; the full label is in the cell's aria-label and its menu.
STATE_SHORT_LABELS = {
    ConnectorState.NOT_STARTED: _("لم يبدأ"),
    ConnectorState.CONFIGURING: _("قيد الإعداد"),
    ConnectorState.CONNECTED_DRAFT_ONLY: _("مسودات فقط"),
    ConnectorState.CONNECTED_APPROVED_EXECUTE: _("تنفيذ بموافقة"),
    ConnectorState.FAILED: _("فشل"),
    ConnectorState.SKIPPED: _("تم التخطي"),
}


# Keyed by code: the console looks a stored status up as a plain string.
DRAFT_STATUS_LABELS: dict[str, Promise] = {
    DraftStatus.PENDING: _("بانتظار الموافقة"),
    DraftStatus.APPROVED: _("معتمدة"),
    DraftStatus.REJECTED: _("مرفوضة"),
    DraftStatus.SENT: _("أُرسلت"),
    DraftStatus.SENT_MANUALLY: _("أُرسلت يدوياً"),
}

TICKET_STATUS_LABELS = {
    TicketStatus.OPEN: _("مفتوحة"),
    TicketStatus.PENDING_CUSTOMER: _("بانتظار العميل"),
    TicketStatus.RESOLVED: _("محلولة"),
    TicketStatus.CLOSED: _("مغلقة"),
}

INCIDENT_STATUS_LABELS = {
    IncidentStatus.OPEN: _("مفتوحة"),
    IncidentStatus.MITIGATING: _("قيد الاحتواء"),
    IncidentStatus.RESOLVED: _("محلولة"),
    IncidentStatus.CLOSED: _("مغلقة"),
}

SLA_EVENT_LABELS = {
    SlaEventType.OPENED: _("فُتحت"),
    SlaEventType.FIRST_RESPONSE: _("أول رد"),
    SlaEventType.PAUSED: _("إيقاف مؤقت"),
    SlaEventType.RESUMED: _("استئناف"),
    SlaEventType.RESOLVED: _("حُلّت"),
    SlaEventType.ESCALATED: _("تصعيد"),
}

# The ticket page's status buttons: which kind of move each one is.
MOVE_LABELS = {
    (TicketStatus.OPEN, TicketStatus.PENDING_CUSTOMER): "pause",
    (TicketStatus.PENDING_CUSTOMER, TicketStatus.OPEN): "resume",
    (TicketStatus.RESOLVED, TicketStatus.OPEN): "reopen",
}


# ── The ledger ──────────────────────────────────────────────────────────────────────────────────
# Every ledger verb in words (tests/test_labels.py checks that none is missing).
LEDGER_VERB_LABELS: Mapping[LedgerVerb, Promise] = {
    LedgerVerb.CUSTOMERS_CREATED: _("أُنشئ العميل"),
    LedgerVerb.CUSTOMERS_UPDATED: _("عُدّلت بيانات العميل"),
    LedgerVerb.ONBOARDING_STEP_COMPLETED: _("أُكملت خطوة تهيئة"),
    LedgerVerb.ONBOARDING_STEP_REOPENED: _("أُعيد فتح خطوة تهيئة"),
    LedgerVerb.ONBOARDING_STEP_APPROVED: _("اعتُمدت خطوة تهيئة"),
    LedgerVerb.CONNECTORS_STATE_CHANGED: _("تغيّرت حالة قناة"),
    LedgerVerb.LINKS_CREATED: _("أُنشئ رابط متابعة"),
    LedgerVerb.LINKS_REVOKED: _("أُلغي رابط متابعة"),
    LedgerVerb.DRAFTS_CREATED: _("كُتبت مسودة"),
    LedgerVerb.DRAFTS_EDITED: _("عُدّلت مسودة"),
    LedgerVerb.DRAFTS_APPROVED: _("اعتُمدت مسودة"),
    LedgerVerb.DRAFTS_REJECTED: _("رُفضت مسودة"),
    LedgerVerb.DRAFTS_SENT: _("أُرسلت مسودة بالبريد"),
    LedgerVerb.DRAFTS_SENT_MANUALLY: _("سُجّلت مسودة كمُرسلة يدوياً"),
    LedgerVerb.DRAFTS_SEND_STARTED: _("بدأ إرسال مسودة بالبريد"),
    LedgerVerb.DRAFTS_SEND_FAILED: _("فشل إرسال مسودة ولم تخرج"),
    LedgerVerb.DRAFTS_SEND_OUTCOME_UNKNOWN: _("نتيجة إرسال مسودة غير معروفة"),
    LedgerVerb.DRAFTS_SEND_RELEASED: _("أُتيحت مسودة لإعادة الإرسال"),
    LedgerVerb.TICKETS_CREATED: _("فُتحت تذكرة"),
    LedgerVerb.TICKETS_PRIORITY_CHANGED: _("تغيّرت أولوية تذكرة"),
    LedgerVerb.TICKETS_ASSIGNED: _("أُسندت تذكرة"),
    LedgerVerb.TICKETS_STATUS_CHANGED: _("تغيّرت حالة تذكرة"),
    LedgerVerb.TICKETS_REPLY_DRAFTED: _("كُتبت مسودة رد على تذكرة"),
    LedgerVerb.TICKETS_OPENED: _("فُتحت ساعة SLA لتذكرة"),
    LedgerVerb.TICKETS_FIRST_RESPONSE: _("سُجّل أول رد على تذكرة"),
    LedgerVerb.TICKETS_PAUSED: _("أُوقفت ساعة تذكرة مؤقتاً"),
    LedgerVerb.TICKETS_RESUMED: _("استؤنفت ساعة تذكرة"),
    LedgerVerb.TICKETS_RESOLVED: _("حُلّت تذكرة"),
    LedgerVerb.TICKETS_ESCALATED: _("صُعّدت تذكرة"),
    LedgerVerb.SLA_HOLIDAY_SET: _("أُعلنت عطلة في تقويم العمل"),
    LedgerVerb.SLA_HOLIDAY_CONFIRMED: _("أُكّد موعد عطلة مقدّرة"),
    LedgerVerb.SLA_HOLIDAY_MOVED: _("نُقلت عطلة في تقويم العمل"),
    LedgerVerb.SLA_HOLIDAY_CLEARED: _("أُلغي إعلان عطلة"),
    LedgerVerb.SLA_PERIOD_CREATED: _("أُضيفت فترة عمل خاصة"),
    LedgerVerb.SLA_PERIOD_DELETED: _("حُذفت فترة عمل خاصة"),
    LedgerVerb.SLA_WEEK_SET: _("تغيّر أسبوع العمل"),
    LedgerVerb.SLA_WEEKLY_REVIEW: _("مراجعة SLA الأسبوعية"),
    LedgerVerb.SLA_CRITICAL_NOTIFIED: _("أُبلغ عن حالة SLA حرجة"),
    LedgerVerb.LIVE_ACTIONS_FROZEN: _("جُمّدت الإجراءات الحية"),
    LedgerVerb.LIVE_ACTIONS_UNFROZEN: _("رُفع تجميد الإجراءات الحية"),
    LedgerVerb.INCIDENTS_DECLARED: _("أُعلنت حادثة"),
    LedgerVerb.INCIDENTS_SEVERITY_CHANGED: _("تغيّرت خطورة حادثة"),
    LedgerVerb.INCIDENTS_STATUS_CHANGED: _("تغيّرت حالة حادثة"),
    LedgerVerb.INCIDENTS_TIMELINE_ADDED: _("أُضيف إلى الخط الزمني لحادثة"),
    LedgerVerb.INCIDENTS_PLAN_STEP_TICKED: _("أُنجزت خطوة من خطة حادثة"),
    LedgerVerb.INCIDENTS_PLAN_STEP_UNTICKED: _("أُعيد فتح خطوة من خطة حادثة"),
    LedgerVerb.INCIDENTS_POSTMORTEM_SAVED: _("حُفظ تحليل ما بعد الحادثة"),
    LedgerVerb.INCIDENTS_UPDATE_DRAFTED: _("كُتبت مسودة تحديث حادثة"),
    LedgerVerb.INCIDENTS_UPDATE_SENT: _("أُرسل تحديث حادثة"),
    LedgerVerb.INCIDENTS_UPDATE_MISSED: _("فات موعد تحديث حادثة"),
    LedgerVerb.SUCCESS_PLAN_CREATED: _("أُنشئت خطة نجاح"),
    LedgerVerb.SUCCESS_TOUCHPOINT_DONE: _("أُنجزت نقطة تواصل"),
    LedgerVerb.SUCCESS_PROOF_PACK_DELIVERED: _("سُلّم Proof Pack"),
    LedgerVerb.SUCCESS_CHECK_IN_DRAFTED: _("كُتبت متابعة أسبوعية"),
    LedgerVerb.DELIVERY_HANDED_OFF: _("سُلّمت خدمة لنجاح العملاء"),
    LedgerVerb.MESSAGES_RECEIVED: _("وصلت رسالة من العميل"),
    LedgerVerb.MESSAGES_RECEIVED_UNMATCHED: _("وصلت رسالة من رقم غير معروف"),
    LedgerVerb.MESSAGES_ASSIGNED: _("رُبطت رسالة بعميل"),
    LedgerVerb.MESSAGES_NOTE_ADDED: _("أُضيفت ملاحظة داخلية"),
    LedgerVerb.MESSAGES_SENT: _("أُرسلت رسالة إلى العميل"),
    LedgerVerb.MESSAGES_STATUS_CHANGED: _("تغيّرت حالة تسليم رسالة"),
    LedgerVerb.MESSAGES_STATUS_BEFORE_SEND: _("وصلت حالة تسليم قبل تسجيل الإرسال"),
    LedgerVerb.MESSAGES_RECEIVED_AUTOMATIC: _("وصلت رسالة آلية (رد آلي أو ارتداد)"),
    LedgerVerb.MAILBOX_RESET: _("أُعيدت قراءة صندوق بريد الدعم من أوله"),
    LedgerVerb.CONTACTS_OPTED_IN: _("سُجّلت موافقة على التواصل"),
}


# ── Catalog data, priorities, services and success ──────────────────────────────────────────────
# The catalog and the checklist keep Arabic labels as data (the customer's progress page shows
# them as they are); the console translates them. These marks put them in the catalogue, and
# tests/customer_ops/views/test_i18n.py fails when a label is added without an English text.
DATA_LABELS = (
    gettext_noop("Moyasar (فاتورة يدوية)"),
    gettext_noop("Google Meet (تفريغ الاجتماعات)"),
    gettext_noop("Instagram (التعليقات والرسائل)"),
    gettext_noop("اختيار الهدف الأساسي"),
    gettext_noop("اختيار الباقة المناسبة"),
    gettext_noop("بيانات الشركة"),
    gettext_noop("ربط القنوات (Gmail/Calendar/Sheets — مسودات فقط)"),
    gettext_noop("رفع قائمة أو ربط مصدر عملاء محتملين"),
    gettext_noop("مراجعة المخاطر (PDPL + سمعة القناة)"),
    gettext_noop("تشغيل أول خدمة (First 10 Opportunities أو List Intelligence)"),
    gettext_noop("استلام أول Proof Pack"),
)


# Domain tables keep Arabic labels as data; the console shows them in its language. Marked here so
# makemessages puts them in the catalogue (tests/customer_ops/views/test_i18n.py checks it).
PRIORITY_LABELS = {
    "P0": gettext_noop("حرج جداً — أمان / إرسال خاطئ / تعطل كامل"),
    "P1": gettext_noop("خدمة مهمة معطلة"),
    "P2": gettext_noop("Connector أو Proof Pack متأخر"),
    "P3": gettext_noop("سؤال عام / تحسين"),
}
SEVERITY_LABELS = {
    "SEV1": gettext_noop("حرج جداً — تسريب أمان / إرسال خاطئ / تعطل كامل"),
    "SEV2": gettext_noop("خدمة مهمة معطلة لعدد كبير من العملاء"),
    "SEV3": gettext_noop("خدمة معطلة لعميل واحد أو أداء متراجع"),
}
SERVICE_NAMES = {
    "free_growth_diagnostic": gettext_noop("تشخيص نمو مجاني"),
    "list_intelligence": gettext_noop("تحليل القوائم (List Intelligence)"),
    "first_10_opportunities_sprint": gettext_noop("سبرنت أول 10 فرص"),
    "self_growth_operator": gettext_noop("مدير نمو شخصي (Self-Growth Operator)"),
    "growth_os_monthly": gettext_noop("Growth OS — اشتراك شهري"),
    "email_revenue_rescue": gettext_noop("استعادة الإيراد من البريد"),
    "meeting_booking_sprint": gettext_noop("سبرنت حجز الاجتماعات"),
    "partner_sprint": gettext_noop("سبرنت الشراكات"),
    "agency_partner_program": gettext_noop("برنامج الوكالة الشريكة"),
    "whatsapp_compliance_setup": gettext_noop("إعداد امتثال واتساب"),
    "linkedin_lead_gen_setup": gettext_noop("إعداد LinkedIn Lead Gen"),
    "executive_growth_brief": gettext_noop("موجز النمو التنفيذي"),
}
WORKFLOW_STEP_LABELS = {
    "intake": gettext_noop("استلام المدخلات"),
    "data_check": gettext_noop("فحص البيانات"),
    "targeting": gettext_noop("تحديد الأهداف"),
    "contactability": gettext_noop("التحقق من جواز التواصل (opt-in والمصدر)"),
    "strategy": gettext_noop("خطة التواصل"),
    "drafting": gettext_noop("كتابة المسودات"),
    "approval": gettext_noop("اعتماد العميل"),
    "execution_or_export": gettext_noop("التنفيذ المعتمد أو التصدير"),
    "tracking": gettext_noop("متابعة النتائج"),
    "proof": gettext_noop("إعداد Proof Pack"),
    "upsell": gettext_noop("اقتراح الخطوة التالية"),
    "agency_onboarding": gettext_noop("تهيئة الوكالة"),
    "client_diagnostic": gettext_noop("تشخيص عملاء الوكالة"),
    "proposal": gettext_noop("عرض مشترك"),
    "pilot": gettext_noop("تشغيل Pilot"),
    "revenue_share": gettext_noop("تفعيل مشاركة الإيراد"),
    "aggregate": gettext_noop("تجميع إشارات اليوم"),
    "prioritize": gettext_noop("ترتيب القرارات"),
    "deliver": gettext_noop("تسليم الموجز"),
}
RISK_LABELS = {"high": _("مرتفعة"), "medium": _("متوسطة"), "low": _("منخفضة")}
VERDICT_LABELS = {"healthy": _("سليم"), "watch": _("تحت المراقبة"), "critical": _("حرج")}
HEALTH_LABELS = {"healthy": _("سليم"), "watch": _("تحت المراقبة"), "at_risk": _("معرّض للخطر")}


# The response plan's steps (domain/incidents.py) are the runbook's Arabic text: the console shows
# them in its language; the stored step keeps the Arabic.
PLAN_STEPS = (
    gettext_noop("تجميد الإجراءات الحية (live actions) على القناة المعنية فوراً."),
    gettext_noop("إخطار المؤسس + المشغّل المناوب (on-call operator)."),
    gettext_noop("فتح قناة للحادثة (incident channel) مع خط زمني."),
    gettext_noop("مراجعة Action Ledger للإجراءات المرتبطة."),
    gettext_noop("إذا حدث تسريب: إخطار العملاء المتأثرين خلال 72 ساعة (PDPL)."),
    gettext_noop("تواصل مباشر مع المؤسس + تشكيل خلية أزمة."),
    gettext_noop("كتابة post-mortem خلال 24 ساعة."),
    gettext_noop("مراجعة قانونية إن لزم (DPA + تبعات PDPL)."),
    gettext_noop("تحديث العملاء المتأثرين كل 60 دقيقة."),
    gettext_noop("كتابة post-mortem خلال 48 ساعة."),
    gettext_noop("تحديث العميل المتأثر مع كل خطوة."),
    gettext_noop("post-mortem اختياري (موصى به عند تكرار النمط)."),
)


HEALTH_INPUTS = {
    "csat": _("رضا العميل (CSAT)"),
    "pipeline_sar": _("قيمة الـ Pipeline"),
    "meetings": _("الاجتماعات"),
    "approval_rate": _("نسبة الاعتماد (30 يوماً)"),
    "days_inactive": _("أيام بلا نشاط"),
    "drafts_pending": _("مسودات بانتظار الاعتماد"),
}


def _label(table: Mapping[str, str | Promise], code: str) -> str:
    """A code's label in the reader's language; an unknown code shows as it is."""
    label = table.get(code)
    return gettext(str(label)) if label is not None else code


def ledger_verb_label(verb: str) -> str:
    """A ledger verb in words; a verb not declared (an old row) shows its code."""
    try:
        return str(LEDGER_VERB_LABELS[LedgerVerb(verb)])
    except ValueError:
        return verb


def priority_label(priority: str) -> str:
    """What a priority means (P0: security / wrong send / outage …)."""
    return _label(PRIORITY_LABELS, priority)


def severity_label(severity: str) -> str:
    return _label(SEVERITY_LABELS, severity)


def service_name(service_id: str) -> str:
    return _label(SERVICE_NAMES, service_id)


def workflow_step_label(step_id: str) -> str:
    return _label(WORKFLOW_STEP_LABELS, step_id)


def risk_label(severity: str) -> str:
    return str(RISK_LABELS.get(severity, severity))


def verdict_label(verdict: str) -> str:
    return str(VERDICT_LABELS.get(verdict, verdict))


def health_label(band: str) -> str:
    return str(HEALTH_LABELS.get(band, band))


def plan_step_text(text: str) -> str:
    """A response-plan step in the reader's language (an unknown text shows as stored)."""
    return gettext(text) if text in PLAN_STEPS else text


def health_input_label(name: str) -> str:
    """An input of the health score (selectors.success.customer_health) in words."""
    return str(HEALTH_INPUTS.get(name, name))


# ── The ledger's objects, statuses and system notes ─────────────────────────────────────────────
# `LedgerEntry.object_type` is the model's name; people read what it is.
OBJECT_TYPE_LABELS: Mapping[str, Promise] = {
    "customer": _("عميل"),
    "customerconnector": _("قناة عميل"),
    "onboardingstep": _("خطوة تهيئة"),
    "progresslink": _("رابط متابعة"),
    "outbounddraft": _("مسودة"),
    "ticket": _("تذكرة"),
    "ticketmessage": _("رسالة"),
    "contactpoint": _("جهة تواصل"),
    "incident": _("حادثة"),
    "successplan": _("خطة نجاح"),
    "successtouchpoint": _("نقطة تواصل"),
    "checkin": _("متابعة أسبوعية"),
    "proofpackdelivery": _("تسليم Proof Pack"),
    "holidayoverride": _("عطلة"),
    "calendarperiod": _("فترة عمل خاصة"),
    "workingcalendarstate": _("تقويم العمل"),
    "weeklyslareview": _("مراجعة SLA أسبوعية"),
    "slaverdictnotice": _("تنبيه SLA"),
    "liveactionsfreeze": _("تجميد الإجراءات الحية"),
}

# Which status table reads a ledger row's before/after status, by the object's type.
# Keyed by each entity's status enum (a StrEnum: its codes look up as plain strings too).
_STATUS_TABLES: Mapping[str, Mapping[Any, Promise]] = {
    "ticket": TICKET_STATUS_LABELS,
    "incident": INCIDENT_STATUS_LABELS,
    "outbounddraft": DRAFT_STATUS_LABELS,
}

# Notes the services write in English for the record, read in the reader's language.
_NOTE_PATTERNS: tuple[tuple[re.Pattern[str], Promise], ...] = (
    (
        re.compile(r"^email accepted by the mail server \((?P<n>\d+)\)$"),
        _("قبِل خادم البريد الرسالة"),
    ),
    (re.compile(r"^edit voided the earlier decision$"), _("ألغى التعديل القرار السابق")),
    (re.compile(r"^raised by the customer's new message$"), _("رُفعت بسبب رسالة جديدة من العميل")),
    (re.compile(r"^moved to (?P<day>\d{4}-\d{2}-\d{2})$"), _("نُقلت إلى %(day)s")),
    (re.compile(r"^draft (?P<id>\d+) \((?P<status>\w+)\)$"), _("المسودة #%(id)s (%(status)s)")),
)


def object_type_label(object_type: str) -> str:
    """What a ledger row is about, in words («تذكرة», «قناة عميل»); an unknown type as stored."""
    label = OBJECT_TYPE_LABELS.get(object_type)
    return str(label) if label is not None else object_type


def object_status_label(object_type: str, code: str) -> str:
    """A status code of a ledger row in words, read by the table of its object's type."""
    table = _STATUS_TABLES.get(object_type)
    if table is not None and code in table:
        return str(table[code])
    if code in DRAFT_STATUS_LABELS:
        return str(DRAFT_STATUS_LABELS[DraftStatus(code)])
    return code


def connector_name(key: str) -> str:
    """A connector key («whatsapp_cloud») as the connector's name in the reader's language."""
    connector = CONNECTORS_BY_KEY.get(key)
    return gettext(connector.label_ar) if connector is not None else key


def ledger_note_text(note: str) -> str:
    """A note the system wrote in English, in the reader's language; a person's note as written."""
    for pattern, label in _NOTE_PATTERNS:
        match = pattern.match(note)
        if match:
            values = match.groupdict()
            if "status" in values:
                values["status"] = object_status_label("outbounddraft", values["status"])
            return str(label) % values if values else str(label)
    return note


# ── The 30-day success plans (domain/success.py keeps the spec's English lines as data) ─────────
SUCCESS_TASK_LABELS: Mapping[str, Promise] = {
    "kick-off call + intake.": _("مكالمة الانطلاق + استلام المدخلات."),
    "review first 3 opportunities + drafts.": _("مراجعة أول 3 فرص + المسودات."),
    "deliver Proof Pack v1.": _("تسليم Proof Pack الأول."),
    "weekly check-in + upsell offer.": _("متابعة أسبوعية + عرض ترقية."),
    "monthly proof review + renewal/upgrade decision.": _(
        "مراجعة الإثبات الشهرية + قرار التجديد أو الترقية."
    ),
    "list upload + intake + source and PDPL consent check.": _(
        "رفع القائمة + استلام المدخلات + التحقق من المصدر وموافقة PDPL."
    ),
    "List Intelligence: cleaned list + safe / needs_review / blocked buckets.": _(
        "تحليل القوائم: قائمة منظّفة + فئات آمن / يحتاج مراجعة / محظور."
    ),
    "Top 50 Targets + per-segment message drafts for approval.": _(
        "أفضل 50 هدفاً + مسودات رسائل لكل شريحة للاعتماد."
    ),
    "Risk Report + channel mix review in the weekly check-in.": _(
        "تقرير المخاطر + مراجعة مزيج القنوات في المتابعة الأسبوعية."
    ),
    "monthly proof review + Executive Growth OS upgrade decision.": _(
        "مراجعة الإثبات الشهرية + قرار الترقية إلى Executive Growth OS."
    ),
    "onboarding + connect channels.": _("التهيئة + ربط القنوات."),
    "first weekly Proof Pack.": _("أول Proof Pack أسبوعي."),
    "weekly check-in + Founder Shadow Board v1.": _(
        "متابعة أسبوعية + أول نسخة من Founder Shadow Board."
    ),
    "monthly proof review.": _("مراجعة الإثبات الشهرية."),
    "QBR + annual upgrade conversation.": _("مراجعة ربع سنوية (QBR) + نقاش الترقية السنوية."),
    "partner ICP intake.": _("استلام ملف الشريك المثالي (ICP)."),
    "20 partners list + 10 outreach drafts.": _("قائمة 20 شريكاً + 10 مسودات تواصل."),
    "5 partner meetings booked.": _("حجز 5 اجتماعات مع شركاء."),
    "weekly check-in.": _("متابعة أسبوعية."),
    "partner scorecard + revenue share setup.": _("بطاقة أداء الشركاء + إعداد مشاركة الإيراد."),
    "founder kick-off + connect all channels (drafts only) + 30-day phase plan.": _(
        "انطلاق مع المؤسس + ربط كل القنوات (مسودات فقط) + خطة مراحل لـ 30 يوماً."
    ),
    "phase 1: First 10 Opportunities + List Intelligence + Proof Pack v1.": _(
        "المرحلة 1: أول 10 فرص + تحليل القوائم + Proof Pack الأول."
    ),
    "phase 2: partner sprint + meeting booking sprint + weekly check-in.": _(
        "المرحلة 2: سبرنت الشراكات + سبرنت حجز الاجتماعات + متابعة أسبوعية."
    ),
    "phase 3: executive brief + Founder Shadow Board + monthly proof review.": _(
        "المرحلة 3: الموجز التنفيذي + Founder Shadow Board + مراجعة الإثبات الشهرية."
    ),
    "QBR across all services + next-quarter plan.": _(
        "مراجعة ربع سنوية (QBR) لكل الخدمات + خطة الربع القادم."
    ),
}


def success_task_label(text: str) -> str:
    """A success-plan task in the reader's language (a task not in the plans shows as stored)."""
    label = SUCCESS_TASK_LABELS.get(text)
    return str(label) if label is not None else text


# The self-growth brief (domain/modes.py) keeps its fixed Arabic lines as data; the console shows
# them in its language (the brief's summary is worded by the template, with its count).
BRIEF_TEXTS = (
    gettext_noop("صباح الخير"),
    gettext_noop("جهّز 3 رسائل Free Diagnostic مخصصة لأعلى الشركات المرشحة واعتمدها هذا الصباح."),
    gettext_noop("أضف شركات مرشحة من مصادر معتمدة (Lead Forms أو بحث يدوي) قبل أي تواصل."),
    gettext_noop("راجع أعلى 3 شركات مرشحة واعتمد رسائلها قبل الظهر."),
    gettext_noop("جهّز تشخيصاً مجانياً (Free Diagnostic) لأنسب شركة اليوم."),
    gettext_noop("تابع ردود الأمس قبل أي تواصل جديد."),
    gettext_noop("لا تفعّل الإرسال الحي على واتساب."),
    gettext_noop("لا ترفع قائمة باردة بدون تصنيف مصدرها."),
    gettext_noop("لا تعد بنتائج في الرسائل."),
    gettext_noop("راجع أعلى 3 شركات مرشحة"),
    gettext_noop("اعتمد مسودات اليوم (3 كحد أقصى)"),
    gettext_noop("تابع الردود والعروض التجريبية المحجوزة"),
    gettext_noop("سجّل كل تواصل في Action Ledger"),
    gettext_noop("لا رسائل واتساب باردة (cold WhatsApp) — حتى داخل Dealix نفسه."),
    gettext_noop("كل مسودة تحتاج اعتمادك قبل الإرسال."),
    gettext_noop("لا سحب بيانات LinkedIn (scraping) — استخدم Lead Forms أو البحث اليدوي."),
    gettext_noop("كل تواصل يُسجَّل في Action Ledger."),
    gettext_noop(
        "اعتمد 3 رسائل اليوم فقط — الجودة قبل الكمية. Pilot صغير ناجح أفضل من 50 رسالة بلا رد."
    ),
    gettext_noop("وكالات تسويق B2B في الرياض"),
    gettext_noop("شركات تدريب B2B في الرياض"),
    gettext_noop("شركات استشارات النمو في الرياض"),
    gettext_noop("شركات SaaS سعودية صغيرة ومتوسطة"),
    gettext_noop("وسطاء عقار B2B في جدة"),
)


def icp_focus_label(sector: str) -> str:
    """The brief's segment («وكالات تسويق B2B في الرياض») by its sector code, in words."""
    for focus in DEALIX_ICP_FOCUSES:
        if focus.sector == sector:
            return gettext(focus.label_ar)
    return sector


def brief_text(text: str) -> str:
    """A fixed line of the self-growth brief in the reader's language (other text as stored)."""
    return gettext(text) if text in BRIEF_TEXTS else text


# The classifier's reason (domain/priority.py, stored as `priority_reason_ar`): a fixed prefix and
# the keyword it matched; the prefix is shown in the reader's language, the keyword as written.
PRIORITY_REASON_PREFIXES = (
    gettext_noop("كلمة حرجة مطابقة: "),
    gettext_noop("خدمة مهمة معطلة: "),
    gettext_noop("طلب العميل رفع الأولوية: "),
    gettext_noop("connector أو Proof Pack: "),
)
PRIORITY_REASONS = (
    gettext_noop("لا يوجد نص — اعتبار افتراضي."),
    gettext_noop("افتراضي — سؤال أو تحسين."),
)


def priority_reason_text(reason: str) -> str:
    """Why the classifier chose a priority, in the reader's language (the keyword as written)."""
    if reason in PRIORITY_REASONS:
        return gettext(reason)
    for prefix in PRIORITY_REASON_PREFIXES:
        if reason.startswith(prefix):
            return gettext(prefix) + reason[len(prefix) :]
    return reason
