from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from customer_ops.access import StaffRequest, staff_required
from customer_ops.domain.success import RiskSeverity
from customer_ops.roles import is_founder
from customer_ops.selectors.calendar import business_timezone, unconfirmed_estimates
from customer_ops.selectors.customers import customer_counts
from customer_ops.selectors.drafts import draft_tab_counts_for, drafts_waiting, my_drafts
from customer_ops.selectors.incidents import active_incident_count, incidents_update_due
from customer_ops.selectors.success import at_risk_list
from customer_ops.selectors.tickets import queue_counts, tickets_nearest_breach

HOME_LIST_LENGTH = 6


@staff_required
@require_GET
def home(request: StaffRequest) -> HttpResponse:
    # Each section is what needs this person now: drafts, tickets nearest to breach, incidents
    # owing customers an update, customers at risk; each links to the item.
    now = timezone.now()
    at_risk = [row for row in at_risk_list(now=now) if row["severity"] != RiskSeverity.LOW]
    context = {
        "counts": customer_counts(),
        "now": now,
        "queue": queue_counts(now=now),
        "active_incidents": active_incident_count(),
        "nearest": tickets_nearest_breach(now=now, limit=HOME_LIST_LENGTH),
        "updates_due": incidents_update_due(limit=HOME_LIST_LENGTH),
        "at_risk": at_risk[:HOME_LIST_LENGTH],
        "at_risk_total": len(at_risk),
    }
    if is_founder(request.user):
        context["waiting"] = drafts_waiting(limit=HOME_LIST_LENGTH)
        context["estimates"] = unconfirmed_estimates(
            today=now.astimezone(business_timezone()).date()
        )
    else:
        context["my_drafts"] = my_drafts(user=request.user, limit=HOME_LIST_LENGTH)
        context["my_counts"] = draft_tab_counts_for(user=request.user)
    return render(request, "customer_ops/home.html", context)
