"""The incident room: list, triage form, incident page (banner, plan, timeline, comms, post-mortem)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from customer_ops.domain.incidents import POSTMORTEM_FIELDS
from customer_ops.models import Incident, IncidentTimelineEntry, Notification, OutboundDraft
from customer_ops.services.incidents import incident_change_status
from tests.factories import make_customer, make_incident
from tests.helpers import HX

pytestmark = pytest.mark.django_db


def url(name: str, incident: Incident, **extra: Any) -> str:
    return reverse(name, kwargs={"incident_id": incident.pk, **extra})


@pytest.fixture
def now() -> dt.datetime:
    return timezone.now()


@pytest.fixture
def customers(founder: Any) -> list[Any]:
    return [
        make_customer(actor=founder, name=f"متأثر {n}", contact_email=f"c{n}@example.sa")
        for n in range(5)
    ]


@pytest.fixture
def sev2(operator: Any, customers: list[Any], now: Any) -> Incident:
    return make_incident(actor=operator, now=now, title="تعطل المزامنة", customers=tuple(customers))


# ── permissions ─────────────────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize("name", ["incident-room", "incident-new"])
def test_incident_pages_send_anonymous_users_to_login(client: Client, name: str) -> None:
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_incident_pages_refuse_a_user_without_a_role(
    client: Client, make_user: Callable[..., Any], sev2: Incident
) -> None:
    client.force_login(make_user("outsider"))

    assert client.get(reverse("incident-room")).status_code == 403
    assert client.get(url("incident-page", sev2)).status_code == 403
    assert client.post(reverse("incident-new"), {"title": "x"}).status_code == 403
    assert (
        client.post(url("incident-plan-tick", sev2, position=1), {"done": "on"}).status_code == 403
    )
    assert not sev2.plan_steps.filter(done=True).exists()


# ── list ────────────────────────────────────────────────────────────────────────────────────────
def test_room_lists_active_incidents_with_countdowns_and_filters(
    operator_client: Client, operator: Any, customers: list[Any], sev2: Incident, now: Any
) -> None:
    leak = make_incident(
        actor=operator, now=now, title="تسريب", customers=(customers[0],), has_data_leak=True
    )
    small = make_incident(actor=operator, now=now, title="بطء", customers=(customers[1],))
    incident_change_status(incident_id=small.pk, to="resolved", actor=operator, now=now)

    def ids(**params: Any) -> set[int]:
        response = operator_client.get(reverse("incident-room"), params)
        assert response.status_code == 200
        return {incident.pk for incident in response.context["page_obj"]}

    html = operator_client.get(reverse("incident-room")).content.decode()
    assert ids() == {sev2.pk, leak.pk}
    assert ids(status="all") == {sev2.pk, leak.pk, small.pk}
    assert ids(severity="SEV1") == {leak.pk}
    assert ids(customer=customers[1].pk) == {sev2.pk}
    assert f'data-due="{leak.pdpl_deadline_at.isoformat()}"' in html
    assert 'class="sev sev--SEV1"' in html


def test_room_htmx_request_gets_only_the_table(operator_client: Client, sev2: Incident) -> None:
    response = operator_client.get(reverse("incident-room"), {"severity": "SEV2"}, headers=HX)

    html = response.content.decode()
    assert 'id="incident-table"' in html
    assert "<html" not in html
    assert "تعطل المزامنة" in html


def test_room_query_count_does_not_grow_with_rows(
    operator_client: Client, operator: Any, customers: list[Any], now: Any
) -> None:
    for index in range(2):
        make_incident(actor=operator, now=now, title=f"قليل {index}", customers=(customers[0],))
    with CaptureQueriesContext(connection) as small:
        operator_client.get(reverse("incident-room"))
    for index in range(18):
        make_incident(
            actor=operator,
            now=now,
            title=f"كثير {index}",
            customers=tuple(customers[: index % 5 + 1]),
            has_data_leak=index % 4 == 0,
        )

    with CaptureQueriesContext(connection) as large:
        response = operator_client.get(reverse("incident-room"))

    assert len(response.context["page_obj"]) == 20
    assert len(large.captured_queries) == len(small.captured_queries)


# ── triage form ─────────────────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize(
    ("data", "severity"),
    [
        ({"has_data_leak": "on"}, "SEV1"),
        ({"has_unauthorized_send": "on"}, "SEV1"),
        ({"affected_count": "7"}, "SEV2"),
        ({}, "SEV3"),
    ],
)
def test_triage_preview_shows_the_severity_as_the_form_changes(
    operator_client: Client, data: dict[str, str], severity: str
) -> None:
    response = operator_client.post(reverse("incident-triage"), data, headers=HX)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="triage-preview"')
    assert f'class="sev sev--{severity} sev--large"' in html
    assert Incident.objects.count() == 0


def test_triage_counts_the_linked_customers(operator_client: Client, customers: list[Any]) -> None:
    data = {"affected_customers": [c.pk for c in customers]}

    html = operator_client.post(reverse("incident-triage"), data).content.decode()

    assert "sev--SEV2" in html


def test_declare_creates_the_incident_and_opens_its_page(
    operator_client: Client, customers: list[Any], founder: Any
) -> None:
    response = operator_client.post(
        reverse("incident-new"),
        {
            "title": "إرسال رسالة بدون موافقة",
            "description": "خرجت رسالة واتساب غير معتمدة",
            "affected_customers": [customers[0].pk],
            "has_unauthorized_send": "on",
        },
        headers=HX,
    )

    incident = Incident.objects.get()
    assert response["HX-Redirect"] == url("incident-page", incident)
    assert incident.severity == "SEV1"
    assert incident.plan_steps.count() == 8
    assert Notification.objects.filter(recipient=founder, kind="incident_sev1").exists()


def test_declare_errors_show_inline_and_keep_the_input(
    operator_client: Client, customers: list[Any]
) -> None:
    response = operator_client.post(
        reverse("incident-new"),
        {
            "title": "  ",
            "description": "وصف محفوظ",
            "affected_customers": [customers[0].pk],
            "affected_count": "-3",
            "has_data_leak": "on",
        },
        headers=HX,
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="incident-form"' in html
    assert "<html" not in html
    assert "وصف محفوظ" in html
    assert "field--error" in html
    assert "sev--SEV1" in html  # the preview still reflects the ticked leak
    assert Incident.objects.count() == 0


# ── incident page ───────────────────────────────────────────────────────────────────────────────
def test_incident_page_shows_the_banner_countdowns_plan_and_timeline(
    operator_client: Client, operator: Any, customers: list[Any], now: Any
) -> None:
    leak = make_incident(
        actor=operator, now=now, title="تسريب", customers=(customers[0],), has_data_leak=True
    )

    html = operator_client.get(url("incident-page", leak)).content.decode()

    assert 'class="sev-banner sev-banner--SEV1' in html
    assert f'data-due="{leak.next_update_due_at.isoformat()}"' in html
    assert f'data-due="{leak.pdpl_deadline_at.isoformat()}"' in html
    assert html.count('name="done"') == 8
    assert 'id="incident-timeline"' in html and "إعلان" in html


def test_plan_step_is_ticked_in_place_with_who_and_when(
    operator_client: Client, operator: Any, sev2: Incident
) -> None:
    response = operator_client.post(
        url("incident-plan-tick", sev2, position=2), {"done": "on"}, headers=HX
    )

    step = sev2.plan_steps.get(position=2, retired_at__isnull=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="incident-plan"')
    assert "<html" not in html
    assert "incident-changed" in response["HX-Trigger"]
    assert (step.done, step.done_by) == (True, operator)
    assert "أنجزها" in html

    operator_client.post(url("incident-plan-tick", sev2, position=2), {}, headers=HX)
    step.refresh_from_db()
    assert step.done is False


def test_timeline_quick_entry_and_customer_update(
    operator_client: Client, sev2: Incident, now: Any
) -> None:
    before = sev2.next_update_due_at

    note = operator_client.post(
        url("incident-timeline-add", sev2), {"kind": "note", "text": "جُمّدت الإجراءات"}, headers=HX
    )
    update = operator_client.post(
        url("incident-timeline-add", sev2), {"kind": "update", "text": "أبلغنا العملاء"}, headers=HX
    )
    empty = operator_client.post(
        url("incident-timeline-add", sev2), {"kind": "note", "text": " "}, headers=HX
    )

    sev2.refresh_from_db()
    assert note.status_code == update.status_code == 200
    assert note.content.decode().lstrip().startswith('<section id="incident-timeline"')
    assert "incident-head-stale" in update["HX-Trigger"]
    assert sev2.next_update_due_at > before
    assert empty.status_code == 422
    assert IncidentTimelineEntry.objects.filter(incident=sev2, kind="note").count() == 1


def test_operator_raises_severity_but_not_to_sev1(
    operator_client: Client, founder_client: Client, operator: Any, customers: list[Any], now: Any
) -> None:
    minor = make_incident(actor=operator, now=now, title="بطء", customers=(customers[0],))
    page = operator_client.get(url("incident-page", minor)).content.decode()
    assert '<option value="SEV2">' in page and '<option value="SEV1">' not in page
    assert "الرفع إلى SEV1 للمؤسس فقط." in page

    raised = operator_client.post(
        url("incident-severity-set", minor), {"severity": "SEV2", "note": "انتشر"}, headers=HX
    )
    forged = operator_client.post(
        url("incident-severity-set", minor), {"severity": "SEV1"}, headers=HX
    )
    minor.refresh_from_db()
    assert raised.status_code == 200
    assert raised.content.decode().lstrip().startswith('<section id="incident-head"')
    assert "incident-plan-stale" in raised["HX-Trigger"]
    assert forged.status_code == 403
    assert minor.severity == "SEV2"

    by_founder = founder_client.post(
        url("incident-severity-set", minor), {"severity": "SEV1"}, headers=HX
    )
    minor.refresh_from_db()
    assert by_founder.status_code == 200
    assert minor.severity == "SEV1"


def test_closing_a_sev2_needs_the_postmortem_and_the_refusal_shows_inline(
    operator_client: Client, operator: Any, sev2: Incident, now: Any
) -> None:
    incident_change_status(incident_id=sev2.pk, to="resolved", actor=operator, now=now)

    refused = operator_client.post(url("incident-status-set", sev2), {"to": "closed"}, headers=HX)
    html = refused.content.decode()
    assert refused.status_code == 422
    assert "لا يمكن إغلاق حادثة SEV1/SEV2 قبل اكتمال الـ post-mortem" in html
    assert 'href="#incident-postmortem"' in html

    partial = operator_client.post(
        url("incident-postmortem-save", sev2), {"summary": "ملخص"}, headers=HX
    )
    assert partial.status_code == 200
    assert "1 من 8" in partial.content.decode()
    values = {field.key: f"قيمة {field.key}" for field in POSTMORTEM_FIELDS}
    saved = operator_client.post(url("incident-postmortem-save", sev2), values, headers=HX)
    assert "8 من 8" in saved.content.decode()
    closed = operator_client.post(url("incident-status-set", sev2), {"to": "closed"}, headers=HX)

    sev2.refresh_from_db()
    assert closed.status_code == 200
    assert sev2.status == "closed"


def test_comms_drafts_come_from_the_arabic_template_and_wait_for_approval(
    operator_client: Client, founder_client: Client, sev2: Incident, customers: list[Any]
) -> None:
    form = operator_client.get(url("incident-page", sev2)).content.decode()
    assert 'name="service_name"' in form and 'name="eta"' in form  # the SEV2 template

    response = operator_client.post(
        url("incident-comms", sev2),
        {
            "kind": "sev2_update",
            "channel": "email",
            "customers": [customers[0].pk, customers[1].pk],
            "service_name": "مزامنة واتساب",
            "eta": "ساعتان",
        },
        headers=HX,
    )

    drafts = OutboundDraft.objects.order_by("pk")
    assert response.status_code == 200
    assert "drafts-changed" in response["HX-Trigger"]
    assert [d.customer_id for d in drafts] == [customers[0].pk, customers[1].pk]
    assert all(d.source == "incident_update" and d.status == "pending" for d in drafts)
    assert "خدمة مزامنة واتساب متعطلة جزئياً" in drafts[0].body
    inbox = founder_client.get(reverse("approvals-inbox")).content.decode()
    assert f'id="draft-{drafts[0].pk}"' in inbox


def test_comms_template_switch_and_missing_placeholder(
    operator_client: Client, sev2: Incident, customers: list[Any]
) -> None:
    switched = operator_client.get(
        url("incident-page", sev2),
        {"kind": "resolved"},
        headers={**HX, "HX-Target": "incident-comms"},
    )
    html = switched.content.decode()
    assert html.lstrip().startswith('<section id="incident-comms"')
    assert 'name="cause"' in html and 'name="eta"' not in html

    missing = operator_client.post(
        url("incident-comms", sev2),
        {
            "kind": "resolved",
            "channel": "email",
            "customers": [customers[0].pk],
            "service_name": "x",
        },
        headers=HX,
    )
    assert missing.status_code == 422
    assert "field--error" in missing.content.decode()
    assert OutboundDraft.objects.count() == 0
