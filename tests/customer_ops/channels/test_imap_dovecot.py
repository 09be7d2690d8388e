"""The IMAP route against a real Dovecot: poll, store once, never lose a message on a crash."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone
from imap_tools import MailBoxUnencrypted

from customer_ops.channels.imap_mailbox import ImapConfig, imap_config_from_url
from customer_ops.models import LedgerEntry, MailboxCursor, Ticket, TicketMessage
from customer_ops.services.mail_inbound import mailbox_poll
from customer_ops.tasks import support_mailbox_poll
from tests.dovecot import PASSWORD, Dovecot, start_dovecot
from tests.email_fakes import raw_email
from tests.factories import make_customer, make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def dovecot() -> Iterator[Dovecot]:
    server = start_dovecot()
    yield server
    server.stop()


@pytest.fixture
def mailbox(dovecot: Dovecot) -> ImapConfig:
    """A fresh user's INBOX on the shared server (each test reads its own mailbox)."""
    return imap_config_from_url(dovecot.url(dovecot.next_user()), timeout=10)


def deliver(config: ImapConfig, *raws: bytes) -> None:
    with MailBoxUnencrypted(config.host, config.port).login(config.user, PASSWORD) as box:
        for raw in raws:
            box.append(raw, "INBOX")


@pytest.fixture
def customer(founder: Any) -> Any:
    return make_customer(actor=founder, contact_email="ops@client.sa")


def test_the_url_names_the_mailbox_without_its_password() -> None:
    config = imap_config_from_url("imaps://sup%40x.sa:p%3Ass@imap.example.com/Support")

    assert (config.user, config.password, config.port, config.folder, config.ssl) == (
        "sup@x.sa",
        "p:ss",
        993,
        "Support",
        True,
    )
    assert "p:ss" not in config.key
    with pytest.raises(ValueError, match="SUPPORT_IMAP_URL"):
        imap_config_from_url("https://host/")


def test_a_poll_stores_new_mail_once_and_leaves_the_mailbox_as_it_was(
    mailbox: ImapConfig, customer: Any, operator: Any
) -> None:
    ticket = make_ticket(customer=customer, actor=operator, now=timezone.now())
    deliver(
        mailbox,
        raw_email(message_id="<i1@client.sa>", subject=f"Re: [#{ticket.pk}] سؤال"),
        raw_email(message_id="<i2@nobody.sa>", sender="who@nobody.sa"),
    )

    first = mailbox_poll(config=mailbox, now=timezone.now())
    second = mailbox_poll(config=mailbox, now=timezone.now())
    deliver(mailbox, raw_email(message_id="<i3@client.sa>", subject=f"[#{ticket.pk}]"))
    third = mailbox_poll(config=mailbox, now=timezone.now())

    assert (first, second, third) == (2, 0, 1)
    assert TicketMessage.objects.get(external_id="<i1@client.sa>").ticket_id == ticket.pk
    assert TicketMessage.objects.get(external_id="<i2@nobody.sa>").customer_id is None
    assert MailboxCursor.objects.get(mailbox=mailbox.key).last_uid == 3
    with MailBoxUnencrypted(mailbox.host, mailbox.port).login(mailbox.user, PASSWORD) as box:
        assert box.folder.status("INBOX")["UNSEEN"] == 3  # nothing flagged, moved or deleted


def test_a_re_fetch_after_the_server_renumbers_the_mailbox_is_still_one_message(
    mailbox: ImapConfig, customer: Any
) -> None:
    deliver(mailbox, raw_email(message_id="<again@client.sa>"))
    mailbox_poll(config=mailbox, now=timezone.now())
    MailboxCursor.objects.filter(mailbox=mailbox.key).update(uidvalidity=1)  # as after a rebuild

    stored = mailbox_poll(config=mailbox, now=timezone.now())

    assert stored == 1  # fetched and passed again...
    assert TicketMessage.objects.filter(external_id="<again@client.sa>").count() == 1  # ...once
    assert Ticket.objects.count() == 1
    assert LedgerEntry.objects.filter(verb="mailbox.reset").count() == 1


def test_a_crash_between_fetch_and_commit_loses_nothing_and_doubles_nothing(
    mailbox: ImapConfig, customer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    deliver(mailbox, raw_email(message_id="<c1@client.sa>"), raw_email(message_id="<c2@client.sa>"))
    real_save = MailboxCursor.save
    calls = {"n": 0}

    def crash_on_second_message(self: MailboxCursor, *args: Any, **kwargs: Any) -> None:
        # The message is stored in this transaction; the mark is about to move: die here.
        if kwargs.get("update_fields") and self.last_uid == 2:
            calls["n"] += 1
            raise RuntimeError("worker killed before the commit")
        real_save(self, *args, **kwargs)

    monkeypatch.setattr(MailboxCursor, "save", crash_on_second_message)
    with pytest.raises(RuntimeError, match="killed"):
        mailbox_poll(config=mailbox, now=timezone.now())

    assert calls["n"] == 1
    assert list(TicketMessage.objects.values_list("external_id", flat=True)) == ["<c1@client.sa>"]
    assert MailboxCursor.objects.get(mailbox=mailbox.key).last_uid == 1

    monkeypatch.setattr(MailboxCursor, "save", real_save)
    assert mailbox_poll(config=mailbox, now=timezone.now()) == 1

    assert sorted(TicketMessage.objects.values_list("external_id", flat=True)) == [
        "<c1@client.sa>",
        "<c2@client.sa>",
    ]
    assert Ticket.objects.count() == 2


def test_the_scheduled_task_polls_the_configured_mailbox_and_is_off_without_one(
    dovecot: Dovecot, customer: Any, settings: Any
) -> None:
    user = dovecot.next_user()
    config = imap_config_from_url(dovecot.url(user))
    deliver(config, raw_email(message_id="<task@client.sa>"))

    settings.SUPPORT_IMAP_URL = ""
    assert support_mailbox_poll.call() == 0
    settings.SUPPORT_IMAP_URL = dovecot.url(user)
    assert support_mailbox_poll.call() == 1

    assert TicketMessage.objects.filter(external_id="<task@client.sa>").exists()
