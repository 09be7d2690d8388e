"""The calendar screen: founders edit (htmx forms with errors), operators read; Hijri beside dates."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from customer_ops.models import CalendarPeriod, HolidayOverride, LedgerEntry

pytestmark = pytest.mark.django_db

RIYADH = ZoneInfo("Asia/Riyadh")
HX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def _march_2026() -> Any:
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=RIYADH), tick=False):
        yield


def test_operators_read_the_calendar_with_estimates_marked_and_hijri(
    operator_client: Client,
) -> None:
    response = operator_client.get("/calendar/")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-date="2026-03-20" data-source="estimate"' in html
    assert 'data-date="2026-02-22" data-source="package"' in html
    assert "رمضان" in html or "شوال" in html  # the Hijri month beside the Gregorian date
    assert "holiday-form" not in html  # operators read, they do not edit


def test_operators_cannot_post_calendar_changes(operator_client: Client) -> None:
    response = operator_client.post(
        "/calendar/holidays/", {"date": "2026-03-10", "name": "x", "version": "0"}
    )

    assert response.status_code == 403
    assert not HolidayOverride.objects.exists()


def test_founder_announces_a_holiday_through_the_htmx_form(founder_client: Client) -> None:
    response = founder_client.post(
        "/calendar/holidays/",
        {
            "date": "2026-03-10",
            "name": "إجازة معلنة",
            "closed": "on",
            "version": "0",
        },
        headers=HX,
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'id="calendar-body"' in html
    assert 'data-date="2026-03-10" data-source="announced"' in html
    assert "calendar-changed" in response["HX-Trigger"]
    assert LedgerEntry.objects.filter(verb="sla.holiday_set").count() == 1


def test_a_holiday_outside_the_supported_years_is_a_form_error(founder_client: Client) -> None:
    response = founder_client.post(
        "/calendar/holidays/",
        {
            "date": "2035-03-10",
            "name": "بعيد",
            "closed": "on",
            "version": "0",
        },
        headers=HX,
    )

    assert response.status_code == 422
    assert "خارج السنوات المدعومة" in response.content.decode()
    assert not HolidayOverride.objects.exists()


def test_an_overlapping_week_is_refused_in_arabic_and_nothing_changes(
    founder_client: Client,
) -> None:
    response = founder_client.post(
        "/calendar/week/",
        {
            "version": "0",
            "day_6": "09:00-13:00, 12:00-17:00",
            "day_0": "09:00-17:00",
        },
        headers=HX,
    )

    assert response.status_code == 422
    assert "تتداخل" in response.content.decode()
    assert not LedgerEntry.objects.filter(verb="sla.week_set").exists()


def test_founder_adds_a_ramadan_period_across_midnight(founder_client: Client) -> None:
    response = founder_client.post(
        "/calendar/periods/",
        {
            "version": "0",
            "name": "رمضان",
            "start": "2026-02-18",
            "end": "2026-03-19",
            "windows": "21:00-02:00",
        },
        headers=HX,
    )

    assert response.status_code == 200
    assert "21:00–02:00" in response.content.decode()
    assert CalendarPeriod.objects.get().windows == [["21:00", "02:00"]]


def test_a_period_ending_before_it_starts_is_a_form_error(founder_client: Client) -> None:
    response = founder_client.post(
        "/calendar/periods/",
        {
            "version": "0",
            "name": "رمضان",
            "start": "2026-03-19",
            "end": "2026-02-18",
            "windows": "21:00-02:00",
        },
        headers=HX,
    )

    assert response.status_code == 422
    assert "تنتهي الفترة قبل أن تبدأ" in response.content.decode()
    assert not CalendarPeriod.objects.exists()


def test_a_stale_version_from_a_second_founder_is_refused(
    founder_client: Client, make_user: Any
) -> None:
    founder_client.post(
        "/calendar/holidays/",
        {
            "date": "2026-03-10",
            "name": "الأولى",
            "closed": "on",
            "version": "0",
        },
        headers=HX,
    )

    response = founder_client.post(
        "/calendar/holidays/",
        {
            "date": "2026-03-10",
            "name": "الثانية",
            "closed": "on",
            "version": "0",
        },
        headers=HX,
    )

    assert response.status_code == 422
    assert "تغيّر التقويم منذ فتحته" in response.content.decode()
    assert HolidayOverride.objects.get().name == "الأولى"


def test_the_calendar_screen_has_an_english_switch(founder_client: Client) -> None:
    founder_client.post("/i18n/setlang/", {"language": "en", "next": "/calendar/"})

    response = founder_client.get("/calendar/")

    html = response.content.decode()
    assert "Working calendar" in html
    assert "Eid al-Fitr" in html
    assert "Ramadan" in html or "Shawwal" in html
