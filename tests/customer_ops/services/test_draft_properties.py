"""Stateful property test of the approval gate: random operations by random users.

After every step: nothing is sent unless a founder who is not the author approved it, with the
content unchanged since that approval; every send is in the ledger and sent exactly once.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from customer_ops.domain.approval import content_hash
from customer_ops.domain.errors import DomainError
from customer_ops.domain.transitions import InvalidTransition
from customer_ops.models import LedgerEntry, OutboundDraft
from customer_ops.roles import Role
from customer_ops.services import drafts as gate
from tests.factories import make_customer

USERS = ("founder_a", "founder_b", "operator_a", "operator_b")
BODIES = st.sampled_from(
    [
        "هلا، هذا ملخص الأسبوع.",
        "نرسل لك Proof Pack بالأرقام.",
        "نضمن لك عملاء جدد",  # a prohibited claim: never approvable
        "Weekly update: 3 meetings booked.",
    ]
)
REFUSALS = (DomainError, InvalidTransition)


class ApprovalGateMachine(RuleBasedStateMachine):
    @initialize()
    def setup(self) -> None:
        from django.contrib.auth import get_user_model

        # Each example runs in its own savepoint, rolled back in teardown().
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        mail.outbox.clear()

        user_model = get_user_model()
        self.users: dict[str, Any] = {}
        for name in USERS:
            user = user_model.objects.create_user(username=name, password="x")
            role = Role.FOUNDER if name.startswith("founder") else Role.OPERATOR
            user.groups.add(Group.objects.get(name=role))
            self.users[name] = user
        self.customer = make_customer(actor=self.users["founder_a"])
        self.sent_ids: set[int] = set()

    def _draft_ids(self) -> list[int]:
        return list(OutboundDraft.objects.values_list("id", flat=True))

    @rule(
        author=st.sampled_from(USERS), body=BODIES, channel=st.sampled_from(["email", "whatsapp"])
    )
    def create(self, author: str, body: str, channel: str) -> None:
        gate.draft_create(
            customer_id=self.customer.pk,
            channel=channel,
            to="client@example.sa" if channel == "email" else "+966500000000",
            subject="s",
            body=body,
            author=self.users[author],
            now=timezone.now(),
        )

    @rule(user=st.sampled_from(USERS), pick=st.integers(0, 50), body=BODIES)
    def edit(self, user: str, pick: int, body: str) -> None:
        ids = self._draft_ids()
        if ids:
            try:
                gate.draft_edit(
                    draft_id=ids[pick % len(ids)],
                    actor=self.users[user],
                    now=timezone.now(),
                    body=body,
                )
            except REFUSALS:
                pass

    @rule(user=st.sampled_from(USERS), pick=st.integers(0, 50))
    def approve(self, user: str, pick: int) -> None:
        ids = self._draft_ids()
        if ids:
            try:
                gate.draft_approve(
                    draft_id=ids[pick % len(ids)], approver=self.users[user], now=timezone.now()
                )
            except REFUSALS:
                pass

    @rule(user=st.sampled_from(USERS), pick=st.integers(0, 50))
    def reject(self, user: str, pick: int) -> None:
        ids = self._draft_ids()
        if ids:
            try:
                gate.draft_reject(
                    draft_id=ids[pick % len(ids)],
                    actor=self.users[user],
                    now=timezone.now(),
                    reason="لا",
                )
            except REFUSALS:
                pass

    @rule(user=st.sampled_from(USERS), pick=st.integers(0, 50), manual=st.booleans())
    def send(self, user: str, pick: int, manual: bool) -> None:
        ids = self._draft_ids()
        if ids:
            action = gate.draft_mark_sent if manual else gate.draft_send
            try:
                action(draft_id=ids[pick % len(ids)], actor=self.users[user], now=timezone.now())
            except REFUSALS:
                pass

    def teardown(self) -> None:
        if hasattr(self, "_atomic"):
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)

    @invariant()
    def nothing_leaves_without_a_valid_four_eyes_approval(self) -> None:
        if not hasattr(self, "customer"):
            return
        for draft in OutboundDraft.objects.filter(status__in=["sent", "sent_manually"]):
            assert draft.approved_by_id is not None
            assert draft.approved_by_id != draft.author_id
            assert draft.approved_by.groups.filter(name=Role.FOUNDER).exists()
            current = content_hash(
                channel=draft.channel, to=draft.to, subject=draft.subject, body=draft.body
            )
            assert draft.approved_hash == current
            assert "نضمن لك عملاء" not in draft.body
            sends = LedgerEntry.objects.filter(
                object_type="outbounddraft",
                object_id=str(draft.pk),
                verb__in=["drafts.sent", "drafts.sent_manually"],
            ).count()
            assert sends == 1
        emailed = OutboundDraft.objects.filter(status="sent").count()
        assert len(mail.outbox) == emailed


@pytest.mark.django_db
def test_approval_gate_holds_under_random_operations() -> None:
    run_state_machine_as_test(
        ApprovalGateMachine,
        settings=settings(
            max_examples=12,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
