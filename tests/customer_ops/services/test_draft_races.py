"""Two approvals or two sends at once: one approval and one email, never two.

Approvals wait on the row lock and find the draft approved. A send no longer holds the lock
while the mail server works (issue #9: a crash there resent the email), so a send arriving
during another's delivery is refused with `SendOutcomeUnknown` (409, "in progress") instead of
waiting; one arriving after it finds the draft sent.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.db import connection, connections
from django.utils import timezone

from customer_ops.domain.delivery import SendOutcomeUnknown
from customer_ops.domain.transitions import InvalidTransition
from customer_ops.models import LedgerEntry, OutboundDraft
from customer_ops.services.draft_delivery import draft_send
from customer_ops.services.drafts import draft_approve
from tests.factories import make_customer, make_draft

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row-lock races need PostgreSQL (CI runs it)"
    ),
]

THREADS = 20


def run_at_once(action: Callable[[], Any], count: int) -> list[BaseException]:
    """Start `count` threads that wait on one barrier, then all call `action`."""
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait()
            action()
        except BaseException as exc:  # noqa: BLE001 - collected and asserted on
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_twenty_approvals_and_twenty_sends_at_once_give_one_of_each(
    founder: Any, operator: Any
) -> None:
    customer = make_customer(actor=founder)
    draft = make_draft(customer=customer, author=operator)

    approve_errors = run_at_once(
        lambda: draft_approve(draft_id=draft.pk, approver=founder, now=timezone.now()), THREADS
    )
    send_errors = run_at_once(
        lambda: draft_send(draft_id=draft.pk, actor=operator, now=timezone.now()), THREADS
    )

    assert approve_errors == []
    # The losers of the race were either told a send is in progress or found the draft sent.
    assert [e for e in send_errors if not isinstance(e, SendOutcomeUnknown)] == []
    assert all(e.in_progress for e in send_errors if isinstance(e, SendOutcomeUnknown))
    final = OutboundDraft.objects.get(pk=draft.pk)
    assert final.status == "sent" and final.send_started_at is None
    ledger = LedgerEntry.objects.filter(object_type="outbounddraft", object_id=str(draft.pk))
    assert ledger.filter(verb="drafts.approved").count() == 1
    assert ledger.filter(verb="drafts.send_started").count() == 1
    assert ledger.filter(verb="drafts.sent").count() == 1
    assert len(mail.outbox) == 1


def test_approvals_racing_sends_never_send_unapproved(founder: Any, operator: Any) -> None:
    customer = make_customer(actor=founder)
    draft = make_draft(customer=customer, author=operator)

    def approve_or_send(index: int) -> Callable[[], Any]:
        if index % 2:
            return lambda: draft_approve(draft_id=draft.pk, approver=founder, now=timezone.now())
        return lambda: draft_send(draft_id=draft.pk, actor=operator, now=timezone.now())

    counter = iter(range(2 * THREADS))
    lock = threading.Lock()

    def mixed() -> None:
        with lock:
            index = next(counter)
        try:
            approve_or_send(index)()
        except InvalidTransition:  # sends before the approval are refused, by design
            pass

    errors = run_at_once(mixed, 2 * THREADS)

    assert errors == []
    final = OutboundDraft.objects.get(pk=draft.pk)
    sends = LedgerEntry.objects.filter(verb="drafts.sent", object_id=str(draft.pk)).count()
    assert sends == len(mail.outbox) <= 1
    if final.status == "sent":
        # Each thread passes its own `now`, read before it waited for the lock, so compare the
        # order of the ledger rows (written under the lock), not the injected timestamps.
        approved_row = LedgerEntry.objects.get(verb="drafts.approved", object_id=str(draft.pk))
        sent_row = LedgerEntry.objects.get(verb="drafts.sent", object_id=str(draft.pk))
        assert final.approved_by == founder
        assert approved_row.pk < sent_row.pk
