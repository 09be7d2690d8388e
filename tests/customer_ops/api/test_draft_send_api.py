"""The API side of sending at most once: 409 while a send's outcome is unknown, and the founder's
`release-send` (issue #9)."""

from __future__ import annotations

import datetime as dt
import smtplib
from typing import Any

import pytest
from django.core import mail
from django.utils.dateparse import parse_datetime
from rest_framework.test import APIClient

from customer_ops.domain.delivery import SEND_SETTLE
from customer_ops.models import LedgerEntry, OutboundDraft
from tests.factories import crashed_send

pytestmark = pytest.mark.django_db

LONG_AGO = SEND_SETTLE + dt.timedelta(minutes=1)


@pytest.fixture
def approved_draft_fields() -> dict[str, Any]:
    return {"subject": "خطة الأسبوع"}


def path(draft: OutboundDraft, verb: str) -> str:
    return f"/api/v1/drafts/{draft.pk}/{verb}/"


def test_the_draft_shows_its_send_claim(
    operator_api: APIClient, approved: OutboundDraft, operator: Any
) -> None:
    before = operator_api.get(f"/api/v1/drafts/{approved.pk}/").json()
    crashed_send(approved, operator, ago=LONG_AGO)
    after = operator_api.get(f"/api/v1/drafts/{approved.pk}/").json()

    assert before["send_started_at"] is None
    assert after["send_started_at"] is not None and after["status"] == "approved"


def test_send_while_the_outcome_is_unknown_is_409_in_both_languages(
    operator_api: APIClient, approved: OutboundDraft, operator: Any
) -> None:
    crashed_send(approved, operator, ago=LONG_AGO)

    response = operator_api.post(path(approved, "send"))

    assert response.status_code == 409
    body = response.json()
    assert "outcome is unknown" in body["error"] and "mark it sent or release it" in body["error"]
    assert "ولا نعرف هل وصلت" in body["error_ar"]
    assert mail.outbox == []


def test_a_refused_delivery_is_a_400_and_nothing_is_sent(
    operator_api: APIClient, approved: OutboundDraft, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> int:
        raise smtplib.SMTPSenderRefused(550, b"sender refused", "ops@dealix.sa")

    monkeypatch.setattr(mail.EmailMessage, "send", refuse)

    response = operator_api.post(path(approved, "send"))

    assert response.status_code == 400
    assert "nothing was sent" in response.json()["error"]
    assert "لم يقبل خادم البريد" in response.json()["error_ar"]
    assert OutboundDraft.objects.get(pk=approved.pk).send_started_at is None


def test_release_send_is_founder_only(
    operator_api: APIClient, approved: OutboundDraft, operator: Any
) -> None:
    crashed_send(approved, operator, ago=LONG_AGO)

    response = operator_api.post(path(approved, "release-send"), {"note": "x"}, format="json")

    assert response.status_code == 403
    assert OutboundDraft.objects.get(pk=approved.pk).send_started_at is not None


def test_founder_releases_then_the_draft_is_sent_once(
    founder_api: APIClient, operator_api: APIClient, approved: OutboundDraft, operator: Any
) -> None:
    crashed_send(approved, operator, ago=LONG_AGO)
    note = "not in the sent mailbox"

    without_note = founder_api.post(path(approved, "release-send"), {}, format="json")
    released = founder_api.post(path(approved, "release-send"), {"note": note}, format="json")
    again = founder_api.post(path(approved, "release-send"), {"note": note}, format="json")
    sent = operator_api.post(path(approved, "send"))

    assert without_note.status_code == 400 and "note" in without_note.json()["errors"]
    assert released.status_code == 200 and released.json()["send_started_at"] is None
    assert again.status_code == 400  # nothing left to release
    assert sent.status_code == 200 and sent.json()["status"] == "sent"
    assert len(mail.outbox) == 1
    row = LedgerEntry.objects.get(verb="drafts.send_released")
    assert row.note == note


def test_release_right_after_the_send_started_is_409(
    founder_api: APIClient, approved: OutboundDraft, operator: Any
) -> None:
    crashed_send(approved, operator, ago=dt.timedelta(seconds=5))

    response = founder_api.post(path(approved, "release-send"), {"note": "x"}, format="json")

    assert response.status_code == 409
    assert "may still be in progress" in response.json()["error"]


def test_founder_confirms_a_send_found_in_the_mailbox(
    founder_api: APIClient, operator_api: APIClient, approved: OutboundDraft, operator: Any
) -> None:
    claimed = crashed_send(approved, operator, ago=LONG_AGO)

    by_operator = operator_api.post(path(approved, "mark-sent"), {"note": "seen"}, format="json")
    by_founder = founder_api.post(path(approved, "mark-sent"), {"note": "seen"}, format="json")
    send = operator_api.post(path(approved, "send"))

    assert by_operator.status_code == 403 and "only a founder" in by_operator.json()["error"]
    body = by_founder.json()
    assert by_founder.status_code == 200
    assert (body["status"], body["send_started_at"]) == ("sent", None)
    assert parse_datetime(body["sent_at"]) == claimed.send_started_at
    assert send.status_code == 200 and mail.outbox == []
