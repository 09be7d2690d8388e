"""A real browser: after an action every region of the page it changes is current, without a reload.

One test per screen (customer page, connector board, ticket page, incident page, customer success),
each checking the neighbour region beside the one the action swapped. A `window` marker set before
the action proves the page was never reloaded.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from customer_ops.domain.incidents import POSTMORTEM_FIELDS
from customer_ops.services.drafts import draft_approve
from customer_ops.services.incidents import incident_change_status
from tests.factories import make_customer, make_draft, make_incident, make_ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def team() -> dict[str, Any]:
    call_command("seed_demo", force=True)
    users = get_user_model().objects
    return {"founder": users.get(username="founder"), "operator": users.get(username="operator")}


def mark_page(page: Page) -> None:
    page.evaluate("window.__noReload = true")


def assert_not_reloaded(page: Page) -> None:
    assert page.evaluate("window.__noReload === true")


def move_connector(page: Page, customer_id: int, key: str, *states: str) -> None:
    """Move a connector through `states`, each from the re-rendered row: clicking the next move
    on the row the last one is replacing would open a menu that disappears with it."""
    cell = page.locator(f"button[popovertarget='move-{customer_id}-{key}']")
    for state in states:
        cell.click()
        page.click(f"#move-{customer_id}-{key} button[value={state}]")
        expect(cell).to_have_class(re.compile(rf"\bstate--{state}\b"))
        expect(page.locator(f"#move-{customer_id}-{key}")).to_be_hidden()


def test_customer_page_readiness_and_ledger_follow_the_connector_row_and_checklist(
    live_server: Any,
    page: Page,
    team: dict[str, Any],
    watch: Callable[..., Any],
    log_in: Callable[..., Any],
) -> None:
    customer = make_customer(actor=team["founder"], name="شركة الجاهزية")
    errors, outside = watch(page)
    log_in(page, "operator")
    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    # Swapped-in regions listen at once: with htmx's default 20 ms settle delay, a second
    # connector move's event could arrive before the refreshed card listened, leaving it stale.
    assert page.evaluate("htmx.config.defaultSettleDelay") == 0
    readiness = page.locator("#customer-readiness")
    ledger_count = page.locator("#ledger-title .count")
    expect(readiness).to_contain_text("غير جاهز بعد")
    before = int(ledger_count.inner_text())
    mark_page(page)

    move_connector(page, customer.pk, "whatsapp_cloud", "configuring", "connected_draft_only")

    expect(page.locator(f"#connector-row-{customer.pk} .board__ready")).to_contain_text("جاهز")
    expect(readiness).to_contain_text("جاهز لتشغيل الخدمة الأولى")
    expect(readiness).to_contain_text("1 من 11")
    expect(ledger_count).to_have_text(str(before + 2))
    page.locator("#onboarding-checklist input[type=checkbox]").first.check()
    expect(page.locator("#onboarding-checklist .check--done")).to_have_count(1)
    expect(ledger_count).to_have_text(str(before + 3))
    assert_not_reloaded(page)
    assert errors == [] and outside == []


def test_connector_board_ready_count_follows_a_row(
    live_server: Any,
    page: Page,
    team: dict[str, Any],
    watch: Callable[..., Any],
    log_in: Callable[..., Any],
) -> None:
    customer = make_customer(actor=team["founder"], name="شركة اللوحة")
    errors, outside = watch(page)
    log_in(page, "operator")
    page.goto(f"{live_server.url}/connectors/?q=شركة اللوحة")
    summary = page.locator("#connector-board-summary")
    expect(summary).to_have_attribute("data-ready-count", "0")
    mark_page(page)

    move_connector(page, customer.pk, "whatsapp_cloud", "configuring", "connected_draft_only")

    expect(summary).to_have_attribute("data-ready-count", "1")
    expect(page.locator(f"#connector-row-{customer.pk} .board__ready")).to_contain_text("1 من 11")
    assert_not_reloaded(page)
    assert errors == [] and outside == []


def test_ticket_reply_template_follows_a_raised_priority(
    live_server: Any,
    page: Page,
    team: dict[str, Any],
    watch: Callable[..., Any],
    log_in: Callable[..., Any],
) -> None:
    customer = make_customer(actor=team["founder"], name="شركة الأولوية")
    ticket = make_ticket(customer=customer, actor=team["operator"], now=timezone.now())
    assert ticket.priority in ("P2", "P3")
    errors, outside = watch(page)
    log_in(page, "operator")
    page.goto(f"{live_server.url}/tickets/{ticket.pk}/")
    reply = page.locator("#ticket-reply")
    expect(reply.locator("summary")).to_contain_text(f"قالب {ticket.priority}")
    mark_page(page)

    page.locator("#ticket-panel summary", has_text="رفع الأولوية").click()
    page.select_option("#priority-select", "P1")
    page.fill("#ticket-panel [name=note]", "العميل متوقف عن العمل")
    page.locator("#ticket-panel button", has_text="تغيير الأولوية").click()

    expect(page.locator("#ticket-panel")).to_contain_text("P1")
    expect(reply.locator("summary")).to_contain_text("قالب P1")
    assert_not_reloaded(page)
    assert errors == [] and outside == []


def test_incident_head_follows_a_completed_postmortem(
    live_server: Any,
    page: Page,
    team: dict[str, Any],
    watch: Callable[..., Any],
    log_in: Callable[..., Any],
) -> None:
    now = timezone.now()
    customer = make_customer(actor=team["founder"], name="شركة الحادثة")
    incident = make_incident(
        actor=team["operator"], now=now, customers=(customer,), severity="SEV2"
    )
    incident_change_status(incident_id=incident.pk, to="resolved", actor=team["operator"], now=now)
    errors, outside = watch(page)
    log_in(page, "operator")
    page.goto(f"{live_server.url}/incidents/{incident.pk}/")
    head = page.locator("#incident-head")
    expect(head).to_contain_text("الإغلاق يحتاج post-mortem مكتملاً: 0 من 8")
    mark_page(page)

    form = page.locator("#incident-postmortem form")
    for field in POSTMORTEM_FIELDS:
        form.locator(f"[name={field.key}]").fill(f"قيمة {field.key}")
    form.locator("button[type=submit]").click()

    expect(page.locator("#incident-postmortem")).to_contain_text("8 من 8")
    expect(head).not_to_contain_text("الإغلاق يحتاج post-mortem")
    assert_not_reloaded(page)
    assert errors == [] and outside == []


def test_customer_health_follows_the_weekly_check_in(
    live_server: Any,
    page: Page,
    team: dict[str, Any],
    watch: Callable[..., Any],
    log_in: Callable[..., Any],
) -> None:
    customer = make_customer(
        actor=team["founder"], name="شركة الصحة", contact_email="health@example.sa"
    )
    draft = make_draft(customer=customer, author=team["operator"], to="health@example.sa")
    draft_approve(draft_id=draft.pk, approver=team["founder"], now=timezone.now())
    errors, outside = watch(page)
    log_in(page, "operator")
    page.goto(f"{live_server.url}/customers/{customer.pk}/success/")
    health = page.locator("#success-health")
    expect(health).to_contain_text("تكتمل بعد أول متابعة أسبوعية")
    mark_page(page)

    form = page.locator("#check-in form")
    form.locator("[name=replies]").fill("3")
    form.locator("[name=meetings]").fill("1")
    form.locator("[name=pipeline_sar]").fill("15000")
    form.locator("[name=csat]").fill("8.5")
    form.locator("[data-action=check-in]").click()

    expect(page.locator("#check-in")).to_contain_text("أُنشئت مسودة المتابعة")
    expect(health.locator(".health")).to_be_visible()
    expect(health).not_to_contain_text("تكتمل بعد أول متابعة أسبوعية")
    assert_not_reloaded(page)
    assert errors == [] and outside == []


def test_founder_inbox_follows_new_drafts_but_never_eats_a_half_typed_reason(
    live_server: Any,
    page: Page,
    team: dict[str, Any],
    settings: Any,
    watch: Callable[..., Any],
    log_in: Callable[..., Any],
) -> None:
    settings.DEALIX_POLL_SECONDS = 1
    customer = make_customer(actor=team["founder"], name="شركة الصندوق")
    first = make_draft(customer=customer, author=team["operator"], subject="المسودة الأولى")
    errors, outside = watch(page)
    log_in(page, "founder")
    page.goto(f"{live_server.url}/approvals/")
    mark_page(page)
    card = page.locator(f"#draft-{first.pk}")
    card.locator("[data-action=reject-open]").click()
    card.locator("textarea[name=reason]").fill("النبرة رسمية أكثر من اللازم")

    second = make_draft(customer=customer, author=team["operator"], subject="المسودة الثانية")
    page.wait_for_timeout(3000)  # three polls' worth

    expect(page.locator(f"#draft-{second.pk}")).to_have_count(0)
    expect(card.locator("textarea[name=reason]")).to_have_value("النبرة رسمية أكثر من اللازم")
    card.locator("textarea[name=reason]").fill("")
    page.locator("h1").click()  # the founder gives up on the rejection: the inbox catches up
    expect(page.locator(f"#draft-{second.pk}")).to_be_visible(timeout=10_000)
    assert_not_reloaded(page)
    assert errors == [] and outside == []
