"""The customers API: the list and one customer, onboarding steps, connector moves, progress links."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from customer_ops.api.permissions import IsStaffMember, staff_user
from customer_ops.models import Customer
from customer_ops.models.customers import BUNDLE_CHOICES
from customer_ops.selectors.connectors import connector_summary_for
from customer_ops.selectors.onboarding import onboarding_checklist_for
from customer_ops.services.connectors import connector_set_state
from customer_ops.services.customers import customer_create, customer_update
from customer_ops.services.links import progress_link_create, progress_link_revoke
from customer_ops.services.onboarding import onboarding_set_step
from dealix.api_errors import MULTILINE, validated_input


class CustomerOutput(serializers.ModelSerializer[Customer]):
    # Blank when no contact is on file: documented as "an email or empty", as the input is.
    contact_email = serializers.EmailField(read_only=True, allow_blank=True)

    class Meta:
        model = Customer
        fields = [
            "id",
            "company_name",
            "sector",
            "city",
            "bundle",
            "contact_name",
            "contact_email",
            "contact_phone",
            "status",
            "pilot_started_on",
            "renewal_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CustomerInput(serializers.Serializer[Any]):
    company_name = serializers.CharField(max_length=200)
    bundle = serializers.ChoiceField(choices=BUNDLE_CHOICES)
    sector = serializers.CharField(max_length=100, required=False, allow_blank=True)
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    contact_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    pilot_started_on = serializers.DateField(required=False, allow_null=True)
    renewal_on = serializers.DateField(required=False, allow_null=True)


class CustomerUpdateInput(CustomerInput):
    """Partial update: every field optional."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class OnboardingStepInput(serializers.Serializer[Any]):
    step_id = serializers.CharField(max_length=40)
    completed = serializers.BooleanField(default=True)
    notes = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default="", style=MULTILINE
    )


class ConnectorMoveInput(serializers.Serializer[Any]):
    connector_key = serializers.CharField(max_length=40)
    state = serializers.CharField(max_length=40)
    notes = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default="", style=MULTILINE
    )


class ProgressLinkOutput(serializers.Serializer[Any]):
    url = serializers.URLField()
    expires_at = serializers.DateTimeField()


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
        customer = customer_create(**data, actor=staff_user(request), now=timezone.now())
        return Response(CustomerOutput(customer).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CustomerUpdateInput, responses=CustomerOutput)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        customer = self.get_object()
        data = validated_input(CustomerUpdateInput, request.data)
        customer = customer_update(
            customer_id=customer.pk, actor=staff_user(request), now=timezone.now(), **data
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
                actor=staff_user(request),
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
                actor=staff_user(request),
                now=timezone.now(),
            )
        return Response(connector_summary_for(customer_id=customer.pk))

    @extend_schema(methods=["POST"], request=None, responses={201: ProgressLinkOutput})
    @extend_schema(methods=["DELETE"], request=None, responses={204: None})
    @action(detail=True, methods=["post", "delete"], url_path="progress-link")
    def progress_link(self, request: Request, pk: str | None = None) -> Response:
        customer = self.get_object()
        if request.method == "DELETE":
            progress_link_revoke(
                customer_id=customer.pk, actor=staff_user(request), now=timezone.now()
            )
            return Response(status=status.HTTP_204_NO_CONTENT)
        issued = progress_link_create(
            customer_id=customer.pk, actor=staff_user(request), now=timezone.now()
        )
        body = ProgressLinkOutput({"url": issued.url, "expires_at": issued.link.expires_at}).data
        return Response(body, status=status.HTTP_201_CREATED)
