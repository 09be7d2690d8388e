"""The project's URLs plus two comparison endpoints, each resolved exactly like what it is compared to.

The constant view is grafted into the project's own URL tree right after support/classify, at
/api/v1/customer-ops/bench-constant, so both go through the same resolvers, middleware,
authentication (the project default: session or token) and permission (IsStaffMember), and the
comparison measures what the classify view does, not where a route happens to sit in the tree.

The insert view (bench/whatsapp_ingest.py) sits right after the WhatsApp webhook, at
/webhooks/bench-insert/: a bare DRF endpoint that, like the webhook, takes an unauthenticated JSON
POST, parses it and inserts one row (a session row holding the raw body, a table every Django
project has), then answers 200.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from typing import Any

from django.contrib.sessions.models import Session
from django.urls import URLPattern, URLResolver, path
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from dealix import urls as project_urls

# The shape and size of a real classify answer, built once.
CONSTANT_BODY = {
    "priority": "P2",
    "matched_keyword": "Gmail",
    "reason_ar": "connector أو Proof Pack: Gmail",
}
CONSTANT_PATH = "/api/v1/customer-ops/bench-constant"
# The include routes from the root to the rule endpoints, and the route to sit next to.
RULES_CHAIN = ("", "api/v1/", "customer-ops/")
NEXT_TO = "customer-ops-support-classify"
INSERT_PATH = "/webhooks/bench-insert/"
WEBHOOK_CHAIN = ("",)
NEXT_TO_WEBHOOK = "whatsapp-webhook"


@api_view(["POST"])
def constant(request: Request) -> Response:
    return Response(CONSTANT_BODY)


@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
def insert(request: Request) -> Response:
    """Parse the JSON body and insert one row with it: the baseline of the webhook's ingest."""
    raw = request.body  # read first, so DRF parses from the same bytes
    if not isinstance(request.data, dict):
        return Response({"error": "a JSON object, please"}, status=400)
    Session.objects.create(
        session_key=secrets.token_hex(20),
        session_data=raw.decode("utf-8", errors="replace"),
        expire_date=dt.datetime.now(tz=dt.UTC),
    )
    return Response({"ok": True})


def _leads_to(pattern: Any, name: str) -> bool:
    if isinstance(pattern, URLResolver):
        return any(_leads_to(inner, name) for inner in pattern.url_patterns)
    return getattr(pattern, "name", None) == name


def _graft(
    patterns: Sequence[Any], chain: Sequence[str], extra: URLPattern, next_to: str = NEXT_TO
) -> list[Any]:
    """A copy of `patterns` with `extra` placed after `next_to` inside the include `chain` names."""
    if not chain:
        position = next(i for i, p in enumerate(patterns) if getattr(p, "name", None) == next_to)
        return [*patterns[: position + 1], extra, *patterns[position + 1 :]]
    out = list(patterns)
    for index, pattern in enumerate(out):
        if (
            isinstance(pattern, URLResolver)
            and str(pattern.pattern) == chain[0]
            and _leads_to(pattern, next_to)
        ):
            out[index] = URLResolver(
                pattern.pattern,
                _graft(pattern.url_patterns, chain[1:], extra, next_to),
                pattern.default_kwargs,
                pattern.app_name,
                pattern.namespace,
            )
            return out
    raise LookupError(f"no include {chain[0]!r} leading to {next_to}")


urlpatterns = _graft(
    _graft(
        project_urls.urlpatterns,
        RULES_CHAIN,
        path("bench-constant", constant, name="bench-constant"),
    ),
    WEBHOOK_CHAIN,
    path("webhooks/bench-insert/", insert, name="bench-insert"),
    NEXT_TO_WEBHOOK,
)
