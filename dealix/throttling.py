"""Brute-force limits: request rates for API callers and a cap on failed token attempts.

Login lockout is django-axes (settings `AXES_*`); both use `client_ip` so one rule decides who a
caller is: behind `DEALIX_TRUSTED_PROXIES` proxies, the address the outermost trusted proxy saw in
X-Forwarded-For; otherwise the socket's address (a forged header is then ignored).
"""

from __future__ import annotations

import hashlib
import ipaddress
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication, get_authorization_header
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle, UserRateThrottle


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


class _SettingsRateMixin(SimpleRateThrottle):
    """Reads the rate when asked, so settings overrides (tests, benchmarks) take effect."""

    scope: str
    # Set by SimpleRateThrottle.__init__ from our rate, which always has both (not in the stubs).
    num_requests: int
    duration: int

    def get_rate(self) -> str:
        return settings.DEALIX_API_RATES[self.scope]

    def get_ident(self, request: Request) -> str:
        return client_ip(request) or "unknown"


class StaffRateThrottle(_SettingsRateMixin, UserRateThrottle):
    """Per signed-in user or token: a runaway script slows down, people never notice.

    No separate rate for anonymous callers: every API route refuses them before throttles run,
    and wrong tokens are counted by ThrottledTokenAuthentication.
    """


class TokenFailureThrottle(_SettingsRateMixin, SimpleRateThrottle):
    """DRF's rate window over wrong tokens per address: checked before, counted only on failure."""

    scope = "token_failure"

    def get_cache_key(self, request: Request, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def exhausted(self, request: Request) -> bool:
        """Whether this address has used up its wrong tokens (loads the window, records nothing)."""
        self.key = self.get_cache_key(request, None)
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        return len(self.history) >= self.num_requests


class ThrottledTokenAuthentication(TokenAuthentication):
    """Token auth that refuses an address after too many wrong tokens (429 until the window ends).

    DRF authenticates before it throttles, so a wrong token is answered 401 before any rate
    applies; without this, guessing tokens would only be limited by the server's speed.

    One bad client must not lock out the good ones behind the same address (an office NAT, a
    proxy): a token that authenticated from this address before is remembered (by a hash, for
    `KNOWN_TOKEN_SECONDS`) and keeps working while the address is limited. Any other token is
    refused unchecked during the window, so a guess can never be confirmed there; remembering
    tokens per address, rather than counting failures per token, keeps a guesser who changes
    the token every time limited all the same.
    """

    KNOWN_TOKEN_SECONDS = 24 * 60 * 60

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        failures = TokenFailureThrottle()
        known_key = self._known_key(request, failures)
        if failures.exhausted(request) and not (known_key and failures.cache.get(known_key)):
            raise exceptions.Throttled(wait=failures.wait())
        try:
            authenticated = super().authenticate(request)
        except exceptions.AuthenticationFailed:
            failures.throttle_success()  # DRF's name for "count this one in the window"
            raise
        if authenticated is not None and known_key:
            failures.cache.set(known_key, True, self.KNOWN_TOKEN_SECONDS)
        return authenticated

    def _known_key(self, request: Request, failures: TokenFailureThrottle) -> str | None:
        """The cache key remembering this token as good from this address (None: no token)."""
        parts = get_authorization_header(request).split()
        if len(parts) != 2 or parts[0].lower() != self.keyword.lower().encode():
            return None
        digest = hashlib.sha256(parts[1]).hexdigest()
        return f"token_known_{failures.get_ident(request)}_{digest}"


def login_locked_out(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the lockout explained in the console's own page, with status 429."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes}
    return render(request, "registration/locked_out.html", context, status=429)
