"""Persisted data. Logic lives in domain/ and services/; models hold data and constraints."""

from customer_ops.models.customers import Customer
from customer_ops.models.drafts import OutboundDraft
from customer_ops.models.ledger import LedgerEntry

__all__ = ["Customer", "LedgerEntry", "OutboundDraft"]
