"""The bare project's one endpoint: an authenticated DRF view that reads the database once."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import path
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response


@api_view(["GET"])
def users(request: Request) -> Response:
    """A list read, serialised, like the project's API lists."""
    names = list(get_user_model().objects.order_by("pk").values_list("username", flat=True)[:50])
    return Response({"count": len(names), "results": names})


urlpatterns = [path("api/users/", users, name="users")]
