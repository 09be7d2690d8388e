"""The customer's private progress page: one customer, read-only, no account."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from customer_ops.selectors.connectors import connector_summary_for
from customer_ops.selectors.links import customer_for_progress_token
from customer_ops.selectors.onboarding import onboarding_checklist_for


@never_cache
@require_GET
def customer_progress(request: HttpRequest, token: str) -> HttpResponse:
    customer = customer_for_progress_token(token=token, now=timezone.now())
    if customer is None:
        # Unknown, expired and revoked links look the same: a plain 404, never a hint.
        raise Http404
    checklist = onboarding_checklist_for(customer=customer)
    summary = connector_summary_for(customer_id=customer.pk)
    next_step = next((step for step in checklist["steps"] if not step["completed"]), None)
    response = render(
        request,
        "customer_ops/progress/page.html",
        {
            "company_name": customer.company_name,
            "checklist": checklist,
            "connectors": summary,
            "next_step": next_step,
        },
    )
    # The token is in the URL: keep it out of other sites' Referer headers and out of search.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
