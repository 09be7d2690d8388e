"""A real browser: an incident is triaged as it is declared, then a plan step is ticked in place."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from customer_ops.models import Incident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_incident_is_triaged_and_a_plan_step_ticked(
    live_server: Any, page: Page, watch: Callable[..., Any], log_in: Callable[..., Any]
) -> None:
    call_command("seed_demo", force=True)
    errors, outside = watch(page)
    log_in(page, "operator")

    page.click("nav.nav a[href='/incidents/']")
    page.click("a[href='/incidents/new/']")
    preview = page.locator("#triage-preview")
    expect(preview.locator(".sev")).to_have_text("SEV3")
    page.fill("#id_title", "ظهور بيانات عميل لدى عميل آخر")
    page.fill("#id_description", "تقرير أسبوعي أُرسل بجهات اتصال عميل آخر")
    page.locator(".choice", has_text="شركة نمو للتدريب").locator("input").check()
    expect(preview.locator(".sev")).to_have_text("SEV3")
    page.check("#id_has_data_leak")
    # Triage answers as the form changes: a leak is SEV1, with the PDPL deadline.
    expect(preview.locator(".sev")).to_have_text("SEV1")
    expect(preview).to_contain_text("PDPL")

    page.click("[data-action=declare]")

    expect(page.locator("#incident-head .sev")).to_have_text("SEV1")
    incident = Incident.objects.get(title="ظهور بيانات عميل لدى عميل آخر")
    assert incident.severity == "SEV1" and incident.pdpl_deadline_at is not None
    expect(page.locator("#incident-head .deadline--pdpl .countdown")).to_be_visible()
    step = page.locator("#incident-plan .check").first
    step.locator("input[type=checkbox]").check()
    expect(page.locator("#incident-plan .check").first).to_have_class("check check--done")
    expect(page.locator("#incident-plan .check").first).to_contain_text("أنجزها operator")
    # The timeline listens and records the tick without a reload.
    expect(page.locator("#incident-timeline")).to_contain_text("✓ 1.")
    assert incident.plan_steps.get(position=1, retired_at__isnull=True).done
    assert page.get_attribute("html", "dir") == "rtl"
    assert errors == []
    assert outside == []
