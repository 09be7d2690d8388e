"""Writes for incidents (SPEC.md §2, SPEC_RULES §6).

Rules:
- triage on declaration (leak or unapproved send → SEV1, ≥ 5 affected customers → SEV2, else
  SEV3); humans may raise the severity and bring it back down, never below the triaged one; only
  a founder raises an incident to SEV1 (SPEC.md §1) — triage itself may say SEV1;
- the founders are notified of every SEV1 (INCIDENT_RESPONSE.md auto-actions);
- the response plan is a checklist (who ticked each step, when); raising the severity retires the
  old severity's extra steps and adds the new ones;
- the next customer update is due one cadence after the last one (declaration, a timeline
  `update`, or a sent update draft); the PDPL deadline is 72 hours after detecting a leak;
- customer updates are drafts from the Arabic templates, behind the approval gate;
- an incident that was ever SEV1/SEV2 closes only with all 8 post-mortem fields filled; only a
  founder lowers a SEV1 or SEV2.
Every change is in the Action Ledger; the timeline is append-only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from django.db import transaction

from customer_ops.domain.errors import InvalidValue, RoleRefused, RuleRefused
from customer_ops.domain.incidents import (
    POSTMORTEM_FIELDS,
    CommsKind,
    Severity,
    comms_template,
    ensure_may_close,
    ensure_severity_not_lowered,
    missing_postmortem_fields,
    more_severe,
    next_update_due,
    parse_severity,
    pdpl_deadline,
    response_plan_steps,
    severity_change_needs_founder,
    triage_incident,
)
from customer_ops.domain.ledger import LedgerVerb
from customer_ops.domain.notifications import NotificationTarget
from customer_ops.domain.transitions import (
    INCIDENT_MOVES,
    IncidentStatus,
    ensure_transition,
)
from customer_ops.models import (
    Customer,
    Incident,
    IncidentPlanStep,
    IncidentPostmortem,
    IncidentTimelineEntry,
    OutboundDraft,
)
from customer_ops.models.drafts import SENT_STATUSES, DraftChannel, DraftSource
from customer_ops.models.incidents import TimelineKind
from customer_ops.riyadh_time import riyadh_text
from customer_ops.roles import SignedInUser, is_founder
from customer_ops.selectors.locks import active_plan_step_for_update, incident_for_update
from customer_ops.services.drafts import draft_create
from customer_ops.services.ledger import ledger_record
from customer_ops.services.notifications import notify_founders
from customer_ops.services.search import search_index_incident

POSTMORTEM_KEYS = tuple(field.key for field in POSTMORTEM_FIELDS)
_RANK = {severity: rank for rank, severity in enumerate(Severity)}
_QUIET_STATUSES = (IncidentStatus.RESOLVED.value, IncidentStatus.CLOSED.value)


def _timeline(
    incident: Incident,
    kind: TimelineKind,
    text: str,
    *,
    at: dt.datetime,
    actor: SignedInUser | None,
    draft: OutboundDraft | None = None,
) -> IncidentTimelineEntry:
    return IncidentTimelineEntry.objects.create(
        incident=incident,
        kind=kind,
        text=text,
        at=at,
        actor=actor if actor is not None and actor.is_authenticated else None,
        draft=draft,
    )


def _ensure_may_change_to(
    wanted: Severity, *, current: Severity, actor: SignedInUser | None
) -> None:
    founder = actor is not None and is_founder(actor)  # no actor (the system) is no founder
    if severity_change_needs_founder(current=current, wanted=wanted) and not founder:
        raise RoleRefused(
            "only a founder may raise an incident to SEV1 or lower a SEV1 or SEV2 incident",
            field="severity",
            message_ar="الرفع إلى SEV1 وخفض SEV1 أو SEV2 للمؤسس فقط",
        )


def _notify_sev1(incident: Incident, *, now: dt.datetime) -> None:
    notify_founders(
        kind="incident_sev1",
        title=f"حادثة SEV1: {incident.title}",
        body=(
            f"{incident.severity_reason_ar} "
            + (
                f"موعد إخطار PDPL: {riyadh_text(incident.pdpl_deadline_at, language='ar')}."
                if incident.pdpl_deadline_at
                else ""
            )
        ).strip(),
        target=NotificationTarget.incident(incident.pk),
        now=now,
    )


def _sync_plan(incident: Incident, severity: Severity, *, now: dt.datetime) -> None:
    """Make the active checklist the plan of `severity`, keeping ticks of the common steps."""
    wanted = response_plan_steps(severity)
    active = {
        step.position: step
        for step in IncidentPlanStep.objects.filter(incident=incident, retired_at__isnull=True)
    }
    for position, step in active.items():
        if position > len(wanted) or wanted[position - 1] != step.text:
            step.retired_at = now
            step.save(update_fields=["retired_at"])
    IncidentPlanStep.objects.bulk_create(
        IncidentPlanStep(incident=incident, position=position, text=text)
        for position, text in enumerate(wanted, start=1)
        if position not in active or active[position].retired_at is not None
    )


# ── Declare ─────────────────────────────────────────────────────────────────────────────────────
@transaction.atomic
def incident_declare(
    *,
    title: str,
    description: str = "",
    affected_customer_ids: Sequence[int] = (),
    affected_count: int | None = None,
    has_data_leak: bool = False,
    has_unauthorized_send: bool = False,
    detected_at: dt.datetime | None = None,
    severity: str | None = None,
    actor: SignedInUser,
    now: dt.datetime,
) -> Incident:
    """Declare an incident: triage, plan checklist, first timeline line, deadlines, ledger."""
    if not title.strip():
        raise InvalidValue("title", "an incident needs a title", message_ar="العنوان مطلوب")
    wanted_ids = set(affected_customer_ids)
    customers = list(Customer.objects.filter(pk__in=wanted_ids))
    if len(customers) != len(wanted_ids):
        raise InvalidValue("affected_customers", "unknown customer", message_ar="عميل غير معروف")
    count = len(customers) if affected_count is None else affected_count
    if count < len(customers):
        raise InvalidValue(
            "affected_count",
            "the affected count is below the number of linked customers",
            message_ar="عدد المتأثرين أقل من العملاء المرتبطين",
        )
    detected = detected_at or now
    if detected > now:
        raise InvalidValue("detected_at", "detection cannot be in the future")
    triage = triage_incident(
        title=title.strip(),
        description=description,
        affected_customers=count,
        has_data_leak=has_data_leak,
        has_unauthorized_send=has_unauthorized_send,
    )
    triaged = Severity(triage["severity"])
    chosen = triaged
    if severity is not None:
        chosen = ensure_severity_not_lowered(classified=triaged, requested=severity)
        _ensure_may_change_to(chosen, current=triaged, actor=actor)
    incident = Incident(
        title=triage["title"],
        description=description,
        affected_count=count,
        has_data_leak=has_data_leak,
        has_unauthorized_send=has_unauthorized_send,
        triaged_severity=triaged.value,
        severity=chosen.value,
        peak_severity=chosen.value,
        severity_reason_ar=triage["reason_ar"][:300],
        status=IncidentStatus.OPEN.value,
        status_changed_at=now,
        detected_at=detected,
        declared_at=now,
        declared_by=actor,
        next_update_due_at=next_update_due(severity=chosen, last_update_at=now),
        pdpl_deadline_at=pdpl_deadline(detected_at=detected) if has_data_leak else None,
    )
    incident.full_clean()
    incident.save()
    search_index_incident(incident)
    incident.affected_customers.set(customers)
    _sync_plan(incident, chosen, now=now)
    _timeline(
        incident,
        TimelineKind.DECLARED,
        f"{chosen}: {triage['reason_ar']}",
        at=now,
        actor=actor,
    )
    ledger_record(
        verb=LedgerVerb.INCIDENTS_DECLARED,
        obj=incident,
        actor=actor,
        at=now,
        after={
            "severity": chosen,
            "triaged_severity": triaged,
            "affected_count": count,
            "affected_customers": sorted(wanted_ids),
            "has_data_leak": has_data_leak,
            "has_unauthorized_send": has_unauthorized_send,
            "pdpl_deadline_at": incident.pdpl_deadline_at,
        },
    )
    if chosen is Severity.SEV1:
        _notify_sev1(incident, now=now)
    return incident


# ── Severity and status ─────────────────────────────────────────────────────────────────────────
@transaction.atomic
def incident_set_severity(
    *, incident_id: int, severity: str, actor: SignedInUser, now: dt.datetime, note: str = ""
) -> Incident:
    """Raise the severity (or bring it back towards triage).

    Raising to SEV1, and lowering a SEV1 or SEV2, are a founder's (`severity_change_needs_founder`);
    `peak_severity` keeps the highest it ever had, which decides whether closing needs the
    post-mortem.
    """
    incident = incident_for_update(incident_id=incident_id)
    if incident.status == IncidentStatus.CLOSED:
        raise RuleRefused("the incident is closed", message_ar="الحادثة مغلقة")
    current = parse_severity(incident.severity)
    wanted = ensure_severity_not_lowered(classified=incident.triaged_severity, requested=severity)
    if wanted is current:
        return incident
    _ensure_may_change_to(wanted, current=current, actor=actor)
    incident.severity = wanted.value
    incident.peak_severity = more_severe(incident.peak_severity, wanted).value
    fields = ["severity", "peak_severity"]
    if incident.status not in _QUIET_STATUSES:
        incident.next_update_due_at = next_update_due(
            severity=wanted, last_update_at=incident.last_update_at or incident.declared_at
        )
        fields.append("next_update_due_at")
    incident.save(update_fields=[*fields, "updated_at"])
    _sync_plan(incident, wanted, now=now)
    _timeline(
        incident,
        TimelineKind.SEVERITY,
        f"{current} → {wanted}. {note}".strip(),
        at=now,
        actor=actor,
    )
    ledger_record(
        verb=LedgerVerb.INCIDENTS_SEVERITY_CHANGED,
        obj=incident,
        actor=actor,
        at=now,
        before={"severity": current},
        after={"severity": wanted, "raised": _RANK[wanted] < _RANK[current]},
        note=note,
    )
    if wanted is Severity.SEV1:
        _notify_sev1(incident, now=now)
    return incident


@transaction.atomic
def incident_change_status(
    *,
    incident_id: int,
    to: str,
    actor: SignedInUser,
    now: dt.datetime,
    note: str = "",
) -> Incident:
    """Move along INCIDENT_MOVES; closing a SEV1/SEV2 needs the complete post-mortem."""
    incident = incident_for_update(incident_id=incident_id)
    previous = IncidentStatus(incident.status)
    try:
        target = IncidentStatus(to)
    except ValueError:
        raise InvalidValue("status", f"unknown status: {to}") from None
    ensure_transition(INCIDENT_MOVES, previous, target)
    if target is IncidentStatus.CLOSED:
        postmortem = IncidentPostmortem.objects.filter(incident=incident).first()
        values = postmortem.values() if postmortem else {}
        ensure_may_close(
            severity=incident.peak_severity,
            postmortem_complete=not missing_postmortem_fields(values),
        )
    incident.status, incident.status_changed_at = target.value, now
    fields = ["status", "status_changed_at", "next_update_due_at"]
    if target is IncidentStatus.RESOLVED:
        incident.resolved_at = now
        fields.append("resolved_at")
    elif target is IncidentStatus.CLOSED:
        incident.closed_at = now
        fields.append("closed_at")
    if target.value in _QUIET_STATUSES:
        incident.next_update_due_at = None
    else:  # open again (reopened) or mitigating: customers hear from us on the cadence
        incident.next_update_due_at = next_update_due(
            severity=incident.severity,
            last_update_at=now
            if previous is IncidentStatus.RESOLVED
            else (incident.last_update_at or incident.declared_at),
        )
    incident.save(update_fields=[*fields, "updated_at"])
    _timeline(
        incident, TimelineKind.STATUS, f"{previous} → {target}. {note}".strip(), at=now, actor=actor
    )
    ledger_record(
        verb=LedgerVerb.INCIDENTS_STATUS_CHANGED,
        obj=incident,
        actor=actor,
        at=now,
        before={"status": previous},
        after={"status": target},
        note=note,
    )
    return incident


@transaction.atomic
def incident_update(
    *,
    incident_id: int,
    actor: SignedInUser,
    now: dt.datetime,
    severity: str | None = None,
    status: str | None = None,
    note: str = "",
) -> Incident:
    """Change severity and/or status in one transaction: either both land or neither does.

    Severity first (a raise can make a post-mortem due before closing); a refused status move
    rolls the severity change, its timeline entry and its ledger row back with it.
    """
    incident = incident_for_update(incident_id=incident_id)
    if severity is not None:
        incident = incident_set_severity(
            incident_id=incident_id, severity=severity, actor=actor, now=now, note=note
        )
    if status is not None:
        incident = incident_change_status(
            incident_id=incident_id, to=status, actor=actor, now=now, note=note
        )
    return incident


def incident_close(
    *, incident_id: int, actor: SignedInUser, now: dt.datetime, note: str = ""
) -> Incident:
    """Close a resolved incident (SEV1/SEV2: only with the complete post-mortem)."""
    return incident_change_status(
        incident_id=incident_id, to=IncidentStatus.CLOSED, actor=actor, now=now, note=note
    )


# ── Timeline, plan, post-mortem ─────────────────────────────────────────────────────────────────
TIMELINE_INPUT_KINDS = (TimelineKind.NOTE.value, TimelineKind.UPDATE.value)


def _mark_updated(incident: Incident, *, at: dt.datetime) -> None:
    """A customer update went out at `at`: the next one is due one cadence later."""
    incident.last_update_at = max(at, incident.last_update_at) if incident.last_update_at else at
    fields = ["last_update_at"]
    if incident.status not in _QUIET_STATUSES:
        incident.next_update_due_at = next_update_due(
            severity=incident.severity, last_update_at=incident.last_update_at
        )
        fields.append("next_update_due_at")
    incident.save(update_fields=[*fields, "updated_at"])


@transaction.atomic
def incident_timeline_add(
    *, incident_id: int, kind: str, text: str, actor: SignedInUser, now: dt.datetime
) -> IncidentTimelineEntry:
    """Add a note, or an `update` given to customers (which restarts the update cadence)."""
    if kind not in TIMELINE_INPUT_KINDS:
        raise InvalidValue("kind", f"kind must be one of {', '.join(TIMELINE_INPUT_KINDS)}")
    if not text.strip():
        raise InvalidValue("text", "the entry needs text", message_ar="النص مطلوب")
    incident = incident_for_update(incident_id=incident_id)
    if kind == TimelineKind.UPDATE and incident.status == IncidentStatus.CLOSED:
        raise RuleRefused("the incident is closed", message_ar="الحادثة مغلقة")
    entry = _timeline(incident, TimelineKind(kind), text.strip(), at=now, actor=actor)
    if kind == TimelineKind.UPDATE:
        _mark_updated(incident, at=now)
    ledger_record(
        verb=LedgerVerb.INCIDENTS_TIMELINE_ADDED,
        obj=incident,
        actor=actor,
        at=now,
        after={"kind": kind, "entry_id": entry.pk},
        note=text.strip(),
    )
    return entry


@transaction.atomic
def incident_plan_step_tick(
    *,
    incident_id: int,
    position: int,
    actor: SignedInUser,
    now: dt.datetime,
    done: bool = True,
) -> IncidentPlanStep:
    """Tick (or untick) step `position` of the active plan, recording who and when."""
    incident = incident_for_update(incident_id=incident_id)
    if incident.status == IncidentStatus.CLOSED:
        raise RuleRefused("the incident is closed", message_ar="الحادثة مغلقة")
    step = active_plan_step_for_update(incident_id=incident.pk, position=position)
    if step.done == done:
        return step
    step.done = done
    step.done_at = now if done else None
    step.done_by = actor if done else None
    step.save(update_fields=["done", "done_at", "done_by"])
    _timeline(
        incident,
        TimelineKind.PLAN_STEP,
        f"{'✓' if done else '✗'} {position}. {step.text}",
        at=now,
        actor=actor,
    )
    ledger_record(
        verb=LedgerVerb.INCIDENTS_PLAN_STEP_TICKED
        if done
        else LedgerVerb.INCIDENTS_PLAN_STEP_UNTICKED,
        obj=incident,
        actor=actor,
        at=now,
        after={"position": position, "done": done},
    )
    return step


@transaction.atomic
def incident_postmortem_save(
    *,
    incident_id: int,
    values: Mapping[str, str],
    actor: SignedInUser,
    now: dt.datetime,
) -> IncidentPostmortem:
    """Write the post-mortem (all 8 fields; a missing one is saved blank)."""
    unknown = set(values) - set(POSTMORTEM_KEYS)
    if unknown:
        raise InvalidValue(sorted(unknown)[0], "not a post-mortem field")
    incident = incident_for_update(incident_id=incident_id)
    if incident.status == IncidentStatus.CLOSED:
        raise RuleRefused("the incident is closed", message_ar="الحادثة مغلقة")
    postmortem = IncidentPostmortem.objects.filter(incident=incident).first()
    before = postmortem.values() if postmortem else {}
    if postmortem is None:
        postmortem = IncidentPostmortem(incident=incident)
    for key in POSTMORTEM_KEYS:
        setattr(postmortem, key, str(values.get(key, "")).strip())
    postmortem.updated_by = actor
    postmortem.updated_at = now
    postmortem.save()
    missing = missing_postmortem_fields(postmortem.values())
    _timeline(
        incident,
        TimelineKind.POSTMORTEM,
        f"post-mortem: {len(POSTMORTEM_KEYS) - len(missing)}/{len(POSTMORTEM_KEYS)}",
        at=now,
        actor=actor,
    )
    ledger_record(
        verb=LedgerVerb.INCIDENTS_POSTMORTEM_SAVED,
        obj=incident,
        actor=actor,
        at=now,
        before={key: value for key, value in before.items() if value != getattr(postmortem, key)},
        after={
            **{
                key: getattr(postmortem, key)
                for key in POSTMORTEM_KEYS
                if before.get(key) != getattr(postmortem, key)
            },
            "missing": missing,
        },
    )
    return postmortem


# ── Customer updates ────────────────────────────────────────────────────────────────────────────
def default_comms_kind(incident: Incident) -> CommsKind:
    """The template an update uses unless told otherwise."""
    if incident.status in _QUIET_STATUSES:
        return CommsKind.RESOLVED
    if incident.severity == Severity.SEV1:
        return CommsKind.SEV1_DATA_LEAK if incident.has_data_leak else CommsKind.SEV1_FIRST_HOUR
    if incident.severity == Severity.SEV2:
        return CommsKind.SEV2_UPDATE
    return CommsKind.SEV3_UPDATE


@transaction.atomic
def incident_update_draft(
    *,
    incident_id: int,
    values: Mapping[str, str],
    actor: SignedInUser,
    now: dt.datetime,
    kind: str | None = None,
    customer_ids: Sequence[int] | None = None,
    channel: str = DraftChannel.EMAIL,
) -> list[OutboundDraft]:
    """One draft per affected customer (or the ones named) from the Arabic comms template."""
    incident = incident_for_update(incident_id=incident_id)
    if incident.status == IncidentStatus.CLOSED:
        raise RuleRefused("the incident is closed", message_ar="الحادثة مغلقة")
    comms = comms_template(kind=kind or default_comms_kind(incident), **dict(values))
    affected = {customer.pk: customer for customer in incident.affected_customers.all()}
    chosen = list(affected) if customer_ids is None else list(dict.fromkeys(customer_ids))
    if not chosen:
        raise RuleRefused(
            "no affected customer to update",
            field="customers",
            message_ar="لا يوجد عميل متأثر مرتبط بالحادثة",
        )
    strangers = [pk for pk in chosen if pk not in affected]
    if strangers:
        raise InvalidValue(
            "customers",
            f"not affected by this incident: {strangers}",
            message_ar="عملاء غير متأثرين بهذه الحادثة",
        )
    drafts = []
    for pk in chosen:
        customer = affected[pk]
        to = customer.contact_email if channel == DraftChannel.EMAIL else customer.contact_phone
        if not to:
            raise RuleRefused(
                f"{customer.company_name} has no contact on {channel}",
                field="customers",
                message_ar=f"لا توجد وسيلة تواصل لـ {customer.company_name} على هذه القناة",
            )
        drafts.append(
            draft_create(
                customer_id=pk,
                channel=channel,
                to=to,
                subject=f"تحديث: {incident.title}"[:200],
                body=comms["body_ar"],
                author=actor,
                now=now,
                source=DraftSource.INCIDENT_UPDATE.value,
                incident_id=incident.pk,
            )
        )
    ledger_record(
        verb=LedgerVerb.INCIDENTS_UPDATE_DRAFTED,
        obj=incident,
        actor=actor,
        at=now,
        after={"kind": comms["kind"], "draft_ids": [draft.pk for draft in drafts]},
    )
    return drafts


@transaction.atomic
def incident_on_draft_sent(
    *, draft: OutboundDraft, actor: SignedInUser | None
) -> IncidentTimelineEntry | None:
    """A sent update draft goes on the timeline and restarts the update cadence (idempotent)."""
    if draft.source != DraftSource.INCIDENT_UPDATE or draft.status not in SENT_STATUSES:
        return None
    if draft.sent_at is None or draft.incident_id is None:
        return None
    incident = incident_for_update(incident_id=draft.incident_id)
    if IncidentTimelineEntry.objects.filter(incident=incident, draft=draft).exists():
        return None
    entry = _timeline(
        incident,
        TimelineKind.UPDATE,
        f"أُرسل تحديث إلى {draft.customer.company_name} ({draft.get_channel_display()}).",
        at=draft.sent_at,
        actor=actor,
        draft=draft,
    )
    _mark_updated(incident, at=draft.sent_at)
    ledger_record(
        verb=LedgerVerb.INCIDENTS_UPDATE_SENT,
        obj=incident,
        actor=actor,
        at=draft.sent_at,
        after={"draft_id": draft.pk, "customer_id": draft.customer_id},
    )
    return entry
