"""The SLA health API: the report over a period, per priority and per week."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from customer_ops.api.permissions import IsStaffMember
from customer_ops.services.sla_report import sla_health_review
from dealix.api_errors import validated_query


# ── SLA health ──────────────────────────────────────────────────────────────────────────────────
class SlaHealthQueryInput(serializers.Serializer[Any]):
    """?from=YYYY-MM-DD&to=YYYY-MM-DD (both included); `from` is a Python keyword, hence get_fields."""

    def get_fields(self) -> dict[str, serializers.Field]:
        return {
            "from": serializers.DateField(source="date_from"),
            "to": serializers.DateField(source="date_to"),
        }


class SlaBucketOutput(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    breaches = serializers.IntegerField()
    total_first_response_min = serializers.FloatField()
    total_resolution_hours = serializers.FloatField()
    responded_count = serializers.IntegerField()
    resolved_count = serializers.IntegerField()
    avg_first_response_min = serializers.FloatField(required=False)
    avg_resolution_hours = serializers.FloatField(required=False)


class SlaWeekOutput(serializers.Serializer[Any]):
    week_start = serializers.DateField()
    iso_week = serializers.CharField()
    total_tickets = serializers.IntegerField()
    total_breached = serializers.IntegerField()
    breach_rate = serializers.FloatField()


class SlaHealthOutput(serializers.Serializer[Any]):
    total_tickets = serializers.IntegerField()
    total_breached = serializers.IntegerField()
    breach_rate = serializers.FloatField()
    by_priority = serializers.DictField(child=SlaBucketOutput())
    verdict = serializers.ChoiceField(choices=["healthy", "watch", "critical"])
    weekly = SlaWeekOutput(many=True)
    founders_notified = serializers.BooleanField()

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        return {"from": instance["from"].isoformat(), "to": instance["to"].isoformat(), **data}


# ── SLA health ──────────────────────────────────────────────────────────────────────────────────
class SlaHealthView(APIView):
    permission_classes = [IsStaffMember]

    @extend_schema(
        parameters=[
            OpenApiParameter("from", str, required=True, description="YYYY-MM-DD, included"),
            OpenApiParameter("to", str, required=True, description="YYYY-MM-DD, included"),
        ],
        responses=SlaHealthOutput,
        description="SLA health of the tickets opened in the period (database aggregates); a "
        "critical verdict notifies the founders once per period.",
    )
    def get(self, request: Request) -> Response:
        data = validated_query(SlaHealthQueryInput, request.query_params)
        report = sla_health_review(
            date_from=data["date_from"], date_to=data["date_to"], now=timezone.now()
        )
        return Response(SlaHealthOutput(report).data)
