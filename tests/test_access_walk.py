"""Walk the whole URLconf: every route refuses anonymous callers except the public ones.

Issue #9's access-control walk (the first part of it): new routes are covered automatically,
because the list comes from the resolver, not from this file.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# Public by design: login, the language switch, the landing pages, the customer progress link.
PUBLIC = re.compile(r"^/(accounts/login/|i18n/|landing/|progress/|favicon\.ico$|static/|media/)")
SAMPLE = {"int": "1", "str": "sample", "slug": "sample", "path": "sample", "uuid": "0" * 32}
CONVERTER = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")


def _patterns(resolver: URLResolver, prefix: str = "") -> list[tuple[str, URLPattern]]:
    found: list[tuple[str, URLPattern]] = []
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found.extend(_patterns(pattern, route))
        elif isinstance(pattern, URLPattern):
            found.append((route, pattern))
    return found


def _routes(resolver: URLResolver) -> list[str]:
    return [route for route, _ in _patterns(resolver)]


def _concrete(route: str) -> str | None:
    if "format" in route:  # DRF's `.json` format-suffix twins of routes walked anyway
        return None
    if "^" in route or "(?P" in route:  # regex routes (DRF's router)
        route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route)
        route = route.replace("^", "").replace("$", "").replace("\\.", ".")
        if any(ch in route for ch in "()[]*+?\\"):
            return None
    path = CONVERTER.sub(lambda m: SAMPLE.get(m.group("conv") or "str", "1"), route)
    return "/" + path


ROUTES = sorted(
    {
        path
        for path in (_concrete(route) for route in _routes(get_resolver()))
        if path and not PUBLIC.match(path) and not path.startswith("/admin/")
    }
)


def test_the_walk_sees_the_whole_app() -> None:
    assert len(ROUTES) > 80
    assert "/tickets/" in ROUTES and "/api/v1/drafts/" in ROUTES


@pytest.mark.parametrize("path", ROUTES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_every_private_route_refuses_anonymous_callers(
    client: Client, path: str, method: str
) -> None:
    response = getattr(client, method)(path)

    if response.status_code in (302, 301):
        assert "/accounts/login/" in response["Location"], f"{path} redirects elsewhere"
    else:
        # API routes answer 401/403 before looking anything up (so never 404 for a sample id);
        # only a method the route does not take (GET on logout) answers 405 first.
        assert response.status_code in (401, 403, 405), (
            f"{method.upper()} {path}: {response.status_code}"
        )


# Console routes marked by `founder_required`, found by the walk; the API's founder-only actions
# are DRF permissions on the draft viewset, listed by hand.
FOUNDER_ONLY = sorted(
    {
        path
        for route, pattern in _patterns(get_resolver())
        if getattr(pattern.callback, "founder_only", False) and (path := _concrete(route))
    }
    | {"/api/v1/drafts/1/approve/", "/api/v1/drafts/1/reject/", "/api/v1/drafts/1/release-send/"}
)


def test_the_walk_finds_the_founder_only_console_routes() -> None:
    assert {"/approvals/1/approve/", "/approvals/1/reject/"} <= set(FOUNDER_ONLY)


@pytest.mark.parametrize("path", FOUNDER_ONLY)
def test_operators_cannot_reach_founder_only_actions(operator_client: Client, path: str) -> None:
    response = operator_client.post(path, {"reason": "x"})

    assert response.status_code == 403


def test_signed_in_user_without_a_role_is_refused_everywhere(
    client: Client, make_user: Any
) -> None:
    client.force_login(make_user("outsider"))

    statuses = {path: client.get(path).status_code for path in ROUTES if "sample" not in path}

    allowed = {path: code for path, code in statuses.items() if code == 200}
    assert allowed == {}
