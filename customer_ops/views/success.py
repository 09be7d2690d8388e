"""Customer success: due touchpoints across plans, the at-risk list, and one customer's success page.

The at-risk list comes from `selectors.success.at_risk_list`, which computes every customer's score
from real activity (last ledger row, pending drafts, last Proof Pack) in one query; the page
paginates that list.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from customer_ops.access import staff_required
from customer_ops.domain.errors import DomainError
from customer_ops.domain.success import RiskSeverity
from customer_ops.forms import AtRiskFilterForm, CheckInForm, ProofPackForm, SuccessPlanForm
from customer_ops.models.drafts import DraftChannel
from customer_ops.selectors.calendar import business_timezone
from customer_ops.selectors.customers import customer_get
from customer_ops.selectors.success import (
    at_risk_list,
    customer_check_ins,
    customer_health,
    customers_without_plan,
    proof_packs_for,
    risk_inputs_for,
    success_plan_for,
    touchpoint_get,
    touchpoints_due,
)
from customer_ops.services import success as success_services
from customer_ops.views.pagination import page_of
from customer_ops.views.refusals import add_refusal
from dealix.http import HtmxHttpRequest

TOUCHPOINTS_PER_PAGE = 20
AT_RISK_PER_PAGE = 20
DUE_HORIZON = dt.timedelta(days=7)
RECENT = 6
HOME = "customer_ops/success/home.html"
AT_RISK = "customer_ops/success/at_risk.html"
PAGE = "customer_ops/success/customer.html"
ROW = "customer_ops/_components/touchpoint_row.html"


def _today() -> dt.date:
    return timezone.localtime(timezone.now(), business_timezone()).date()


@staff_required
@require_GET
@vary_on_headers("HX-Request")
def success_home(request: HtmxHttpRequest) -> HttpResponse:
    today = _today()
    page = page_of(
        request, touchpoints_due(until=today + DUE_HORIZON), per_page=TOUCHPOINTS_PER_PAGE
    )
    context: dict[str, Any] = {"page_obj": page, "today": today}
    template_name = HOME
    if request.htmx:
        template_name += "#touchpoints-due"
    else:
        risky = [
            row for row in at_risk_list(now=timezone.now()) if row["severity"] != RiskSeverity.LOW
        ]
        context.update(
            {
                "at_risk": risky[:RECENT],
                "at_risk_total": len(risky),
                "without_plan": list(customers_without_plan()[:50]),
            }
        )
    return render(request, template_name, context)


@staff_required
@require_GET
@vary_on_headers("HX-Request")
def success_at_risk(request: HtmxHttpRequest) -> HttpResponse:
    form = AtRiskFilterForm(request.GET)
    form.is_valid()
    rows = at_risk_list(now=timezone.now(), severity=form.cleaned_data.get("severity") or None)
    page = Paginator(rows, AT_RISK_PER_PAGE).get_page(request.GET.get("page"))
    template_name = AT_RISK + ("#at-risk-table" if request.htmx else "")
    return render(request, template_name, {"filter_form": form, "page_obj": page})


@staff_required
@require_POST
def touchpoint_done(request: HtmxHttpRequest, touchpoint_id: int) -> HttpResponse:
    """Mark a touchpoint done in place (who and when are recorded)."""
    touchpoint = success_services.touchpoint_complete(
        touchpoint_id=touchpoint_id, actor=request.user, now=timezone.now()
    )
    if not request.htmx:
        back = request.POST.get("back", "")
        if not url_has_allowed_host_and_scheme(back, {request.get_host()}):
            back = reverse("success-home")
        return redirect(back)
    touchpoint = touchpoint_get(touchpoint_id=touchpoint.pk)
    context = {
        "touchpoint": touchpoint,
        "today": _today(),
        "show_customer": request.POST.get("show_customer") == "1",
    }
    response = render(request, ROW, context)
    trigger_client_event(response, "touchpoints-changed")
    return response


# ── One customer's success page ─────────────────────────────────────────────────────────────────
def success_context(request: HtmxHttpRequest, customer_id: int, **extra: Any) -> dict[str, Any]:
    customer = customer_get(customer_id=customer_id)
    now = timezone.now()
    inputs = risk_inputs_for(customer_id=customer.pk, now=now)
    context = {
        "customer": customer,
        "today": _today(),
        "plan": success_plan_for(customer_id=customer.pk),
        "proof_packs": list(proof_packs_for(customer_id=customer.pk)[:RECENT]),
        "check_ins": customer_check_ins(customer_id=customer.pk, limit=RECENT),
        "health": customer_health(customer_id=customer.pk, now=now),
        "risk": inputs,
        "risk_row": next(
            (row for row in at_risk_list(now=now) if row["customer_id"] == customer.pk), None
        ),
        "plan_form": SuccessPlanForm(),
        "proof_form": ProofPackForm(),
        "check_in_form": CheckInForm(initial={"channel": DraftChannel.EMAIL.value}),
    }
    context.update(extra)
    return context


@staff_required
@require_GET
def customer_success(request: HtmxHttpRequest, customer_id: int) -> HttpResponse:
    return render(request, PAGE, success_context(request, customer_id))


def _region(
    request: HtmxHttpRequest,
    customer_id: int,
    region: str,
    *,
    ok: bool,
    events: tuple[str, ...] = (),
    **extra: Any,
) -> HttpResponse:
    if not request.htmx:
        if not ok:
            messages.error(request, str(extra.get("error_text", "")) or "—")
        return redirect("customer-success", customer_id=customer_id)
    context = success_context(request, customer_id, **extra)
    response = render(request, f"{PAGE}#{region}", context, status=200 if ok else 422)
    if ok:
        for event in events:
            trigger_client_event(response, event)
    return response


def _errors(form: Any) -> str:
    return " ".join(str(message) for errors in form.errors.values() for message in errors)


@staff_required
@require_POST
def success_plan_create(request: HtmxHttpRequest, customer_id: int) -> HttpResponse:
    form = SuccessPlanForm(request.POST)
    if form.is_valid():
        try:
            success_services.success_plan_create(
                customer_id=customer_id,
                start_on=form.cleaned_data["start_on"],
                actor=request.user,
                now=timezone.now(),
            )
        except DomainError as exc:
            add_refusal(form, exc)
        else:
            if not request.htmx:
                return redirect("customer-success", customer_id=customer_id)
            return _region(request, customer_id, "success-plan", ok=True, plan_created=True)
    return _region(
        request, customer_id, "success-plan", ok=False, plan_form=form, error_text=_errors(form)
    )


@staff_required
@require_POST
def proof_pack_record(request: HtmxHttpRequest, customer_id: int) -> HttpResponse:
    form = ProofPackForm(request.POST)
    if form.is_valid():
        try:
            success_services.proof_pack_record(
                customer_id=customer_id,
                title=form.cleaned_data["title"],
                delivered_at=form.cleaned_data["delivered_at"],
                note=form.cleaned_data["note"],
                actor=request.user,
                now=timezone.now(),
            )
        except DomainError as exc:
            add_refusal(form, exc)
        else:
            return _region(
                request,
                customer_id,
                "proof-packs",
                ok=True,
                events=("risk-changed",),
                proof_recorded=True,
            )
    return _region(
        request, customer_id, "proof-packs", ok=False, proof_form=form, error_text=_errors(form)
    )


@staff_required
@require_POST
def check_in_build(request: HtmxHttpRequest, customer_id: int) -> HttpResponse:
    """This week's check-in: numbers from the database and the operator, as a draft for approval."""
    form = CheckInForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            check_in = success_services.check_in_create(
                customer_id=customer_id,
                replies=data["replies"],
                meetings=data["meetings"],
                pipeline_sar=float(data["pipeline_sar"]),
                csat=float(data["csat"]) if data["csat"] is not None else None,
                channel=data["channel"],
                to=data["to"],
                actor=request.user,
                now=timezone.now(),
            )
        except (DomainError, ValidationError) as exc:
            add_refusal(form, exc)
        else:
            return _region(
                request,
                customer_id,
                "check-in",
                ok=True,
                events=("drafts-changed",),
                check_in_created=check_in,
            )
    return _region(
        request, customer_id, "check-in", ok=False, check_in_form=form, error_text=_errors(form)
    )
