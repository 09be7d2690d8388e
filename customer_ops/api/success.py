"""The customer-success API: success plans and touchpoints, proof packs, check-ins and the at-risk list."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from customer_ops.api.fields import COUNT_MAX, code_output
from customer_ops.api.permissions import IsStaffMember, staff_user
from customer_ops.domain.success import RiskSeverity
from customer_ops.models import (
    CheckIn,
    Customer,
    ProofPackDelivery,
    SuccessPlan,
    SuccessTouchpoint,
)
from customer_ops.models.drafts import DraftChannel
from customer_ops.roles import SignedInUser
from customer_ops.selectors.success import (
    at_risk_list,
    customer_health,
    proof_packs_for,
    success_plan_for,
    touchpoint_of,
)
from customer_ops.services.success import (
    check_in_create,
    proof_pack_record,
    success_plan_create,
    touchpoint_complete,
)
from dealix.api_errors import MULTILINE, validated_input, validated_query

RISK_SEVERITY_VALUES = [severity.value for severity in RiskSeverity]


# ── Customer success ────────────────────────────────────────────────────────────────────────────
class TouchpointOutput(serializers.ModelSerializer[SuccessTouchpoint]):
    done_by: serializers.SlugRelatedField[SignedInUser] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = SuccessTouchpoint
        fields = ["id", "day", "due_on", "text", "done_at", "done_by"]
        read_only_fields = fields


class HealthOutput(serializers.Serializer[Any]):
    inputs = serializers.DictField()
    missing = serializers.ListField(child=serializers.CharField())
    score = serializers.FloatField(allow_null=True)
    band = serializers.ChoiceField(choices=["healthy", "watch", "at_risk"], allow_null=True)


class CustomerSuccessPlanOutput(serializers.ModelSerializer[SuccessPlan]):
    touchpoints = TouchpointOutput(many=True, read_only=True)
    created_by: serializers.SlugRelatedField[SignedInUser] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    health = HealthOutput(read_only=True)

    class Meta:
        model = SuccessPlan
        fields = [
            "id",
            "customer",
            "bundle",
            "start_on",
            "created_by",
            "created_at",
            "touchpoints",
            "health",
        ]
        read_only_fields = fields


class CustomerSuccessPlanInput(serializers.Serializer[Any]):
    start_on = serializers.DateField(required=False, allow_null=True, default=None)


class AtRiskOutput(serializers.Serializer[Any]):
    customer_id = serializers.IntegerField()
    company_name = serializers.CharField()
    bundle = serializers.CharField()
    type = serializers.CharField()
    risk_score = serializers.IntegerField()
    severity = code_output(RISK_SEVERITY_VALUES)
    reasons_ar = serializers.ListField(child=serializers.CharField())
    recommended_action_ar = serializers.CharField()
    days_inactive = serializers.IntegerField()
    drafts_pending = serializers.IntegerField()
    last_proof_pack_days_ago = serializers.IntegerField()
    last_activity_at = serializers.DateTimeField(allow_null=True)
    last_proof_pack_at = serializers.DateTimeField(allow_null=True)


class AtRiskFilterInput(serializers.Serializer[Any]):
    severity = serializers.ChoiceField(choices=RISK_SEVERITY_VALUES, required=False)


class ProofPackOutput(serializers.ModelSerializer[ProofPackDelivery]):
    recorded_by: serializers.SlugRelatedField[SignedInUser] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = ProofPackDelivery
        fields = ["id", "customer", "title", "note", "delivered_at", "recorded_by", "created_at"]
        read_only_fields = fields


class ProofPackInput(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=200)
    delivered_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    note = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="", style=MULTILINE
    )


class CheckInOutput(serializers.ModelSerializer[CheckIn]):
    class Meta:
        model = CheckIn
        fields = ["id", "customer", "week_start", "metrics", "draft", "created_at"]
        read_only_fields = fields


class CheckInInput(serializers.Serializer[Any]):
    """The numbers only the operator knows; approvals and blocks are counted from the database."""

    replies = serializers.IntegerField(min_value=0, max_value=COUNT_MAX, default=0)
    meetings = serializers.IntegerField(min_value=0, max_value=COUNT_MAX, default=0)
    pipeline_sar = serializers.FloatField(min_value=0, default=0)
    csat = serializers.FloatField(
        min_value=0, max_value=10, required=False, allow_null=True, default=None
    )
    channel = serializers.ChoiceField(
        choices=DraftChannel.choices, default=DraftChannel.EMAIL.value
    )
    to = serializers.CharField(max_length=254, required=False, allow_blank=True, default="")


# ── Customer success ────────────────────────────────────────────────────────────────────────────
class SuccessPlanView(APIView):
    """/api/v1/customers/{id}/success-plan/: GET the plan; POST creates it when missing."""

    permission_classes = [IsStaffMember]

    def _render(self, customer_id: int, *, code: int = status.HTTP_200_OK) -> Response:
        plan = success_plan_for(customer_id=customer_id)
        if plan is None:
            return Response(
                {"error": "no success plan yet: POST to create it", "error_ar": "لا توجد خطة بعد"},
                status=status.HTTP_404_NOT_FOUND,
            )
        plan.health = customer_health(customer_id=customer_id, now=timezone.now())  # type: ignore[attr-defined]
        return Response(CustomerSuccessPlanOutput(plan).data, status=code)

    @extend_schema(responses=CustomerSuccessPlanOutput)
    def get(self, request: Request, pk: int) -> Response:
        customer = get_object_or_404(Customer, pk=pk)
        return self._render(customer.pk)

    @extend_schema(
        request=CustomerSuccessPlanInput,
        responses={200: CustomerSuccessPlanOutput, 201: CustomerSuccessPlanOutput},
    )
    def post(self, request: Request, pk: int) -> Response:
        customer = get_object_or_404(Customer, pk=pk)
        data = validated_input(CustomerSuccessPlanInput, request.data)
        existed = success_plan_for(customer_id=customer.pk) is not None
        success_plan_create(
            customer_id=customer.pk,
            start_on=data["start_on"],
            actor=staff_user(request),
            now=timezone.now(),
        )
        return self._render(
            customer.pk, code=status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        )


class AtRiskView(GenericAPIView[Any]):
    """Every current customer's at-risk alert from real activity, riskiest first."""

    permission_classes = [IsStaffMember]
    serializer_class = AtRiskOutput

    @extend_schema(
        parameters=[OpenApiParameter("severity", str, enum=["low", "medium", "high"])],
        responses=AtRiskOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        data = validated_query(AtRiskFilterInput, request.query_params)
        rows = at_risk_list(now=timezone.now(), severity=data.get("severity"))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(AtRiskOutput(page, many=True).data)


class TouchpointDoneView(APIView):
    """POST /api/v1/customers/{id}/success-plan/touchpoints/{day}/: mark that day's task done."""

    permission_classes = [IsStaffMember]

    @extend_schema(request=None, responses=TouchpointOutput)
    def post(self, request: Request, pk: int, day: int) -> Response:
        touchpoint = touchpoint_of(customer_id=pk, day=day)
        if touchpoint is None:
            return Response(
                {"error": "no such touchpoint", "error_ar": "لا توجد مهمة بهذا اليوم"},
                status=status.HTTP_404_NOT_FOUND,
            )
        done = touchpoint_complete(
            touchpoint_id=touchpoint.pk, actor=staff_user(request), now=timezone.now()
        )
        return Response(TouchpointOutput(done).data)


class ProofPackView(GenericAPIView[Any]):
    """/api/v1/customers/{id}/proof-packs/: the delivered Proof Packs; POST records one."""

    permission_classes = [IsStaffMember]
    serializer_class = ProofPackOutput

    @extend_schema(responses=ProofPackOutput(many=True))
    def get(self, request: Request, pk: int) -> Response:
        customer = get_object_or_404(Customer, pk=pk)
        page = self.paginate_queryset(proof_packs_for(customer_id=customer.pk))
        return self.get_paginated_response(ProofPackOutput(page, many=True).data)

    @extend_schema(request=ProofPackInput, responses={201: ProofPackOutput})
    def post(self, request: Request, pk: int) -> Response:
        customer = get_object_or_404(Customer, pk=pk)
        data = validated_input(ProofPackInput, request.data)
        delivery = proof_pack_record(
            customer_id=customer.pk,
            title=data["title"],
            delivered_at=data["delivered_at"],
            note=data["note"],
            actor=staff_user(request),
            now=timezone.now(),
        )
        return Response(ProofPackOutput(delivery).data, status=status.HTTP_201_CREATED)


class CheckInView(APIView):
    """POST /api/v1/customers/{id}/check-ins/: this week's check-in draft (one per week)."""

    permission_classes = [IsStaffMember]

    @extend_schema(request=CheckInInput, responses={201: CheckInOutput})
    def post(self, request: Request, pk: int) -> Response:
        customer = get_object_or_404(Customer, pk=pk)
        data = validated_input(CheckInInput, request.data)
        check_in = check_in_create(
            customer_id=customer.pk, actor=staff_user(request), now=timezone.now(), **data
        )
        return Response(CheckInOutput(check_in).data, status=status.HTTP_201_CREATED)
