"""Template helpers for the console: labels for stored codes, dates in Riyadh with Hijri, counts."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django import template
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from hijridate import Gregorian

from customer_ops.domain.transitions import ConnectorState
from customer_ops.models.connectors import STATE_LABELS
from customer_ops.models.customers import CustomerStatus
from customer_ops.models.drafts import DRAFT_STATUS_LABELS
from customer_ops.selectors.console import pending_drafts_count
from customer_ops.views.refusals import refusal_text
from positioning.claims import CATEGORIES, Finding
from positioning.lock import BUNDLES_BY_ID

register = template.Library()

RIYADH = ZoneInfo("Asia/Riyadh")


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
        local = timezone.localtime(value, RIYADH) if timezone.is_aware(value) else value
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
