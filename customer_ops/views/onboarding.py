"""The onboarding checklist on the customer page, ticked and approved in place."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from customer_ops.access import StaffRequest, founder_required, staff_required
from customer_ops.domain.errors import UnknownStep
from customer_ops.domain.onboarding import parse_step_id
from customer_ops.forms import OnboardingStepForm
from customer_ops.models import Customer
from customer_ops.selectors.customers import customer_get
from customer_ops.selectors.onboarding import onboarding_checklist_for
from customer_ops.services.onboarding import onboarding_approve_step, onboarding_set_step
from customer_ops.views.actions import Submission, region, submit
from dealix.http import HtmxHttpRequest


def _customer_and_step(customer_id: int, step_id: str) -> Customer:
    try:
        parse_step_id(step_id)
    except UnknownStep:
        raise Http404 from None
    return customer_get(customer_id=customer_id)


def _checklist(
    request: HtmxHttpRequest, customer: Customer, step_id: str, done: Submission[Any]
) -> HttpResponse:
    """The checklist after a step changed, the refusal beside the step it concerns."""
    return region(
        request,
        "customer_ops/customers/detail.html#onboarding-checklist",
        lambda: {
            "customer": customer,
            "checklist": onboarding_checklist_for(customer=customer),
            "error_step": step_id if done.error else "",
            "step_error": done.error,
        },
        back=reverse("customer-page", kwargs={"customer_id": customer.pk}),
        error=done.error,
        events=("onboarding-changed",),  # the ledger listens
    )


@staff_required
@require_POST
def onboarding_step_set(request: StaffRequest, customer_id: int, step_id: str) -> HttpResponse:
    customer = _customer_and_step(customer_id, step_id)
    # Both fields are optional (an unticked box sends nothing), so only a refused note fails the
    # form; it must not be dropped silently while the tick is saved.
    done = submit(
        OnboardingStepForm(request.POST),
        lambda data: onboarding_set_step(
            customer_id=customer.pk,
            step_id=step_id,
            completed=data.get("completed", False),
            notes=data.get("notes", ""),
            actor=request.user,
            now=timezone.now(),
        ),
    )
    return _checklist(request, customer, step_id, done)


@founder_required
@require_POST
def onboarding_step_approve(request: StaffRequest, customer_id: int, step_id: str) -> HttpResponse:
    customer = _customer_and_step(customer_id, step_id)
    done = submit(
        None,
        lambda _data: onboarding_approve_step(
            customer_id=customer.pk, step_id=step_id, approver=request.user, now=timezone.now()
        ),
    )
    return _checklist(request, customer, step_id, done)
