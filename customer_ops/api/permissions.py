from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from customer_ops.roles import is_founder, is_staff_member


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
