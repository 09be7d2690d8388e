"""The incident room: the list, the triage form and the incident page.

The incident page is a set of regions that each refresh after a change elsewhere on it:
`#incident-head` (severity banner, status, countdowns) on `incident-head-stale`, `#incident-plan`
on `incident-plan-stale` (raising the severity changes the plan), `#incident-timeline` on
`incident-changed` (every change writes a timeline line). Raising to SEV1 and lowering a SEV1/SEV2
are founder-only: the service raises PermissionDenied for anyone else, which Django answers with 403.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from customer_ops.access import StaffRequest, staff_required
from customer_ops.domain.incidents import (
    COMMS_TEMPLATES_AR,
    POSTMORTEM_FIELDS,
    POSTMORTEM_REQUIRED,
    CommsKind,
    Severity,
    missing_postmortem_fields,
    pdpl_step_open,
    response_plan_steps,
    severity_change_needs_founder,
    severity_get,
    triage_incident,
)
from customer_ops.domain.transitions import (
    INCIDENT_MOVES,
    IncidentStatus,
    allowed_moves,
)
from customer_ops.forms import (
    IncidentCommsForm,
    IncidentDeclareForm,
    IncidentFilterForm,
    IncidentMoveForm,
    IncidentPlanTickForm,
    IncidentSeverityForm,
    IncidentTimelineForm,
    IncidentTriageForm,
    PostmortemForm,
)
from customer_ops.models import Incident
from customer_ops.roles import is_founder
from customer_ops.selectors.drafts import incident_drafts
from customer_ops.selectors.incidents import (
    active_incident_counts,
    incident_get,
    incident_postmortem_values,
    incident_timeline,
    incidents_for,
)
from customer_ops.services import incidents as incident_services
from customer_ops.views.actions import region, submit
from customer_ops.views.pagination import page_of
from dealix.http import HtmxHttpRequest

INCIDENTS_PER_PAGE = 20
ROOM = "customer_ops/incidents/room.html"
NEW = "customer_ops/incidents/new.html"
PAGE = "customer_ops/incidents/detail.html"
SEVERITY_ORDER = [severity.value for severity in Severity]
MOVE_KINDS = {
    (IncidentStatus.OPEN, IncidentStatus.MITIGATING): "mitigate",
    (IncidentStatus.RESOLVED, IncidentStatus.OPEN): "reopen",
}


# ── List ────────────────────────────────────────────────────────────────────────────────────────
@staff_required
@require_GET
@vary_on_headers("HX-Request")
def incident_room(request: HtmxHttpRequest) -> HttpResponse:
    form = IncidentFilterForm(request.GET)
    form.is_valid()
    page = page_of(request, incidents_for(filters=form.cleaned_data), per_page=INCIDENTS_PER_PAGE)
    context: dict[str, Any] = {"filter_form": form, "page_obj": page}
    template_name = ROOM
    if request.htmx:
        template_name += "#incident-table"
    else:
        context["active"] = active_incident_counts(now=timezone.now())
    return render(request, template_name, context)


def _page_url(incident_id: int) -> str:
    return reverse("incident-page", kwargs={"incident_id": incident_id})


# ── Declare (triage) ────────────────────────────────────────────────────────────────────────────
def _triage_preview(data: dict[str, Any]) -> dict[str, Any]:
    """What triage will say for these answers (the same domain rule the service applies)."""
    linked = len(data.get("affected_customers") or [])
    count = data.get("affected_count")
    triage = triage_incident(
        title="-",
        affected_customers=max(linked, count if count is not None else linked),
        has_data_leak=bool(data.get("has_data_leak")),
        has_unauthorized_send=bool(data.get("has_unauthorized_send")),
    )
    severity = triage["severity"]
    return {
        "severity": severity,
        "reason_ar": triage["reason_ar"],
        "level": severity_get(severity),
        "plan_steps": len(response_plan_steps(severity)),
        "affected": triage["affected_customers"],
        "pdpl": bool(data.get("has_data_leak")),
    }


@staff_required
@require_http_methods(["GET", "POST"])
def incident_new(request: StaffRequest) -> HttpResponse:
    form = IncidentDeclareForm(request.POST or None)
    if request.method == "POST":
        done = submit(
            form,
            lambda data: incident_services.incident_declare(
                title=data["title"],
                description=data["description"],
                affected_customer_ids=data["affected_customers"],
                affected_count=data["affected_count"],
                has_data_leak=data["has_data_leak"],
                has_unauthorized_send=data["has_unauthorized_send"],
                detected_at=data["detected_at"],
                actor=request.user,
                now=timezone.now(),
            ),
        )
        if done.result is not None:
            url = _page_url(done.result.pk)
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    preview_form = IncidentTriageForm(request.POST or None)
    preview_form.is_valid()
    context = {
        "form": form,
        "triage": _triage_preview(preview_form.cleaned_data if request.POST else {}),
    }
    template_name = NEW + ("#incident-form" if request.htmx else "")
    return render(request, template_name, context, status=422 if form.errors else 200)


@staff_required
@require_POST
def incident_triage(request: HtmxHttpRequest) -> HttpResponse:
    """The severity triage gives for the answers so far (nothing is saved)."""
    form = IncidentTriageForm(request.POST)
    form.is_valid()
    return render(request, NEW + "#triage-preview", {"triage": _triage_preview(form.cleaned_data)})


# ── Incident page ───────────────────────────────────────────────────────────────────────────────
def _moves(incident: Incident) -> list[dict[str, str]]:
    current = IncidentStatus(incident.status)
    order = list(IncidentStatus)
    moves = sorted(allowed_moves(INCIDENT_MOVES, current), key=order.index)
    return [
        {"to": move.value, "kind": MOVE_KINDS.get((current, move), move.value)} for move in moves
    ]


def _severity_options(incident: Incident, *, founder: bool) -> tuple[list[str], bool]:
    """Severities this person may set (floor: triage) and whether SEV1 is kept for a founder."""
    floor = SEVERITY_ORDER.index(incident.triaged_severity)
    reachable = [s for s in SEVERITY_ORDER[: floor + 1] if s != incident.severity]
    # The same rule the service enforces: SEV1, and lowering a SEV1/SEV2, are a founder's call.
    options = [
        s
        for s in reachable
        if founder or not severity_change_needs_founder(current=incident.severity, wanted=s)
    ]
    sev1_for_founder = Severity.SEV1.value in reachable and Severity.SEV1.value not in options
    return options, sev1_for_founder


def _comms_kind(incident: Incident, requested: str | None) -> str:
    if requested in {kind.value for kind in CommsKind}:
        return str(requested)
    return incident_services.default_comms_kind(incident).value


def _comms_form(
    incident: Incident, kind: str, data: Any = None, *, customers: list[tuple[int, str]]
) -> IncidentCommsForm:
    initial = {"kind": kind, "customers": [pk for pk, _name in customers], "channel": "email"}
    return IncidentCommsForm(data, kind=kind, customers=customers, initial=initial)


def _affected(incident: Incident) -> list[tuple[int, str]]:
    return [(customer.pk, customer.company_name) for customer in incident.affected_customers.all()]


def incident_context(
    request: StaffRequest,
    incident_id: int,
    *,
    error: str = "",
    error_action: str = "",
    **extra: Any,
) -> dict[str, Any]:
    incident = incident_get(incident_id=incident_id)
    postmortem = incident_postmortem_values(incident_id=incident.pk)
    missing = missing_postmortem_fields(postmortem)
    options, sev1_for_founder = _severity_options(incident, founder=is_founder(request.user))
    kind = _comms_kind(incident, extra.pop("comms_kind", None))
    affected = _affected(incident)
    context = {
        "incident": incident,
        "level": severity_get(incident.severity),
        "plan_steps": incident.active_plan_steps,
        "plan_done": sum(1 for step in incident.active_plan_steps if step.done),
        "moves": _moves(incident),
        "severity_options": options,
        "sev1_for_founder": sev1_for_founder,
        "postmortem_missing": missing,
        "postmortem_done": len(POSTMORTEM_FIELDS) - len(missing),
        "postmortem_total": len(POSTMORTEM_FIELDS),
        "postmortem_required": Severity(incident.severity) in POSTMORTEM_REQUIRED,
        "postmortem_form": PostmortemForm(initial=postmortem),
        "timeline_form": IncidentTimelineForm(),
        "severity_form": IncidentSeverityForm(),
        "move_form": IncidentMoveForm(),
        "comms_kind": kind,
        "comms_template": COMMS_TEMPLATES_AR[CommsKind(kind)],
        "comms_form": _comms_form(incident, kind, customers=affected),
        "error": error,
        "error_action": error_action,
        "closed": incident.status == IncidentStatus.CLOSED,
        "pdpl_step_open": pdpl_step_open(
            has_data_leak=incident.has_data_leak,
            steps=((step.text, step.done) for step in incident.active_plan_steps),
        ),
    }
    context.update(extra)
    return context


REGIONS = (
    "incident-head",
    "incident-plan",
    "incident-timeline",
    "incident-comms",
    "incident-postmortem",
)


@staff_required
@require_GET
@vary_on_headers("HX-Request")
def incident_page(request: StaffRequest, incident_id: int) -> HttpResponse:
    context = incident_context(request, incident_id, comms_kind=request.GET.get("kind"))
    target = request.htmx.target if request.htmx else None
    template_name = PAGE
    if target in REGIONS:
        template_name += f"#{target}"
    if target in (None, "incident-timeline"):
        context["timeline"] = incident_timeline(incident_id=incident_id)
    if target in (None, "incident-comms"):
        context["drafts"] = incident_drafts(incident_id=incident_id)
    return render(request, template_name, context)


@staff_required
@require_POST
def incident_severity_set(request: StaffRequest, incident_id: int) -> HttpResponse:
    """Raise the severity (SEV1: founders only — the service refuses anyone else with 403)."""
    done = submit(
        IncidentSeverityForm(request.POST),
        lambda data: incident_services.incident_set_severity(
            incident_id=incident_id,
            severity=data["severity"],
            note=data["note"],
            actor=request.user,
            now=timezone.now(),
        ),
    )
    return region(
        request,
        f"{PAGE}#incident-head",
        lambda: incident_context(request, incident_id, error=done.error, error_action="severity"),
        back=_page_url(incident_id),
        error=done.error,
        events=("incident-changed", "incident-plan-stale"),
    )


@staff_required
@require_POST
def incident_status_set(request: StaffRequest, incident_id: int) -> HttpResponse:
    """Move the incident; closing a SEV1/SEV2 without a complete post-mortem is refused here."""
    done = submit(
        IncidentMoveForm(request.POST),
        lambda data: incident_services.incident_change_status(
            incident_id=incident_id,
            to=data["to"],
            note=data["note"],
            actor=request.user,
            now=timezone.now(),
        ),
    )
    return region(
        request,
        f"{PAGE}#incident-head",
        lambda: incident_context(request, incident_id, error=done.error, error_action="status"),
        back=_page_url(incident_id),
        error=done.error,
        events=("incident-changed", "incident-plan-stale"),
    )


@staff_required
@require_POST
def incident_plan_tick(request: StaffRequest, incident_id: int, position: int) -> HttpResponse:
    """Tick (or untick) a response-plan step in place; who and when are recorded."""
    done = submit(
        IncidentPlanTickForm(request.POST),
        lambda data: incident_services.incident_plan_step_tick(
            incident_id=incident_id,
            position=position,
            done=data.get("done", False),
            actor=request.user,
            now=timezone.now(),
        ),
    )
    return region(
        request,
        f"{PAGE}#incident-plan",
        lambda: incident_context(
            request, incident_id, error=done.error, error_action="step", error_step=position
        ),
        back=_page_url(incident_id),
        error=done.error,
        events=("incident-changed",),
    )


@staff_required
@require_POST
def incident_timeline_add(request: StaffRequest, incident_id: int) -> HttpResponse:
    """A quick timeline entry: an internal note, or an update given to customers."""
    form = IncidentTimelineForm(request.POST)
    done = submit(
        form,
        lambda data: incident_services.incident_timeline_add(
            incident_id=incident_id,
            kind=data["kind"],
            text=data["text"],
            actor=request.user,
            now=timezone.now(),
        ),
    )
    keep_form: dict[str, Any] = {} if done.done else {"timeline_form": form}
    return region(
        request,
        f"{PAGE}#incident-timeline",
        lambda: incident_context(
            request,
            incident_id,
            timeline=incident_timeline(incident_id=incident_id),
            **keep_form,
        ),
        back=_page_url(incident_id),
        error=done.error,
        events=("incident-head-stale",),
    )


@staff_required
@require_POST
def incident_postmortem(request: StaffRequest, incident_id: int) -> HttpResponse:
    form = PostmortemForm(request.POST)
    done = submit(
        form,
        lambda data: incident_services.incident_postmortem_save(
            incident_id=incident_id, values=data, actor=request.user, now=timezone.now()
        ),
    )
    return region(
        request,
        f"{PAGE}#incident-postmortem",
        lambda: incident_context(
            request,
            incident_id,
            **({"postmortem_saved": True} if done.done else {"postmortem_form": form}),
        ),
        back=_page_url(incident_id),
        error=done.error,
        events=(
            "incident-changed",
            "incident-head-stale",
        ),  # the head says what closing still needs
    )


@staff_required
@require_POST
def incident_comms(request: StaffRequest, incident_id: int) -> HttpResponse:
    """Customer-update drafts from the chosen Arabic template (they wait for approval)."""
    incident = incident_get(incident_id=incident_id)
    kind = _comms_kind(incident, request.POST.get("kind"))
    form = _comms_form(incident, kind, request.POST, customers=_affected(incident))
    done = submit(
        form,
        lambda data: incident_services.incident_update_draft(
            incident_id=incident_id,
            values=form.values(),
            kind=kind,
            customer_ids=data["customers"],
            channel=data["channel"],
            actor=request.user,
            now=timezone.now(),
        ),
    )
    return region(
        request,
        f"{PAGE}#incident-comms",
        lambda: incident_context(
            request,
            incident_id,
            comms_kind=kind,
            drafts=incident_drafts(incident_id=incident_id),
            **({"comms_created": done.result} if done.done else {"comms_form": form}),
        ),
        back=_page_url(incident_id),
        error=done.error,
        events=("drafts-changed",),
    )
