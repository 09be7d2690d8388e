"""Refuse request bodies over the limit with 413 before anything reads them; read chunked ones.

A body sent with `Transfer-Encoding: chunked` has no Content-Length. gunicorn decodes the chunks
into `wsgi.input`, but Django reads a body of Content-Length bytes, so such a body was read as
empty and a POST looked like one without data (a 400 naming every field, or worse, defaults).
Here it is read up to the limit: within it, the request goes on with the body and its length;
over it, 413 — the same answer as a declared length over the limit.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse


def _too_large(limit: int) -> JsonResponse:
    return JsonResponse(
        {
            "error": f"request body too large (limit {limit} bytes)",
            "error_ar": "حجم الطلب أكبر من المسموح",
        },
        status=413,
    )


def _is_chunked(request: HttpRequest) -> bool:
    encodings = request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
    return "chunked" in (part.strip() for part in encodings.split(","))


def _read_at_most(stream: io.RawIOBase | io.BufferedIOBase, size: int) -> bytes:
    """Up to `size` bytes from a stream whose reads may come short (a chunk at a time)."""
    parts: list[bytes] = []
    remaining = size
    while remaining > 0:
        part = stream.read(min(remaining, 64 * 1024))
        if not part:
            break
        parts.append(part)
        remaining -= len(part)
    return b"".join(parts)


class RequestSizeLimitMiddleware:
    """A declared Content-Length over DATA_UPLOAD_MAX_MEMORY_SIZE gets 413 at once; a chunked
    body is read (at most the limit plus one byte) and goes on with its length, or gets 413."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit is not None and length > limit:
            return _too_large(limit)
        stream = request.META.get("wsgi.input")
        if not length and _is_chunked(request) and stream is not None:
            cap = limit if limit is not None else 10 * 1024 * 1024
            body = _read_at_most(stream, cap + 1)
            if len(body) > cap:
                return _too_large(cap)
            request.META["CONTENT_LENGTH"] = str(len(body))
            request._stream = io.BytesIO(body)  # WSGIRequest's body
        return self.get_response(request)
