"""Template helpers for the console: labels for stored codes, dates in Riyadh with Hijri, counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from hijridate import Gregorian

from customer_ops.domain.onboarding import STEPS_BY_ID
from customer_ops.domain.transitions import ConnectorState
from customer_ops.models.connectors import STATE_LABELS
from customer_ops.models.customers import CustomerStatus
from customer_ops.models.drafts import DRAFT_STATUS_LABELS
from customer_ops.selectors.calendar import business_timezone
from customer_ops.selectors.console import pending_drafts_count
from customer_ops.views.refusals import refusal_text
from positioning.claims import CATEGORIES, Finding
from positioning.lock import BUNDLES_BY_ID

register = template.Library()


def _arabic() -> bool:
    return (get_language() or "ar").startswith("ar")


@register.filter
def connector_state_label(state: str) -> str:
    """The translated label of a connector state code."""
    return str(STATE_LABELS.get(ConnectorState(state), state))


# Short forms for the board's cells; the full label is in the cell's aria-label and its menu.
STATE_SHORT_LABELS = {
    ConnectorState.NOT_STARTED: _("لم يبدأ"),
    ConnectorState.CONFIGURING: _("قيد الإعداد"),
    ConnectorState.CONNECTED_DRAFT_ONLY: _("مسودات فقط"),
    ConnectorState.CONNECTED_APPROVED_EXECUTE: _("تنفيذ بموافقة"),
    ConnectorState.FAILED: _("فشل"),
    ConnectorState.SKIPPED: _("تم التخطي"),
}


@register.filter
def connector_state_short(state: str) -> str:
    return str(STATE_SHORT_LABELS.get(ConnectorState(state), state))


@register.filter
def status_label(code: str) -> str:
    """A stored status code in words (drafts and customers; connector states have their own)."""
    for labels in (DRAFT_STATUS_LABELS, dict(CustomerStatus.choices)):
        if code in labels:
            return str(labels[code])
    return str(code)


# Colour is never the only signal (colour-blind-safe): every state also has its own glyph.
STATE_ICONS = {
    ConnectorState.NOT_STARTED: "○",
    ConnectorState.CONFIGURING: "◔",
    ConnectorState.CONNECTED_DRAFT_ONLY: "✓",
    ConnectorState.CONNECTED_APPROVED_EXECUTE: "✔",
    ConnectorState.FAILED: "✕",
    ConnectorState.SKIPPED: "–",
}


@register.filter
def connector_state_icon(state: str) -> str:
    return STATE_ICONS.get(ConnectorState(state), "")


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


@register.filter
def data_label(label_ar: str) -> str:
    """A connector's or step's catalog label in the console's language."""
    return gettext(label_ar)


@register.filter
def step_label(step_id: str) -> str:
    """An onboarding step id as its (translated) label; an unknown id shows as it is."""
    step = STEPS_BY_ID.get(step_id)  # type: ignore[call-overload]
    return gettext(step.label_ar) if step else step_id


@register.filter
def bundle_label(bundle_id: str) -> str:
    """The bundle's name: Arabic in the Arabic console, the English name otherwise."""
    bundle = BUNDLES_BY_ID.get(bundle_id)
    if bundle is None:
        return bundle_id
    return bundle.name_ar if _arabic() else bundle.name


@register.filter
def bundle_price(bundle_id: str) -> str:
    bundle = BUNDLES_BY_ID.get(bundle_id)
    if bundle is None:
        return ""
    return bundle.price_ar if _arabic() else bundle.price_en


@register.filter
def claim_label(finding: Finding) -> str:
    """The prohibited-claim category of a finding, in the console's language."""
    info = CATEGORIES[finding.category]
    return info.label_ar if _arabic() else info.label_en


@register.filter
def refusal(exc: BaseException) -> str:
    """A service's refusal (domain error, invalid transition) in the console's language."""
    return refusal_text(exc)


LEDGER_VERBS = {
    "customers.created": _("أُنشئ العميل"),
    "customers.updated": _("عُدّلت بيانات العميل"),
    "onboarding.step_completed": _("أُكملت خطوة تهيئة"),
    "onboarding.step_reopened": _("أُعيد فتح خطوة تهيئة"),
    "onboarding.step_approved": _("اعتُمدت خطوة تهيئة"),
    "connectors.state_changed": _("تغيّرت حالة قناة"),
    "links.created": _("أُنشئ رابط متابعة"),
    "links.revoked": _("أُلغي رابط متابعة"),
    "drafts.created": _("كُتبت مسودة"),
    "drafts.edited": _("عُدّلت مسودة"),
    "drafts.approved": _("اعتُمدت مسودة"),
    "drafts.rejected": _("رُفضت مسودة"),
    "drafts.sent": _("أُرسلت مسودة بالبريد"),
    "drafts.send_started": _("بدأ إرسال مسودة بالبريد"),
    "drafts.send_failed": _("فشل إرسال مسودة ولم تخرج"),
    "drafts.send_outcome_unknown": _("نتيجة إرسال مسودة غير معروفة"),
    "drafts.send_released": _("أُتيحت مسودة لإعادة الإرسال"),
    "drafts.sent_manually": _("سُجّلت مسودة كمُرسلة يدوياً"),
}


@register.filter
def ledger_verb(verb: str) -> str:
    """A ledger verb in words; a verb without a label yet shows its code."""
    return str(LEDGER_VERBS.get(verb, verb))


@register.filter
def known_ledger_verb(verb: str) -> bool:
    return verb in LEDGER_VERBS


def hijri_text(day: dt.date) -> str:
    """The Hijri (Umm al-Qura) date, month named in the console's language; "" out of range."""
    try:
        hijri = Gregorian(day.year, day.month, day.day).to_hijri()
    except (ValueError, OverflowError):
        return ""  # hijridate covers 1343–1500 AH (1924–2077)
    if _arabic():
        return f"{hijri.day} {hijri.month_name('ar')} {hijri.year} هـ"
    return f"{hijri.day} {hijri.month_name('en')} {hijri.year} AH"


@register.filter
def riyadh(value: dt.datetime | dt.date | None) -> SafeString | str:
    """A moment in Asia/Riyadh time, Gregorian then Hijri, in a `<time>` element."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        local = (
            timezone.localtime(value, business_timezone()) if timezone.is_aware(value) else value
        )
        gregorian = f"{date_format(local, 'DATE_FORMAT')}، {time_format(local, 'TIME_FORMAT')}"
        if not _arabic():
            gregorian = gregorian.replace("، ", ", ")
        day = local.date()
    else:
        local, day = value, value
        gregorian = date_format(value, "DATE_FORMAT")
    return format_html(
        '<time class="when" datetime="{}"><span class="when__greg">{}</span>'
        ' <span class="when__hijri">{}</span></time>',
        local.isoformat(),
        gregorian,
        hijri_text(day),
    )


@register.simple_tag
def drafts_pending_count() -> int:
    """For the navigation badge: evaluated only where the template asks for it."""
    return pending_drafts_count()


NAV_SECTIONS = {
    "home": "home",
    "customers": "customers",
    "customer-new": "customers",
    "customer-page": "customers",
    "customer-ledger": "customers",
    "connector-board": "connectors",
    "approvals-inbox": "approvals",
    "approvals-draft": "approvals",
}


@register.filter
def nav_section(url_name: str | None) -> str:
    """Which navigation entry a page belongs to (for aria-current)."""
    return NAV_SECTIONS.get(url_name or "", "")


# ── Operations screens (issue #7, part 2) ───────────────────────────────────────────────────────
# Domain tables keep Arabic labels as data; the console shows them in its language. Marked here so
# makemessages puts them in the catalogue (tests/customer_ops/views/test_i18n.py checks it).
_PRIORITY_LABELS = {
    "P0": gettext_noop("حرج جداً — أمان / إرسال خاطئ / تعطل كامل"),
    "P1": gettext_noop("خدمة مهمة معطلة"),
    "P2": gettext_noop("Connector أو Proof Pack متأخر"),
    "P3": gettext_noop("سؤال عام / تحسين"),
}
_SEVERITY_LABELS = {
    "SEV1": gettext_noop("حرج جداً — تسريب أمان / إرسال خاطئ / تعطل كامل"),
    "SEV2": gettext_noop("خدمة مهمة معطلة لعدد كبير من العملاء"),
    "SEV3": gettext_noop("خدمة معطلة لعميل واحد أو أداء متراجع"),
}
_SERVICE_NAMES = {
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
_WORKFLOW_STEP_LABELS = {
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
_RISK_LABELS = {"high": _("مرتفعة"), "medium": _("متوسطة"), "low": _("منخفضة")}
_VERDICT_LABELS = {"healthy": _("سليم"), "watch": _("تحت المراقبة"), "critical": _("حرج")}
_HEALTH_LABELS = {"healthy": _("سليم"), "watch": _("تحت المراقبة"), "at_risk": _("معرّض للخطر")}


@register.filter
def priority_label(priority: str) -> str:
    """What a priority means (P0: security / wrong send / outage …), in the console's language."""
    label = _PRIORITY_LABELS.get(priority)
    return gettext(label) if label else priority


@register.filter
def severity_label(severity: str) -> str:
    label = _SEVERITY_LABELS.get(severity)
    return gettext(label) if label else severity


@register.filter
def service_name(service_id: str) -> str:
    label = _SERVICE_NAMES.get(service_id)
    return gettext(label) if label else service_id


@register.filter
def workflow_step_label(step_id: str) -> str:
    label = _WORKFLOW_STEP_LABELS.get(step_id)
    return gettext(label) if label else step_id


@register.filter
def risk_label(severity: str) -> str:
    return str(_RISK_LABELS.get(severity, severity))


@register.filter
def verdict_label(verdict: str) -> str:
    return str(_VERDICT_LABELS.get(verdict, verdict))


@register.filter
def health_label(band: str) -> str:
    return str(_HEALTH_LABELS.get(band, band))


@register.filter
def pct(rate: float | None) -> str:
    """A 0..1 rate as a percentage in the console's number format ("12,5%" in Arabic)."""
    if rate is None or rate == "":
        return "—"
    from django.utils.formats import number_format

    value = round(float(rate) * 100, 1)
    return f"{number_format(int(value) if value.is_integer() else value)}%"


@register.filter
def minutes_short(minutes: float | int | None) -> str:
    """A duration in minutes, short: "45 د", "24 س", "7 يوم" (minutes, hours, whole weeks+)."""
    if minutes is None or minutes == "":
        return "—"
    from django.utils.formats import number_format

    def short(number: float) -> str:
        number = round(number, 1)
        return number_format(int(number) if number.is_integer() else number)

    value = float(minutes)
    if value < 60:
        return gettext("%(n)s د") % {"n": short(value)}
    if value < 60 * 24 * 7 or value % (60 * 24):
        return gettext("%(n)s س") % {"n": short(value / 60)}
    return gettext("%(n)s يوم") % {"n": short(value / 60 / 24)}


def _clock_text(seconds: int) -> str:
    days, rest = divmod(abs(seconds), 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    clock = f"{hours:02d}:{minutes:02d}:{secs:02d}"
    return f"{days} {gettext('يوم')} {clock}" if days else clock


@register.simple_tag
def countdown(due: dt.datetime | None, *, soon: int = 3600, label: str = "") -> SafeString | str:
    """A live countdown to `due` (static/js/countdown.js ticks it every second).

    Rendered with the remaining time already filled in, so the page reads right before any script
    runs; past `due` it counts the overdue time and says so.
    """
    if due is None:
        return ""
    remaining = round((due - timezone.now()).total_seconds())
    late = remaining < 0
    state = " countdown--late" if late else (" countdown--soon" if remaining < soon else "")
    left, overdue = gettext("متبقٍ"), gettext("متأخرة منذ")
    return format_html(
        '<time class="countdown{}" role="timer" datetime="{}" data-due="{}" data-soon="{}"'
        ' data-days="{}" data-left="{}" data-late="{}"{}>'
        '<span class="countdown__label">{}</span> <span class="countdown__value">{}</span></time>',
        state,
        due.isoformat(),
        due.isoformat(),
        soon,
        gettext("يوم"),
        left,
        overdue,
        format_html(' aria-label="{}"', label) if label else "",
        overdue if late else left,
        _clock_text(remaining),
    )


# The SVG chart of the SLA report: breach rate per week, bars coloured by the week's verdict.
CHART_WIDTH, CHART_HEIGHT = 760, 280
CHART_PAD = {"top": 28, "bottom": 46, "side": 52, "far": 104}


def _nice_max(highest: float) -> float:
    """The y-axis top: at least 30 % (both thresholds visible), else the next 10 % step."""
    top = max(0.3, highest)
    return min(1.0, -(-round(top * 100) // 10) / 10)


@register.simple_tag
def breach_chart(weekly: list[dict[str, Any]], *, title_id: str = "chart-title") -> SafeString:
    """A server-rendered bar chart of the weekly breach rate (no script, no charting library).

    Right-to-left in the Arabic console: the oldest week on the right, the axis on the right.
    """
    from django.utils.formats import number_format
    from django.utils.html import escape
    from django.utils.translation import get_language_bidi

    from customer_ops.domain.sla import CRITICAL_FROM, WATCH_FROM, sla_verdict

    rtl = get_language_bidi()
    pad = CHART_PAD
    plot_w = CHART_WIDTH - pad["side"] - pad["far"]
    plot_h = CHART_HEIGHT - pad["top"] - pad["bottom"]
    top = _nice_max(max((float(w["breach_rate"]) for w in weekly), default=0.0))

    def x_of(offset: float) -> float:  # offset from the axis, along the reading direction
        return CHART_WIDTH - pad["side"] - offset if rtl else pad["side"] + offset

    def y_of(rate: float) -> float:
        return pad["top"] + plot_h * (1 - rate / top)

    axis_x = x_of(0)
    # The SVG takes the page's direction, so "end" is the left edge in RTL and the right one in
    # LTR: both label columns grow away from their anchor into the right place.
    anchor_axis = "end"
    parts: list[str] = []
    # Grid and y labels every 10 %.
    steps = round(top * 10)
    for i in range(steps + 1):
        rate = i / 10
        y = y_of(rate)
        parts.append(
            f'<line class="chart__grid" x1="{x_of(0):.1f}" x2="{x_of(plot_w):.1f}"'
            f' y1="{y:.1f}" y2="{y:.1f}"/>'
        )
        label_x = axis_x + (8 if rtl else -8)
        parts.append(
            f'<text class="chart__axis" x="{label_x:.1f}" y="{y + 4:.1f}"'
            f' text-anchor="{anchor_axis}">{escape(pct(rate))}</text>'
        )
    count = len(weekly)
    slot = plot_w / max(count, 1)
    bar_w = min(56.0, slot * 0.62)
    label_every = max(1, -(-count // 12))
    for index, week in enumerate(weekly):
        rate = float(week["breach_rate"])
        verdict = sla_verdict(rate).value
        centre = x_of(slot * index + slot / 2)
        y = y_of(rate)
        height = max(pad["top"] + plot_h - y, 1.5 if week["total_tickets"] else 0)
        tip = gettext("أسبوع %(week)s: %(breached)s من %(total)s تذكرة تجاوزت (%(rate)s)") % {
            "week": date_format(week["week_start"], "j M"),
            "breached": number_format(week["total_breached"]),
            "total": number_format(week["total_tickets"]),
            "rate": pct(rate),
        }
        parts.append(
            f'<g class="chart__week"><title>{escape(tip)}</title>'
            f'<rect class="chart__bar chart__bar--{verdict}" x="{centre - bar_w / 2:.1f}"'
            f' y="{pad["top"] + plot_h - height:.1f}" width="{bar_w:.1f}" height="{height:.1f}"'
            f' rx="3"/>'
            f'<text class="chart__value" x="{centre:.1f}" y="{pad["top"] + plot_h - height - 6:.1f}"'
            f' text-anchor="middle">{escape(pct(rate))}</text>'
        )
        if index % label_every == 0:
            parts.append(
                f'<text class="chart__axis" x="{centre:.1f}" y="{CHART_HEIGHT - pad["bottom"] + 18}"'
                f' text-anchor="middle">{escape(date_format(week["week_start"], "j M"))}</text>'
            )
        parts.append("</g>")
    for threshold, name in ((WATCH_FROM, "watch"), (CRITICAL_FROM, "critical")):
        y = y_of(threshold)
        parts.append(
            f'<line class="chart__threshold chart__threshold--{name}" x1="{x_of(0):.1f}"'
            f' x2="{x_of(plot_w):.1f}" y1="{y:.1f}" y2="{y:.1f}"/>'
        )
        # In the gutter beyond the last week, so the label never covers a bar.
        label = gettext("حد المراقبة") if name == "watch" else gettext("الحد الحرج")
        parts.append(
            f'<text class="chart__threshold-label chart__threshold-label--{name}"'
            f' x="{x_of(plot_w + 6):.1f}" y="{y + 4:.1f}" text-anchor="start">'
            f"{escape(label)} {escape(pct(threshold))}</text>"
        )
    parts.append(
        f'<line class="chart__baseline" x1="{x_of(0):.1f}" x2="{x_of(plot_w):.1f}"'
        f' y1="{pad["top"] + plot_h:.1f}" y2="{pad["top"] + plot_h:.1f}"/>'
    )
    caption = gettext("نسبة تجاوز الـ SLA أسبوعياً")
    svg = (
        f'<svg class="chart" viewBox="0 0 {CHART_WIDTH} {CHART_HEIGHT}" role="img"'
        f' direction="{"rtl" if rtl else "ltr"}"'
        f' aria-labelledby="{escape(title_id)}" preserveAspectRatio="xMidYMid meet"'
        f' xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{escape(title_id)}">{escape(caption)}</title>{"".join(parts)}</svg>'
    )
    return SafeString(svg)


@register.simple_tag(takes_context=True)
def unread_notifications(context: template.Context) -> int:
    """For the header's bell: evaluated only where the template asks for it."""
    from customer_ops.selectors.console_ops import unread_notification_count

    request = context.get("request")
    user = getattr(request, "user", None)
    return unread_notification_count(user=user) if user is not None else 0


@register.filter
def console_link(url: str) -> str:
    """A notification's stored link as a console address ("" when it has none)."""
    from customer_ops.selectors.console_ops import console_url

    return console_url(url)


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    """`mapping[key]` in a template (None when absent)."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


LEDGER_VERBS.update(
    {
        "tickets.created": _("فُتحت تذكرة"),
        "tickets.priority_changed": _("تغيّرت أولوية تذكرة"),
        "tickets.assigned": _("أُسندت تذكرة"),
        "tickets.status_changed": _("تغيّرت حالة تذكرة"),
        "tickets.reply_drafted": _("كُتبت مسودة رد على تذكرة"),
        "tickets.first_response": _("سُجّل أول رد على تذكرة"),
        "tickets.escalated": _("صُعّدت تذكرة"),
        "incidents.declared": _("أُعلنت حادثة"),
        "incidents.severity_changed": _("تغيّرت خطورة حادثة"),
        "incidents.status_changed": _("تغيّرت حالة حادثة"),
        "incidents.update_drafted": _("كُتبت مسودة تحديث حادثة"),
        "incidents.update_sent": _("أُرسل تحديث حادثة"),
        "success.plan_created": _("أُنشئت خطة نجاح"),
        "success.touchpoint_done": _("أُنجزت نقطة تواصل"),
        "success.proof_pack_delivered": _("سُلّم Proof Pack"),
        "success.check_in_drafted": _("كُتبت متابعة أسبوعية"),
        "delivery.handed_off": _("سُلّمت خدمة لنجاح العملاء"),
        "sla.holiday_set": _("أُعلنت عطلة في تقويم العمل"),
        "sla.holiday_confirmed": _("أُكّد موعد عطلة مقدّرة"),
        "sla.holiday_moved": _("نُقلت عطلة في تقويم العمل"),
        "sla.holiday_cleared": _("أُلغي إعلان عطلة"),
        "sla.period_created": _("أُضيفت فترة عمل خاصة"),
        "sla.period_deleted": _("حُذفت فترة عمل خاصة"),
        "sla.week_set": _("تغيّر أسبوع العمل"),
    }
)
NAV_SECTIONS.update(
    {
        "ticket-queue": "tickets",
        "ticket-new": "tickets",
        "ticket-page": "tickets",
        "incident-room": "incidents",
        "incident-new": "incidents",
        "incident-page": "incidents",
        "success-home": "success",
        "success-at-risk": "success",
        "customer-success": "success",
        "sla-report": "reports",
        "calendar": "calendar",
        "modes": "modes",
        "modes-delivery": "modes",
        "notifications": "notifications",
    }
)


@register.filter
def duration(value: dt.timedelta | None) -> str:
    """A timedelta, short and absolute ("45 د", "2,5 س")."""
    if value is None:
        return "—"
    return minutes_short(abs(value.total_seconds()) / 60)


@register.filter
def priority_level(priority: str) -> Any:
    """The priority's row of the SLA table (first-response minutes, resolution hours)."""
    from customer_ops.domain.priority import PRIORITIES_BY_ID, Priority

    try:
        return PRIORITIES_BY_ID[Priority(priority)]
    except ValueError:
        return None


@register.filter
def clock_basis(priority: str) -> str:
    """24/7 for P0/P1, working hours for P2/P3 (in words)."""
    from customer_ops.domain.priority import Priority
    from customer_ops.domain.sla import SLA_CLOCK_BASIS, ClockBasis

    try:
        basis = SLA_CLOCK_BASIS[Priority(priority)]
    except ValueError:
        return ""
    if basis is ClockBasis.ROUND_THE_CLOCK:
        return gettext("على مدار الساعة")
    return gettext("ساعات العمل")


@register.filter
def multiply(value: float | int | None, factor: float | int) -> float | None:
    """`value × factor` (hours to minutes for `minutes_short`)."""
    return None if value is None else value * factor


# The response plan's steps (domain/incidents.py) are the runbook's Arabic text: the console shows
# them in its language; the stored step keeps the Arabic.
_PLAN_STEPS = (
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


@register.filter
def plan_step_text(text: str) -> str:
    """A response-plan step in the console's language (an unknown text shows as stored)."""
    return gettext(text) if text in _PLAN_STEPS else text


@register.filter
def field_of(form: Any, name: str) -> Any:
    """`form[name]`: a form's bound field by a name held in a variable."""
    return form[name]


_HEALTH_INPUTS = {
    "csat": _("رضا العميل (CSAT)"),
    "pipeline_sar": _("قيمة الـ Pipeline"),
    "meetings": _("الاجتماعات"),
    "approval_rate": _("نسبة الاعتماد (30 يوماً)"),
    "days_inactive": _("أيام بلا نشاط"),
    "drafts_pending": _("مسودات بانتظار الاعتماد"),
}


@register.filter
def health_input_label(name: str) -> str:
    """An input of the health score (selectors.success.customer_health) in words."""
    return str(_HEALTH_INPUTS.get(name, name))
