"""The header's search: tickets, messages, customers and incidents, grouped, matches marked."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from customer_ops.access import staff_required
from customer_ops.forms import SearchForm
from customer_ops.selectors.search import SearchResults, search_everything
from dealix.http import HtmxHttpRequest

PAGE = "customer_ops/search/results.html"


@staff_required
@require_GET
@vary_on_headers("HX-Request")
def search_page(request: HtmxHttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    results = search_everything(query=query) if query else SearchResults(query="", terms=[])
    template_name = PAGE + "#search-results" if request.htmx else PAGE
    return render(request, template_name, {"search_form": form, "results": results})
