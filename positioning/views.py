"""The public landing pages, served as the files in `landing/` (also readable straight from disk)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponsePermanentRedirect
from django.views.decorators.http import require_GET

LANDING_DIR = Path(settings.BASE_DIR) / "landing"
PAGES = frozenset({"companies", "marketers"})
ASSETS = {"landing.css": "text/css; charset=utf-8"}


@require_GET
def landing_page_canonical(request: HttpRequest, name: str) -> HttpResponsePermanentRedirect:
    """`/landing/companies/` → `/landing/companies.html`, where the files' relative links resolve."""
    if name not in PAGES:
        raise Http404
    return HttpResponsePermanentRedirect(f"/landing/{name}.html")


@require_GET
def landing_page(request: HttpRequest, name: str) -> FileResponse:
    if name not in PAGES:
        raise Http404
    return FileResponse(
        (LANDING_DIR / f"{name}.html").open("rb"), content_type="text/html; charset=utf-8"
    )


@require_GET
def landing_asset(request: HttpRequest, name: str) -> FileResponse:
    if name not in ASSETS:
        raise Http404
    return FileResponse((LANDING_DIR / name).open("rb"), content_type=ASSETS[name])
