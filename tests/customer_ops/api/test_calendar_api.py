"""/api/v1/calendar/: staff read it; founders announce holidays and periods; 400/403/409 write nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from rest_framework.test import APIClient

from customer_ops.models import CalendarPeriod, HolidayOverride, LedgerEntry
from tests.factories import make_customer, make_ticket

pytestmark = pytest.mark.django_db

RIYADH = ZoneInfo("Asia/Riyadh")
RAMADAN = {
    "name": "رمضان",
    "start": "2026-02-18",
    "end": "2026-03-18",
    "windows": [{"start": "21:00", "end": "02:00"}],
}


@pytest.fixture(autouse=True)
def _february_2026() -> Any:
    with time_machine.travel(dt.datetime(2026, 2, 1, 10, tzinfo=RIYADH), tick=False):
        yield


def test_staff_read_the_week_holidays_of_a_year_and_periods(operator_api: APIClient) -> None:
    response = operator_api.get("/api/v1/calendar/", {"year": 2026})

    body = response.json()
    assert response.status_code == 200
    assert body["timezone"] == "Asia/Riyadh"
    assert body["week_source"] == "declared"
    assert body["week"][0] == {
        "weekday": 6,
        "name": "الأحد",
        "name_en": "Sunday",
        "windows": [{"start": "09:00", "end": "17:00"}],
    }
    eid = next(h for h in body["holidays"] if h["date"] == "2026-03-20")
    assert eid["source"] == "estimate" and eid["needs_confirmation"] is True
    assert body["periods"] == []


def test_operators_get_403_on_every_calendar_write(operator_api: APIClient) -> None:
    writes = [
        operator_api.post(
            "/api/v1/calendar/holidays/", {"date": "2026-03-10", "name": "x"}, format="json"
        ),
        operator_api.post("/api/v1/calendar/periods/", RAMADAN, format="json"),
        operator_api.post("/api/v1/calendar/holidays/2026-03-19/confirm/", {}, format="json"),
        operator_api.put("/api/v1/calendar/week/", {"week": {}}, format="json"),
    ]

    assert [r.status_code for r in writes] == [403, 403, 403, 403]
    assert not HolidayOverride.objects.exists() and not CalendarPeriod.objects.exists()


def test_founder_announces_a_holiday_and_the_ticket_api_due_time_moves(
    founder_api: APIClient, founder: Any, operator: Any
) -> None:
    customer = make_customer(actor=founder, now=dt.datetime(2026, 1, 1, 9, tzinfo=RIYADH))
    ticket = make_ticket(
        customer=customer,
        actor=operator,
        now=dt.datetime(2026, 3, 9, 16, tzinfo=RIYADH),
        subject="Gmail connector",
    )
    traveller = time_machine.travel(dt.datetime(2026, 3, 9, 16, 5, tzinfo=RIYADH), tick=False)
    traveller.start()
    before = founder_api.get(f"/api/v1/tickets/{ticket.pk}/").json()["first_response_due_at"]

    response = founder_api.post(
        "/api/v1/calendar/holidays/",
        {
            "date": "2026-03-10",
            "name": "إجازة معلنة",
            "closed": True,
            "note": "قرار الإدارة",
            "version": 0,
        },
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["version"] == 1
    after = founder_api.get(f"/api/v1/tickets/{ticket.pk}/").json()["first_response_due_at"]
    traveller.stop()
    assert before.startswith("2026-03-10T16:00") and after.startswith("2026-03-11T16:00")


def test_founder_adds_ramadan_and_reads_it_back(founder_api: APIClient) -> None:
    response = founder_api.post("/api/v1/calendar/periods/", RAMADAN, format="json")

    assert response.status_code == 201
    assert response.json()["windows"] == [{"start": "21:00", "end": "02:00"}]
    assert response.json()["weekdays"] == [0, 1, 2, 3, 6]
    periods = founder_api.get("/api/v1/calendar/").json()["periods"]
    assert [p["name"] for p in periods] == ["رمضان"]


def test_founder_confirms_and_moves_estimates(founder_api: APIClient) -> None:
    confirmed = founder_api.post("/api/v1/calendar/holidays/2026-03-20/confirm/", {}, format="json")
    moved = founder_api.post(
        "/api/v1/calendar/holidays/2026-03-19/move/", {"to": "2026-03-25"}, format="json"
    )

    assert confirmed.status_code == 200 and moved.status_code == 200
    holidays = {h["date"]: h for h in founder_api.get("/api/v1/calendar/").json()["holidays"]}
    assert holidays["2026-03-20"]["source"] == "announced"
    assert holidays["2026-03-19"]["closed"] is False
    assert holidays["2026-03-25"]["closed"] is True
    deleted = founder_api.delete("/api/v1/calendar/holidays/2026-03-25/")
    assert deleted.status_code == 200
    assert "2026-03-25" not in {
        h["date"] for h in founder_api.get("/api/v1/calendar/").json()["holidays"]
    }


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        ("/api/v1/calendar/holidays/", {"date": "2031-01-01", "name": "بعيد"}, "date"),
        (
            "/api/v1/calendar/holidays/",
            {"date": "2026-03-10", "name": "x", "closed": "yes"},
            "closed",
        ),
        (
            "/api/v1/calendar/periods/",
            {**RAMADAN, "start": "2026-03-18", "end": "2026-02-18"},
            "end",
        ),
        (
            "/api/v1/calendar/periods/",
            {**RAMADAN, "windows": [{"start": "21:00", "end": "21:00"}]},
            "windows.0",
        ),
        (
            "/api/v1/calendar/periods/",
            {
                **RAMADAN,
                "windows": [{"start": "20:00", "end": "23:00"}, {"start": "22:00", "end": "01:00"}],
            },
            "windows",
        ),
        (
            "/api/v1/calendar/periods/",
            {**RAMADAN, "windows": [{"start": "9pm", "end": "2am"}]},
            "windows.0",
        ),
    ],
)
def test_bad_input_is_a_bilingual_400_and_nothing_is_written(
    founder_api: APIClient, url: str, body: dict[str, Any], field: str
) -> None:
    response = founder_api.post(url, body, format="json")

    data = response.json()
    assert response.status_code == 400
    assert field in data["errors"] and field in data["errors_ar"]
    assert data["error_ar"] != data["error"]
    assert not HolidayOverride.objects.exists() and not CalendarPeriod.objects.exists()
    assert not LedgerEntry.objects.filter(verb__startswith="sla.").exists()


def test_an_overlapping_week_is_a_400(founder_api: APIClient) -> None:
    response = founder_api.put(
        "/api/v1/calendar/week/",
        {
            "week": {
                "3": [{"start": "21:00", "end": "02:00"}],
                "4": [{"start": "01:00", "end": "04:00"}],
            }
        },
        format="json",
    )

    assert response.status_code == 400
    assert "تتداخل" in response.json()["error_ar"]


def test_a_year_outside_the_supported_ones_is_a_400(operator_api: APIClient) -> None:
    assert operator_api.get("/api/v1/calendar/", {"year": 1990}).status_code == 400


def test_two_founders_at_once_the_second_gets_409_and_nothing_is_lost(
    founder_api: APIClient, make_user: Any
) -> None:
    from customer_ops.roles import Role

    other = APIClient()
    other.force_authenticate(make_user("founder-2", Role.FOUNDER))
    seen = founder_api.get("/api/v1/calendar/").json()["version"]

    first = founder_api.post(
        "/api/v1/calendar/holidays/",
        {"date": "2026-03-10", "name": "الأول", "version": seen},
        format="json",
    )
    second = other.post("/api/v1/calendar/periods/", {**RAMADAN, "version": seen}, format="json")

    assert first.status_code == 201
    assert second.status_code == 409
    assert second.json()["code"] == "edit_conflict"
    assert "أعد تحميل" in second.json()["error_ar"]
    assert not CalendarPeriod.objects.exists()
    assert HolidayOverride.objects.get().name == "الأول"
