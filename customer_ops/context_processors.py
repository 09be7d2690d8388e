from __future__ import annotations

from django.http import HttpRequest

from customer_ops.roles import is_founder


def roles(request: HttpRequest) -> dict[str, bool]:
    """Expose the signed-in user's role to templates (e.g. the approvals link)."""
    user = getattr(request, "user", None)
    return {"user_is_founder": bool(user is not None and is_founder(user))}
