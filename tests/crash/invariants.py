"""What "nothing is half-written" means, checked over every row in the database.

Each check returns a list of problems (empty when whole) rather than failing at the first, so a
failing run shows every half-written row at once. They read with the ORM only, once the killed
server's database sessions are gone (a session whose client died rolls back and ends).
"""

from __future__ import annotations

import collections
import datetime as dt
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils.dateparse import parse_datetime

from customer_ops.models import LedgerEntry, OutboundDraft, SlaEvent, Ticket
from customer_ops.models.drafts import SENT_STATUSES
from customer_ops.services.tickets import ticket_sla_snapshot
from tests.crash.server import APPLICATION_NAME

APPROVED_OR_SENT = {"approved", *SENT_STATUSES}


SERVER_SESSIONS = (
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
    "AND backend_type = 'client backend' AND application_name = %s"
)


def other_sessions() -> int:
    """The server's sessions on this database (the running server's, or the killed one's)."""
    with connection.cursor() as cursor:
        cursor.execute(SERVER_SESSIONS, [APPLICATION_NAME])
        return int(cursor.fetchone()[0])


def open_transactions() -> int:
    """The server's sessions inside a transaction right now."""
    with connection.cursor() as cursor:
        cursor.execute(f"{SERVER_SESSIONS} AND xact_start IS NOT NULL", [APPLICATION_NAME])
        return int(cursor.fetchone()[0])


def _ledger_by_object(object_type: str) -> dict[str, list[LedgerEntry]]:
    rows: dict[str, list[LedgerEntry]] = collections.defaultdict(list)
    for row in LedgerEntry.objects.filter(object_type=object_type).order_by("pk"):
        rows[row.object_id].append(row)
    return rows


def ledger_points_at_rows() -> list[str]:
    """Every ledger row names a row that exists (a rolled-back write leaves no stray entry)."""
    models_by_name: dict[str, list[type[models.Model]]] = collections.defaultdict(list)
    for model in apps.get_models():
        models_by_name[model._meta.model_name or ""].append(model)
    ids_by_type: dict[str, set[str]] = collections.defaultdict(set)
    for object_type, object_id in LedgerEntry.objects.values_list("object_type", "object_id"):
        ids_by_type[object_type].add(object_id)
    problems = []
    for object_type, ids in sorted(ids_by_type.items()):
        candidates = models_by_name.get(object_type, [])
        if not candidates:
            problems.append(f"ledger rows name an unknown object type {object_type!r}")
            continue
        found: set[str] = set()
        for model in candidates:
            try:
                keys = [model._meta.pk.to_python(value) for value in ids]
            except ValidationError:  # another model of that name, with another kind of key
                continue
            found |= {
                str(pk)
                for pk in model._default_manager.filter(pk__in=keys).values_list("pk", flat=True)
            }
        for missing in sorted(ids - found):
            problems.append(f"ledger rows point at a missing {object_type} {missing}")
    return problems


def tickets_whole() -> list[str]:
    """Every ticket carries everything `ticket_create` writes, and its clocks match its events."""
    problems = []
    ledger = _ledger_by_object("ticket")
    events: dict[int, list[SlaEvent]] = collections.defaultdict(list)
    for event in SlaEvent.objects.order_by("at", "pk"):
        events[event.ticket_id].append(event)
    for ticket in Ticket.objects.order_by("pk"):
        name = f"ticket {ticket.pk}"
        opened = [e for e in events[ticket.pk] if e.event == "opened"]
        if len(opened) != 1:
            problems.append(f"{name} has {len(opened)} 'opened' SLA events (expected 1)")
        elif events[ticket.pk][0] != opened[0] or opened[0].at != ticket.opened_at:
            problems.append(f"{name}: its 'opened' event is not the first, at opening time")
        created = [row for row in ledger[str(ticket.pk)] if row.verb == "tickets.created"]
        if len(created) != 1:
            problems.append(f"{name} has {len(created)} tickets.created ledger rows (expected 1)")
        else:
            row = created[0]
            if ledger[str(ticket.pk)][0] != row:
                problems.append(f"{name}: tickets.created is not its first ledger row")
            if (row.at, row.actor_id, row.customer_id) != (
                ticket.opened_at,
                ticket.created_by_id,
                ticket.customer_id,
            ):
                problems.append(f"{name}: its tickets.created row disagrees with the ticket")
            if (row.after.get("subject"), row.after.get("priority")) != (
                ticket.subject,
                ticket.classified_priority,
            ):
                problems.append(f"{name}: its ledger subject/priority differ from the ticket's")
        if ticket.sla_computed_at is None:
            problems.append(f"{name}: SLA clock columns were never computed")
        elif opened:
            stored = {column: getattr(ticket, column) for column in _SLA_COLUMNS}
            expected = ticket_sla_snapshot(ticket, now=ticket.sla_computed_at)
            if stored != expected:
                differing = sorted(k for k in expected if stored.get(k) != expected[k])
                problems.append(f"{name}: clock columns {differing} disagree with its events")
    orphans = set(events) - set(Ticket.objects.values_list("pk", flat=True))
    problems += [f"SLA events of a missing ticket {pk}" for pk in sorted(orphans)]
    return problems


_SLA_COLUMNS = (
    "first_response_due_at",
    "resolution_due_at",
    "first_response_at",
    "resolved_at",
    "first_response_seconds",
    "resolution_seconds",
    "first_response_breached",
    "resolution_breached",
    "next_due_at",
    "overdue_after",
    "sla_computed_at",
)


def drafts_whole() -> list[str]:
    """Each draft's columns agree with its ledger story, and the story is an unbroken chain."""
    problems = []
    ledger = _ledger_by_object("outbounddraft")
    for draft in OutboundDraft.objects.order_by("pk"):
        name = f"draft {draft.pk} ({draft.status})"
        rows = ledger[str(draft.pk)]
        verbs = [row.verb for row in rows]
        if verbs.count("drafts.created") != 1 or verbs[0] != "drafts.created":
            problems.append(f"{name}: ledger starts {verbs[:2]} (expected one drafts.created)")
            continue
        # Each status change's `before` is the previous row's `after`, ending at the row's status.
        status = rows[0].after.get("status")
        for row in rows[1:]:
            if "status" in row.before and row.before["status"] != status:
                problems.append(
                    f"{name}: {row.verb} starts from {row.before['status']}, not {status}"
                )
            status = row.after.get("status", status)
        if status != draft.status:
            problems.append(f"{name}: its ledger ends at status {status!r}")
        problems += _approval_whole(draft, name, rows)
        problems += _sending_whole(draft, name, rows)
        problems += _claims_whole(draft, name, rows)
    return problems


def _approval_whole(draft: OutboundDraft, name: str, rows: list[LedgerEntry]) -> list[str]:
    approvals = [row for row in rows if row.verb == "drafts.approved"]
    approval = (draft.approved_by_id, draft.approved_at, draft.approved_hash)
    if draft.status not in APPROVED_OR_SENT:
        if draft.status == "pending" and any(approval):
            return [f"{name}: pending but carries an approval"]
        return []
    if not all(approval):
        return [f"{name}: missing approver, approval time or approved hash"]
    problems = []
    if draft.approved_hash != draft.content_hash:
        problems.append(f"{name}: approved hash is not the content's hash")
    if draft.approved_by_id == draft.author_id:
        problems.append(f"{name}: approved by its author")
    if not approvals:
        problems.append(f"{name}: no drafts.approved ledger row")
    else:
        last = approvals[-1]
        if (last.actor_id, last.at, last.after.get("content_hash")) != approval:
            problems.append(f"{name}: its drafts.approved row disagrees with the draft")
    return problems


def _sending_whole(draft: OutboundDraft, name: str, rows: list[LedgerEntry]) -> list[str]:
    sends = [row for row in rows if row.verb in ("drafts.sent", "drafts.sent_manually")]
    if draft.status not in SENT_STATUSES:
        if sends or draft.sent_at or draft.sent_by_id:
            return [f"{name}: not sent but carries a send"]
        return []
    if len(sends) != 1:
        return [f"{name}: {len(sends)} send ledger rows (expected 1)"]
    problems = []
    if (sends[0].actor_id, sends[0].at) != (draft.sent_by_id, draft.sent_at):
        problems.append(f"{name}: its send ledger row disagrees with the draft")
    if draft.approved_at is None or draft.sent_at is None or draft.sent_at < draft.approved_at:
        problems.append(f"{name}: sent before it was approved")
    approvals = [row for row in rows if row.verb == "drafts.approved"]
    if not approvals or approvals[-1].pk > sends[0].pk:
        problems.append(f"{name}: no approval recorded before the send")
    return problems


CLAIM_CLOSERS = {"drafts.send_failed", "drafts.send_released", "drafts.sent"}


def _claims_whole(draft: OutboundDraft, name: str, rows: list[LedgerEntry]) -> list[str]:
    """Every send claim in the ledger is closed once (sent, failed or released), an app send
    (`drafts.sent`) closes a claim, and a claim still open is the one on the draft."""
    problems = []
    open_claim: LedgerEntry | None = None
    for row in rows:
        if row.verb == "drafts.send_started":
            if open_claim is not None:
                problems.append(f"{name}: a second send started while one was open")
            open_claim = row
        elif row.verb in CLAIM_CLOSERS:
            if open_claim is None:
                problems.append(f"{name}: {row.verb} without a send started before it")
            open_claim = None
        elif row.verb == "drafts.send_outcome_unknown" and open_claim is None:
            problems.append(f"{name}: an unknown outcome recorded without a send started")
        elif row.verb == "drafts.sent_manually" and open_claim is not None:
            problems.append(f"{name}: marked sent by hand while an email send was open")
    claim = draft.send_started_at
    if claim is None:
        if open_claim is not None:
            problems.append(f"{name}: its ledger has an open send the draft does not carry")
        return problems
    if draft.status != "approved":
        problems.append(f"{name}: carries a send claim but is not approved")
    if open_claim is None:
        problems.append(f"{name}: carries a send claim with no drafts.send_started row")
    else:
        # The ledger keeps milliseconds (Django's JSON encoder drops the rest).
        logged = parse_datetime(open_claim.after.get("send_started_at") or "")
        if logged is None or abs(logged - claim) >= dt.timedelta(milliseconds=1):
            problems.append(f"{name}: its claim {claim} differs from its ledger's {logged}")
    return problems


def claims_in_flight() -> int:
    """Drafts whose email send has started and is not recorded yet (the window a kill may hit)."""
    return OutboundDraft.objects.filter(send_started_at__isnull=False).count()


def everything_whole() -> list[str]:
    return [*ledger_points_at_rows(), *tickets_whole(), *drafts_whole()]


def summary() -> dict[str, Any]:
    """Row counts, for the report line."""
    return {
        "tickets": Ticket.objects.count(),
        "sla_events": SlaEvent.objects.count(),
        "drafts": dict(collections.Counter(OutboundDraft.objects.values_list("status", flat=True))),
        "drafts_claimed": claims_in_flight(),
        "ledger": LedgerEntry.objects.count(),
    }
