"""List pages: `?page=` must be one positive whole number (or "last")."""

from __future__ import annotations

from typing import Any

from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

from dealix.api_errors import InputInvalid


class StrictPageNumberPagination(PageNumberPagination):
    """DRF's page numbers, minus its guessing: `?page=x`, `?page=` or a repeated `page` is a 400.

    DRF takes the last of repeated values and treats an empty one as page 1, so a client with a
    bug gets page 1 and never learns. A page past the end stays a 404.
    """

    def get_page_number(self, request: Request, paginator: Any) -> Any:
        values = request.query_params.getlist(self.page_query_param)
        if not values:
            return 1
        value = values[0]
        if len(values) > 1 or not (
            value in self.last_page_strings or (value.isdecimal() and int(value) >= 1)
        ):
            raise InputInvalid(
                {"page": ["give one page number, 1 or more"]},
                {"page": ["أرسل رقم صفحة واحداً، 1 أو أكثر"]},
            )
        return paginator.num_pages if value in self.last_page_strings else value
