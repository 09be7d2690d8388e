"""Brute-force limits: request rates for API callers and a cap on failed token attempts.

Login lockout is django-axes (settings `AXES_*`); both use `client_ip` so one rule decides who a
caller is: behind `DEALIX_TRUSTED_PROXIES` proxies, the address the outermost trusted proxy saw in
X-Forwarded-For; otherwise the socket's address (a forged header is then ignored).
"""

from __future__ import annotations

import ipaddress
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.request import Request
from rest_framework.throttling import UserRateThrottle


def client_ip(request: HttpRequest) -> str | None:
    """The caller's address, trusting X-Forwarded-For only as far as our own proxies.

    None when there is no valid address (a unix socket, a test's bare request): django-axes then
    records no address rather than a word PostgreSQL's inet column would refuse.
    """
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.DEALIX_TRUSTED_PROXIES
    if proxies > 0:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if forwarded:
            # Each trusted proxy appends the address it saw; anything further left is the
            # client's own claim and could be forged.
            address = forwarded[-min(proxies, len(forwarded))]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def _parse_rate(rate: str) -> tuple[int, int]:
    """ "600/minute" → (600, 60); the same spelling DRF uses."""
    count, period = rate.split("/")
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}[period.strip()[0]]
    return int(count), seconds


class _SettingsRateMixin:
    """Reads the rate when asked, so settings overrides (tests, benchmarks) take effect."""

    scope: str

    def get_rate(self) -> str:
        return settings.DEALIX_API_RATES[self.scope]

    def get_ident(self, request: Request) -> str:
        return client_ip(request) or "unknown"


class StaffRateThrottle(_SettingsRateMixin, UserRateThrottle):
    """Per signed-in user or token: a runaway script slows down, people never notice.

    No separate rate for anonymous callers: every API route refuses them before throttles run,
    and wrong tokens are counted by ThrottledTokenAuthentication.
    """


class ThrottledTokenAuthentication(TokenAuthentication):
    """Token auth that refuses an address after too many wrong tokens (429 until the window ends).

    DRF authenticates before it throttles, so a wrong token is answered 401 before any rate
    applies; without this, guessing tokens would only be limited by the server's speed.
    """

    scope = "token_failure"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        key = f"dealix:token-failures:{client_ip(request) or 'unknown'}"
        limit, window = _parse_rate(settings.DEALIX_API_RATES[self.scope])
        now = time.time()
        failures = [t for t in cache.get(key, []) if t > now - window]
        if len(failures) >= limit:
            raise exceptions.Throttled(wait=failures[0] + window - now)
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            failures.append(now)
            cache.set(key, failures, window)
            raise


def login_locked_out(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the lockout explained in the console's own page, with status 429."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes}
    return render(request, "registration/locked_out.html", context, status=429)
