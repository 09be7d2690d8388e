"""Arabic done properly: mixed text right to left with Latin runs isolated, times in Riyadh with
the Hijri date in notifications, ledger codes and success-plan tasks in words, one percent style."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from customer_ops import labels
from customer_ops.domain.success import SUCCESS_PLANS
from customer_ops.models import LedgerEntry, Notification
from customer_ops.riyadh_time import riyadh_text
from customer_ops.templatetags.ops import isolate_latin, pct, percent, text_dir
from tests.factories import make_customer, make_incident, make_ticket

NOW = dt.datetime(2026, 3, 8, 7, 0, tzinfo=dt.UTC)  # Sunday 10:00 in Riyadh


def test_no_template_leaves_the_direction_to_the_first_letter() -> None:
    templates = Path(settings.BASE_DIR) / "templates"

    offenders = [p.name for p in templates.rglob("*.html") if 'dir="auto"' in p.read_text()]

    assert offenders == []


@pytest.mark.parametrize(
    ("text", "direction", "html"),
    [
        (
            "Gmail connector لا يتزامن منذ الصباح.",
            "rtl",
            "<bdi>Gmail connector</bdi> لا يتزامن منذ الصباح.",
        ),
        ("SEV1: تسريب بيانات", "rtl", "<bdi>SEV1</bdi>: تسريب بيانات"),
        ("راسلنا على a.b@x.com. شكراً", "rtl", "راسلنا على <bdi>a.b@x.com</bdi>. شكراً"),
        ("Hello <world>", "ltr", "Hello &lt;world&gt;"),
        ("خطأ <b>Gmail</b>", "rtl", "خطأ <bdi>&lt;b&gt;Gmail&lt;/b&gt;</bdi>"),
    ],
)
def test_mixed_text_is_right_to_left_with_latin_runs_isolated_and_escaped(
    text: str, direction: str, html: str
) -> None:
    assert text_dir(text) == direction
    assert isolate_latin(text) == html


@pytest.mark.django_db
def test_ticket_body_starting_with_a_latin_word_is_laid_out_right_to_left(
    operator_client: Client, founder: Any, operator: Any
) -> None:
    customer = make_customer(actor=founder, name="شركة نمو")
    ticket = make_ticket(
        customer=customer, actor=operator, now=NOW, body="Gmail connector لا يتزامن منذ أمس."
    )

    html = operator_client.get(reverse("ticket-page", args=[ticket.pk])).content.decode()

    assert (
        '<div class="message-body" dir="rtl"><bdi>Gmail connector</bdi> لا يتزامن منذ أمس.</div>'
        in html
    )


@pytest.mark.django_db
def test_sev1_notification_gives_the_pdpl_deadline_in_riyadh_time_with_hijri(
    founder: Any, operator: Any
) -> None:
    incident = make_incident(actor=operator, now=NOW, title="SEV1: تسريب", has_data_leak=True)

    body = Notification.objects.get(kind="incident_sev1").body

    assert incident.pdpl_deadline_at == NOW + dt.timedelta(hours=72)
    assert "UTC" not in body
    assert "بتوقيت الرياض" in body
    assert "11 مارس، 2026، 10:00" in body  # 07:00 UTC on 11 March is 10:00 Riyadh
    assert "رمضان 1447 هـ" in body


def test_riyadh_text_is_the_riyadh_filters_formatting_as_plain_text() -> None:
    moment = dt.datetime(2026, 3, 11, 21, 30, tzinfo=dt.UTC)  # 00:30 on the 12th in Riyadh

    arabic = riyadh_text(moment, language="ar")
    with translation.override("ar"):
        english = riyadh_text(moment, language="en")

    assert arabic.startswith("12 مارس، 2026، 12:30")
    assert "هـ" in arabic
    assert english.startswith("March 12, 2026")
    assert "Riyadh time" in english and "AH" in english


def test_one_percent_style_for_rates_and_percentages() -> None:
    with translation.override("ar"):
        assert [pct(0.75), pct(0.125), percent(75.0), percent(62.5)] == [
            "75%",
            "12,5%",
            "75%",
            "62,5%",
        ]
    with translation.override("en"):
        assert [pct(0.125), percent(75.0)] == ["12.5%", "75%"]


def test_progress_page_uses_the_consoles_percent_style() -> None:
    html = Path(settings.BASE_DIR, "templates/customer_ops/progress/page.html").read_text()

    assert "٪" not in html
    assert "progress_pct|percent" in html


def test_ledger_codes_read_as_words_in_both_languages() -> None:
    with translation.override("ar"):
        assert labels.object_status_label("ticket", "open") == "مفتوحة"
        assert labels.object_status_label("ticket", "resolved") == "محلولة"
        assert labels.object_type_label("customerconnector") == "قناة عميل"
        assert labels.connector_name("whatsapp_cloud") != "whatsapp_cloud"
        assert labels.ledger_note_text("email accepted by the mail server (1)") == (
            "قبِل خادم البريد الرسالة"
        )
    with translation.override("en"):
        assert labels.object_status_label("ticket", "resolved") == "Resolved"
        assert labels.object_type_label("customerconnector") == "Customer channel"
        assert labels.ledger_note_text("email accepted by the mail server (1)") == (
            "The mail server accepted the email"
        )


def test_every_success_plan_task_has_an_arabic_label() -> None:

    tasks = {touchpoint.text for plan in SUCCESS_PLANS.values() for touchpoint in plan}

    assert tasks == set(labels.SUCCESS_TASK_LABELS)
    with translation.override("ar"):
        assert labels.success_task_label("weekly check-in.") == "متابعة أسبوعية."
    with translation.override("en"):
        assert labels.success_task_label("weekly check-in.") == "weekly check-in."


def test_priority_reason_prefix_reads_in_english_in_the_english_console() -> None:
    with translation.override("en"):
        assert labels.priority_reason_text("كلمة حرجة مطابقة: تسريب") == (
            "Critical keyword matched: تسريب"
        )


@pytest.mark.django_db
def test_ledger_rows_show_statuses_and_objects_in_words(
    operator_client: Client, founder: Any, operator: Any
) -> None:
    customer = make_customer(actor=founder, name="شركة نمو")
    ticket = make_ticket(customer=customer, actor=operator, now=NOW)
    LedgerEntry.objects.create(
        at=NOW,
        actor=operator,
        verb="tickets.status_changed",
        object_type="ticket",
        object_id=str(ticket.pk),
        customer_id=customer.pk,
        before={"status": "open"},
        after={"status": "resolved"},
    )

    html = operator_client.get(reverse("customer-ledger", args=[customer.pk])).content.decode()

    assert "مفتوحة" in html and "محلولة" in html
    assert ">open<" not in html and "resolved\n" not in html
    assert f'href="{reverse("ticket-page", args=[ticket.pk])}"' in html
    assert "customerconnector#" not in html
