"""Pages of long querysets, counted and sliced in the database."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


def page_by_ids(queryset: QuerySet[Any], *, number: Any, per_page: int) -> Page[Any]:
    """One page of `queryset` in its order: the page's ids first, then those rows in full.

    Sorting and counting only the ids lets the database answer from an index; the rows (with their
    joins and annotations) are then fetched for the page alone. Three queries, whatever the size.
    """
    page = Paginator(queryset.values_list("pk", flat=True), per_page).get_page(number)
    ids = list(page.object_list)
    rows = {row.pk: row for row in queryset.filter(pk__in=ids).order_by()}
    page.object_list = [rows[pk] for pk in ids if pk in rows]
    return page
