"""Nothing a person typed is rendered unescaped: markup stored in every text field shows as text.

The templates escape by default and no template or tag marks user text safe (the three
`format_html`/`SafeString` helpers in `templatetags/ops.py` build markup from dates, numbers and
translated labels only, and escape those). These tests store markup through the services, the way
the app does, and read every page that shows it, including the approvals inbox's claims
highlight (which cuts a draft into marked and unmarked pieces) and the public progress page.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from customer_ops.domain.incidents import POSTMORTEM_FIELDS
from customer_ops.models import Customer, Incident, OutboundDraft, Ticket
from customer_ops.services.connectors import connector_set_state
from customer_ops.services.drafts import draft_reject
from customer_ops.services.incidents import incident_postmortem_save, incident_timeline_add
from customer_ops.services.links import progress_link_create
from customer_ops.services.onboarding import onboarding_set_step
from customer_ops.services.success import proof_pack_record, success_plan_create
from tests.factories import make_customer, make_draft, make_incident, make_ticket
from tests.helpers import HX

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
HOSTILE = SCRIPT + ATTRIBUTE
# What the same text looks like once escaped by Django (&quot; for ", &lt; for <, …).
SCRIPT_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
ATTRIBUTE_ESCAPED = "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
RAW = re.compile(r"<script>alert|<img src=x|onerror=alert\(1\)>")


def assert_escaped(html: str, *, times: int = 1) -> None:
    """The hostile text is on the page, escaped, and never as markup."""
    assert not RAW.search(html), RAW.search(html)
    assert html.count(SCRIPT_ESCAPED) >= times
    assert ATTRIBUTE_ESCAPED in html


def hostile(label: str) -> str:
    return f"{label} {HOSTILE}"


@pytest.fixture
def stored(founder: Any, operator: Any) -> dict[str, Any]:
    """Markup in every kind of text the console shows, stored through the services."""
    now = timezone.now()
    customer = make_customer(
        actor=operator,
        name=hostile("شركة"),
        contact_name=hostile("جهة"),
        contact_email="client@example.sa",
        sector=hostile("قطاع"),
        city=hostile("مدينة"),
    )
    onboarding_set_step(
        customer_id=customer.pk,
        step_id="select_goal",
        completed=True,
        notes=hostile("ملاحظة"),
        actor=operator,
        now=now,
    )
    connector_set_state(
        customer_id=customer.pk,
        connector_key="gmail",
        to="configuring",
        notes=hostile("قناة"),
        actor=operator,
        now=now,
    )
    ticket = make_ticket(
        customer=customer, actor=operator, now=now, subject=hostile("موضوع"), body=hostile("نص")
    )
    # A prohibited claim between the markup: the highlight cuts the body around it.
    draft = make_draft(
        customer=customer,
        author=operator,
        subject=hostile("عنوان"),
        body=f"{SCRIPT} نتائج مضمونة 100% خلال أسبوع {ATTRIBUTE}",
    )
    rejected = make_draft(customer=customer, author=operator, body="هلا")
    draft_reject(draft_id=rejected.pk, actor=founder, now=now, reason=hostile("سبب"))
    incident = make_incident(
        actor=operator,
        now=now,
        title=hostile("حادثة")[:120],
        description=hostile("وصف"),
        customers=(customer,),
        has_data_leak=True,  # SEV1: the founders get a notification carrying the title
    )
    incident_timeline_add(
        incident_id=incident.pk, kind="note", text=hostile("خط"), actor=operator, now=now
    )
    incident_postmortem_save(
        incident_id=incident.pk,
        values={field.key: hostile(field.key) for field in POSTMORTEM_FIELDS},
        actor=operator,
        now=now,
    )
    success_plan_create(customer_id=customer.pk, start_on=None, actor=operator, now=now)
    proof_pack_record(
        customer_id=customer.pk,
        title=hostile("تقرير"),
        note=hostile("تسليم"),
        actor=operator,
        now=now,
    )
    link = progress_link_create(customer_id=customer.pk, actor=founder, now=now)
    return {
        "customer": customer,
        "ticket": ticket,
        "draft": draft,
        "rejected": rejected,
        "incident": incident,
        "progress_url": urlsplit(link.url).path,
    }


def _get(client: Client, url: str, **headers: str) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_hostile_text_was_stored_as_typed(stored: dict[str, Any]) -> None:
    assert Customer.objects.get().company_name.endswith(HOSTILE)
    assert Ticket.objects.get().subject.endswith(HOSTILE)
    assert SCRIPT in OutboundDraft.objects.get(pk=stored["draft"].pk).body
    assert HOSTILE in Incident.objects.get().description


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("home", {}),
        ("customers", {}),
        ("customer-page", {"customer_id": "customer"}),
        ("customer-ledger", {"customer_id": "customer"}),
        ("connector-board", {}),
        ("ticket-queue", {}),
        ("ticket-page", {"ticket_id": "ticket"}),
        ("incident-room", {}),
        ("incident-page", {"incident_id": "incident"}),
        ("customer-success", {"customer_id": "customer"}),
        ("approvals-inbox", {}),
        ("approvals-draft", {"draft_id": "draft"}),
        ("approvals-draft", {"draft_id": "rejected"}),
        ("notifications", {}),
    ],
)
def test_console_pages_show_stored_markup_as_text(
    founder_client: Client, stored: dict[str, Any], name: str, kwargs: dict[str, str]
) -> None:
    url = reverse(name, kwargs={key: stored[value].pk for key, value in kwargs.items()})

    html = _get(founder_client, url)

    assert_escaped(html)


def test_the_claims_highlight_escapes_the_pieces_around_a_finding(
    founder_client: Client, stored: dict[str, Any]
) -> None:
    html = _get(founder_client, reverse("approvals-draft", kwargs={"draft_id": stored["draft"].pk}))

    assert '<mark class="claim"' in html  # the finding is highlighted…
    assert_escaped(html)  # …and the markup on either side of it is text


def test_the_inbox_partial_for_htmx_escapes_too(
    founder_client: Client, stored: dict[str, Any]
) -> None:
    html = _get(founder_client, reverse("approvals-inbox"), **HX)

    assert "<html" not in html
    assert '<mark class="claim"' in html
    assert_escaped(html)


def test_the_incident_page_escapes_timeline_and_postmortem(
    operator_client: Client, stored: dict[str, Any]
) -> None:
    html = _get(operator_client, reverse("incident-page", args=[stored["incident"].pk]))

    # title, description, the timeline note and the eight post-mortem fields (in their inputs)
    assert_escaped(html, times=1 + 1 + 1 + len(POSTMORTEM_FIELDS))


def test_the_customer_progress_page_escapes_the_company_name(
    client: Client, stored: dict[str, Any]
) -> None:
    html = _get(client, stored["progress_url"])

    assert_escaped(html, times=2)  # the <title> and the heading


def test_a_refused_form_shows_the_typed_markup_as_text(operator_client: Client) -> None:
    response = operator_client.post(
        reverse("customer-new"), {"company_name": HOSTILE + "\u202e", "bundle": "growth_starter"}
    )

    assert response.status_code == 422
    assert_escaped(response.content.decode())
