"""Realistic support tickets for the benchmarks: SLA events, and the clock columns the services store.

One place that says what a generated ticket looks like, used by the queue-page and search
benchmarks and the SLA health benchmark (all through `bench.bulk_pg`'s COPY loader, the ORM
path `bench.queue_page.seed_tickets` for SQLite-sized sets).

What it says: a subject and body on one of a dozen topics (invoices, orders, Gmail sync, outages,
…) in Arabic, English or both, with invoice and order numbers, people's names, cities, phone
numbers and emails filled in, typed as people type (hamza left off, ة as ه, sometimes harakat);
the classifier's priority of that text; and a conversation of 1–4 messages (the customer's first
message or our note of a call, our reply at the first response, the customer again after a wait,
sometimes an internal note). Customers (`customer_fields`) have names, cities and contacts drawn
the same way. Everything comes from one `random.Random`: the same seed gives the same desk, and
a smaller desk is a prefix of a larger one generated with the same seed and settings.

A ticket's life: `opened`; sometimes `escalated` soon after (a human raised the priority above the
classifier's); the `first_response`; sometimes a `paused` / `resumed` wait on the customer; `resolved`;
sometimes a reopen (`opened` again, then `resolved` again); most resolved tickets are then closed
with the customer's confirmation. An *active* ticket stops before its resolution (still open, or
waiting on the customer). Events later than `now` have not happened, so the life is cut there.

The columns are computed exactly as `services.tickets` computes them: `ticket_sla` over the
events, then `ticket_sla_columns`, at the ticket's last write (its last event, or its closing),
because that is when the services last recomputed them. A running clock that has gone past its due
time since then is breached through `overdue_after < now`, as `breached_now_q` says.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

# ── What people write ───────────────────────────────────────────────────────────────────────────
# Topics of support requests, by what the classifier makes of them (a topic's priority is its
# first subject's classification, worked out once): subjects and bodies with slots filled from the
# vocabularies below, so that at a million tickets a word, a number or a name is as rare or as
# common as in a real desk — a search for an invoice number finds a handful of tickets, a search
# for "مشكلة" finds a good part of them. Weights give a realistic mix of priorities
# (~2% P0, ~8% P1, ~30% P2, the rest questions and requests).
TOPICS: tuple[tuple[int, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        2,
        ("أرسل بدون موافقتي رسالة إلى {full_name}", "رسالة أرسل بدون موافقتي لعميل في {city}"),
        (
            "وصلت رسالة إلى عميلنا {full_name} ({phone}) لم نعتمدها، الرجاء إيقاف الإرسال فوراً",
            "العميل {full_name} استلم عرض سعر على الطلب رقم {order} بدون موافقتي",
        ),
    ),
    (
        1,
        ("تسريب في بيانات جهات الاتصال", "اشتباه تسريب بيانات عميل في {city}"),
        (
            "ظهرت بيانات {full_name} عند عميل آخر، رقمه {phone}",
            "possible data leak: we saw {email} in another account",
        ),
    ),
    (
        5,
        ("service down: التقارير لا تصل", "خدمة معطلة في {product}", "Pilot stopped بعد التحديث"),
        (
            "منذ الصباح لا يعمل {product} وفريقنا في {city} متوقف عن العمل",
            "The {product} has been failing since {day}; order {order} is stuck",
            "مشكلة كبيرة: {product} لا يفتح عند {count} من الموظفين",
        ),
    ),
    (
        3,
        ("عاجل جداً: {product} لا يعمل", "urgent: {product} not loading"),
        (
            "نحتاج حلاً اليوم، العميل {full_name} ينتظر الرد على الطلب {order}",
            "please call {full_name} on {phone}, the {product} is blocking our sales team",
        ),
    ),
    (
        12,
        ("Gmail connector لا يتزامن", "مشكلة مزامنة Gmail", "Gmail sync stopped for {email}"),
        (
            "المسودات لا تظهر في Gmail منذ {day}، والحساب {email}",
            "مزامنة Gmail متوقفة للحساب {email}، آخر مزامنة ناجحة كانت {day}",
            "تظهر رسالة خطأ عند ربط Gmail للمستخدم {full_name}",
        ),
    ),
    (
        9,
        ("مشكلة في Calendar", "Calendar invites missing for {first_name}"),
        (
            "الاجتماعات لا تظهر في التقويم، آخرها مع {full_name} يوم {day}",
            "The Calendar drafts did not appear this morning for {email}",
        ),
    ),
    (
        7,
        ("WhatsApp setup لم يكتمل", "Sheets لا تتحدث", "connector الطلبات متوقف"),
        (
            "ربط الرقم {phone} لم يكتمل، تظهر مشكلة في التحقق",
            "جدول الطلبات لا يضيف الطلب {order} منذ {day}",
        ),
    ),
    (
        16,
        (
            "سؤال عن الفاتورة {invoice}",
            "استفسار عن فاتورة شهر {month}",
            "invoice {invoice} question",
            "الفاتوره {invoice} غير واضحة",
        ),
        (
            "متى تصدر فاتورة شهر {month}؟ رقم الطلب {order}",
            "نرغب في فاتورة باسم الشركة الجديد، المبلغ {amount} ريال",
            "الفاتورة {invoice} فيها خطأ في الرقم الضريبي، الرجاء التصحيح",
            "please resend invoice {invoice} to {email}",
        ),
    ),
    (
        12,
        ("استفسار عن الطلب {order}", "order {order} status", "تأخر توصيل الطلب رقم {order}"),
        (
            "الطلب رقم {order} لم يصل إلى {city} حتى الآن، التواصل على {phone}",
            "العميل {full_name} يسأل عن موعد تسليم الطلب {order}",
            "Where is order {order}? the customer in {city} called twice",
        ),
    ),
    (
        12,
        ("طلب اجتماع مراجعة", "موعد مراجعة مع {first_name}", "تغيير رقم التواصل"),
        (
            "هل يمكن حجز مراجعة الأسبوع القادم في {city}؟",
            "نريد اجتماعاً يوم {day} مع {full_name} لمراجعة النتائج",
            "الرقم الجديد للتواصل {phone} والبريد {email}",
        ),
    ),
    (
        11,
        (
            "اقتراح تحسين للتقرير",
            "feature request: export to Excel",
            "سؤال عن المزامنة مع {product}",
        ),
        (
            "نود إضافة عمود للمدينة في التقرير الأسبوعي",
            "نقترح تصدير الطلبات إلى Excel بشكل أسبوعي",
            "هل تتم مزامنة الطلبات مع {product} تلقائياً أم يدوياً؟ لدينا مشكلة بسيطة في الأرقام",
        ),
    ),
    (
        10,
        ("إضافة مستخدم جديد {first_name}", "مشكلة في تسجيل الدخول", "نسيت كلمة المرور"),
        (
            "نرجو إضافة {full_name} ({email}) إلى حسابنا",
            "لا أستطيع الدخول من جوال رقم {phone}، تظهر رسالة خطأ",
        ),
    ),
)
FIRST_NAMES = (
    ("أحمد", "ahmed"), ("محمد", "mohammed"), ("إسراء", "israa"), ("آمنة", "amna"),
    ("فاطمة", "fatimah"), ("نورة", "noura"), ("خالد", "khalid"), ("عبدالله", "abdullah"),
    ("ريم", "reem"), ("سارة", "sara"), ("فهد", "fahad"), ("ماجد", "majed"), ("هيفاء", "haifa"),
    ("عائشة", "aisha"), ("يوسف", "yousef"), ("إبراهيم", "ibrahim"), ("أسماء", "asma"),
    ("مؤمن", "moamen"), ("لؤي", "loay"), ("رؤى", "roaa"), ("هالة", "hala"), ("تركي", "turki"),
    ("سلطان", "sultan"), ("منيرة", "munira"), ("أمل", "amal"), ("عمر", "omar"), ("ليلى", "layla"),
    ("بندر", "bandar"), ("جواهر", "jawaher"), ("سعود", "saud"),
)  # fmt: skip
FAMILY_NAMES = (
    ("العتيبي", "alotaibi"), ("القحطاني", "alqahtani"), ("الدوسري", "aldosari"),
    ("الغامدي", "alghamdi"), ("الزهراني", "alzahrani"), ("الشهري", "alshehri"),
    ("الحربي", "alharbi"), ("المطيري", "almutairi"), ("السبيعي", "alsubaie"),
    ("الشمري", "alshammari"), ("العنزي", "alanazi"), ("الأحمدي", "alahmadi"),
    ("البقمي", "albuqami"), ("الرشيدي", "alrashidi"), ("الجهني", "aljohani"),
)  # fmt: skip
# A few names nobody else has: the rare customer a search must find among a million tickets.
RARE_FAMILY_NAMES = (("الهزّاني", "alhazzani"), ("آل مُعمّر", "almuammar"), ("الصقعبي", "alsaqabi"))
CITIES = (
    "الرياض", "جدة", "الدمام", "الخبر", "مكة المكرمة", "المدينة المنورة", "أبها", "تبوك",
    "بريدة", "الطائف", "حائل", "نجران", "جازان", "ينبع", "القطيف", "الأحساء",
)  # fmt: skip
PRODUCTS = (
    "لوحة المتابعة", "التقرير الأسبوعي", "Salla", "Zid", "HubSpot", "Zoho CRM", "Shopify",
    "نظام الحجوزات", "تطبيق الجوال", "بوابة العملاء", "Proof Pack",
)  # fmt: skip
MONTHS = (
    "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
    "نوفمبر", "ديسمبر",
)  # fmt: skip
DAYS = ("الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "أمس", "الأسبوع الماضي")
COMPANY_KINDS = ("شركة", "مؤسسة", "مجموعة", "مكتب", "متجر")
COMPANY_CORES = (
    "نمو", "أفق", "رواد", "سحابة الخليج", "الإعمار", "البيان", "الريادة", "الأفق الرقمي", "المدار",
    "النخبة", "الواحة", "سنام", "بوابة الشرق", "مسار", "إتقان", "ركائز", "الأصالة", "دروب",
    "قمم", "لمسة", "منارة", "وثبة",
)  # fmt: skip
COMPANY_TRADES = (
    "للتدريب", "للاستشارات الإدارية", "للبرمجيات", "العقارية", "للتسويق الرقمي", "التجارية",
    "للخدمات اللوجستية", "للأغذية", "الطبية", "للمقاولات",
)  # fmt: skip
COMPANY_DOMAINS = ("gmail.com", "outlook.com", "hotmail.com", "company.sa", "mail.sa")
STAFF_REPLIES = (
    "شكراً {first_name}، استلمنا طلبك ونعمل عليه الآن.",
    "مرحباً {first_name}، تم تحويل الطلب إلى الفريق المختص وسنعود إليك قبل {day}.",
    "Hi {first_name}, we are looking into it and will update you today.",
    "تم إصلاح المشكلة من جهتنا، نرجو التأكد وإبلاغنا.",
    "نعتذر عن التأخير، الفاتورة {invoice} أعيد إصدارها وأرسلت إلى {email}.",
    "تمت مراجعة الطلب {order} وسيصل إلى {city} خلال يومين.",
)
NOTES = (
    "اتصلت بالعميل على {phone} ولم يرد، سأعاود الاتصال",
    "تم التحقق من الفاتورة {invoice} مع المالية",
    "ينتظر رد فريق {product}",
    "العميل {full_name} حساس للتأخير، الأولوية للرد السريع",
    "checked logs for {email}: nothing unusual",
)
FOLLOW_UPS = (
    "أي تحديث بخصوص الطلب؟",
    "ما زالت المشكلة قائمة في {city}",
    "تم، شكراً لكم",
    "still not working, order {order}",
    "أرسلت لكم الصورة على {phone}",
)
# How people type Arabic: a hamza left off (أ/إ/آ → ا), taa marbuta written as haa at a word's
# end, now and then a word with its harakat; the search folds all of it, so the data has all of it.
_TAA_AT_END = re.compile(r"ة(?=\s|$|[،.؟!])")
_HARAKAT = ("\u064e", "\u064f", "\u0650", "\u0651")
CHANNELS = ("email", "whatsapp", "web_form", "phone")
CONFIRMATION = "أكد العميل بالبريد أن المشكلة حُلّت."
ESCALATE_SHARE = 0.04
PAUSE_SHARE = 0.25
REOPEN_SHARE = 0.06
CLOSE_SHARE = 0.85
# 40 working hours pass in a 168-hour week: the working-hours priorities get wall-clock delays 3×
# as long, so that they use their targets (and sometimes miss them) like the 24/7 ones.
WORKING_HOURS_STRETCH = 3.0


def as_typed(text: str, rng: random.Random) -> str:
    """`text` as someone might have typed it: hamzas left off, ة as ه, now and then harakat."""
    if rng.random() < 0.35:  # str.replace: translate with a dict is slow on non-ASCII text
        text = text.replace("أ", "ا").replace("إ", "ا").replace("آ", "ا")
    if rng.random() < 0.3:
        text = _TAA_AT_END.sub("ه", text)
    if rng.random() < 0.08:
        words = text.split(" ")
        index = rng.randrange(len(words))
        words[index] = "".join(
            char + rng.choice(_HARAKAT) if "\u0628" <= char <= "\u064a" and n % 2 else char
            for n, char in enumerate(words[index])
        )
        text = " ".join(words)
    return text


@dataclass(frozen=True, slots=True)
class Person:
    """Someone a ticket or a customer names: Arabic name, Latin email, Saudi mobile."""

    name: str
    first_name: str
    email: str
    phone: str  # local form ("05" and 8 digits), as people write it; WhatsApp sends it as +9665…

    @property
    def whatsapp(self) -> str:
        return "+966" + self.phone[1:]


def person(rng: random.Random, *, rare: float = 0.0) -> Person:
    """A random person; with probability `rare`, one of the family names nobody else has."""
    first, first_latin = rng.choice(FIRST_NAMES)
    family, family_latin = rng.choice(RARE_FAMILY_NAMES if rng.random() < rare else FAMILY_NAMES)
    domain = rng.choice(COMPANY_DOMAINS)
    email = f"{first_latin}.{family_latin}{rng.randrange(100)}@{domain}"
    return Person(f"{first} {family}", first, email, f"05{rng.randrange(10**8):08d}")


def customer_fields(rng: random.Random, *, now: dt.datetime) -> dict[str, Any]:
    """A generated customer's `Customer` field values (ids and bundle validity are the caller's)."""
    from positioning.lock import BUNDLES

    contact = person(rng, rare=0.002)
    trade = rng.choice(COMPANY_TRADES)
    return {
        "company_name": f"{rng.choice(COMPANY_KINDS)} {rng.choice(COMPANY_CORES)} {trade}",
        "sector": trade.removeprefix("لل").removeprefix("ال"),
        "city": rng.choice(CITIES),
        "bundle": rng.choice(BUNDLES).id.value,
        "contact_name": contact.name,
        "contact_email": contact.email,
        "contact_phone": contact.phone,
        "status": "active",
        "status_changed_at": now,
        "created_at": now - dt.timedelta(days=rng.uniform(30, 900)),
        "updated_at": now,
    }


@dataclass(frozen=True, slots=True)
class MessagePlan:
    """One message of a ticket's conversation; who sent it is filled in by `message_fields`."""

    direction: str  # in (the customer), out (our reply), note (internal)
    channel: str  # whatsapp, email, internal
    text: str
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class TicketPlan:
    """A generated ticket: its `Ticket` field values (no customer or assignee), its events and
    its conversation (1–4 messages)."""

    fields: dict[str, Any]
    events: list[tuple[str, dt.datetime]]
    # Nothing was cut at `now` and nothing is still running: the same life could have been lived
    # at another time, which `shifted_copy` relies on.
    complete: bool
    messages: list[MessagePlan] = field(default_factory=list)


def message_fields(
    message: MessagePlan,
    *,
    message_id: int,
    ticket_id: int,
    customer_id: int,
    contact: Mapping[str, Any],
    staff: tuple[int, str],
    subject: str,
) -> dict[str, Any]:
    """A `TicketMessage`'s field values: the customer's messages come from the contact's number
    or address, ours and the notes from a staff member (id, username)."""
    inbound = message.direction == "in"
    if inbound:
        sender = (
            "+966" + contact["contact_phone"][1:]
            if message.channel == "whatsapp"
            else contact["contact_email"]
        )
        sender_name, author_id = contact["contact_name"], None
    else:
        (author_id, sender), sender_name = staff, ""
    external_id = ""
    if message.channel == "whatsapp":
        external_id = f"wamid.bench{message_id:012d}"
    elif message.channel == "email":
        external_id = f"<bench{message_id}@mail.dealix.sa>"
    delivered = message.direction == "out" and message.channel != "internal"
    return {
        "id": message_id,
        "ticket_id": ticket_id,
        "customer_id": customer_id,
        "direction": message.direction,
        "channel": message.channel,
        "external_id": external_id,
        "sender": sender,
        "sender_name": sender_name,
        "kind": "text",
        "text": message.text,
        "full_text": message.text,
        "subject": (("" if inbound else "Re: ") + subject) if message.channel == "email" else "",
        "at": message.at,
        "author_id": author_id,
        "delivery_status": ("read" if message.channel == "whatsapp" else "sent")
        if delivered
        else "",
        "created_at": message.at,
        "updated_at": message.at,
    }


def _minutes(value: float) -> dt.timedelta:
    return dt.timedelta(minutes=value)


class TicketPlanner:
    """Generates tickets at one `now`, over one working calendar, from one random stream."""

    def __init__(self, *, now: dt.datetime, calendar: Any, rng: random.Random) -> None:
        from customer_ops.domain.priority import Priority, classify_priority

        self.now = now
        self.calendar = calendar
        self.rng = rng
        self.classify = classify_priority
        self.planned = 0  # lives computed through the services' clock functions
        self.topic_priority = [
            classify_priority(subjects[0].format_map(_Slots(self))).priority.value
            for _, subjects, _ in TOPICS
        ]
        self.weights = [weight for weight, *_ in TOPICS]
        order = [Priority.P3, Priority.P2, Priority.P1, Priority.P0]
        self.higher = {order[i].value: order[i + 1].value for i in range(len(order) - 1)}

    def _text(self, topic: int) -> tuple[str, str, Any]:
        """(subject, body, the classifier's decision) of a new ticket on `topic`."""
        _, subjects, bodies = TOPICS[topic]
        slots = _Slots(self)
        subject = as_typed(self.rng.choice(subjects).format_map(slots), self.rng)[:200]
        body = as_typed(self.rng.choice(bodies).format_map(slots), self.rng)
        return subject, body, self.classify(f"{subject}\n{body}")

    def _fill(self, templates: Sequence[str]) -> str:
        return as_typed(self.rng.choice(templates).format_map(_Slots(self)), self.rng)

    def _messages(
        self, *, channel: str, body: str, events: list[tuple[str, dt.datetime]]
    ) -> list[MessagePlan]:
        """The conversation: the customer's first message (or our note of a call or form), our
        reply at the first response, the customer again when a wait ends, sometimes a note."""
        rng, now = self.rng, self.now
        chat = "whatsapp" if channel == "whatsapp" else "email"
        opened = events[0][1]
        if channel in ("email", "whatsapp"):
            messages = [MessagePlan("in", chat, body, opened)]
        else:
            how = "اتصال هاتفي" if channel == "phone" else "نموذج الموقع"
            messages = [MessagePlan("note", "internal", f"{how}: {body}", opened)]
        for event, at in events:
            if event == "first_response":
                messages.append(MessagePlan("out", chat, self._fill(STAFF_REPLIES), at))
            elif event == "resumed":
                messages.append(MessagePlan("in", chat, self._fill(FOLLOW_UPS), at))
        if len(messages) < 4 and rng.random() < 0.3:
            at = opened + _minutes(rng.uniform(5, 180))
            if at <= now:
                messages.append(MessagePlan("note", "internal", self._fill(NOTES), at))
        return sorted(messages[:4], key=lambda message: message.at)

    def _delay(self, priority: str, target: dt.timedelta, low: float, high: float) -> dt.timedelta:
        """A wall-clock delay of `low`..`high` × the target, most of them near `low`."""
        from customer_ops.domain.priority import parse_priority
        from customer_ops.domain.sla import SLA_CLOCK_BASIS, ClockBasis

        stretch = (
            WORKING_HOURS_STRETCH
            if SLA_CLOCK_BASIS[parse_priority(priority)] is ClockBasis.WORKING_HOURS
            else 1.0
        )
        return target * (low + (high - low) * self.rng.random() ** 2) * stretch

    def _life(
        self, priority: str, opened: dt.datetime, active: bool
    ) -> list[tuple[str, dt.datetime]]:
        """The events after `opened` (escalation excluded), before cutting at `now`."""
        from customer_ops.domain.sla import first_response_target, resolution_target

        rng = self.rng
        events: list[tuple[str, dt.datetime]] = []
        at = opened + self._delay(priority, first_response_target(priority), 0.1, 1.5)
        events.append(("first_response", at))
        if rng.random() < PAUSE_SHARE:
            at += _minutes(rng.uniform(10, 60 * 24))
            events.append(("paused", at))
            if active and rng.random() < 0.5:
                return events  # still waiting on the customer
            at += _minutes(rng.uniform(60, 60 * 24 * 3))
            events.append(("resumed", at))
        if active:
            return events if rng.random() < 0.6 else events[:0]  # answered, or not even that
        at += self._delay(priority, resolution_target(priority), 0.05, 0.9)
        events.append(("resolved", at))
        if rng.random() < REOPEN_SHARE:
            at += _minutes(rng.uniform(60, 60 * 24 * 3))
            events.append(("opened", at))
            at += self._delay(priority, resolution_target(priority), 0.02, 0.3)
            events.append(("resolved", at))
        return events

    def plan(self, *, opened: dt.datetime, active: bool) -> TicketPlan:
        """One ticket opened at `opened`; `active` ones are not resolved yet."""
        from customer_ops.domain.sla import ticket_sla_columns
        from customer_ops.selectors.tickets import ticket_sla

        rng, now = self.rng, self.now
        self.planned += 1
        topic = rng.choices(range(len(TOPICS)), weights=self.weights)[0]
        subject, body, decision = self._text(topic)
        classified = priority = decision.priority.value
        events: list[tuple[str, dt.datetime]] = [("opened", opened)]
        start = opened
        if classified in self.higher and rng.random() < ESCALATE_SHARE:
            priority = self.higher[classified]
            start = opened + _minutes(rng.uniform(5, 120))
            events.append(("escalated", start))
        events += self._life(priority, start, active)
        lived = [(event, at) for event, at in events if at <= now]
        complete = not active and len(lived) == len(events)
        events = lived

        last = events[-1]
        resolved = last[0] == "resolved"
        closed_at = None
        if resolved and now - last[1] > dt.timedelta(days=1) and rng.random() < CLOSE_SHARE:
            closed_at = last[1] + _minutes(rng.uniform(60, 60 * 24))
            if closed_at > now:
                closed_at, complete = now, False
        moves = [at for event, at in events if event in ("opened", "paused", "resumed", "resolved")]
        if closed_at is not None:
            status = "closed"
        elif resolved:
            status = "resolved"
        elif last[0] == "paused":
            status = "pending_customer"
        else:
            status = "open"
        written = closed_at or last[1]
        columns = ticket_sla_columns(
            ticket_sla(priority=priority, events=events, now=written, calendar=self.calendar)
        )
        channel = rng.choice(CHANNELS)
        fields = {
            "channel": channel,
            "subject": subject,
            "body": body,
            "priority": priority,
            "classified_priority": classified,
            "matched_keyword": (decision.matched_keyword or "")[:100],
            "priority_reason_ar": decision.reason_ar[:300],
            "status": status,
            "status_changed_at": closed_at or moves[-1],
            "opened_at": opened,
            "customer_confirmation": CONFIRMATION if closed_at else "",
            "customer_confirmed_at": closed_at,
            "closed_at": closed_at,
            "created_at": opened,
            "updated_at": written,
            **columns,
        }
        messages = self._messages(channel=channel, body=body, events=events)
        return TicketPlan(
            fields=fields, events=events, complete=complete and resolved, messages=messages
        )

    def retold(self, plan: TicketPlan) -> TicketPlan:
        """The same life told by another customer in other words: new subject, body and messages
        that the classifier puts at the same priority (the clocks depend on nothing else); the
        plan itself when a few tries find none."""
        classified = plan.fields["classified_priority"]
        topics = [n for n, p in enumerate(self.topic_priority) if p == classified]
        weights = [self.weights[n] for n in topics]
        for _ in range(4):
            if not topics:
                break
            subject, body, decision = self._text(self.rng.choices(topics, weights=weights)[0])
            if decision.priority.value != classified:
                continue
            fields = {
                **plan.fields,
                "subject": subject,
                "body": body,
                "matched_keyword": (decision.matched_keyword or "")[:100],
                "priority_reason_ar": decision.reason_ar[:300],
            }
            messages = self._messages(channel=fields["channel"], body=body, events=plan.events)
            return TicketPlan(fields, plan.events, plan.complete, messages)
        return plan


class _Slots(dict[str, str]):
    """The values of one text's slots, drawn when first asked for (one person per text)."""

    def __init__(self, planner: TicketPlanner) -> None:
        super().__init__()
        self.rng = planner.rng
        self.year = planner.now.year

    def __missing__(self, key: str) -> str:
        rng = self.rng
        if key in ("full_name", "first_name", "email", "phone"):
            who = person(rng)
            self.update(
                full_name=who.name, first_name=who.first_name, email=who.email, phone=who.phone
            )
            return self[key]
        if key == "invoice":  # 200,000 numbers: one names a handful of tickets in a million
            value = f"INV-{self.year - rng.randrange(2)}-{rng.randrange(100_000):05d}"
        elif key == "order":
            value = str(rng.randrange(100_000, 1_000_000))
        elif key == "amount":
            value = f"{rng.randrange(500, 50_000):,}"
        elif key == "count":
            value = str(rng.randrange(2, 40))
        else:
            value = rng.choice(
                {"city": CITIES, "product": PRODUCTS, "month": MONTHS, "day": DAYS}[key]
            )
        self[key] = value
        return value


def planner_for(*, now: dt.datetime, history_days: int, rng: random.Random) -> TicketPlanner:
    """A planner with the working calendar (package holidays + overrides) of the whole history."""
    from customer_ops.selectors.calendar import calendar_for_span

    calendar = calendar_for_span(now - dt.timedelta(days=history_days + 30), now)
    return TicketPlanner(now=now, calendar=calendar, rng=rng)


def opened_time(
    rng: random.Random, *, now: dt.datetime, history_days: int, active: bool
) -> dt.datetime:
    """When a ticket was opened: active ones in the last four days, the rest over the history."""
    if active:
        return now - _minutes(rng.uniform(5, 60 * 24 * 4))
    return now - _minutes(rng.uniform(60 * 24 * 2, 60 * 24 * history_days))


class WeekMoves:
    """Moves a finished life by whole weeks where that provably gives the same clocks, moved.

    The 24/7 priorities' clocks are plain time arithmetic: any move keeps them. The working-hours
    ones keep them when the move is a whole number of weeks, the business timezone's offset is the
    same at both places, and no holiday falls on any day from the life's first time to its last
    (due times and `overdue_after` included) at either place: then the working week looks the same
    from both, day for day. The benchmark checks a sample of the result against the services.
    """

    WEEK = dt.timedelta(days=7)

    def __init__(self, calendar: Any) -> None:
        self.zone = calendar.zone
        self.holidays = sorted(calendar.holidays)

    def span(self, plan: TicketPlan) -> tuple[dt.datetime, dt.datetime, bool]:
        """(first time, last time, working hours?) of a plan, worked out once per plan."""
        from customer_ops.domain.priority import parse_priority
        from customer_ops.domain.sla import SLA_CLOCK_BASIS, ClockBasis

        times = [at for _, at in plan.events]
        times += [value for value in plan.fields.values() if isinstance(value, dt.datetime)]
        basis = SLA_CLOCK_BASIS[parse_priority(plan.fields["priority"])]
        return min(times), max(times), basis is ClockBasis.WORKING_HOURS

    def _holiday_between(self, first: dt.datetime, last: dt.datetime) -> bool:
        start, end = first.astimezone(self.zone).date(), last.astimezone(self.zone).date()
        index = bisect.bisect_left(self.holidays, start)
        return index < len(self.holidays) and self.holidays[index] <= end

    def keeps_clocks(
        self, span: tuple[dt.datetime, dt.datetime, bool], delta: dt.timedelta
    ) -> bool:
        first, last, working_hours = span
        if not working_hours:
            return True
        if delta % self.WEEK:
            return False
        if self._holiday_between(first, last) or self._holiday_between(first + delta, last + delta):
            return False
        offsets = {moment.astimezone(self.zone).utcoffset() for moment in (first, last)}
        offsets |= {(moment + delta).astimezone(self.zone).utcoffset() for moment in (first, last)}
        return len(offsets) == 1


def shifted_copy(plan: TicketPlan, delta: dt.timedelta) -> TicketPlan:
    """The plan lived `delta` later: every time moved, every duration and flag kept."""
    fields = {
        name: value + delta if isinstance(value, dt.datetime) else value
        for name, value in plan.fields.items()
    }
    events = [(event, at + delta) for event, at in plan.events]
    messages = [MessagePlan(m.direction, m.channel, m.text, m.at + delta) for m in plan.messages]
    return TicketPlan(fields=fields, events=events, complete=plan.complete, messages=messages)


def ticket_lives(
    planner: TicketPlanner,
    *,
    history_days: int,
    active_share: float,
    copies: int,
    retell: bool,
) -> Iterator[TicketPlan]:
    """An endless stream of tickets over the history, for loaders that want many of them.

    Computing a life's clocks through the services' functions costs ~0.6 ms; a finished life is
    therefore lived again by up to `copies - 1` more tickets, in other weeks of the history,
    moved by whole weeks only where that provably keeps the clocks (`WeekMoves`). With `retell`
    each copy is told in other words (`TicketPlanner.retold`), so the texts do not repeat.
    """
    rng, now = planner.rng, planner.now
    moves = WeekMoves(planner.calendar)
    earliest = now - dt.timedelta(days=history_days)
    while True:
        active = rng.random() < active_share
        plan = planner.plan(
            opened=opened_time(rng, now=now, history_days=history_days, active=active),
            active=active,
        )
        yield plan
        if not plan.complete:
            continue
        span = moves.span(plan)
        opened, written = plan.fields["opened_at"], plan.fields["updated_at"]
        used = {dt.timedelta(0)}
        made = 1
        for _ in range(copies * 3):  # a few tries per copy: some weeks hold a holiday
            if made == copies:
                break
            # Another week of the history, uniformly, with the whole life still in the past.
            target = earliest + (now - earliest) * rng.random()
            delta = moves.WEEK * round((target - opened) / moves.WEEK)
            if (
                delta not in used
                and opened + delta >= earliest
                and written + delta <= now
                and moves.keeps_clocks(span, delta)
            ):
                used.add(delta)
                made += 1
                yield shifted_copy(planner.retold(plan) if retell else plan, delta)
