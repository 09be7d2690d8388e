"""Pages of long querysets, counted and sliced in the database."""

from __future__ import annotations

from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Count, QuerySet, Window


class _CountedPaginator(Paginator[Any]):
    """A paginator told its count (read with the page's ids) instead of asking the database."""

    def __init__(self, count: int, per_page: int) -> None:
        super().__init__([], per_page)
        self.__dict__["count"] = count  # `count` is a cached_property: this is its value


def page_by_ids(
    queryset: QuerySet[Any],
    *,
    number: Any,
    per_page: int,
    rows: QuerySet[Any] | None = None,
) -> Page[Any]:
    """One page of `queryset` in its order: the page's ids and the total first, then those rows.

    One query sorts the matching ids and counts them (`COUNT(*) OVER ()` on the page's rows), so
    the filters, a search above all, are evaluated once; the database answers from an index where
    one covers the sort. The rows (with their joins and annotations) are then fetched by id from
    `rows` (default: `queryset`; pass the unfiltered queryset so the filters are not run again).
    Two queries, whatever the size; three or four for a page number past the end, which shows the
    last page as `Paginator.get_page` does.
    """
    ids_and_total = queryset.annotate(_total=Window(Count("pk"))).values_list("pk", "_total")
    wanted = _page_number(number)
    found = list(ids_and_total[(wanted - 1) * per_page : wanted * per_page]) if wanted else []
    if found or wanted == 1:
        paginator = _CountedPaginator(found[0][1] if found else 0, per_page)
        number = wanted
    else:  # past the end (or below 1): the last page, as get_page answers
        paginator = _CountedPaginator(queryset.count(), per_page)
        number = paginator.num_pages
        bottom = (number - 1) * per_page
        found = list(ids_and_total[bottom : bottom + per_page])
    ids = [pk for pk, _total in found]
    fetched = {row.pk: row for row in (queryset if rows is None else rows).filter(pk__in=ids)}
    return Page([fetched[pk] for pk in ids if pk in fetched], number, paginator)


def _page_number(number: Any) -> int:
    """`number` as `Paginator.get_page` reads it: 1 when not a whole number, 0 when below 1."""
    try:
        return _ANY_PAGE.validate_number(number)
    except PageNotAnInteger:
        return 1
    except EmptyPage:
        return 0


# Validates a page number the way Django does, without a count (a range's length costs nothing).
_ANY_PAGE = Paginator(range(2**62), 1)
