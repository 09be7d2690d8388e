"""The 20 rule endpoints of the original contract, at /api/v1/customer-ops/ (SPEC_RULES §8)."""
