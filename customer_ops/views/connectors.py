"""The connector status board (customers × 11 connectors) and a state changed in place."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from customer_ops.access import StaffRequest, staff_required
from customer_ops.domain.connectors import CONNECTORS_BY_KEY, SUPPORTED_CONNECTORS
from customer_ops.domain.transitions import ConnectorState
from customer_ops.forms import ConnectorBoardFilterForm, ConnectorMoveForm
from customer_ops.selectors.connectors import (
    connector_board_customers,
    connector_board_ready_count,
    connector_board_row,
    connector_board_rows,
)
from customer_ops.services.connectors import connector_set_state
from customer_ops.views.actions import region, submit
from customer_ops.views.pagination import page_of
from dealix.http import HtmxHttpRequest

BOARD_PER_PAGE = 20


@staff_required
@require_GET
@vary_on_headers("HX-Request")
def connector_board(request: HtmxHttpRequest) -> HttpResponse:
    form = ConnectorBoardFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    page = page_of(request, connector_board_customers(filters=filters), per_page=BOARD_PER_PAGE)
    template_name = "customer_ops/connectors/board.html"
    if request.htmx:
        # The summary listens to the rows: a connector moved, the ready count may change.
        summary = request.htmx.target == "connector-board-summary"
        template_name += "#connector-board-summary" if summary else "#connector-board"
    context = {
        "ready_count": connector_board_ready_count(filters=filters),
        "filter_form": form,
        "page_obj": page,
        "rows": connector_board_rows(page.object_list),
        "catalog": SUPPORTED_CONNECTORS,
        "states": list(ConnectorState),
    }
    return render(request, template_name, context)


@staff_required
@require_POST
def connector_state_set(
    request: StaffRequest, customer_id: int, connector_key: str
) -> HttpResponse:
    if connector_key not in CONNECTORS_BY_KEY:
        raise Http404
    form = ConnectorMoveForm(request.POST)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}):
        back = reverse("connector-board")
    done = submit(
        form,
        lambda data: connector_set_state(
            customer_id=customer_id,
            connector_key=connector_key,
            to=data["to"],
            actor=request.user,
            now=timezone.now(),
        ),
    )
    # The customer page's checklist listens: first_service_run depends on readiness.
    return region(
        request,
        "customer_ops/_components/connector_row.html",
        lambda: {
            "row": connector_board_row(customer_id=customer_id),
            "error_key": connector_key,
            "error": done.error,
            "next_url": back,
        },
        back=back,
        error=done.error,
        events=("connectors-changed",),
    )
