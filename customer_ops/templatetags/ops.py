"""Template helpers for the console: labels for stored codes, dates in Riyadh with Hijri, counts."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from html import escape as html_escape
from typing import Any

from django import template
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language_bidi, gettext, ngettext

from customer_ops import labels, riyadh_time
from customer_ops.domain.ledger import LedgerVerb
from customer_ops.domain.onboarding import STEPS_BY_ID
from customer_ops.domain.priority import PRIORITIES_BY_ID, Priority
from customer_ops.domain.search import Segment
from customer_ops.domain.sla import (
    CRITICAL_FROM,
    SLA_CLOCK_BASIS,
    WATCH_FROM,
    ClockBasis,
    sla_verdict,
)
from customer_ops.domain.transitions import ConnectorState
from customer_ops.marks import marked_html
from customer_ops.models import Notification
from customer_ops.models.customers import CustomerStatus
from customer_ops.selectors.calendar import business_timezone, business_week
from customer_ops.selectors.drafts import pending_drafts_count
from customer_ops.selectors.ledger import ledger_object_link as selected_ledger_object_link
from customer_ops.selectors.notifications import notification_link as selected_notification_link
from customer_ops.selectors.notifications import unread_notification_count
from positioning.claims import CATEGORIES, Finding
from positioning.lock import BUNDLES_BY_ID

register = template.Library()


@register.filter
def connector_state_label(state: str) -> str:
    """The translated label of a connector state code."""
    return str(labels.STATE_LABELS.get(ConnectorState(state), state))


@register.filter
def connector_state_short(state: str) -> str:
    return str(labels.STATE_SHORT_LABELS.get(ConnectorState(state), state))


@register.filter
def status_label(code: str) -> str:
    """A stored status code in words (drafts and customers; connector states have their own)."""
    for table in (labels.DRAFT_STATUS_LABELS, dict(CustomerStatus.choices)):
        if code in table:
            return str(table[code])
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
    return bundle.name_ar if labels.is_arabic() else bundle.name


@register.filter
def bundle_price(bundle_id: str) -> str:
    bundle = BUNDLES_BY_ID.get(bundle_id)
    if bundle is None:
        return ""
    return bundle.price_ar if labels.is_arabic() else bundle.price_en


@register.filter
def claim_label(finding: Finding) -> str:
    """The prohibited-claim category of a finding, in the console's language."""
    info = CATEGORIES[finding.category]
    return info.label_ar if labels.is_arabic() else info.label_en


# Labels from the one labels module, as filters.
register.filter("refusal", labels.refusal_text)
register.filter("ledger_verb", labels.ledger_verb_label)
register.filter("priority_label", labels.priority_label)
register.filter("severity_label", labels.severity_label)
register.filter("service_name", labels.service_name)
register.filter("workflow_step_label", labels.workflow_step_label)
register.filter("risk_label", labels.risk_label)
register.filter("verdict_label", labels.verdict_label)
register.filter("health_label", labels.health_label)
register.filter("plan_step_text", labels.plan_step_text)
register.filter("health_input_label", labels.health_input_label)


@register.filter
def known_ledger_verb(verb: str) -> bool:
    """Whether the verb is declared (rows written before a verb was renamed show their code)."""
    return verb in LedgerVerb._value2member_map_


hijri_text = riyadh_time.hijri_text


@register.filter
def riyadh(value: dt.datetime | dt.date | None) -> SafeString | str:
    """A moment in Asia/Riyadh time, Gregorian then Hijri, in a `<time>` element."""
    if value is None or value == "":
        return ""
    local, gregorian, hijri = riyadh_time.riyadh_parts(value)
    return format_html(
        '<time class="when" datetime="{}"><span class="when__greg">{}</span>'
        ' <span class="when__hijri">{}</span></time>',
        local.isoformat(),
        gregorian,
        hijri,
    )


@register.simple_tag
def drafts_pending_count() -> int:
    """For the navigation badge: evaluated only where the template asks for it."""
    return pending_drafts_count()


NAV_SECTIONS = {
    "home": "home",
    "search": "search",
    "customers": "customers",
    "customer-new": "customers",
    "customer-page": "customers",
    "customer-ledger": "customers",
    "connector-board": "connectors",
    "approvals-inbox": "approvals",
    "approvals-draft": "approvals",
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
    "ledger": "ledger",
}


@register.filter
def nav_section(url_name: str | None) -> str:
    """Which navigation entry a page belongs to (for aria-current)."""
    return NAV_SECTIONS.get(url_name or "", "")


def percent_text(value: float) -> str:
    """The one percentage style of the console and the customer's page: "75%", "12,5%".

    At most one decimal, dropped when zero; the locale's decimal mark; the Latin "%" sign
    (the Arabic "٪" is not used, so the two pages read the same).
    """
    value = round(float(value), 1)
    return f"{number_format(int(value) if value.is_integer() else value, force_grouping=True)}%"


@register.filter
def marked(segments: Iterable[Segment]) -> SafeString:
    """A search snippet as HTML: every piece escaped, the matched ones in <mark>."""
    return marked_html(segments)


@register.filter
def pct(rate: float | None) -> str:
    """A 0..1 rate as a percentage ("12,5%" in Arabic)."""
    if rate is None or rate == "":
        return "—"
    return percent_text(float(rate) * 100)


@register.filter
def percent(value: float | None) -> str:
    """A 0..100 value (e.g. the checklist's `progress_pct`) as a percentage, as `pct` writes it."""
    if value is None or value == "":
        return "—"
    return percent_text(float(value))


@register.filter
def ago(value: dt.datetime | None) -> str:
    """How long ago, with Arabic number agreement (humanize's `naturaltime` gets it wrong).

    «منذ دقيقتين», «منذ 3 ساعات», «منذ 11 يوماً»; past a month, the date itself.
    """
    if value is None or value == "":
        return ""
    seconds = max(0, round((timezone.now() - value).total_seconds()))
    if seconds < 60:
        return gettext("الآن")
    minutes, hours, days = seconds // 60, seconds // 3600, seconds // 86400
    if minutes < 60:
        return ngettext("منذ دقيقة", "منذ %(n)s دقيقة", minutes) % {"n": minutes}
    if hours < 24:
        return ngettext("منذ ساعة", "منذ %(n)s ساعة", hours) % {"n": hours}
    if days < 30:
        return ngettext("منذ يوم", "منذ %(n)s يوم", days) % {"n": days}
    return date_format(timezone.localtime(value, business_timezone()), "j M Y")


@register.filter
def minutes_short(minutes: float | int | None) -> str:
    """A duration in minutes, short: "45 د", "24 س", "7 يوم" (minutes, hours, whole weeks+)."""
    if minutes is None or minutes == "":
        return "—"

    def short(number: float) -> str:
        number = round(number, 1)
        return number_format(int(number) if number.is_integer() else number)

    value = float(minutes)
    if value < 60:
        return gettext("%(n)s د") % {"n": short(value)}
    if value < 60 * 24 * 7 or value % (60 * 24):
        return gettext("%(n)s س") % {"n": short(value / 60)}
    days = round(value / 60 / 24)
    return ngettext("يوم واحد", "%(n)s يوم", days) % {"n": number_format(days)}


def _clock_text(seconds: int, days_label: str) -> str:
    days, rest = divmod(abs(seconds), 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    clock = f"{hours:02d}:{minutes:02d}:{secs:02d}"
    return f"{days} {days_label} {clock}" if days else clock


@register.simple_tag
def countdown(due: dt.datetime | None, *, soon: int = 3600, label: str = "") -> SafeString | str:
    """A live countdown to `due` (static/js/countdown.js ticks it every second).

    Rendered with the remaining time already filled in, so the page reads right before any script
    runs; past `due` it counts the overdue time and says so. Written with one f-string (a queue
    page draws one per row): the translated words are escaped, the rest is digits and ISO dates.
    """
    if due is None:
        return ""
    remaining = round((due - timezone.now()).total_seconds())
    late = remaining < 0
    state = " countdown--late" if late else (" countdown--soon" if remaining < soon else "")
    days = html_escape(gettext("ي"))
    left, overdue = html_escape(gettext("متبقٍ")), html_escape(gettext("متأخرة منذ"))
    at = html_escape(due.isoformat())
    aria = f' aria-label="{html_escape(label)}"' if label else ""
    return SafeString(
        f'<time class="countdown{state}" role="timer" datetime="{at}" data-due="{at}"'
        f' data-soon="{html_escape(str(soon))}" data-days="{days}" data-left="{left}"'
        f' data-late="{overdue}"{aria}><span class="countdown__label">'
        f'{overdue if late else left}</span> <span class="countdown__value">'
        f"{_clock_text(remaining, days)}</span></time>"
    )


@register.simple_tag
def priority_badge(priority: str, keyword: str = "") -> SafeString:
    """A ticket priority: the code in its colour, what it means on hover, and the keyword that
    decided it (queue rows, the ticket page, the home page, reports)."""
    code = html_escape(str(priority))
    badge = (
        f'<span class="prio prio--{code}" title="{html_escape(labels.priority_label(priority))}">'
        f"{code}</span>"
    )
    if keyword:
        badge += (
            f' <bdi class="keyword" title="{html_escape(gettext("الكلمة التي حدّدت الأولوية"))}">'
            f"{html_escape(str(keyword))}</bdi>"
        )
    return SafeString(badge)


def _sla_state(modifier: str, icon: str, text: str) -> str:
    return (
        f'<span class="sla-state sla-state--{modifier}"><span aria-hidden="true">{icon}</span>'
        f" {html_escape(text)}</span>"
    )


@register.simple_tag
def sla_cell(ticket: Any) -> SafeString:
    """Where a ticket stands on its SLA (a queue cell): a live countdown to the next clock's due
    time, paused, breached or done; a breached ticket still being worked on is flagged.

    Written with f-strings (one per row of a queue page): the words are escaped; the codes and
    times are ours.
    """
    status = ticket.status
    if status == "pending_customer":
        cell = _sla_state("paused", "⏸", gettext("متوقفة — بانتظار العميل"))
    elif status == "open" and ticket.next_due_at:
        first = ticket.next_due_at == ticket.first_response_due_at
        which = gettext("أول رد") if first else gettext("الحل")
        cell = (
            f"{countdown(ticket.next_due_at, soon=1800)}"
            f' <span class="sla-clock small muted">{html_escape(which)}</span>'
        )
    elif status == "open":
        cell = _sla_state("late", "⚠", gettext("تجاوزت الـ SLA"))
    elif ticket.breached_now:
        cell = _sla_state("late", "✕", gettext("حُلّت بعد الموعد"))
    else:
        cell = _sla_state("met", "✓", gettext("ضمن الوقت"))
    if ticket.breached_now and status not in ("resolved", "closed"):
        cell += f' <span class="badge badge--danger">{html_escape(gettext("متجاوزة"))}</span>'
    return SafeString(cell)


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
        tip = ngettext(
            "أسبوع %(week)s: %(breached)s من تذكرة واحدة تجاوزت (%(rate)s)",
            "أسبوع %(week)s: %(breached)s من %(total)s تذكرة تجاوزت (%(rate)s)",
            week["total_tickets"],
        ) % {
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

    request = context.get("request")
    user = getattr(request, "user", None)
    return unread_notification_count(user=user) if user is not None else 0


@register.filter
def notification_link(notification: Notification) -> str:
    """Where a notification opens in the console (built from its typed target)."""
    return selected_notification_link(notification)


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    """`mapping[key]` in a template (None when absent)."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def duration(value: dt.timedelta | None) -> str:
    """A timedelta, short and absolute ("45 د", "2,5 س")."""
    if value is None:
        return "—"
    return minutes_short(abs(value.total_seconds()) / 60)


@register.filter
def priority_level(priority: str) -> Any:
    """The priority's row of the SLA table (first-response minutes, resolution hours)."""

    try:
        return PRIORITIES_BY_ID[Priority(priority)]
    except ValueError:
        return None


@register.filter
def clock_basis(priority: str) -> str:
    """24/7 for P0/P1, working hours for P2/P3 (in words)."""

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


@register.filter
def field_of(form: Any, name: str) -> Any:
    """`form[name]`: a form's bound field by a name held in a variable."""
    return form[name]


# Mixed Arabic and Latin text (a ticket body, an incident title «SEV1: تسريب…», a notification
# «Gmail connector لا يتزامن…»). `dir="auto"` takes the direction of the first strong letter, so
# a paragraph that starts with a Latin word was laid out left to right. Instead: a paragraph with
# any Arabic letter is right to left, and each Latin run inside it is isolated in `<bdi>` so its
# words keep their order and do not drag the neighbouring punctuation along.
ARABIC_LETTER = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
# A run starts with a Latin letter and ends with a letter or digit (a trailing full stop or
# colon belongs to the Arabic sentence); inside it, words joined by spaces and punctuation.
_LATIN_WORD = r"[A-Za-z\u00C0-\u024F](?:[\w@.\u00C0-\u024F-]*[\w\u00C0-\u024F])?"
_LATIN_NEXT = r"[A-Za-z0-9\u00C0-\u024F](?:[\w@.\u00C0-\u024F-]*[\w\u00C0-\u024F])?"
# Markup-like text («<b>SEV1</b>») stays one run, so its escaped form reads as it was typed.
LATIN_RUN = re.compile(
    rf"[<(\[]*{_LATIN_WORD}(?:[ \t.,:;/&+#'()<>=\[\]\"-]+{_LATIN_NEXT})*[>)\]]*", re.ASCII
)


@register.filter
def text_dir(text: object) -> str:
    """The direction of a stored text: rtl when it holds an Arabic letter, ltr otherwise."""
    return "rtl" if ARABIC_LETTER.search(str(text or "")) else "ltr"


@register.filter(is_safe=True)
def isolate_latin(text: object) -> SafeString:
    """`text`, escaped, with each Latin run (words, refs, emails) inside `<bdi>`."""
    value = str(text or "")
    if not ARABIC_LETTER.search(value):
        return SafeString(escape(value))
    parts: list[str] = []
    last = 0
    for match in LATIN_RUN.finditer(value):
        parts.append(escape(value[last : match.start()]))
        parts.append(f"<bdi>{escape(match.group())}</bdi>")
        last = match.end()
    parts.append(escape(value[last:]))
    return SafeString("".join(parts))


register.filter("object_type_label", labels.object_type_label)
register.filter("connector_name", labels.connector_name)
register.filter("ledger_note", labels.ledger_note_text)
register.filter("success_task", labels.success_task_label)


@register.filter
def object_status(code: str, object_type: str) -> str:
    """`{{ code|object_status:entry.object_type }}`: a ledger row's status in words."""
    return labels.object_status_label(object_type, code)


register.filter("brief_text", labels.brief_text)
register.filter("priority_reason", labels.priority_reason_text)


@register.filter
def ledger_object_link(entry: Any) -> str:
    """Where a ledger row's object opens in the console ("" when it has no page)."""
    return selected_ledger_object_link(entry)


register.filter("icp_focus_label", labels.icp_focus_label)


@register.filter
def sla_target(value: float | int | dt.timedelta | None, priority: str) -> str:
    """An SLA target as it is counted: clock time for P0/P1, working time for P2/P3.

    P2/P3 targets are working hours on the working calendar (README, "SLA targets"): 168 working
    hours read «21 يوم عمل (168 ساعة عمل)», never "7 days" — they end about 30 calendar days
    later. A working day is the declared working day (09:00–17:00 by default, 8 hours).
    """
    if value is None or value == "":
        return "—"
    minutes = value.total_seconds() / 60 if isinstance(value, dt.timedelta) else float(value)
    try:
        basis = SLA_CLOCK_BASIS[Priority(priority)]
    except ValueError:
        return minutes_short(minutes)
    if basis is ClockBasis.ROUND_THE_CLOCK:
        return minutes_short(minutes)
    hours = round(minutes / 60)
    hours_text = ngettext("ساعة عمل واحدة", "%(n)s ساعة عمل", hours) % {"n": number_format(hours)}
    _days, start, end = business_week()
    day_hours = (end.hour * 60 + end.minute - start.hour * 60 - start.minute) / 60
    if day_hours <= 0 or hours < day_hours or hours % day_hours:
        return hours_text
    days = round(hours / day_hours)
    days_text = ngettext("يوم عمل واحد", "%(n)s يوم عمل", days) % {"n": number_format(days)}
    return f"{days_text} ({hours_text})"
