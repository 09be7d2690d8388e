"""Shared fixtures: staff users by role, signed-in clients, a customer, an htmx helper and the
browser."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from customer_ops.models import Customer, OutboundDraft
from customer_ops.roles import Role, sync_role_permissions
from tests.factories import World, make_approved_draft, make_customer, make_world
from tests.helpers import HX

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PASSWORD = "correct-horse-battery-staple"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests skip, visibly, when there is no Chromium; REQUIRE_BROWSER=1 makes that fail."""
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"REQUIRE_BROWSER=1 but {CHROMIUM} is missing")
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def make_user(django_user_model: Any, db: None) -> Callable[..., Any]:
    def make(username: str, role: Role | None = None, **extra: Any) -> Any:
        user = django_user_model.objects.create_user(username=username, password=PASSWORD, **extra)
        if role is not None:
            if not Group.objects.filter(name=role).exists():
                # A transactional test's flush removed the groups the data migration made.
                sync_role_permissions(django_apps)
            user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def founder(make_user: Callable[..., Any]) -> Any:
    return make_user("founder", Role.FOUNDER)


@pytest.fixture
def operator(make_user: Callable[..., Any]) -> Any:
    return make_user("operator", Role.OPERATOR)


@pytest.fixture
def operator_client(operator: Any) -> Client:
    client = Client()
    client.force_login(operator)
    return client


@pytest.fixture
def english_client(operator_client: Client) -> Client:
    """The operator's client with the language switch set to English."""
    operator_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return operator_client


@pytest.fixture
def founder_client(founder: Any) -> Client:
    client = Client()
    client.force_login(founder)
    return client


@pytest.fixture
def operator_api(operator: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(operator)
    return client


@pytest.fixture
def founder_api(founder: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(founder)
    return client


@pytest.fixture
def customer_fields() -> dict[str, Any]:
    """What this module's `customer` is made with besides the defaults of `make_customer`.

    A test module overrides this fixture (name, contacts, creation time) rather than writing its
    own `customer`.
    """
    return {}


@pytest.fixture
def customer(founder: Any, customer_fields: dict[str, Any]) -> Customer:
    """A customer the founder created through the service."""
    return make_customer(actor=founder, **customer_fields)


@pytest.fixture
def approved_draft_fields() -> dict[str, Any]:
    """What this module's `approved` draft is written with besides the defaults of `make_draft`."""
    return {}


@pytest.fixture
def approved(
    customer: Customer, operator: Any, founder: Any, approved_draft_fields: dict[str, Any]
) -> OutboundDraft:
    """A draft the operator wrote to `customer` and the founder approved."""
    return make_approved_draft(
        customer=customer, author=operator, approver=founder, **approved_draft_fields
    )


@pytest.fixture
def world(founder: Any, operator: Any) -> World:
    """A customer with a ticket, an incident and a pending WhatsApp draft."""
    return make_world(founder, operator)


@pytest.fixture
def anon_api() -> APIClient:
    return APIClient()


@pytest.fixture
def htmx_get(operator_client: Client) -> Callable[..., Any]:
    def get(url: str, **params: Any) -> Any:
        return operator_client.get(url, params, headers=HX)

    return get


@pytest.fixture(autouse=True)
def _fresh_rate_counters() -> None:
    # Throttle counters live in the cache and are keyed by user id and address, which repeat
    # from test to test; each test starts with none spent.
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # Real hashing costs ~0.3 s a user; tests create many users and never attack the hashes.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
