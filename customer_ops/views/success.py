"""Customer success: due touchpoints across plans, the at-risk list, and one customer's success page.

The at-risk list comes from `selectors.success.at_risk_list`, which computes every customer's score
from real activity (last ledger row, pending drafts, last Proof Pack) in one query; the page
paginates that list.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from customer_ops.access import StaffRequest, staff_required
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
from customer_ops.views.actions import region, submit
from customer_ops.views.pagination import page_of
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
    rows = at_risk_list(
        now=timezone.now(), severity=form.cleaned_data.get("severity") or None, at_risk_only=True
    )
    page = Paginator(rows, AT_RISK_PER_PAGE).get_page(request.GET.get("page"))
    template_name = AT_RISK + ("#at-risk-table" if request.htmx else "")
    return render(request, template_name, {"filter_form": form, "page_obj": page})


@staff_required
@require_POST
def touchpoint_done(request: StaffRequest, touchpoint_id: int) -> HttpResponse:
    """Mark a touchpoint done in place (who and when are recorded)."""
    touchpoint = success_services.touchpoint_complete(
        touchpoint_id=touchpoint_id, actor=request.user, now=timezone.now()
    )
    back = request.POST.get("back", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}):
        back = reverse("success-home")
    return region(
        request,
        ROW,
        lambda: {
            "touchpoint": touchpoint_get(touchpoint_id=touchpoint.pk),
            "today": _today(),
            "show_customer": request.POST.get("show_customer") == "1",
        },
        back=back,
        events=("touchpoints-changed",),
    )


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
@vary_on_headers("HX-Request")
def customer_success(request: HtmxHttpRequest, customer_id: int) -> HttpResponse:
    template_name = PAGE
    # Health and the risk card refresh themselves after a check-in, a Proof Pack or a plan.
    if request.htmx and request.htmx.target in ("success-health", "success-risk"):
        template_name += f"#{request.htmx.target}"
    return render(request, template_name, success_context(request, customer_id))


def _page_url(customer_id: int) -> str:
    return reverse("customer-success", kwargs={"customer_id": customer_id})


@staff_required
@require_POST
def success_plan_create(request: StaffRequest, customer_id: int) -> HttpResponse:
    form = SuccessPlanForm(request.POST)
    done = submit(
        form,
        lambda data: success_services.success_plan_create(
            customer_id=customer_id,
            start_on=data["start_on"],
            actor=request.user,
            now=timezone.now(),
        ),
    )
    return region(
        request,
        f"{PAGE}#success-plan",
        lambda: success_context(
            request,
            customer_id,
            **({"plan_created": True} if done.done else {"plan_form": form}),
        ),
        back=_page_url(customer_id),
        error=done.error,
        events=("risk-changed",),
    )


@staff_required
@require_POST
def proof_pack_record(request: StaffRequest, customer_id: int) -> HttpResponse:
    form = ProofPackForm(request.POST)
    done = submit(
        form,
        lambda data: success_services.proof_pack_record(
            customer_id=customer_id,
            title=data["title"],
            delivered_at=data["delivered_at"],
            note=data["note"],
            actor=request.user,
            now=timezone.now(),
        ),
    )
    return region(
        request,
        f"{PAGE}#proof-packs",
        lambda: success_context(
            request,
            customer_id,
            **({"proof_recorded": True} if done.done else {"proof_form": form}),
        ),
        back=_page_url(customer_id),
        error=done.error,
        events=("risk-changed",),
    )


@staff_required
@require_POST
def check_in_build(request: StaffRequest, customer_id: int) -> HttpResponse:
    """This week's check-in: numbers from the database and the operator, as a draft for approval."""
    form = CheckInForm(request.POST)
    done = submit(
        form,
        lambda data: success_services.check_in_create(
            customer_id=customer_id,
            replies=data["replies"],
            meetings=data["meetings"],
            pipeline_sar=float(data["pipeline_sar"]),
            csat=float(data["csat"]) if data["csat"] is not None else None,
            channel=data["channel"],
            to=data["to"],
            actor=request.user,
            now=timezone.now(),
        ),
    )
    return region(
        request,
        f"{PAGE}#check-in",
        lambda: success_context(
            request,
            customer_id,
            **({"check_in_created": done.result} if done.done else {"check_in_form": form}),
        ),
        back=_page_url(customer_id),
        error=done.error,
        # A check-in is a health input: the health and the risk card listen.
        events=("drafts-changed", "risk-changed"),
    )
