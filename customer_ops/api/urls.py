from django.urls import include, path
from rest_framework.routers import DefaultRouter

from customer_ops.api.resources import CustomerViewSet, DraftViewSet, LedgerViewSet

router = DefaultRouter(trailing_slash=True)
router.register("customers", CustomerViewSet, basename="customer")
router.register("drafts", DraftViewSet, basename="draft")
router.register("ledger", LedgerViewSet, basename="ledger")

urlpatterns = [
    path("customer-ops/", include("customer_ops.api.rules_urls")),
    path("", include(router.urls)),
]
