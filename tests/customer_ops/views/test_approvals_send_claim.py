"""The approvals console for a send whose outcome is unknown (issue #9): a clear warning, no send
button, and the founder's two ways out (mark sent, release for sending again)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from customer_ops.domain.delivery import SEND_SETTLE
from customer_ops.models import LedgerEntry, OutboundDraft
from tests.factories import crashed_send
from tests.helpers import HX

pytestmark = pytest.mark.django_db

LONG_AGO = SEND_SETTLE + dt.timedelta(minutes=1)
UNKNOWN = "لا نعرف هل وصلت هذه الرسالة إلى العميل."


def url(name: str, draft: OutboundDraft) -> str:
    return reverse(name, kwargs={"draft_id": draft.pk})


@pytest.fixture
def customer_fields() -> dict[str, Any]:
    return {"name": "شركة الإرسال"}


@pytest.fixture
def approved_draft_fields() -> dict[str, Any]:
    return {"subject": "ملخص الأسبوع"}


def test_founder_sees_the_warning_and_both_ways_out_but_no_send_button(
    founder_client: Client, approved: OutboundDraft, operator: Any
) -> None:
    crashed_send(approved, operator, ago=LONG_AGO)

    html = founder_client.get(url("approvals-draft", approved)).content.decode()

    assert UNKNOWN in html and 'data-send-state="unknown"' in html
    assert "لن يعيد التطبيق إرسالها من تلقاء نفسه" in html
    assert url("approvals-send", approved) not in html
    assert f'hx-post="{url("approvals-release-send", approved)}"' in html
    assert f'hx-post="{url("approvals-mark-sent", approved)}"' in html
    assert 'data-action="release-send"' in html and 'data-action="confirm-sent"' in html
    assert "csrfmiddlewaretoken" in html


def test_a_send_just_started_shows_in_progress_and_no_actions(
    founder_client: Client, approved: OutboundDraft, operator: Any
) -> None:
    crashed_send(approved, operator, ago=dt.timedelta(seconds=10))

    html = founder_client.get(url("approvals-draft", approved)).content.decode()

    assert 'data-send-state="in_progress"' in html and "وقد يكون ما زال جارياً" in html
    assert url("approvals-send", approved) not in html
    assert url("approvals-release-send", approved) not in html


def test_operator_sees_the_warning_without_actions_and_a_forged_release_is_403(
    operator_client: Client, approved: OutboundDraft, operator: Any
) -> None:
    crashed_send(approved, operator, ago=LONG_AGO)

    html = operator_client.get(url("approvals-draft", approved)).content.decode()
    forged = operator_client.post(
        url("approvals-release-send", approved), {"note": "x"}, headers=HX
    )
    marked = operator_client.post(url("approvals-mark-sent", approved), {"note": "x"}, headers=HX)

    assert UNKNOWN in html and "بانتظار قرار المؤسس" in html
    assert url("approvals-release-send", approved) not in html
    assert forged.status_code == 403
    assert marked.status_code == 403 and "للمؤسس فقط" in marked.content.decode()
    draft = OutboundDraft.objects.get(pk=approved.pk)
    assert draft.status == "approved" and draft.send_started_at is not None


def test_founder_releases_in_place_and_can_send_again(
    founder_client: Client, approved: OutboundDraft, operator: Any
) -> None:
    crashed_send(approved, operator, ago=LONG_AGO)

    no_note = founder_client.post(url("approvals-release-send", approved), {}, headers=HX)
    released = founder_client.post(
        url("approvals-release-send", approved), {"note": "ليست في البريد المُرسل"}, headers=HX
    )
    sent = founder_client.post(url("approvals-send", approved), headers=HX)

    assert no_note.status_code == 422 and "اذكر ما راجعته" in no_note.content.decode()
    html = released.content.decode()
    assert released.status_code == 200 and "drafts-changed" in released["HX-Trigger"]
    assert html.lstrip().startswith(f'<article id="draft-{approved.pk}"')
    assert UNKNOWN not in html and url("approvals-send", approved) in html
    assert sent.status_code == 200
    assert OutboundDraft.objects.get(pk=approved.pk).status == "sent"
    assert len(mail.outbox) == 1
    row = LedgerEntry.objects.get(verb="drafts.send_released", object_id=str(approved.pk))
    assert row.note == "ليست في البريد المُرسل"


def test_founder_marks_the_found_email_sent(
    founder_client: Client, approved: OutboundDraft, operator: Any
) -> None:
    crashed_send(approved, operator, ago=LONG_AGO)

    response = founder_client.post(
        url("approvals-mark-sent", approved), {"note": "في البريد المُرسل"}, headers=HX
    )

    assert response.status_code == 200
    draft = OutboundDraft.objects.get(pk=approved.pk)
    assert (draft.status, draft.send_started_at) == ("sent", None)
    assert UNKNOWN not in response.content.decode()
    assert mail.outbox == []


def test_sending_again_from_a_stale_page_is_refused_in_arabic(
    founder_client: Client, approved: OutboundDraft, operator: Any
) -> None:
    crashed_send(approved, operator, ago=LONG_AGO)

    response = founder_client.post(url("approvals-send", approved), headers=HX)

    assert response.status_code == 422
    assert "ولا نعرف هل وصلت" in response.content.decode()
    assert mail.outbox == []
