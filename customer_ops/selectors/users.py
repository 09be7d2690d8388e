"""Reads of staff users: who can be assigned work."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from customer_ops.roles import Role


# ── People and customers (filter and form choices) ──────────────────────────────────────────────
def staff_users() -> QuerySet[Any]:
    """Active operators and founders, by username (assignee choices)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[Role.OPERATOR, Role.FOUNDER])
        .distinct()
        .order_by("username")
    )
