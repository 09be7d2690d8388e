"""The customer's private progress link: created (its URL shown once) or revoked in place."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from customer_ops.access import StaffRequest, staff_required
from customer_ops.selectors.customers import customer_get
from customer_ops.selectors.links import live_progress_link
from customer_ops.services import links as link_services
from customer_ops.views.actions import region
from customer_ops.views.customers import customer_page_context


@staff_required
@require_POST
def progress_link_create(request: StaffRequest, customer_id: int) -> HttpResponse:
    customer = customer_get(customer_id=customer_id)
    issued = link_services.progress_link_create(
        customer_id=customer.pk, actor=request.user, now=timezone.now()
    )
    if not request.htmx:
        # The token is shown once and never stored: render it now rather than redirect.
        context = customer_page_context(request, customer, issued=issued)
        return render(request, "customer_ops/customers/detail.html", context)
    context = {"customer": customer, "issued": issued, "live_link": issued.link}
    return render(request, "customer_ops/customers/detail.html#progress-link", context)


@staff_required
@require_POST
def progress_link_revoke(request: StaffRequest, customer_id: int) -> HttpResponse:
    customer = customer_get(customer_id=customer_id)
    now = timezone.now()
    link_services.progress_link_revoke(customer_id=customer.pk, actor=request.user, now=now)
    return region(
        request,
        "customer_ops/customers/detail.html#progress-link",
        lambda: {
            "customer": customer,
            "issued": None,
            "live_link": live_progress_link(customer_id=customer.pk, now=now),
            "revoked": True,
        },
        back=reverse("customer-page", kwargs={"customer_id": customer.pk}),
    )
