from typing import Any

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from customer_ops.api.calendar import (
    CalendarView,
    HolidayConfirmView,
    HolidayDetailView,
    HolidayListView,
    HolidayMoveView,
    PeriodDetailView,
    PeriodListView,
    WeekView,
)
from customer_ops.api.customers import CustomerViewSet
from customer_ops.api.drafts import DraftViewSet
from customer_ops.api.incidents import IncidentViewSet
from customer_ops.api.ledger import LedgerViewSet
from customer_ops.api.messages import (
    MessageAssignView,
    TicketMessagesView,
    UnmatchedMessagesView,
    WhatsAppOptInView,
)
from customer_ops.api.search import SearchView
from customer_ops.api.sla import SlaHealthView
from customer_ops.api.success import (
    AtRiskView,
    CheckInView,
    ProofPackView,
    SuccessPlanView,
    TouchpointDoneView,
)
from customer_ops.api.tickets import TicketViewSet


class NumericIdRouter(DefaultRouter):
    """Every id here is a number: `/customers/onboarding/` must not reach a detail route as
    pk="onboarding" (405 on POST) when a client drops the id; it is a plain 404 instead."""

    def get_lookup_regex(self, viewset: Any, lookup_prefix: str = "") -> str:
        return rf"(?P<{lookup_prefix}pk>[0-9]+)"


router = NumericIdRouter(trailing_slash=True)
router.register("customers", CustomerViewSet, basename="customer")
router.register("drafts", DraftViewSet, basename="draft")
router.register("ledger", LedgerViewSet, basename="ledger")
router.register("tickets", TicketViewSet, basename="ticket")
router.register("incidents", IncidentViewSet, basename="incident")

urlpatterns = [
    path("customer-ops/", include("customer_ops.api.rules.urls")),
    # Before the router: these sit beside its routes (customers/{id}/…) without touching them.
    path(
        "customers/<int:pk>/success-plan/",
        SuccessPlanView.as_view(),
        name="customer-success-plan",
    ),
    path(
        "customers/<int:pk>/success-plan/touchpoints/<int:day>/",
        TouchpointDoneView.as_view(),
        name="customer-success-touchpoint",
    ),
    path("customers/<int:pk>/proof-packs/", ProofPackView.as_view(), name="customer-proof-packs"),
    path("customers/<int:pk>/check-ins/", CheckInView.as_view(), name="customer-check-ins"),
    path(
        "customers/<int:pk>/whatsapp-opt-in/",
        WhatsAppOptInView.as_view(),
        name="customer-whatsapp-opt-in",
    ),
    path("tickets/<int:pk>/messages/", TicketMessagesView.as_view(), name="ticket-messages"),
    path("messages/unmatched/", UnmatchedMessagesView.as_view(), name="messages-unmatched"),
    path("messages/<int:pk>/assign/", MessageAssignView.as_view(), name="message-assign"),
    path("at-risk/", AtRiskView.as_view(), name="at-risk"),
    path("sla/health/", SlaHealthView.as_view(), name="sla-health"),
    path("search/", SearchView.as_view(), name="api-search"),
    path("calendar/", CalendarView.as_view(), name="api-calendar"),
    path("calendar/week/", WeekView.as_view(), name="api-calendar-week"),
    path("calendar/holidays/", HolidayListView.as_view(), name="api-calendar-holidays"),
    path("calendar/holidays/<str:day>/", HolidayDetailView.as_view(), name="api-calendar-holiday"),
    path(
        "calendar/holidays/<str:day>/confirm/",
        HolidayConfirmView.as_view(),
        name="api-calendar-holiday-confirm",
    ),
    path(
        "calendar/holidays/<str:day>/move/",
        HolidayMoveView.as_view(),
        name="api-calendar-holiday-move",
    ),
    path("calendar/periods/", PeriodListView.as_view(), name="api-calendar-periods"),
    path("calendar/periods/<int:pk>/", PeriodDetailView.as_view(), name="api-calendar-period"),
    path("", include(router.urls)),
]
