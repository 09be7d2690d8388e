"""The ticket queue, its CSV export, the new-ticket form with its live priority, the ticket page."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from customer_ops.models import LedgerEntry, OutboundDraft, SlaEvent, Ticket
from customer_ops.services.tickets import ticket_change_status, ticket_update
from tests.factories import make_customer, make_ticket
from tests.helpers import HX, queries_for

pytestmark = pytest.mark.django_db


def page_url(ticket: Ticket, name: str = "ticket-page") -> str:
    return reverse(name, kwargs={"ticket_id": ticket.pk})


@pytest.fixture
def customer_fields() -> dict[str, Any]:
    return {
        "name": "شركة التذاكر",
        "contact_email": "owner@tickets.sa",
        "contact_name": "ريم",
    }


@pytest.fixture
def now() -> dt.datetime:
    return timezone.now()


# ── permissions ─────────────────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize("name", ["ticket-queue", "ticket-new", "ticket-queue-csv"])
def test_ticket_pages_send_anonymous_users_to_login(client: Client, name: str) -> None:
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_ticket_pages_refuse_a_user_without_a_role(
    client: Client, make_user: Callable[..., Any], customer: Any, operator: Any, now: Any
) -> None:
    ticket = make_ticket(customer=customer, actor=operator, now=now)
    client.force_login(make_user("outsider"))

    assert client.get(reverse("ticket-queue")).status_code == 403
    assert client.get(page_url(ticket)).status_code == 403
    assert client.get(reverse("ticket-queue-csv")).status_code == 403
    assert client.post(reverse("ticket-classify"), {"subject": "تسريب"}).status_code == 403
    assert client.post(page_url(ticket, "ticket-move"), {"to": "resolved"}).status_code == 403
    ticket.refresh_from_db()
    assert ticket.status == "open"


# ── queue ───────────────────────────────────────────────────────────────────────────────────────
def test_queue_is_sorted_by_the_next_sla_due_with_badges_and_live_countdowns(
    operator_client: Client, customer: Any, operator: Any, now: Any
) -> None:
    question = make_ticket(customer=customer, actor=operator, now=now, subject="سؤال عن الفاتورة")
    leak = make_ticket(
        customer=customer, actor=operator, now=now, subject="تسريب بيانات", body="عاجل"
    )
    gmail = make_ticket(customer=customer, actor=operator, now=now, subject="Gmail لا يعمل")

    response = operator_client.get(reverse("ticket-queue"))

    html = response.content.decode()
    assert [t.pk for t in response.context["page_obj"]] == [leak.pk, gmail.pk, question.pk]
    assert '<span class="prio prio--P0"' in html
    assert '<bdi class="keyword"' in html and "تسريب" in html
    assert f'data-due="{leak.next_due_at.isoformat()}"' in html
    assert "js/countdown.js" in html


def test_an_open_ticket_with_every_clock_breached_leads_the_queue(
    operator_client: Client, customer: Any, operator: Any, now: Any
) -> None:
    soon = make_ticket(customer=customer, actor=operator, now=now, subject="تسريب جديد")
    gone = make_ticket(
        customer=customer, actor=operator, now=now - dt.timedelta(hours=5), subject="تسريب قديم"
    )
    ticket_update(ticket_id=gone.pk, assignee_id=operator.pk, actor=operator, now=now)
    gone.refresh_from_db()
    assert gone.next_due_at is None and gone.resolution_breached  # nothing left running

    response = operator_client.get(reverse("ticket-queue"))

    assert [t.pk for t in response.context["page_obj"]][:2] == [gone.pk, soon.pk]
    assert "تجاوزت الـ SLA" in response.content.decode()


def test_queue_marks_breached_rows_and_shows_paused_tickets_as_paused(
    operator_client: Client, customer: Any, operator: Any, now: Any
) -> None:
    late = make_ticket(
        customer=customer, actor=operator, now=now - dt.timedelta(hours=2), subject="تسريب قديم"
    )
    waiting = make_ticket(customer=customer, actor=operator, now=now, subject="بانتظار رد العميل")
    ticket_change_status(ticket_id=waiting.pk, to="pending_customer", actor=operator, now=now)

    response = operator_client.get(reverse("ticket-queue"))

    rows = {t.pk: t for t in response.context["page_obj"]}
    html = response.content.decode()
    assert rows[late.pk].breached_now is True
    assert "row--breached" in html
    assert "row--paused" in html
    assert "متوقفة — بانتظار العميل" in html


def test_queue_filters_in_the_database(
    operator_client: Client, founder: Any, customer: Any, operator: Any, now: Any
) -> None:
    other = make_customer(actor=founder, name="عميل آخر")
    mine = make_ticket(
        customer=customer, actor=operator, now=now, subject="تسريب", assignee_id=operator.pk
    )
    theirs = make_ticket(customer=other, actor=operator, now=now, subject="سؤال")
    late = make_ticket(
        customer=other, actor=operator, now=now - dt.timedelta(hours=3), subject="أمان"
    )
    closed = make_ticket(customer=customer, actor=operator, now=now, subject="انتهت")
    ticket_change_status(ticket_id=closed.pk, to="resolved", actor=operator, now=now)

    def ids(**params: Any) -> set[int]:
        response = operator_client.get(reverse("ticket-queue"), params)
        assert response.status_code == 200
        return {t.pk for t in response.context["page_obj"]}

    assert ids() == {mine.pk, theirs.pk, late.pk}  # the working queue: resolved left out
    assert ids(status="all") == {mine.pk, theirs.pk, late.pk, closed.pk}
    assert ids(status="resolved") == {closed.pk}
    assert ids(priority="P3") == {theirs.pk}
    assert ids(customer=other.pk) == {theirs.pk, late.pk}
    assert ids(assignee="me") == {mine.pk}
    assert ids(assignee="none") == {theirs.pk, late.pk}
    assert ids(assignee=operator.pk) == {mine.pk}
    assert ids(breached="yes") == {late.pk}
    assert ids(breached="no") == {mine.pk, theirs.pk}
    assert ids(priority="P9") == {mine.pk, theirs.pk, late.pk}  # invalid values are ignored


def test_queue_searches_subject_body_customer_and_ticket_number(
    operator_client: Client, founder: Any, customer: Any, operator: Any, now: Any
) -> None:
    other = make_customer(actor=founder, name="مؤسسة الزهور")
    invoice = make_ticket(customer=customer, actor=operator, now=now, subject="الفاتورة")
    body = make_ticket(
        customer=customer, actor=operator, now=now, subject="استفسار", body="رقم العقد 5512"
    )
    flowers = make_ticket(customer=other, actor=operator, now=now, subject="طلب")

    def ids(q: str) -> set[int]:
        return {
            t.pk for t in operator_client.get(reverse("ticket-queue"), {"q": q}).context["page_obj"]
        }

    assert ids("الفاتورة") == {invoice.pk}
    assert ids("5512") == {body.pk}
    assert ids("الزهور") == {flowers.pk}
    assert ids(f"#{flowers.pk}") == {flowers.pk}


def test_queue_htmx_request_gets_only_the_table_and_pushes_the_url(
    operator_client: Client, customer: Any, operator: Any, now: Any
) -> None:
    make_ticket(customer=customer, actor=operator, now=now, subject="في الجدول")

    page = operator_client.get(reverse("ticket-queue")).content.decode()
    response = operator_client.get(reverse("ticket-queue"), {"q": "الجدول"}, headers=HX)

    html = response.content.decode()
    assert 'hx-push-url="true"' in page and 'hx-target="#queue-table"' in page
    assert response.status_code == 200
    assert 'id="queue-table"' in html
    assert "<html" not in html
    assert "في الجدول" in html
    assert "export.csv?q=" in html  # the export link follows the filters


def test_queue_is_paginated(
    operator_client: Client, customer: Any, operator: Any, now: Any
) -> None:
    for index in range(27):
        make_ticket(customer=customer, actor=operator, now=now, subject=f"تذكرة {index}")

    first = operator_client.get(reverse("ticket-queue"))
    second = operator_client.get(reverse("ticket-queue"), {"page": 2})

    assert len(first.context["page_obj"].object_list) == 25
    assert len(second.context["page_obj"].object_list) == 2
    assert "page=2" in first.content.decode()


def test_queue_query_count_does_not_grow_with_rows(
    operator_client: Client, founder: Any, customer: Any, operator: Any, now: Any
) -> None:
    other = make_customer(actor=founder, name="عميل ثان")
    for index in range(2):
        make_ticket(customer=customer, actor=operator, now=now, subject=f"قليل {index}")
    small = queries_for(operator_client, reverse("ticket-queue"))
    for index in range(18):
        make_ticket(
            customer=other if index % 2 else customer,
            actor=operator,
            now=now - dt.timedelta(minutes=index * 20),
            subject=f"تسريب {index}" if index % 3 else f"Gmail {index}",
            assignee_id=operator.pk if index % 2 else None,
        )

    large = queries_for(operator_client, reverse("ticket-queue"))

    assert large == small


def test_queue_search_over_every_status_reads_as_many_queries_whatever_it_finds(
    operator_client: Client, founder: Any, customer: Any, operator: Any, now: Any
) -> None:
    url = reverse("ticket-queue")
    make_ticket(customer=customer, actor=operator, now=now, subject="فاتورة أولى")
    few = queries_for(operator_client, url, status="all", q="فاتورة")
    for index in range(12):
        make_ticket(
            customer=customer, actor=operator, now=now, subject=f"فاتورة {index}", body="الشهر"
        )

    many = queries_for(operator_client, url, status="all", q="فاتورة")

    assert many == few


# ── CSV export ──────────────────────────────────────────────────────────────────────────────────
def test_csv_export_streams_the_filtered_queue_in_its_order(
    operator_client: Client, founder: Any, customer: Any, operator: Any, now: Any
) -> None:
    other = make_customer(actor=founder, name="=HYPERLINK(1)")
    question = make_ticket(customer=customer, actor=operator, now=now, subject="سؤال")
    leak = make_ticket(customer=customer, actor=operator, now=now, subject="تسريب العقد")
    make_ticket(customer=other, actor=operator, now=now, subject="+لا تظهر")

    response = operator_client.get(reverse("ticket-queue-csv"), {"customer": customer.pk})

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="tickets-')
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:4] == ["الرقم", "الموضوع", "العميل", "الأولوية"]
    assert [(row[0], row[1], row[3], row[4]) for row in rows[1:]] == [
        (str(leak.pk), "تسريب العقد", "P0", "تسريب"),
        (str(question.pk), "سؤال", "P3", ""),
    ]
    everything = b"".join(operator_client.get(reverse("ticket-queue-csv")).streaming_content)
    assert "'+لا تظهر" in everything.decode()  # a cell never starts a spreadsheet formula
    assert "'=HYPERLINK(1)" in everything.decode()


# ── new ticket and the live priority ────────────────────────────────────────────────────────────
def test_new_ticket_form_asks_for_the_priority_as_the_operator_types(
    operator_client: Client, customer: Any
) -> None:
    html = operator_client.get(reverse("ticket-new")).content.decode()

    assert 'hx-trigger="input changed delay:400ms"' in html
    assert f'hx-post="{reverse("ticket-classify")}"' in html
    assert 'id="priority-preview"' in html


@pytest.mark.parametrize(
    ("subject", "body", "priority", "keyword"),
    [
        ("تسريب", "", "P0", "تسريب"),
        ("التقارير", "service down منذ الصباح", "P1", "service down"),
        ("مشكلة", "Gmail لا يتزامن", "P2", "Gmail"),
        ("لا يوجد تسريب", "سؤال فقط", "P3", None),
    ],
)
def test_classify_returns_the_priority_badge_partial(
    operator_client: Client, subject: str, body: str, priority: str, keyword: str | None
) -> None:
    response = operator_client.post(
        reverse("ticket-classify"), {"subject": subject, "body": body}, headers=HX
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="priority-preview"')
    assert "<html" not in html
    assert f'data-priority="{priority}"' in html
    if keyword:
        assert f'<bdi class="keyword">{keyword}</bdi>' in html
    assert Ticket.objects.count() == 0


def test_classify_with_nothing_typed_invites_typing(operator_client: Client) -> None:
    html = operator_client.post(reverse("ticket-classify"), {}).content.decode()

    assert "data-priority" not in html
    assert "اكتب الموضوع" in html


def test_new_ticket_is_created_through_the_service_and_opens_its_page(
    operator_client: Client, customer: Any, operator: Any
) -> None:
    response = operator_client.post(
        reverse("ticket-new"),
        {
            "customer": customer.pk,
            "channel": "email",
            "subject": "تسريب في التقرير",
            "body": "ظهرت بيانات عميل آخر",
            "assignee": operator.pk,
        },
    )

    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == page_url(ticket)
    assert (ticket.priority, ticket.matched_keyword) == ("P0", "تسريب")
    assert ticket.assignee == operator
    assert SlaEvent.objects.filter(ticket=ticket, event="opened").count() == 1
    assert LedgerEntry.objects.filter(verb="tickets.created").count() == 1


def test_new_ticket_by_htmx_redirects_the_browser(operator_client: Client, customer: Any) -> None:
    response = operator_client.post(
        reverse("ticket-new"),
        {"customer": customer.pk, "channel": "whatsapp", "subject": "سؤال"},
        headers=HX,
    )

    assert response["HX-Redirect"] == page_url(Ticket.objects.get())


def test_new_ticket_errors_show_inline_keep_the_input_and_save_nothing(
    operator_client: Client, customer: Any
) -> None:
    response = operator_client.post(
        reverse("ticket-new"),
        {"customer": customer.pk, "channel": "fax", "subject": "   ", "body": "نص تسريب محفوظ"},
        headers=HX,
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="ticket-form"' in html
    assert "<html" not in html
    assert "اكتب موضوع التذكرة." in html
    assert "نص تسريب محفوظ" in html  # what was typed stays
    assert 'data-priority="P0"' in html  # and its priority is still shown
    assert Ticket.objects.count() == 0


# ── ticket page ─────────────────────────────────────────────────────────────────────────────────
def test_ticket_page_shows_clocks_events_and_only_the_allowed_moves(
    operator_client: Client, customer: Any, operator: Any, now: Any
) -> None:
    ticket = make_ticket(customer=customer, actor=operator, now=now, subject="Gmail لا يعمل")

    response = operator_client.get(page_url(ticket))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="ticket-panel"' in html and 'id="ticket-events"' in html
    assert 'data-move="pending_customer"' in html and 'data-move="resolved"' in html
    assert 'data-move="open"' not in html
    assert 'data-action="close"' not in html  # closing is offered only once resolved
    assert "فُتحت" in html
    assert html.count("data-due=") == 2  # both clocks count down
    assert 'hx-trigger="ticket-changed from:body"' in html


def test_pause_and_resume_move_the_ticket_and_its_clock(
    operator_client: Client, customer: Any, operator: Any, now: Any
) -> None:
    ticket = make_ticket(customer=customer, actor=operator, now=now)

    paused = operator_client.post(
        page_url(ticket, "ticket-move"),
        {"to": "pending_customer", "note": "ننتظر الملف"},
        headers=HX,
    )
    html = paused.content.decode()
    ticket.refresh_from_db()
    assert paused.status_code == 200
    assert html.lstrip().startswith('<aside id="ticket-panel"')
    assert "<html" not in html
    assert "ticket-changed" in paused["HX-Trigger"]
    assert ticket.status == "pending_customer"
    assert ticket.next_due_at is None
    assert 'data-move="open"' in html  # resume

    operator_client.post(page_url(ticket, "ticket-move"), {"to": "open"}, headers=HX)
    assert list(ticket.sla_events.values_list("event", flat=True)) == [
        "opened",
        "paused",
        "resumed",
    ]


def test_a_refused_move_is_shown_inline(
    operator_client: Client, customer: Any, operator: Any, now: Any
) -> None:
    ticket = make_ticket(customer=customer, actor=operator, now=now)

    response = operator_client.post(page_url(ticket, "ticket-move"), {"to": "open"}, headers=HX)

    html = response.content.decode()
    assert response.status_code == 422
    assert '<p class="inline-error" role="alert">لا يمكن الانتقال من open إلى open</p>' in html
    assert "HX-Trigger" not in response
    ticket.refresh_from_db()
    assert ticket.status == "open"


def test_priority_is_raised_never_lowered_below_the_classified_one(
    operator_client: Client, customer: Any, operator: Any, now: Any
) -> None:
    ticket = make_ticket(customer=customer, actor=operator, now=now, subject="Gmail")
    page = operator_client.get(page_url(ticket)).content.decode()
    assert '<option value="P0"' in page and '<option value="P3"' not in page

    raised = operator_client.post(
        page_url(ticket, "ticket-priority-set"),
        {"priority": "P1", "note": "العميل متضرر"},
        headers=HX,
    )
    lowered = operator_client.post(
        page_url(ticket, "ticket-priority-set"), {"priority": "P3"}, headers=HX
    )

    ticket.refresh_from_db()
    assert raised.status_code == 200
    assert ticket.priority == "P1"
    assert SlaEvent.objects.filter(ticket=ticket, event="escalated").count() == 1
    assert lowered.status_code == 422
    assert "لا يمكن خفض الأولوية عن المصنّفة آلياً P2" in lowered.content.decode()
    assert ticket.priority == "P1"


def test_assign_sets_the_assignee(
    operator_client: Client, customer: Any, operator: Any, founder: Any, now: Any
) -> None:
    ticket = make_ticket(customer=customer, actor=operator, now=now)

    response = operator_client.post(
        page_url(ticket, "ticket-assign"), {"assignee": founder.pk}, headers=HX
    )

    ticket.refresh_from_db()
    assert response.status_code == 200
    assert ticket.assignee == founder


def test_close_needs_the_customers_confirmation_shown_inline(
    operator_client: Client, customer: Any, operator: Any, now: Any
) -> None:
    ticket = make_ticket(customer=customer, actor=operator, now=now)
    operator_client.post(page_url(ticket, "ticket-move"), {"to": "resolved"}, headers=HX)
    assert 'data-action="close"' in operator_client.get(page_url(ticket)).content.decode()

    refused = operator_client.post(
        page_url(ticket, "ticket-close"), {"customer_confirmation": "  "}, headers=HX
    )
    closed = operator_client.post(
        page_url(ticket, "ticket-close"),
        {"customer_confirmation": "أكد بالبريد أن المشكلة حُلّت"},
        headers=HX,
    )

    ticket.refresh_from_db()
    assert refused.status_code == 422
    assert "لا تُغلق التذكرة بدون تسجيل تأكيد العميل." in refused.content.decode()
    assert closed.status_code == 200
    assert ticket.status == "closed"
    assert ticket.customer_confirmation == "أكد بالبريد أن المشكلة حُلّت"
    assert "التذكرة مغلقة" in closed.content.decode()


def test_reply_drafts_the_first_response_template_into_the_approvals_inbox(
    operator_client: Client, founder_client: Client, customer: Any, operator: Any, now: Any
) -> None:
    ticket = make_ticket(customer=customer, actor=operator, now=now, subject="تسريب")
    form = operator_client.get(page_url(ticket)).context["reply_form"]
    assert form.initial["to"] == "owner@tickets.sa"
    assert "خلال 30 دقيقة" in form.initial["body"]  # the P0 template

    response = operator_client.post(
        page_url(ticket, "ticket-reply"),
        {"channel": "email", "to": form.initial["to"], "body": form.initial["body"]},
        headers=HX,
    )

    draft = OutboundDraft.objects.get()
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="ticket-reply"')
    assert "drafts-changed" in response["HX-Trigger"]
    assert (draft.source, draft.ticket_id, draft.status) == (
        "ticket_first_response",
        ticket.pk,
        "pending",
    )
    assert draft.subject == "رد: تسريب"
    assert (
        f'id="draft-{draft.pk}"' in founder_client.get(reverse("approvals-inbox")).content.decode()
    )


def test_reply_errors_keep_the_text(
    operator_client: Client, customer: Any, operator: Any, now: Any
) -> None:
    ticket = make_ticket(customer=customer, actor=operator, now=now)

    response = operator_client.post(
        page_url(ticket, "ticket-reply"),
        {"channel": "email", "to": "", "body": "نص الرد كما كتبته"},
        headers=HX,
    )

    assert response.status_code == 422
    assert "نص الرد كما كتبته" in response.content.decode()
    assert OutboundDraft.objects.count() == 0


def test_events_region_refreshes_alone(
    operator_client: Client, customer: Any, operator: Any, now: Any
) -> None:
    ticket = make_ticket(customer=customer, actor=operator, now=now)

    response = operator_client.get(page_url(ticket), headers={**HX, "HX-Target": "ticket-events"})

    html = response.content.decode()
    assert html.lstrip().startswith('<section id="ticket-events"')
    assert "<html" not in html


def test_unknown_ticket_is_404(operator_client: Client) -> None:
    assert operator_client.get(reverse("ticket-page", kwargs={"ticket_id": 999})).status_code == 404
