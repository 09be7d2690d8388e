"""Persisted data. Logic lives in domain/ and services/; models hold data and constraints."""

from customer_ops.models.connectors import CustomerConnector
from customer_ops.models.customers import Customer
from customer_ops.models.drafts import OutboundDraft
from customer_ops.models.ledger import LedgerEntry
from customer_ops.models.links import ProgressLink
from customer_ops.models.onboarding import OnboardingStep

__all__ = [
    "Customer",
    "CustomerConnector",
    "LedgerEntry",
    "OnboardingStep",
    "OutboundDraft",
    "ProgressLink",
]
