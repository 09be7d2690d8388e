"""Clients for the providers that carry customer messages (thin, ours, no business rules)."""
