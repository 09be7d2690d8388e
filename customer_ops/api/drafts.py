"""The drafts API: write, edit, approve, reject, send, mark sent and release a stuck send."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from customer_ops.api.fields import ID_MAX_VALUE
from customer_ops.api.permissions import IsFounder, IsStaffMember, staff_user
from customer_ops.models import OutboundDraft
from customer_ops.models.drafts import DraftChannel, DraftSource
from customer_ops.services import draft_delivery
from customer_ops.services import drafts as draft_services
from dealix.api_errors import MULTILINE, refuse_unsafe_query, validated_input

if TYPE_CHECKING:
    from rest_framework.permissions import _SupportsHasPermission


class DraftOutput(serializers.ModelSerializer[OutboundDraft]):
    class Meta:
        model = OutboundDraft
        fields = [
            "id",
            "customer",
            "channel",
            "to",
            "subject",
            "body",
            "source",
            "ticket",
            "incident",
            "connector",
            "status",
            "author",
            "content_hash",
            "approved_by",
            "approved_at",
            "rejected_by",
            "rejected_at",
            "rejection_reason",
            "sent_by",
            "sent_at",
            "send_result",
            "send_started_at",  # set: a send started and was never recorded (see release-send)
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class DraftInput(serializers.Serializer[Any]):
    customer = serializers.IntegerField(min_value=1, max_value=ID_MAX_VALUE)
    channel = serializers.ChoiceField(choices=DraftChannel.choices)
    to = serializers.CharField(max_length=254)
    subject = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    body = serializers.CharField(max_length=20000, style=MULTILINE)
    source = serializers.ChoiceField(  # type: ignore[assignment]  # a field: the serializer metaclass takes it off the class
        choices=DraftSource.choices, required=False, default=DraftSource.MANUAL
    )
    connector = serializers.IntegerField(
        min_value=1, max_value=ID_MAX_VALUE, required=False, allow_null=True
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["channel"] == DraftChannel.EMAIL:
            try:
                serializers.EmailField().run_validation(attrs["to"])
            except serializers.ValidationError as error:
                raise serializers.ValidationError({"to": error.detail}) from error
        return attrs


class DraftEditInput(serializers.Serializer[Any]):
    to = serializers.CharField(max_length=254, required=False)
    subject = serializers.CharField(max_length=200, required=False, allow_blank=True)
    body = serializers.CharField(max_length=20000, required=False, style=MULTILINE)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs:
            raise serializers.ValidationError("nothing to change")
        return attrs


class DraftRejectInput(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=500, style=MULTILINE)


class DraftMarkSentInput(serializers.Serializer[Any]):
    note = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="", style=MULTILINE
    )


class DraftReleaseSendInput(serializers.Serializer[Any]):
    note = serializers.CharField(
        max_length=500,
        help_text="What was checked: the sent mailbox, the mail server's log.",
        style=MULTILINE,
    )


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

    def get_permissions(self) -> Sequence[_SupportsHasPermission]:
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
            author=staff_user(request),
            now=timezone.now(),
        )
        return Response(DraftOutput(draft).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DraftEditInput, responses=DraftOutput)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        draft = self.get_object()
        changes = validated_input(DraftEditInput, request.data)
        draft = draft_services.draft_edit(
            draft_id=draft.pk, actor=staff_user(request), now=timezone.now(), **changes
        )
        return Response(DraftOutput(draft).data)

    @extend_schema(request=None, responses=DraftOutput)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        draft = draft_services.draft_approve(
            draft_id=self.get_object().pk, approver=staff_user(request), now=timezone.now()
        )
        return Response(DraftOutput(draft).data)

    @extend_schema(request=DraftRejectInput, responses=DraftOutput)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        data = validated_input(DraftRejectInput, request.data)
        draft = draft_services.draft_reject(
            draft_id=self.get_object().pk,
            actor=staff_user(request),
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
            draft_id=self.get_object().pk, actor=staff_user(request), now=timezone.now()
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
            draft_id=self.get_object().pk,
            actor=staff_user(request),
            now=timezone.now(),
            note=data["note"],
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
            draft_id=self.get_object().pk,
            actor=staff_user(request),
            now=timezone.now(),
            note=data["note"],
        )
        return Response(DraftOutput(draft).data)
