"""Paginating a list screen: one COUNT and one page query, whatever the list's length."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


def page_of(
    request: HttpRequest, queryset: QuerySet[Any], *, per_page: int, param: str = "page"
) -> Page[Any]:
    """The requested page; a missing, non-numeric or too-large number gives the nearest page."""
    return Paginator(queryset, per_page).get_page(request.GET.get(param))
