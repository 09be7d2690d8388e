"""The search API: `GET /api/v1/search/?q=…`, the header's search as JSON, grouped by kind."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from customer_ops.api.permissions import IsStaffMember
from customer_ops.domain.search import MAX_QUERY_LENGTH, SearchKind
from customer_ops.marks import marked_html
from customer_ops.selectors.search import SearchHit, search_everything
from dealix.api_errors import InputInvalid, validated_query


class SearchQueryInput(serializers.Serializer[Any]):
    q = serializers.CharField(max_length=MAX_QUERY_LENGTH, trim_whitespace=True)


class SearchHitOutput(serializers.Serializer[SearchHit]):
    kind = serializers.ChoiceField(choices=[kind.value for kind in SearchKind])
    id = serializers.IntegerField()
    title = serializers.CharField()
    snippet = serializers.SerializerMethodField(
        help_text="HTML: the text escaped, each matched word in <mark>…</mark>."
    )
    ticket_id = serializers.IntegerField(allow_null=True, help_text="A message's ticket.")
    at = serializers.DateTimeField()

    def get_snippet(self, hit: SearchHit) -> str:
        return str(marked_html(hit.snippet))


class SearchOutput(serializers.Serializer[Any]):
    q = serializers.CharField()
    terms = serializers.ListField(child=serializers.CharField(), help_text="The folded terms.")
    results = SearchHitOutput(many=True, help_text="By kind, then most relevant, most recent.")


class SearchView(APIView):
    permission_classes = [IsStaffMember]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q", str, required=True, description=f"1–{MAX_QUERY_LENGTH} characters"
            )
        ],
        responses=SearchOutput,
        description="Tickets, messages, customers and incidents whose text holds every word of "
        "`q`, read the way people type Arabic (hamza, taa marbuta, alef maqsura, diacritics, "
        "tatweel, Arabic-Indic digits, case); grouped by kind, most relevant then most recent.",
    )
    def get(self, request: Request) -> Response:
        data = validated_query(SearchQueryInput, request.query_params)
        results = search_everything(query=data["q"])
        if not results.terms:
            raise InputInvalid(
                {"q": ["give at least one word or number"]},
                {"q": ["اكتب كلمة أو رقماً واحداً على الأقل"]},
            )
        hits = [hit for group in results.groups for hit in group.hits]
        return Response(
            SearchOutput({"q": results.query, "terms": results.terms, "results": hits}).data
        )
