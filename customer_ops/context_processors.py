from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from customer_ops.roles import is_founder


def roles(request: HttpRequest) -> dict[str, bool]:
    """Expose the signed-in user's role to templates (e.g. the approvals link)."""
    user = getattr(request, "user", None)
    return {"user_is_founder": bool(user is not None and is_founder(user))}


def live(request: HttpRequest) -> dict[str, int]:
    """How often the regions that follow other people's work (inbox, queue, bell) refresh."""
    return {"poll_seconds": settings.DEALIX_POLL_SECONDS}
