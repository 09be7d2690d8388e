"""Operator modes (SPEC_RULES §9) from the app's real data: the self-growth daily brief, and the
service-delivery brief with the customer's SLA status and the handoff to Customer Success.

The briefs come from `selectors.briefs` (the pilot customers as self-growth targets; the customer's
own record as the delivery intake; its open tickets measured now). The handoff writes through
`services.success.delivery_handoff`, which refuses while any open ticket is past its SLA — the
refusal is shown where the operator pressed the button.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from customer_ops.access import StaffRequest, staff_required
from customer_ops.domain.modes import get_service
from customer_ops.forms import DeliveryForm
from customer_ops.selectors.briefs import (
    self_growth_brief,
    service_delivery_brief,
    sla_status_for_delivery,
)
from customer_ops.selectors.customers import customer_get
from customer_ops.services import success as success_services
from customer_ops.views.actions import region, submit
from dealix.http import HtmxHttpRequest

SELF_GROWTH = "customer_ops/modes/self_growth.html"
DELIVERY = "customer_ops/modes/delivery.html"


@staff_required
@require_GET
def modes(request: HtmxHttpRequest) -> HttpResponse:
    """Today's self-growth brief over the real pilot customers."""
    return render(request, SELF_GROWTH, {"brief": self_growth_brief()})


def delivery_context(customer_id: int, service_id: str) -> dict[str, Any]:
    customer = customer_get(customer_id=customer_id)
    return {
        "customer": customer,
        "service": get_service(service_id),
        "brief": service_delivery_brief(customer_id=customer.pk, service_id=service_id),
        "sla": sla_status_for_delivery(customer_id=customer.pk, now=timezone.now()),
    }


@staff_required
@require_GET
@vary_on_headers("HX-Request")
def modes_delivery(request: HtmxHttpRequest) -> HttpResponse:
    """The delivery brief, SLA status and handoff for a customer and a service."""
    form = DeliveryForm(request.GET or None)
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        context.update(
            delivery_context(form.cleaned_data["customer"], form.cleaned_data["service"])
        )
    template_name = DELIVERY + ("#delivery-brief" if request.htmx else "")
    return render(request, template_name, context)


@staff_required
@require_POST
def modes_handoff(request: StaffRequest) -> HttpResponse:
    """Hand the delivered service to Customer Success (refused while tickets are breached)."""
    form = DeliveryForm(request.POST)
    if not form.is_valid():
        return render(request, DELIVERY + "#delivery-brief", {"form": form}, status=422)
    customer_id, service_id = form.cleaned_data["customer"], form.cleaned_data["service"]
    done = submit(
        form,
        lambda _data: success_services.delivery_handoff(
            customer_id=customer_id, service_id=service_id, actor=request.user, now=timezone.now()
        ),
    )
    if done.done and not request.htmx:
        messages.success(request, _("سُلّمت الخدمة لنجاح العملاء، وخطة النجاح جاهزة."))
    query = urlencode({"customer": customer_id, "service": service_id})
    return region(
        request,
        DELIVERY + "#handoff",
        lambda: {
            "form": form,
            **delivery_context(customer_id, service_id),
            "handoff": done.result,
            "handoff_error": done.error,
        },
        back=f"{reverse('modes-delivery')}?{query}",
        error=done.error,
    )
