"""View decorators: every console page checks who is asking."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, TypeGuard

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from customer_ops.roles import SignedInUser, is_founder, is_staff_member
from dealix.http import HtmxHttpRequest


class StaffRequest(HtmxHttpRequest):
    """What a view behind `staff_required` or `founder_required` receives: a signed-in user."""

    user: SignedInUser


def _asked_by_staff(request: HttpRequest) -> TypeGuard[StaffRequest]:
    return is_staff_member(request.user)


def _asked_by_founder(request: HttpRequest) -> TypeGuard[StaffRequest]:
    return is_founder(request.user)


def staff_required[**P, R: HttpResponseBase](
    view: Callable[Concatenate[StaffRequest, P], R],
) -> Callable[Concatenate[HttpRequest, P], R]:
    """Signed in and in the Operator or Founder group; anonymous users go to the login page."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> R:
        if not _asked_by_staff(request):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def founder_required[**P, R: HttpResponseBase](
    view: Callable[Concatenate[StaffRequest, P], R],
) -> Callable[Concatenate[HttpRequest, P], R]:
    """Founder-only actions (approving drafts); a forged request from an operator gets 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> R:
        if not _asked_by_founder(request):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    # Read by the access walk (tests/test_access_walk.py) to find every founder-only route.
    wrapper.founder_only = True  # type: ignore[attr-defined]
    return wrapper
