"""One WhatsApp conversation in a real browser: in, ticket, reply, approval, out, delivered, read."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from customer_ops.models import Customer, Ticket, TicketMessage
from customer_ops.services.contacts import contact_opt_in_record
from customer_ops.services.customers import customer_update
from tests.browser.conftest import LogIn
from tests.whatsapp_fakes import (
    ACCESS_TOKEN,
    APP_SECRET,
    PHONE_NUMBER_ID,
    FakeGraphApi,
    envelope,
    inbound_text,
    signed_body,
    status_update,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def deliver(base_url: str, payload: dict[str, Any]) -> None:
    body, signature = signed_body(payload)
    response = httpx.post(
        f"{base_url}/webhooks/whatsapp/",
        content=body,
        headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature},
    )
    assert response.status_code == 200


@pytest.fixture
def graph_api() -> Any:
    fake = FakeGraphApi().start()
    yield fake
    fake.stop()


def test_one_whatsapp_conversation_end_to_end(
    live_server: Any, page: Page, settings: Any, graph_api: FakeGraphApi, log_in: LogIn
) -> None:
    settings.WHATSAPP_APP_SECRET = APP_SECRET
    settings.WHATSAPP_ACCESS_TOKEN = ACCESS_TOKEN
    settings.WHATSAPP_PHONE_NUMBER_ID = PHONE_NUMBER_ID
    settings.WHATSAPP_API_BASE = graph_api.base_url
    settings.WHATSAPP_ALLOW_LIVE_SEND = True
    call_command("seed_demo", force=True)
    founder = get_user_model().objects.get(username="founder")
    customer = customer_update(
        customer_id=Customer.objects.order_by("pk").first().pk,  # type: ignore[union-attr]
        actor=founder,
        now=timezone.now(),
        contact_phone="050 111 2233",
    )
    contact_opt_in_record(
        customer_id=customer.pk,
        channel="whatsapp",
        value=customer.contact_phone,
        method="signed order form",
        actor=founder,
        now=timezone.now(),
    )
    wa_id = customer.contact_phone.lstrip("+")
    base = live_server.url

    # The customer writes; the operator has the ticket page open.
    deliver(
        base,
        envelope(
            messages=[
                inbound_text(
                    wamid="wamid.B1", wa_id=wa_id, body="متى يصل تقرير الأسبوع؟", at=timezone.now()
                )
            ]
        ),
    )
    ticket = TicketMessage.objects.get(external_id="wamid.B1").ticket
    assert isinstance(ticket, Ticket) and ticket.channel == "whatsapp"
    log_in(page, "operator")
    page.goto(f"{base}/tickets/{ticket.pk}/")
    thread = page.locator("#ticket-thread")
    expect(thread).to_contain_text("متى يصل تقرير الأسبوع؟")
    deliver(
        base,
        envelope(
            messages=[
                inbound_text(wamid="wamid.B2", wa_id=wa_id, body="وشكراً لكم", at=timezone.now())
            ]
        ),
    )
    expect(thread).to_contain_text("وشكراً لكم", timeout=15_000)  # polled in, no reload

    # The operator drafts the reply; the founder approves it and sends it through WhatsApp.
    page.locator("#ticket-reply [data-action=reply]").click()
    expect(page.locator("#ticket-reply .message--success")).to_be_visible()
    draft = customer.drafts.get(ticket=ticket)
    # Leave the ticket page first: its htmx polls still in flight would otherwise land after the
    # cookies are cleared and set a new CSRF cookie under the founder's login form (a 403).
    page.goto("about:blank")
    page.context.clear_cookies()
    log_in(page, "founder")
    page.goto(f"{base}/approvals/{draft.pk}/")
    card = page.locator(f"#draft-{draft.pk}")
    expect(card.locator("[data-whatsapp-rule=free_text]")).to_be_visible()
    card.locator("[data-action=approve]").click()
    card.locator("[data-action=send]").click()
    expect(page.locator(f"#draft-{draft.pk} .status")).to_have_text("أُرسلت")
    assert graph_api.requests[-1]["json"]["to"] == wa_id

    # WhatsApp reports delivered, then read; the ticket page shows it.
    wamid = TicketMessage.objects.get(draft=draft).external_id
    for status in ("delivered", "read"):
        deliver(
            base,
            envelope(
                statuses=[
                    status_update(wamid=wamid, status=status, at=timezone.now(), recipient=wa_id)
                ]
            ),
        )
    page.goto(f"{base}/tickets/{ticket.pk}/")
    out = page.locator("#ticket-thread [data-direction=out]")
    expect(out).to_contain_text("قُرئت")
