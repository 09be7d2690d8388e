"""Progress-link tokens: random, URL-safe, and stored only as a hash."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_BYTES = 32  # 256 bits: not guessable, not enumerable


def new_token() -> str:
    """A fresh URL-safe token, shown once to the operator who creates the link."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """What is stored and looked up: the SHA-256 of the token (the token itself is never kept)."""
    return hashlib.sha256(token.encode()).hexdigest()
