from __future__ import annotations

from typing import Any

from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from customer_ops.roles import SignedInUser, is_founder, is_staff_member


class IsStaffMember(BasePermission):
    """Operators and founders (session or token); anyone else is refused."""

    message = "Operators and founders only."

    def has_permission(self, request: Request, view: Any) -> bool:
        return is_staff_member(request.user)


class IsFounder(BasePermission):
    """Founder-only actions: approving and rejecting drafts."""

    message = "Only a founder may do this."

    def has_permission(self, request: Request, view: Any) -> bool:
        return is_founder(request.user)


def staff_user(request: Request) -> SignedInUser:
    """The signed-in user of a view behind `IsStaffMember` or `IsFounder`, who refused anyone else."""
    user = request.user
    if not user.is_authenticated:
        raise NotAuthenticated  # unreachable behind those permissions; narrows the type
    return user
