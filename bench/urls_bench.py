"""The project's URLs plus a constant DRF endpoint resolved exactly like the rule endpoints.

The constant view is grafted into the project's own URL tree right after support/classify, at
/api/v1/customer-ops/bench-constant, so both go through the same resolvers, middleware,
authentication (the project default: session or token) and permission (IsStaffMember), and the
comparison measures what the classify view does, not where a route happens to sit in the tree.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.urls import URLPattern, URLResolver, path
from rest_framework.decorators import api_view
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


@api_view(["POST"])
def constant(request: Request) -> Response:
    return Response(CONSTANT_BODY)


def _leads_to(pattern: Any, name: str) -> bool:
    if isinstance(pattern, URLResolver):
        return any(_leads_to(inner, name) for inner in pattern.url_patterns)
    return getattr(pattern, "name", None) == name


def _graft(patterns: Sequence[Any], chain: Sequence[str], extra: URLPattern) -> list[Any]:
    """A copy of `patterns` with `extra` placed after NEXT_TO inside the include `chain` names."""
    if not chain:
        position = next(i for i, p in enumerate(patterns) if getattr(p, "name", None) == NEXT_TO)
        return [*patterns[: position + 1], extra, *patterns[position + 1 :]]
    out = list(patterns)
    for index, pattern in enumerate(out):
        if (
            isinstance(pattern, URLResolver)
            and str(pattern.pattern) == chain[0]
            and _leads_to(pattern, NEXT_TO)
        ):
            out[index] = URLResolver(
                pattern.pattern,
                _graft(pattern.url_patterns, chain[1:], extra),
                pattern.default_kwargs,
                pattern.app_name,
                pattern.namespace,
            )
            return out
    raise LookupError(f"no include {chain[0]!r} leading to {NEXT_TO}")


urlpatterns = _graft(
    project_urls.urlpatterns, RULES_CHAIN, path("bench-constant", constant, name="bench-constant")
)
