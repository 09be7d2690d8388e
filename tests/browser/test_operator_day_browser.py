"""A real browser walks an operator's day end to end, in Arabic, on a desktop and at 390 px.

A P0 ticket whose customer wrote «بدون موافقتي»; the operator drafts the reply from the P0 template
(quoting the customer's subject, which is not our claim) with a promise we may not make; the reply
area flags it, the operator corrects it in the edit form while the claims check follows the typing;
the founder, whose inbox was open all along, sees the draft arrive on its own, approves and sends
it. Then the readiness, incident header and customer health panels follow their actions without a
reload (issue #19, "Done when").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from customer_ops.domain.incidents import POSTMORTEM_FIELDS
from customer_ops.models import Customer, OutboundDraft
from customer_ops.services.drafts import draft_approve
from customer_ops.services.incidents import incident_change_status
from tests.browser.conftest import is_console_error
from tests.browser.test_live_regions_browser import assert_not_reloaded, mark_page, move_connector
from tests.factories import make_customer, make_draft, make_incident, make_ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLAIM = "نضمن لكم ألا يتكرر هذا أبداً."
FIXED = "نراجع ما حدث ونوافيكم بالنتيجة خلال ساعتين."
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def _page(browser: Browser, viewport: dict[str, int], errors: list[str]) -> Page:
    context = browser.new_context(viewport=viewport, locale="ar")  # type: ignore[arg-type]
    page = context.new_page()
    page.on("console", lambda msg: errors.append(msg.text) if is_console_error(msg) else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return page


@pytest.mark.parametrize("screen", list(VIEWPORTS))
def test_operator_day_end_to_end(
    live_server: Any,
    browser: Browser,
    settings: Any,
    screen: str,
    log_in: Callable[..., Any],
) -> None:
    settings.DEALIX_POLL_SECONDS = 1  # the founder's inbox follows the operator within a second
    call_command("seed_demo", force=True)
    users = get_user_model().objects
    founder, operator = users.get(username="founder"), users.get(username="operator")
    customer = Customer.objects.get(company_name="شركة نمو للتدريب")
    now = timezone.now()
    ticket = make_ticket(
        customer=customer,
        actor=operator,
        now=now,
        subject="أرسلتم رسالة لعملائي بدون موافقتي",
        body="وصلت رسالة لعملائي بدون موافقتي، أوقفوا الإرسال فوراً.",
    )
    assert ticket.priority == "P0"
    errors: list[str] = []
    viewport = VIEWPORTS[screen]

    # The founder opens the approvals inbox and leaves it open.
    inbox = _page(browser, viewport, errors)
    log_in(inbox, "founder")
    inbox.goto(f"{live_server.url}/approvals/")
    mark_page(inbox)

    # The operator drafts the first response from the P0 template, adding a promise.
    desk = _page(browser, viewport, errors)
    log_in(desk, "operator")
    desk.goto(f"{live_server.url}/tickets/{ticket.pk}/")
    assert desk.get_attribute("html", "dir") == "rtl"
    reply = desk.locator("#ticket-reply")
    expect(reply.locator("summary").first).to_contain_text("قالب P0")
    body = reply.locator("form[hx-post$='/reply/'] [name=body]")
    body.fill(f"{body.input_value()}\n{CLAIM}")
    reply.locator("[data-action=reply]").click()
    expect(reply.locator(".message--success")).to_be_visible()
    draft = OutboundDraft.objects.get(ticket=ticket)
    assert "بدون موافقتي" in draft.subject  # the customer's words, quoted: not flagged
    item = desk.locator(f"#reply-draft-{draft.pk}")
    expect(item.locator("[data-claims]")).to_have_attribute("data-claims", "bad")

    # The founder's inbox gains the draft on its own; it cannot be approved yet.
    card = inbox.locator(f"#draft-{draft.pk}")
    expect(card).to_be_visible(timeout=15_000)
    expect(card).to_contain_text("صحّح الادعاءات المحظورة قبل الاعتماد")
    expect(card.locator("[data-action=approve]")).to_have_count(0)

    # The operator corrects it in the edit form; the claims check follows the typing.
    mark_page(desk)
    edit_body = item.locator("[data-draft-edit] [name=body]")
    live = item.locator("[data-claims-live]")
    expect(live).to_have_attribute("data-claims-live", "bad")
    edit_body.fill(edit_body.input_value().replace(CLAIM, FIXED))
    expect(live).to_have_attribute("data-claims-live", "ok", timeout=15_000)
    item.locator("[data-action=edit-save]").click()
    item = desk.locator(f"#reply-draft-{draft.pk}")
    expect(item.locator("[data-edited]")).to_be_visible()
    expect(item.locator("[data-claims]")).to_have_attribute("data-claims", "ok")
    assert_not_reloaded(desk)

    # The founder's open inbox follows: approve, then send by email.
    approve = inbox.locator(f"#draft-{draft.pk} [data-action=approve]")
    expect(approve).to_be_visible(timeout=15_000)
    approve.click()
    inbox.locator(f"#draft-{draft.pk} [data-action=send]").click()
    expect(inbox.locator(f"#draft-{draft.pk} .status")).to_have_text("أُرسلت")
    assert_not_reloaded(inbox)
    draft.refresh_from_db()
    assert draft.status == "sent" and FIXED in draft.body and CLAIM not in draft.body

    # Readiness follows the connector row on a new customer's page.
    fresh = make_customer(actor=founder, name="شركة اليوم", contact_email="day@example.sa")
    desk.goto(f"{live_server.url}/customers/{fresh.pk}/")
    mark_page(desk)
    readiness = desk.locator("#customer-readiness")
    expect(readiness).to_contain_text("غير جاهز بعد")
    move_connector(desk, fresh.pk, "whatsapp_cloud", "configuring", "connected_draft_only")
    expect(readiness).to_contain_text("جاهز لتشغيل الخدمة الأولى")
    assert_not_reloaded(desk)

    # The incident header follows the completed post-mortem.
    incident = make_incident(actor=operator, now=now, customers=(fresh,), severity="SEV2")
    incident_change_status(incident_id=incident.pk, to="resolved", actor=operator, now=now)
    desk.goto(f"{live_server.url}/incidents/{incident.pk}/")
    mark_page(desk)
    head = desk.locator("#incident-head")
    expect(head).to_contain_text("الإغلاق يحتاج post-mortem")
    postmortem = desk.locator("#incident-postmortem form")
    for field in POSTMORTEM_FIELDS:
        postmortem.locator(f"[name={field.key}]").fill(f"قيمة {field.key}")
    postmortem.locator("button[type=submit]").click()
    expect(head).not_to_contain_text("الإغلاق يحتاج post-mortem")
    assert_not_reloaded(desk)

    # Customer health follows the weekly check-in.
    decided = make_draft(customer=fresh, author=operator, to="day@example.sa")
    draft_approve(draft_id=decided.pk, approver=founder, now=timezone.now())
    desk.goto(f"{live_server.url}/customers/{fresh.pk}/success/")
    mark_page(desk)
    health = desk.locator("#success-health")
    expect(health).to_contain_text("تكتمل بعد أول متابعة أسبوعية")
    check_in = desk.locator("#check-in form")
    for name, value in {
        "replies": "3",
        "meetings": "1",
        "pipeline_sar": "15000",
        "csat": "9",
    }.items():
        check_in.locator(f"[name={name}]").fill(value)
    check_in.locator("[data-action=check-in]").click()
    expect(health.locator(".health")).to_be_visible()
    assert_not_reloaded(desk)

    # At 390 px nothing is wider than the screen on the pages walked.
    if screen == "phone":
        for url in (f"/tickets/{ticket.pk}/", "/approvals/"):
            desk.goto(f"{live_server.url}{url}")
            width = desk.evaluate("document.documentElement.scrollWidth")
            assert width <= viewport["width"] + 1, (url, width)
    assert errors == []
