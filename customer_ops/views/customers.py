"""Customers: the searchable list, the new-customer form and the customer page."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from customer_ops.access import StaffRequest, staff_required
from customer_ops.domain.connectors import SUPPORTED_CONNECTORS
from customer_ops.forms import (
    CustomerCreateForm,
    CustomerFilterForm,
    DraftCreateForm,
    LedgerFilterForm,
)
from customer_ops.models import Customer
from customer_ops.selectors.connectors import connector_board_row, connector_summary_for
from customer_ops.selectors.customers import (
    customer_cases,
    customer_get,
    customer_ledger,
    customer_list_for,
)
from customer_ops.selectors.drafts import customer_draft_count, customer_recent_drafts
from customer_ops.selectors.ledger import ledger_entries_for
from customer_ops.selectors.links import live_progress_link
from customer_ops.selectors.onboarding import onboarding_checklist_for
from customer_ops.services.customers import customer_create
from customer_ops.services.links import IssuedLink
from customer_ops.views.actions import submit
from customer_ops.views.pagination import page_of
from dealix.http import HtmxHttpRequest

CUSTOMERS_PER_PAGE = 25
LEDGER_PER_PAGE = 15
LEDGER_SCREEN_PER_PAGE = 30
RECENT_DRAFTS = 8


@staff_required
@require_GET
@vary_on_headers("HX-Request")
def customer_list(request: HtmxHttpRequest) -> HttpResponse:
    form = CustomerFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    page = page_of(request, customer_list_for(filters=filters), per_page=CUSTOMERS_PER_PAGE)
    template_name = "customer_ops/customers/list.html"
    if request.htmx:
        template_name += "#customer-table"
    return render(request, template_name, {"filter_form": form, "page_obj": page})


@staff_required
@require_http_methods(["GET", "POST"])
def customer_new(request: StaffRequest) -> HttpResponse:
    form = CustomerCreateForm(request.POST or None)
    if request.method == "POST":
        done = submit(
            form, lambda data: customer_create(actor=request.user, now=timezone.now(), **data)
        )
        if done.result is not None:
            url = reverse("customer-page", kwargs={"customer_id": done.result.pk})
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    template_name = "customer_ops/customers/new.html"
    if request.htmx:
        template_name += "#customer-form"
    status = 422 if form.errors else 200
    return render(request, template_name, {"form": form}, status=status)


def customer_page_context(
    request: HtmxHttpRequest,
    customer: Customer,
    *,
    draft_form: DraftCreateForm | None = None,
    issued: IssuedLink | None = None,
) -> dict[str, Any]:
    """Everything the customer page shows (the partial views reuse pieces of it)."""
    now = timezone.now()
    return {
        "customer": customer,
        "checklist": onboarding_checklist_for(customer=customer),
        "connectors": connector_summary_for(customer_id=customer.pk),
        "board_row": connector_board_row(customer_id=customer.pk),
        "drafts": customer_recent_drafts(customer_id=customer.pk, limit=RECENT_DRAFTS),
        "draft_total": customer_draft_count(customer_id=customer.pk),
        "draft_form": draft_form or DraftCreateForm(initial={"to": customer.contact_email}),
        "ledger_page": page_of(
            request, customer_ledger(customer_id=customer.pk), per_page=LEDGER_PER_PAGE
        ),
        "live_link": live_progress_link(customer_id=customer.pk, now=now),
        "issued": issued,
        "error_step": "",
        "step_error": "",
        "catalog": SUPPORTED_CONNECTORS,
        "cases": customer_cases(customer_id=customer.pk),
    }


@staff_required
@require_GET
@vary_on_headers("HX-Request")
def customer_detail(request: HtmxHttpRequest, customer_id: int) -> HttpResponse:
    customer = customer_get(customer_id=customer_id)
    context = customer_page_context(request, customer)
    template_name = "customer_ops/customers/detail.html"
    # The checklist refreshes itself after a connector changes (first_service_run depends on it).
    # So does the readiness card (the connector row beside it must not contradict it).
    if request.htmx and request.htmx.target in ("onboarding-checklist", "customer-readiness"):
        template_name += f"#{request.htmx.target}"
    return render(request, template_name, context)


@staff_required
@require_GET
@vary_on_headers("HX-Request")
def customer_ledger_page(request: HtmxHttpRequest, customer_id: int) -> HttpResponse:
    customer = customer_get(customer_id=customer_id)
    page = page_of(request, customer_ledger(customer_id=customer.pk), per_page=LEDGER_PER_PAGE)
    template_name = "customer_ops/customers/ledger.html"
    if request.htmx:
        template_name += "#customer-ledger"
    return render(request, template_name, {"customer": customer, "ledger_page": page})


@staff_required
@require_GET
@vary_on_headers("HX-Request")
def ledger_page(request: HtmxHttpRequest) -> HttpResponse:
    form = LedgerFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    page = page_of(request, ledger_entries_for(filters=filters), per_page=LEDGER_SCREEN_PER_PAGE)
    template_name = "customer_ops/ledger/list.html"
    if request.htmx:
        template_name += "#ledger-table"
    return render(request, template_name, {"filter_form": form, "ledger_page": page})
