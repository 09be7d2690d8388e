"""Refuse request bodies over the limit with 413 before anything reads them."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse


class RequestSizeLimitMiddleware:
    """A declared Content-Length over DATA_UPLOAD_MAX_MEMORY_SIZE gets 413 at once.

    Bodies without a length (chunked) are still bounded by Django's own check when read.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit is not None and length > limit:
            return JsonResponse(
                {
                    "error": f"request body too large (limit {limit} bytes)",
                    "error_ar": "حجم الطلب أكبر من المسموح",
                },
                status=413,
            )
        return self.get_response(request)
