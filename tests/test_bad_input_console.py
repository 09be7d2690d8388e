"""Bad input in the console: every text field of every form refuses hidden and control characters.

A refused character is a normal form error in the reader's language and nothing is written; the
search filters of the list pages never turn one into a server error (PostgreSQL refuses NUL).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django import forms as django_forms
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from customer_ops import forms as console_forms
from customer_ops.domain.incidents import POSTMORTEM_FIELDS
from customer_ops.domain.transitions import TicketStatus
from customer_ops.services.drafts import draft_approve
from customer_ops.services.tickets import ticket_change_status
from tests.factories import World
from tests.helpers import HX
from tests.test_bad_input import REFUSED, row_counts

pytestmark = pytest.mark.django_db

MESSAGE_AR = "حرف غير مرئي أو حرف تحكّم"
MESSAGE_EN = "The text contains an invisible or control character"


# ── Every text field of every form ───────────────────────────────────────────────────────────────
def _form_classes() -> list[type[django_forms.Form]]:
    return [
        cls
        for _name, cls in inspect.getmembers(console_forms, inspect.isclass)
        if issubclass(cls, django_forms.BaseForm) and cls.__module__ == console_forms.__name__
    ]


def _instance(cls: type[django_forms.Form], data: dict[str, Any] | None = None) -> Any:
    """A bound (or, without data, unbound) form, with the arguments its constructor needs."""
    if cls is console_forms.IncidentCommsForm:
        return cls(data, kind="sev2_update", customers=[(1, "شركة نمو")])
    return cls(data)


def _text_fields() -> list[Any]:
    return [
        pytest.param(cls, name, id=f"{cls.__name__}.{name}")
        for cls in _form_classes()
        for name, form_field in _instance(cls).fields.items()
        if isinstance(form_field, django_forms.CharField)
    ]


def test_every_console_form_is_a_console_form() -> None:
    classes = _form_classes()

    assert len(classes) > 30
    assert [c.__name__ for c in classes if not issubclass(c, console_forms.ConsoleForm)] == []


def test_the_forms_have_text_fields_to_check() -> None:
    assert len(_text_fields()) > 40


@pytest.mark.parametrize(("cls", "name"), _text_fields())
@pytest.mark.parametrize("char", list(REFUSED.values()), ids=list(REFUSED))
def test_every_text_field_refuses_a_hidden_character(
    cls: type[django_forms.Form], name: str, char: str
) -> None:
    form = _instance(cls, {name: f"a{char}b"})

    form.is_valid()

    assert name in form.errors
    assert any(MESSAGE_AR in message for message in form.errors[name])


def test_the_error_is_in_the_active_language_and_names_the_character() -> None:
    data = {"reason": "سبب\u2067 مخفي"}

    with translation.override("en"):
        english = console_forms.DraftRejectForm(data).errors["reason"]
    with translation.override("ar"):
        arabic = console_forms.DraftRejectForm(data).errors["reason"]

    assert english == [
        "The text contains an invisible or control character "
        "(U+2067 RIGHT-TO-LEFT ISOLATE) at character 4; remove it."
    ]
    assert arabic[0].startswith("يحتوي النص")
    assert "U+2067 RIGHT-TO-LEFT ISOLATE" in arabic[0]


def test_a_nul_gives_one_error_not_django_s_and_ours() -> None:
    form = console_forms.DraftRejectForm({"reason": "a\x00b"})

    assert len(form.errors["reason"]) == 1
    assert "U+0000 NULL" in form.errors["reason"][0]


@pytest.mark.parametrize(
    "text",
    [
        "شكراً \U0001f468\u200d\U0001f469\u200d\U0001f467",
        "تقرير Q3\u200e جاهز",
        "سطر\r\nسطر\tجدولة",
    ],
)
def test_allowed_text_passes(text: str) -> None:
    assert console_forms.DraftRejectForm({"reason": text}).is_valid()


# ── Every form post: a form error, nothing written ───────────────────────────────────────────────
@dataclass(frozen=True)
class Post:
    url: Callable[[World], str]
    data: Callable[[World], dict[str, Any]]
    fields: tuple[str, ...]  # the text fields of the form
    form: type[django_forms.Form] = django_forms.Form
    founder: bool = False
    prepare: Callable[[World], object] | None = None


def _approve(w: World) -> object:
    return draft_approve(draft_id=w.draft.pk, approver=w.founder, now=w.now)


def _resolve_ticket(w: World) -> object:
    return ticket_change_status(
        ticket_id=w.ticket.pk, to=TicketStatus.RESOLVED, actor=w.operator, now=w.now
    )


def _customer_url(name: str, **extra: Any) -> Callable[[World], str]:
    return lambda w: reverse(name, kwargs={"customer_id": w.customer.pk, **extra})


def _ticket_url(name: str) -> Callable[[World], str]:
    return lambda w: reverse(name, kwargs={"ticket_id": w.ticket.pk})


def _incident_url(name: str) -> Callable[[World], str]:
    return lambda w: reverse(name, kwargs={"incident_id": w.incident.pk})


def _draft_url(name: str) -> Callable[[World], str]:
    return lambda w: reverse(name, kwargs={"draft_id": w.draft.pk})


POSTS: dict[str, Post] = {
    "customer-new": Post(
        lambda w: reverse("customer-new"),
        lambda w: {
            "company_name": "شركة الأفق",
            "bundle": "growth_starter",
            "sector": "تجزئة",
            "city": "الرياض",
            "contact_name": "سارة",
            "contact_email": "sara@example.sa",
            "contact_phone": "+966500000009",
        },
        ("company_name", "sector", "city", "contact_name", "contact_email", "contact_phone"),
        form=console_forms.CustomerCreateForm,
    ),
    "onboarding-step-set": Post(
        _customer_url("onboarding-step-set", step_id="select_goal"),
        lambda w: {"completed": "on", "notes": "اختار العميل الهدف"},
        ("notes",),
        form=console_forms.OnboardingStepForm,
    ),
    "customer-draft-create": Post(
        _customer_url("customer-draft-create"),
        lambda w: {
            "channel": "email",
            "to": "client@example.sa",
            "subject": "تحديث",
            "body": "هلا، هذا تحديث الأسبوع.",
        },
        ("to", "subject", "body"),
        form=console_forms.DraftCreateForm,
    ),
    "approvals-reject": Post(
        _draft_url("approvals-reject"),
        lambda w: {"reason": "النص يحتاج تعديلاً"},
        ("reason",),
        founder=True,
        form=console_forms.DraftRejectForm,
    ),
    "approvals-edit": Post(
        _draft_url("approvals-edit"),
        lambda w: {
            "to": "+966500000001",
            "subject": "تحديث مصحّح",
            "body": "هلا، هذا النص بعد التصحيح.",
        },
        ("to", "subject", "body"),
        form=console_forms.DraftEditForm,
    ),
    "approvals-mark-sent": Post(
        _draft_url("approvals-mark-sent"),
        lambda w: {"note": "أرسلت من جوال الشركة"},
        ("note",),
        prepare=_approve,
        form=console_forms.DraftMarkSentForm,
    ),
    "ticket-new": Post(
        lambda w: reverse("ticket-new"),
        lambda w: {
            "customer": str(w.customer.pk),
            "channel": "email",
            "subject": "سؤال عن الفاتورة",
            "body": "متى تصل الفاتورة؟",
        },
        ("subject", "body"),
        form=console_forms.TicketCreateForm,
    ),
    "ticket-move": Post(
        _ticket_url("ticket-move"),
        lambda w: {"to": "pending_customer", "note": "ننتظر رد العميل"},
        ("note",),
        form=console_forms.TicketMoveForm,
    ),
    "ticket-close": Post(
        _ticket_url("ticket-close"),
        lambda w: {"customer_confirmation": "أكد العميل بالبريد"},
        ("customer_confirmation",),
        prepare=_resolve_ticket,
        form=console_forms.TicketCloseForm,
    ),
    "ticket-priority-set": Post(
        _ticket_url("ticket-priority-set"),
        lambda w: {"priority": "P2", "note": "العميل ينتظر"},
        ("note",),
        form=console_forms.TicketPriorityForm,
    ),
    "ticket-reply": Post(
        _ticket_url("ticket-reply"),
        lambda w: {"channel": "email", "to": "client@example.sa", "body": "شكراً لتواصلكم"},
        ("to", "body"),
        form=console_forms.TicketReplyForm,
    ),
    "incident-new": Post(
        lambda w: reverse("incident-new"),
        lambda w: {"title": "تأخر مزامنة واتساب", "description": "الرسائل تتأخر"},
        ("title", "description"),
        form=console_forms.IncidentDeclareForm,
    ),
    "incident-severity-set": Post(
        _incident_url("incident-severity-set"),
        lambda w: {"severity": "SEV2", "note": "اتسع الأثر"},
        ("note",),
        form=console_forms.IncidentSeverityForm,
    ),
    "incident-status-set": Post(
        _incident_url("incident-status-set"),
        lambda w: {"to": "mitigating", "note": "بدأ الاحتواء"},
        ("note",),
        form=console_forms.IncidentMoveForm,
    ),
    "incident-timeline-add": Post(
        _incident_url("incident-timeline-add"),
        lambda w: {"kind": "note", "text": "أعدنا تشغيل المزامنة"},
        ("text",),
        form=console_forms.IncidentTimelineForm,
    ),
    "incident-postmortem-save": Post(
        _incident_url("incident-postmortem-save"),
        lambda w: {f.key: "مكتوب بالتفصيل" for f in POSTMORTEM_FIELDS},
        tuple(f.key for f in POSTMORTEM_FIELDS),
        form=console_forms.PostmortemForm,
    ),
    "incident-comms": Post(
        _incident_url("incident-comms"),
        lambda w: {
            "kind": "sev3_update",
            "channel": "email",
            "customers": [str(w.customer.pk)],
            "service_name": "Gmail",
            "status": "تحت المراقبة",
        },
        ("service_name", "status"),
        form=console_forms.IncidentCommsForm,
    ),
    "proof-pack-record": Post(
        _customer_url("proof-pack-record"),
        lambda w: {"title": "تقرير الأسبوع الأول", "note": "سُلّم بالبريد"},
        ("title", "note"),
        form=console_forms.ProofPackForm,
    ),
    "calendar-holiday-set": Post(
        lambda w: reverse("calendar-holiday-set"),
        lambda w: {
            "version": "0",
            "date": f"{w.now.year}-10-05",
            "name": "إجازة معلنة",
            "closed": "on",
            "note": "قرار الإدارة",
        },
        ("name", "note"),
        form=console_forms.HolidayForm,
        founder=True,
    ),
    "calendar-holiday-move": Post(
        lambda w: reverse("calendar-holiday-move"),
        lambda w: {
            "version": "0",
            "date": f"{w.now.year}-02-22",
            "to": f"{w.now.year}-10-01",
            "note": "نُقلت بقرار",
        },
        ("note",),
        form=console_forms.HolidayMoveForm,
        founder=True,
    ),
    "calendar-period-create": Post(
        lambda w: reverse("calendar-period-create"),
        lambda w: {
            "version": "0",
            "name": "رمضان",
            "start": f"{w.now.year}-03-01",
            "end": f"{w.now.year}-03-20",
            "windows": "21:00-02:00",
            "note": "دوام مسائي",
        },
        ("name", "windows", "note"),
        form=console_forms.PeriodForm,
        founder=True,
    ),
    "check-in-build": Post(
        _customer_url("check-in-build"),
        lambda w: {
            "replies": "2",
            "meetings": "1",
            "pipeline_sar": "0",
            "channel": "email",
            "to": "client@example.sa",
        },
        ("to",),
        form=console_forms.CheckInForm,
    ),
}


def _client(post: Post, world: World) -> Client:
    client = Client()
    client.force_login(world.founder if post.founder else world.operator)
    return client


def _post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data, headers=HX)


def _post_cases() -> list[Any]:
    return [
        pytest.param(name, text_field, id=f"{name}.{text_field}")
        for name, post in POSTS.items()
        for text_field in post.fields
    ]


# Forms that only read: list filters (GET, below) and the live priority preview.
READ_ONLY_FORMS = {
    console_forms.CustomerFilterForm,
    console_forms.ConnectorBoardFilterForm,
    console_forms.TicketFilterForm,
    console_forms.TicketClassifyForm,
    console_forms.SearchForm,
    console_forms.DraftClaimsPreviewForm,  # the live claims check of a draft's edit form
}


def test_every_text_field_of_a_form_that_writes_is_posted() -> None:
    expected = {
        (cls.__name__, name)
        for cls, name in (param.values for param in _text_fields())
        if cls not in READ_ONLY_FORMS
    }
    posted = {(post.form.__name__, name) for post in POSTS.values() for name in post.fields}

    # The comms form's fields are the chosen template's placeholders: sev3_update's here.
    assert expected - posted <= {("IncidentCommsForm", "eta")}
    assert posted - expected <= {("IncidentCommsForm", "status")}


@pytest.mark.parametrize("name", list(POSTS))
def test_the_valid_post_is_accepted(world: World, name: str) -> None:
    post = POSTS[name]
    if post.prepare is not None:
        post.prepare(world)
    before = row_counts()

    response = _post(_client(post, world), post.url(world), post.data(world))

    assert response.status_code == 200, response.content.decode()[:2000]
    assert MESSAGE_AR not in response.content.decode()
    assert row_counts() != before  # it wrote something: the refusals below are the character's


@pytest.mark.parametrize(("name", "text_field"), _post_cases())
def test_a_hidden_character_in_a_posted_field_is_a_form_error_and_writes_nothing(
    world: World, name: str, text_field: str
) -> None:
    post = POSTS[name]
    if post.prepare is not None:
        post.prepare(world)
    client = _client(post, world)
    url = post.url(world)
    before = row_counts()

    for label, char in REFUSED.items():
        data = post.data(world)
        data[text_field] = data[text_field][:1] + char + data[text_field][1:]

        response = _post(client, url, data)

        assert response.status_code in (200, 422), label
        assert MESSAGE_AR in response.content.decode(), label
        assert row_counts() == before, label


def test_the_console_error_follows_the_english_switch(world: World) -> None:
    client = _client(POSTS["ticket-new"], world)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    data = POSTS["ticket-new"].data(world) | {"subject": "سؤال\u202eمخفي"}

    response = client.post(reverse("ticket-new"), data)

    assert response.status_code == 422
    assert MESSAGE_EN in response.content.decode()
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in response.content.decode()


# ── Query strings of the list pages ──────────────────────────────────────────────────────────────
GET_PAGES = [
    ("customers", {"q": "شركة"}),
    ("connector-board", {"q": "شركة"}),
    ("ticket-queue", {"q": "تقرير"}),
    ("ticket-queue-csv", {"q": "تقرير"}),
    ("search", {"q": "تقرير"}),
    ("approvals-inbox", {"customer": "{customer}"}),
    ("incident-room", {"status": "open"}),
    ("success-at-risk", {"severity": "high"}),
    ("sla-report", {"date_from": "2026-11-01", "date_to": "2026-11-22"}),
    ("sla-report-csv", {"date_from": "2026-11-01", "date_to": "2026-11-22"}),
    ("notifications", {"show": "unread"}),
    ("modes-delivery", {"customer": "{customer}", "service": "x"}),
]


@pytest.mark.parametrize(("name", "params"), GET_PAGES, ids=[name for name, _ in GET_PAGES])
@pytest.mark.parametrize("char", ["\x00", "\u202e", "\u200b", "\x85"], ids=repr)
def test_list_pages_survive_hidden_characters_in_their_filters(
    world: World, operator_client: Client, name: str, params: dict[str, str], char: str
) -> None:
    values = {key: value.format(customer=world.customer.pk) for key, value in params.items()}
    spoiled = {key: f"{value[:1]}{char}{value[1:]}" for key, value in values.items()}

    response = operator_client.get(reverse(name), {**spoiled, "page": f"2{char}"})

    # A bad filter is dropped (200); the SLA report refuses its period: the page with the form
    # error (422), the export with a plain 400.
    expected = {"sla-report": 422, "sla-report-csv": 400}.get(name, 200)
    assert response.status_code == expected
    if response.streaming:  # the CSV export: the whole stream must come out
        assert b"".join(response.streaming_content)


def test_a_search_with_a_nul_is_not_applied_rather_than_a_server_error(
    world: World, operator_client: Client
) -> None:
    response = operator_client.get(reverse("ticket-queue"), {"q": "سؤال\x00"})

    assert response.status_code == 200
    assert world.ticket.subject in response.content.decode()


def test_the_ticket_page_survives_an_odd_comms_kind(world: World, operator_client: Client) -> None:
    url = reverse("incident-page", kwargs={"incident_id": world.incident.pk})

    response = operator_client.get(url, {"kind": "sev3\x00\u202e"})

    assert response.status_code == 200
