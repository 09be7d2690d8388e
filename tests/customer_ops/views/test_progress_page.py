from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from customer_ops.services.links import progress_link_create, progress_link_revoke
from customer_ops.services.onboarding import onboarding_set_step
from tests.factories import make_customer

pytestmark = pytest.mark.django_db


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


@pytest.fixture
def two_customers(founder: Any) -> tuple[Any, Any]:
    return (
        make_customer(actor=founder, name="شركة المتابعة الأولى"),
        make_customer(actor=founder, name="شركة أخرى سرية"),
    )


def test_progress_page_shows_only_its_customer(
    client: Client, two_customers: tuple[Any, Any], operator: Any
) -> None:
    mine, other = two_customers
    onboarding_set_step(
        customer_id=mine.pk,
        step_id="select_goal",
        completed=True,
        actor=operator,
        now=timezone.now(),
    )
    issued = progress_link_create(customer_id=mine.pk, actor=operator, now=timezone.now())

    response = client.get(path_of(issued.url))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in html
    assert "شركة المتابعة الأولى" in html
    assert 'aria-valuenow="12.5"' in html
    assert other.company_name not in html
    assert operator.username not in html  # nothing about Dealix staff either
    assert response["Referrer-Policy"] == "no-referrer"


def test_unknown_expired_and_revoked_links_get_the_same_plain_404(
    client: Client, two_customers: tuple[Any, Any], operator: Any
) -> None:
    mine, _ = two_customers
    issued = progress_link_create(customer_id=mine.pk, actor=operator, now=timezone.now())
    path = path_of(issued.url)

    unknown = client.get("/progress/not-a-real-token-at-all/")
    with time_machine.travel(timezone.now() + dt.timedelta(days=31)):
        expired = client.get(path)
    progress_link_revoke(customer_id=mine.pk, actor=operator, now=timezone.now())
    revoked = client.get(path)

    assert unknown.status_code == expired.status_code == revoked.status_code == 404
    assert unknown.content == expired.content == revoked.content
    assert mine.company_name.encode() not in revoked.content
