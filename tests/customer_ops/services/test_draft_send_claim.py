"""Sending at most once (issue #9): the claim committed before delivery, and how a founder
resolves a send whose outcome is unknown.

A crash is simulated the way it happens: `_claim_send` (step A) commits and nothing follows,
with the email handed to the mail framework or not. The SMTP tests use a small SMTP server on
127.0.0.1 so the split between "refused, nothing sent" and "may have been sent" is checked
against what smtplib and Django's SMTP backend really raise.
"""

from __future__ import annotations

import datetime as dt
import smtplib
import socketserver
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core import mail
from django.db import connection, connections, transaction
from django.utils import timezone

from customer_ops.domain.delivery import SEND_SETTLE, SendFailed, SendOutcomeUnknown
from customer_ops.domain.errors import DomainError, RoleRefused, RuleRefused
from customer_ops.domain.transitions import DraftStatus
from customer_ops.models import LedgerEntry, OutboundDraft
from customer_ops.services import draft_delivery
from customer_ops.services.draft_delivery import draft_mark_sent, draft_release_send, draft_send
from customer_ops.services.drafts import draft_approve, draft_edit
from customer_ops.services.tickets import ticket_reply_draft
from tests.factories import make_draft, make_ticket

pytestmark = pytest.mark.django_db

LATER = SEND_SETTLE + dt.timedelta(seconds=1)


@pytest.fixture
def approved_draft_fields() -> dict[str, Any]:
    return {"subject": "تحديث الأسبوع"}


def verbs(draft: OutboundDraft) -> list[str]:
    return list(
        LedgerEntry.objects.filter(object_type="outbounddraft", object_id=str(draft.pk))
        .order_by("id")
        .values_list("verb", flat=True)
    )


def crash_after_claim(draft: OutboundDraft, actor: Any, *, delivered: bool) -> dt.datetime:
    """What a SIGKILL during delivery leaves: the committed claim, the email out or not."""
    claimed, _route, _request = draft_delivery._claim_send(
        draft_id=draft.pk, actor=actor, now=timezone.now()
    )
    if delivered:
        mail.send_mail(claimed.subject, claimed.body, None, [claimed.to])
    assert claimed.send_started_at is not None
    return claimed.send_started_at


def failing_send_mail(exc: BaseException) -> Callable[..., int]:
    def send_mail(*args: Any, **kwargs: Any) -> int:
        raise exc

    return send_mail


# ── The three steps ────────────────────────────────────────────────────────────────────────────
@pytest.mark.django_db(transaction=True)
def test_the_claim_is_committed_before_the_email_is_handed_over(
    customer: Any, operator: Any, founder: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft = make_draft(customer=customer, author=operator)
    draft_approve(draft_id=draft.pk, approver=founder, now=timezone.now())
    seen: dict[str, Any] = {}
    real_send = mail.EmailMessage.send

    def read_from_another_connection() -> None:
        try:  # what a process restarted right now would find
            row = OutboundDraft.objects.get(pk=draft.pk)
            seen["claim"] = row.send_started_at
            seen["status"] = row.status
            seen["ledger"] = verbs(row)
        finally:
            connections.close_all()

    def inspecting_send_mail(message: mail.EmailMessage, *args: Any, **kwargs: Any) -> int:
        seen["in_transaction"] = connection.in_atomic_block
        reader = threading.Thread(target=read_from_another_connection)
        reader.start()
        reader.join()
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMessage, "send", inspecting_send_mail)
    sent = draft_send(draft_id=draft.pk, actor=operator, now=timezone.now())

    assert seen["in_transaction"] is False
    assert seen["claim"] is not None and seen["status"] == "approved"
    assert seen["ledger"] == ["drafts.created", "drafts.approved", "drafts.send_started"]
    assert sent.status == DraftStatus.SENT and sent.send_started_at is None
    assert OutboundDraft.objects.get(pk=draft.pk).send_started_at is None
    assert verbs(draft)[-2:] == ["drafts.send_started", "drafts.sent"]
    assert len(mail.outbox) == 1


def test_a_send_inside_a_callers_transaction_is_refused_loudly(
    approved: OutboundDraft, operator: Any
) -> None:
    # The claim would commit only with the caller's transaction, after the email left.
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        draft_send(draft_id=approved.pk, actor=operator, now=timezone.now())

    assert mail.outbox == []


def test_sending_records_the_claim_then_the_send(approved: OutboundDraft, operator: Any) -> None:
    now = timezone.now()

    sent = draft_send(draft_id=approved.pk, actor=operator, now=now)

    assert (sent.status, sent.sent_at, sent.send_started_at) == ("sent", now, None)
    started = LedgerEntry.objects.get(verb="drafts.send_started", object_id=str(approved.pk))
    assert started.after["to"] == "client@example.sa" and started.actor == operator
    assert len(mail.outbox) == 1


# ── A claim that stands ────────────────────────────────────────────────────────────────────────
def test_a_send_while_another_is_in_progress_is_refused_and_sends_nothing(
    approved: OutboundDraft, operator: Any, founder: Any
) -> None:
    started = crash_after_claim(approved, operator, delivered=False)

    with pytest.raises(SendOutcomeUnknown) as soon:
        draft_send(draft_id=approved.pk, actor=founder, now=timezone.now())
    with pytest.raises(SendOutcomeUnknown) as later:
        draft_send(draft_id=approved.pk, actor=founder, now=started + LATER)

    assert soon.value.in_progress and "may still be in progress" in str(soon.value)
    assert not later.value.in_progress
    assert "outcome is unknown" in str(later.value) and "release it" in str(later.value)
    assert "راجع صندوق البريد المُرسل" in later.value.message_ar
    assert mail.outbox == []
    draft = OutboundDraft.objects.get(pk=approved.pk)
    assert (draft.status, draft.send_started_at) == ("approved", started)
    assert verbs(draft).count("drafts.send_started") == 1


def test_a_claimed_draft_cannot_be_edited(approved: OutboundDraft, operator: Any) -> None:
    crash_after_claim(approved, operator, delivered=True)

    with pytest.raises(SendOutcomeUnknown):
        draft_edit(draft_id=approved.pk, actor=operator, now=timezone.now(), body="نص آخر")

    assert OutboundDraft.objects.get(pk=approved.pk).status == "approved"


# ── Delivery failures ──────────────────────────────────────────────────────────────────────────
def test_a_refused_delivery_releases_the_claim_and_the_draft_can_be_sent_again(
    approved: OutboundDraft, operator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    refused = smtplib.SMTPRecipientsRefused({"client@example.sa": (550, b"no such user")})
    monkeypatch.setattr(mail.EmailMessage, "send", failing_send_mail(refused))

    with pytest.raises(SendFailed) as failure:
        draft_send(draft_id=approved.pk, actor=operator, now=timezone.now())

    assert isinstance(
        failure.value, DomainError
    )  # a 400 in the API, an inline error in the console
    assert "nothing was sent" in str(failure.value) and "SMTPRecipientsRefused" in str(
        failure.value
    )
    draft = OutboundDraft.objects.get(pk=approved.pk)
    assert (draft.status, draft.send_started_at) == ("approved", None)
    failed = LedgerEntry.objects.get(verb="drafts.send_failed", object_id=str(draft.pk))
    assert failed.after["error"].startswith("SMTPRecipientsRefused")
    assert failed.before["send_started_at"] is not None
    monkeypatch.undo()
    assert draft_send(draft_id=draft.pk, actor=operator, now=timezone.now()).status == "sent"
    assert len(mail.outbox) == 1


def test_the_failure_text_keeps_the_mail_servers_credentials_out(
    approved: OutboundDraft, operator: Any, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "OPTIONS": {"username": "ops@dealix.sa", "password": "s3cret-pw"},
        }
    }
    denied = smtplib.SMTPAuthenticationError(535, b"bad login ops@dealix.sa / s3cret-pw")
    monkeypatch.setattr(mail.EmailMessage, "send", failing_send_mail(denied))

    with pytest.raises(SendFailed) as failure:
        draft_send(draft_id=approved.pk, actor=operator, now=timezone.now())

    row = LedgerEntry.objects.get(verb="drafts.send_failed", object_id=str(approved.pk))
    for text in (str(failure.value), failure.value.message_ar, row.note, row.after["error"]):
        assert "s3cret-pw" not in text and "ops@dealix.sa" not in text
        assert "***" in text


def test_an_error_that_may_follow_the_acceptance_keeps_the_claim(
    approved: OutboundDraft, operator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A timeout waiting for the reply to the message: the server may well have taken it.
    monkeypatch.setattr(mail.EmailMessage, "send", failing_send_mail(TimeoutError("timed out")))

    with pytest.raises(SendOutcomeUnknown) as unknown:
        draft_send(draft_id=approved.pk, actor=operator, now=timezone.now())

    assert not unknown.value.in_progress and "TimeoutError: timed out" in str(unknown.value)
    draft = OutboundDraft.objects.get(pk=approved.pk)
    assert draft.status == "approved" and draft.send_started_at is not None
    assert verbs(draft)[-2:] == ["drafts.send_started", "drafts.send_outcome_unknown"]
    monkeypatch.undo()
    with pytest.raises(SendOutcomeUnknown):
        draft_send(draft_id=draft.pk, actor=operator, now=timezone.now())
    assert mail.outbox == []


# ── The founder's resolution ───────────────────────────────────────────────────────────────────
def test_a_founder_releases_a_send_that_never_left_and_it_goes_out_once(
    approved: OutboundDraft, operator: Any, founder: Any
) -> None:
    started = crash_after_claim(approved, operator, delivered=False)
    note = "not in the sent mailbox nor the mail server log"

    released = draft_release_send(
        draft_id=approved.pk, actor=founder, now=started + LATER, note=note
    )
    sent = draft_send(draft_id=approved.pk, actor=operator, now=started + 2 * LATER)

    assert released.send_started_at is None
    row = LedgerEntry.objects.get(verb="drafts.send_released", object_id=str(approved.pk))
    assert (row.actor, row.note, row.after) == (founder, note, {"send_started_at": None})
    assert sent.status == "sent"
    assert len(mail.outbox) == 1
    assert verbs(sent)[2:] == [
        "drafts.send_started",
        "drafts.send_released",
        "drafts.send_started",
        "drafts.sent",
    ]


def test_a_founder_marks_sent_a_send_found_in_the_mailbox_and_nothing_goes_out_again(
    approved: OutboundDraft, operator: Any, founder: Any
) -> None:
    started = crash_after_claim(approved, operator, delivered=True)
    confirmed_at = started + LATER

    marked = draft_mark_sent(
        draft_id=approved.pk, actor=founder, now=confirmed_at, note="in the sent mailbox, 10:02"
    )
    again = draft_send(draft_id=approved.pk, actor=operator, now=confirmed_at)

    # The app did send it: `sent`, dated when that send started (the customer got it then).
    assert (marked.status, marked.sent_at, marked.sent_by) == ("sent", started, founder)
    assert marked.send_started_at is None
    assert "in the sent mailbox, 10:02" in marked.send_result
    row = LedgerEntry.objects.get(verb="drafts.sent", object_id=str(approved.pk))
    assert row.at == started and row.after["route"] == "email"
    assert row.after["confirmed_at"] is not None
    assert again.status == "sent"
    assert len(mail.outbox) == 1  # the one the crashed send delivered


def test_only_a_founder_resolves_and_only_after_the_settle_window_with_a_note(
    approved: OutboundDraft, operator: Any, founder: Any
) -> None:
    started = crash_after_claim(approved, operator, delivered=False)
    later = started + LATER

    for resolve in (draft_release_send, draft_mark_sent):
        with pytest.raises(RoleRefused, match="only a founder"):
            resolve(draft_id=approved.pk, actor=operator, now=later, note="checked")
        with pytest.raises(SendOutcomeUnknown, match="in progress"):
            resolve(draft_id=approved.pk, actor=founder, now=started, note="checked")
        with pytest.raises(RuleRefused, match="what you checked") as no_note:
            resolve(draft_id=approved.pk, actor=founder, now=later, note="  ")
        assert no_note.value.field == "note"

    draft = OutboundDraft.objects.get(pk=approved.pk)
    assert (draft.status, draft.send_started_at) == ("approved", started)
    assert verbs(draft)[-1] == "drafts.send_started"


def test_release_needs_a_standing_claim(
    approved: OutboundDraft, operator: Any, founder: Any
) -> None:
    with pytest.raises(RuleRefused, match="no send of this draft"):
        draft_release_send(draft_id=approved.pk, actor=founder, now=timezone.now(), note="x")
    draft_send(draft_id=approved.pk, actor=operator, now=timezone.now())
    with pytest.raises(RuleRefused, match="already recorded as sent"):
        draft_release_send(draft_id=approved.pk, actor=founder, now=timezone.now(), note="x")


def test_a_confirmed_ticket_reply_counts_as_the_first_response_when_it_left(
    customer: Any, operator: Any, founder: Any
) -> None:
    opened = timezone.now() - dt.timedelta(hours=1)
    ticket = make_ticket(customer=customer, actor=operator, now=opened, subject="تسريب أمان")
    draft = ticket_reply_draft(
        ticket_id=ticket.pk, actor=operator, now=opened, to="client@example.sa"
    )
    draft_approve(draft_id=draft.pk, approver=founder, now=opened)
    started = crash_after_claim(draft, operator, delivered=True)

    draft_mark_sent(draft_id=draft.pk, actor=founder, now=started + LATER, note="found it")

    ticket.refresh_from_db()
    assert ticket.first_response_at == started


# ── Against a real SMTP conversation ───────────────────────────────────────────────────────────
class _SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib; `server.mode` decides how the conversation ends."""

    server: _SmtpServer

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        self.reply("220 test ESMTP")
        while line := self.rfile.readline():
            command = line.decode(errors="replace").strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.reply("250 test")
            elif command.startswith("RCPT") and self.server.mode == "refuse_rcpt":
                self.reply("550 no such user")
            elif command.startswith(("MAIL", "RCPT", "RSET", "NOOP")):
                self.reply("250 ok")
            elif command == "DATA":
                self.reply("354 go ahead")
                body = b"".join(iter(self.rfile.readline, b".\r\n"))
                if self.server.mode == "drop_after_data":
                    self.server.messages.append(body)  # taken, but the reply never comes
                    return
                self.server.messages.append(body)
                self.reply("250 queued")
            elif command == "QUIT":
                self.reply("221 bye")
                return


class _SmtpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, mode: str) -> None:
        super().__init__(("127.0.0.1", 0), _SmtpHandler)
        self.mode = mode
        self.messages: list[bytes] = []


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[Callable[[str], _SmtpServer]]:
    servers: list[_SmtpServer] = []

    def start(mode: str) -> _SmtpServer:
        server = _SmtpServer(mode)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": server.server_address[1], "timeout": 5},
            }
        }
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_smtp_accepting_the_message_records_the_send(
    approved: OutboundDraft, operator: Any, smtp_server: Callable[[str], _SmtpServer]
) -> None:
    server = smtp_server("accept")

    sent = draft_send(draft_id=approved.pk, actor=operator, now=timezone.now())

    assert sent.status == "sent" and len(server.messages) == 1


def test_smtp_refusing_the_recipient_releases_the_claim(
    approved: OutboundDraft, operator: Any, smtp_server: Callable[[str], _SmtpServer]
) -> None:
    server = smtp_server("refuse_rcpt")

    with pytest.raises(SendFailed, match="SMTPRecipientsRefused"):
        draft_send(draft_id=approved.pk, actor=operator, now=timezone.now())

    assert server.messages == []
    assert OutboundDraft.objects.get(pk=approved.pk).send_started_at is None


def test_smtp_dropping_the_line_after_the_message_keeps_the_claim(
    approved: OutboundDraft, operator: Any, smtp_server: Callable[[str], _SmtpServer]
) -> None:
    server = smtp_server("drop_after_data")

    with pytest.raises(SendOutcomeUnknown, match="SMTPServerDisconnected"):
        draft_send(draft_id=approved.pk, actor=operator, now=timezone.now())

    # The server has the message; sending again now would email the customer twice.
    assert len(server.messages) == 1
    draft = OutboundDraft.objects.get(pk=approved.pk)
    assert draft.status == "approved" and draft.send_started_at is not None
    with pytest.raises(SendOutcomeUnknown):
        draft_send(draft_id=approved.pk, actor=operator, now=timezone.now())
    assert len(server.messages) == 1
