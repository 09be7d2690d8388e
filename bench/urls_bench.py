"""The project's URLs plus POST /bench/constant: same DRF stack and auth, a constant JSON body."""

from __future__ import annotations

from django.urls import include, path
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

# The shape and size of a real classify answer, built once.
CONSTANT_BODY = {
    "priority": "P2",
    "matched_keyword": "Gmail",
    "reason_ar": "connector أو Proof Pack: Gmail",
}


@api_view(["POST"])  # the project's default authentication and IsStaffMember permission
def constant(request: Request) -> Response:
    return Response(CONSTANT_BODY)


urlpatterns = [
    path("bench/constant", constant, name="bench-constant"),
    path("", include("dealix.urls")),
]
