"""Reads behind the home page."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from customer_ops.domain.transitions import DraftStatus
from customer_ops.models import Customer, OutboundDraft
from customer_ops.models.customers import CustomerStatus
from positioning.lock import BUNDLES


@dataclass(frozen=True, slots=True)
class BundleCount:
    bundle_id: str
    name: str
    customers: int


@dataclass(frozen=True, slots=True)
class HomeCounts:
    customers: int
    onboarding: int
    active: int
    drafts_pending: int
    by_bundle: tuple[BundleCount, ...]


def home_counts() -> HomeCounts:
    """Counts for the home page, in two aggregate queries."""
    per_status = dict(Customer.objects.values_list("status").annotate(n=Count("id")).order_by())
    per_bundle = dict(Customer.objects.values_list("bundle").annotate(n=Count("id")).order_by())
    return HomeCounts(
        customers=sum(per_status.values()),
        onboarding=per_status.get(CustomerStatus.ONBOARDING, 0),
        active=per_status.get(CustomerStatus.ACTIVE, 0),
        drafts_pending=OutboundDraft.objects.filter(status=DraftStatus.PENDING).count(),
        by_bundle=tuple(
            BundleCount(bundle.id.value, bundle.name, per_bundle.get(bundle.id.value, 0))
            for bundle in BUNDLES
        ),
    )
