"""POST /api/v1/positioning/check-claims: the claims checker for other services and the console."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from dealix.api_errors import validated_input
from positioning.claims import Category, check_claims

MAX_TEXT = 100_000


class CheckClaimsInput(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=MAX_TEXT, allow_blank=True, trim_whitespace=False)


class FindingOutput(serializers.Serializer[Any]):
    category = serializers.ChoiceField(choices=[c.value for c in Category])
    label_ar = serializers.CharField()
    phrase = serializers.CharField()
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    suggestion_ar = serializers.CharField()


class CheckClaimsOutput(serializers.Serializer[Any]):
    ok = serializers.BooleanField()
    findings = FindingOutput(many=True)


@extend_schema(
    request=CheckClaimsInput,
    responses=CheckClaimsOutput,
    summary="Find prohibited marketing claims in Arabic or English text",
    tags=["positioning"],
)
@api_view(["POST"])
def check_claims_view(request: Request) -> Response:
    data = validated_input(CheckClaimsInput, request.data)
    return Response(check_claims(data["text"]).as_dict())
