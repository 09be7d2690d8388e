"""The resource API (/api/v1/...): reads through selectors, every write through one service."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from customer_ops.api.permissions import IsFounder, IsStaffMember
from customer_ops.api.resource_serializers import (
    ConnectorMoveInput,
    CustomerInput,
    CustomerOutput,
    CustomerUpdateInput,
    DraftEditInput,
    DraftInput,
    DraftMarkSentInput,
    DraftOutput,
    DraftRejectInput,
    DraftReleaseSendInput,
    LedgerOutput,
    OnboardingStepInput,
    ProgressLinkOutput,
)
from customer_ops.models import Customer, LedgerEntry, OutboundDraft
from customer_ops.selectors.connectors import connector_summary_for
from customer_ops.selectors.onboarding import onboarding_checklist_for
from customer_ops.services import draft_delivery
from customer_ops.services import drafts as draft_services
from customer_ops.services.connectors import connector_set_state
from customer_ops.services.customers import customer_create, customer_update
from customer_ops.services.links import progress_link_create, progress_link_revoke
from customer_ops.services.onboarding import onboarding_set_step
from dealix.api_errors import refuse_unsafe_query, validated_input


class CustomerViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Customer],
):
    serializer_class = CustomerOutput
    permission_classes = [IsStaffMember]

    def get_queryset(self) -> QuerySet[Customer]:
        return Customer.objects.order_by("company_name", "id")

    @extend_schema(request=CustomerInput, responses={201: CustomerOutput})
    def create(self, request: Request) -> Response:
        data = validated_input(CustomerInput, request.data)
        customer = customer_create(**data, actor=request.user, now=timezone.now())
        return Response(CustomerOutput(customer).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CustomerUpdateInput, responses=CustomerOutput)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        customer = self.get_object()
        data = validated_input(CustomerUpdateInput, request.data)
        customer = customer_update(
            customer_id=customer.pk, actor=request.user, now=timezone.now(), **data
        )
        return Response(CustomerOutput(customer).data)

    @extend_schema(request=CustomerUpdateInput, responses=CustomerOutput)
    def update(self, request: Request, pk: str | None = None) -> Response:
        return self.partial_update(request, pk)

    @extend_schema(methods=["GET"], responses=dict[str, Any])
    @extend_schema(methods=["POST"], request=OnboardingStepInput, responses=dict[str, Any])
    @action(detail=True, methods=["get", "post"])
    def onboarding(self, request: Request, pk: str | None = None) -> Response:
        customer = self.get_object()
        if request.method == "POST":
            data = validated_input(OnboardingStepInput, request.data)
            onboarding_set_step(
                customer_id=customer.pk,
                step_id=data["step_id"],
                completed=data["completed"],
                notes=data["notes"],
                actor=request.user,
                now=timezone.now(),
            )
        return Response(onboarding_checklist_for(customer=customer))

    @extend_schema(methods=["GET"], responses=dict[str, Any])
    @extend_schema(methods=["POST"], request=ConnectorMoveInput, responses=dict[str, Any])
    @action(detail=True, methods=["get", "post"])
    def connectors(self, request: Request, pk: str | None = None) -> Response:
        customer = self.get_object()
        if request.method == "POST":
            data = validated_input(ConnectorMoveInput, request.data)
            connector_set_state(
                customer_id=customer.pk,
                connector_key=data["connector_key"],
                to=data["state"],
                notes=data["notes"],
                actor=request.user,
                now=timezone.now(),
            )
        return Response(connector_summary_for(customer_id=customer.pk))

    @extend_schema(methods=["POST"], request=None, responses={201: ProgressLinkOutput})
    @extend_schema(methods=["DELETE"], request=None, responses={204: None})
    @action(detail=True, methods=["post", "delete"], url_path="progress-link")
    def progress_link(self, request: Request, pk: str | None = None) -> Response:
        customer = self.get_object()
        if request.method == "DELETE":
            progress_link_revoke(customer_id=customer.pk, actor=request.user, now=timezone.now())
            return Response(status=status.HTTP_204_NO_CONTENT)
        issued = progress_link_create(
            customer_id=customer.pk, actor=request.user, now=timezone.now()
        )
        body = ProgressLinkOutput({"url": issued.url, "expires_at": issued.link.expires_at}).data
        return Response(body, status=status.HTTP_201_CREATED)


class DraftViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[OutboundDraft],
):
    serializer_class = DraftOutput
    permission_classes = [IsStaffMember]

    def get_queryset(self) -> QuerySet[OutboundDraft]:
        refuse_unsafe_query(self.request.query_params)  # read raw below: a NUL would be a 500
        queryset = OutboundDraft.objects.order_by("-created_at", "-id")
        status_filter = self.request.query_params.get("status")
        if status_filter:
            queryset = queryset.filter(status=status_filter)
        return queryset

    def get_permissions(self) -> list[Any]:
        if self.action in {"approve", "reject", "release_send"}:
            return [IsStaffMember(), IsFounder()]
        return super().get_permissions()

    @extend_schema(request=DraftInput, responses={201: DraftOutput})
    def create(self, request: Request) -> Response:
        data = validated_input(DraftInput, request.data)
        draft = draft_services.draft_create(
            customer_id=data["customer"],
            channel=data["channel"],
            to=data["to"],
            subject=data["subject"],
            body=data["body"],
            source=data["source"],
            connector_id=data.get("connector"),
            author=request.user,
            now=timezone.now(),
        )
        return Response(DraftOutput(draft).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DraftEditInput, responses=DraftOutput)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        draft = self.get_object()
        changes = validated_input(DraftEditInput, request.data)
        draft = draft_services.draft_edit(
            draft_id=draft.pk, actor=request.user, now=timezone.now(), **changes
        )
        return Response(DraftOutput(draft).data)

    @extend_schema(request=None, responses=DraftOutput)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        draft = draft_services.draft_approve(
            draft_id=self.get_object().pk, approver=request.user, now=timezone.now()
        )
        return Response(DraftOutput(draft).data)

    @extend_schema(request=DraftRejectInput, responses=DraftOutput)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        data = validated_input(DraftRejectInput, request.data)
        draft = draft_services.draft_reject(
            draft_id=self.get_object().pk,
            actor=request.user,
            now=timezone.now(),
            reason=data["reason"],
        )
        return Response(DraftOutput(draft).data)

    @extend_schema(
        request=None,
        responses=DraftOutput,
        description=(
            "Email an approved draft, at most once. A second call after it went out returns the "
            "sent draft. 409 while a send of it has started and was never recorded (still in "
            "progress, or the process died during delivery: nobody knows whether the customer "
            "got it): a founder checks the sent mailbox, then calls `mark-sent` or "
            "`release-send`. 400 when the mail server refused the email (nothing was sent)."
        ),
    )
    @action(detail=True, methods=["post"])
    def send(self, request: Request, pk: str | None = None) -> Response:
        draft = draft_delivery.draft_send(
            draft_id=self.get_object().pk, actor=request.user, now=timezone.now()
        )
        return Response(DraftOutput(draft).data)

    @extend_schema(
        request=DraftReleaseSendInput,
        responses=DraftOutput,
        description=(
            "Founders only. The email of a send whose outcome is unknown (`send_started_at` "
            "set) is not in the sent mailbox: clear the claim so the draft may be sent again. "
            "`note` says what was checked. 409 within two minutes of the send's start (it may "
            "still be delivering)."
        ),
    )
    @action(detail=True, methods=["post"], url_path="release-send")
    def release_send(self, request: Request, pk: str | None = None) -> Response:
        data = validated_input(DraftReleaseSendInput, request.data)
        draft = draft_delivery.draft_release_send(
            draft_id=self.get_object().pk, actor=request.user, now=timezone.now(), note=data["note"]
        )
        return Response(DraftOutput(draft).data)

    @extend_schema(
        request=DraftMarkSentInput,
        responses=DraftOutput,
        description=(
            "Record that an approved draft went out by hand (`sent_manually`). On a draft whose "
            "send outcome is unknown, a founder confirms the email is in the sent mailbox: it "
            "becomes `sent`, dated when that send started, and `note` is required."
        ),
    )
    @action(detail=True, methods=["post"], url_path="mark-sent")
    def mark_sent(self, request: Request, pk: str | None = None) -> Response:
        data = validated_input(DraftMarkSentInput, request.data)
        draft = draft_delivery.draft_mark_sent(
            draft_id=self.get_object().pk, actor=request.user, now=timezone.now(), note=data["note"]
        )
        return Response(DraftOutput(draft).data)


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
