"""The onboarding checklist on the customer page, ticked and approved in place."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from customer_ops.access import founder_required, staff_required
from customer_ops.domain.errors import DomainError, UnknownStep
from customer_ops.domain.onboarding import parse_step_id
from customer_ops.forms import OnboardingStepForm
from customer_ops.labels import refusal_text
from customer_ops.models import Customer
from customer_ops.selectors.customers import customer_get
from customer_ops.selectors.onboarding import onboarding_checklist_for
from customer_ops.services.onboarding import onboarding_approve_step, onboarding_set_step
from dealix.http import HtmxHttpRequest


def _customer_and_step(customer_id: int, step_id: str) -> Customer:
    try:
        parse_step_id(step_id)
    except UnknownStep:
        raise Http404 from None
    return customer_get(customer_id=customer_id)


def _checklist(
    request: HtmxHttpRequest, customer: Customer, *, step_id: str, error: str = ""
) -> HttpResponse:
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect("customer-page", customer_id=customer.pk)
    context = {
        "customer": customer,
        "checklist": onboarding_checklist_for(customer=customer),
        "error_step": step_id if error else "",
        "step_error": error,
    }
    return render(
        request,
        "customer_ops/customers/detail.html#onboarding-checklist",
        context,
        status=422 if error else 200,
    )


@staff_required
@require_POST
def onboarding_step_set(request: HtmxHttpRequest, customer_id: int, step_id: str) -> HttpResponse:
    customer = _customer_and_step(customer_id, step_id)
    form = OnboardingStepForm(request.POST)
    # Both fields are optional (an unticked box sends nothing), so only a refused note lands
    # here; it must not be dropped silently while the tick is saved.
    if not form.is_valid():
        error = " ".join(str(message) for errors in form.errors.values() for message in errors)
        return _checklist(request, customer, step_id=step_id, error=error)
    try:
        onboarding_set_step(
            customer_id=customer.pk,
            step_id=step_id,
            completed=form.cleaned_data.get("completed", False),
            notes=form.cleaned_data.get("notes", ""),
            actor=request.user,
            now=timezone.now(),
        )
    except DomainError as exc:
        return _checklist(request, customer, step_id=step_id, error=refusal_text(exc))
    return _checklist(request, customer, step_id=step_id)


@founder_required
@require_POST
def onboarding_step_approve(
    request: HtmxHttpRequest, customer_id: int, step_id: str
) -> HttpResponse:
    customer = _customer_and_step(customer_id, step_id)
    try:
        onboarding_approve_step(
            customer_id=customer.pk, step_id=step_id, approver=request.user, now=timezone.now()
        )
    except DomainError as exc:
        return _checklist(request, customer, step_id=step_id, error=refusal_text(exc))
    return _checklist(request, customer, step_id=step_id)
