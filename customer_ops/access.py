"""View decorators: every console page checks who is asking."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from customer_ops.roles import is_founder, is_staff_member

View = Callable[..., HttpResponse]


def staff_required(view: View) -> View:
    """Signed in and in the Operator or Founder group; anonymous users go to the login page."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_staff_member(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def founder_required(view: View) -> View:
    """Founder-only actions (approving drafts); a forged request from an operator gets 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_founder(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    # Read by the access walk (tests/test_access_walk.py) to find every founder-only route.
    wrapper.founder_only = True  # type: ignore[attr-defined]
    return wrapper
