"""Fixtures for the rule endpoints: JSON posts and gets as an operator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.customer_ops.api.endpoints import BASE


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """The users these tests sign in never log in by password: skip the 1 s PBKDF2 per user."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def post(operator_api: APIClient) -> Callable[..., Any]:
    """POST a JSON body (or, with no body argument, nothing at all) as an operator."""

    def send(path: str, *args: Any, **kwargs: Any) -> Any:
        if args:
            return operator_api.post(BASE + path, args[0], format="json", **kwargs)
        return operator_api.post(BASE + path, **kwargs)

    return send


@pytest.fixture
def get(operator_api: APIClient) -> Callable[..., Any]:
    def fetch(path: str) -> Any:
        return operator_api.get(BASE + path)

    return fetch
