"""A real browser, in Arabic: a founder is reminded of the Eid estimate, then runs the calendar."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from playwright.sync_api import Page, expect

from customer_ops.models import CalendarPeriod, HolidayOverride
from tests.browser.conftest import LogIn, Watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _early_march_2026() -> Any:
    # The server thread shares this clock: the Eid al-Fitr estimate is 17 days away.
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("Asia/Riyadh"))):
        yield


def test_founder_walks_the_calendar_screen_in_arabic(
    live_server: Any, page: Page, watch: Watch, log_in: LogIn
) -> None:
    call_command("seed_demo", force=True)
    errors, outside = watch(page)
    log_in(page, "founder")

    # The home screen reminds the founder of the unconfirmed estimate.
    expect(page.locator("#eid-estimates")).to_contain_text("عيد الفطر")
    page.click("#eid-estimates a[href='/calendar/']")
    expect(page.locator("h1")).to_have_text("تقويم العمل")
    estimate = page.locator("tr[data-date='2026-03-20']")
    expect(estimate).to_contain_text("تقدير — بانتظار التأكيد")
    expect(estimate.locator(".when__hijri")).to_contain_text("هـ")

    # A period that ends before it starts: refused in Arabic, in place, nothing saved.
    page.click("#calendar-periods summary")
    page.fill("#id_period-name", "رمضان")
    page.fill("#id_period-start", "2026-03-18")
    page.fill("#id_period-end", "2026-02-18")
    page.fill("#id_period-windows", "21:00-02:00")
    page.click("[data-action=period]")
    expect(page.locator("#period-form")).to_contain_text("تنتهي الفترة قبل أن تبدأ")
    assert not CalendarPeriod.objects.exists()

    # Corrected: Ramadan's evening shift across midnight is listed.
    page.fill("#id_period-start", "2026-02-18")
    page.fill("#id_period-end", "2026-03-18")
    page.click("[data-action=period]")
    expect(page.locator("#calendar-periods")).to_contain_text("21:00–02:00")
    expect(page.locator("#calendar-body [role=status]")).to_contain_text("أُضيفت الفترة الخاصة")

    # The founder confirms the estimated first day of Eid.
    page.locator("tr[data-date='2026-03-20'] [data-action=confirm]").click()
    expect(page.locator("tr[data-date='2026-03-20']")).to_have_attribute("data-source", "announced")
    assert HolidayOverride.objects.get(date=dt.date(2026, 3, 20)).closed

    assert page.get_attribute("html", "dir") == "rtl"
    # The one refused form answered 422 on purpose (htmx swaps it); Chromium logs every 4xx.
    assert [e for e in errors if "422" not in e] == []
    assert len(errors) <= 1
    assert outside == []
