from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from customer_ops.access import staff_required
from customer_ops.roles import is_founder
from customer_ops.selectors.console import draft_tab_counts_for, drafts_waiting, my_drafts
from customer_ops.selectors.home import home_counts
from dealix.http import HtmxHttpRequest

HOME_LIST_LENGTH = 6


@staff_required
@require_GET
def home(request: HtmxHttpRequest) -> HttpResponse:
    # Each section is what needs this person now; tickets, incidents and at-risk customers
    # join as further sections when their screens exist (issue #6 models, issue #7 screens).
    context = {"counts": home_counts()}
    if is_founder(request.user):
        context["waiting"] = drafts_waiting(limit=HOME_LIST_LENGTH)
    else:
        context["my_drafts"] = my_drafts(user=request.user, limit=HOME_LIST_LENGTH)
        context["my_counts"] = draft_tab_counts_for(user=request.user)
    return render(request, "customer_ops/home.html", context)
