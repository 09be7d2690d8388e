from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from customer_ops.access import staff_required
from customer_ops.selectors.home import home_counts
from dealix.http import HtmxHttpRequest


@staff_required
@require_GET
def home(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "customer_ops/home.html", {"counts": home_counts()})
