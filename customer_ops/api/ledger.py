"""The Action Ledger API: read-only, filtered by customer, object and verb."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets

from customer_ops.api.permissions import IsStaffMember
from customer_ops.models import LedgerEntry
from customer_ops.roles import SignedInUser
from dealix.api_errors import refuse_unsafe_query


class LedgerOutput(serializers.ModelSerializer[LedgerEntry]):
    actor: serializers.SlugRelatedField[SignedInUser] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = LedgerEntry
        fields = [
            "id",
            "at",
            "actor",
            "actor_label",
            "verb",
            "object_type",
            "object_id",
            "customer_id",
            "before",
            "after",
            "note",
        ]
        read_only_fields = fields


@extend_schema(
    parameters=[
        OpenApiParameter("object_type", str, description="e.g. outbounddraft, customer"),
        OpenApiParameter("object_id", str),
    ]
)
class LedgerViewSet(viewsets.ReadOnlyModelViewSet[LedgerEntry]):
    serializer_class = LedgerOutput
    permission_classes = [IsStaffMember]

    def get_queryset(self) -> QuerySet[LedgerEntry]:
        params = self.request.query_params
        refuse_unsafe_query(params)  # read raw below: a NUL would be a 500 on PostgreSQL
        queryset = LedgerEntry.objects.select_related("actor").order_by("-at", "-id")
        if params.get("object_type"):
            queryset = queryset.filter(object_type=params["object_type"])
        if params.get("object_id"):
            queryset = queryset.filter(object_id=params["object_id"])
        return queryset
