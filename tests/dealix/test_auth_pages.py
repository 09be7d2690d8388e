from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_is_arabic_and_right_to_left(client: Client) -> None:
    response = client.get(reverse("login"))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert 'name="username"' in html
    assert 'name="password"' in html
    assert "تسجيل الدخول" in html


def test_login_with_correct_password_lands_on_home(client: Client, operator: object) -> None:
    response = client.post(
        reverse("login"), {"username": "operator", "password": PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("home")
    assert response.status_code == 200
    assert response.context["user"].username == "operator"


def test_login_with_wrong_password_shows_a_form_error(client: Client, operator: object) -> None:
    response = client.post(reverse("login"), {"username": "operator", "password": "nope"})

    assert response.status_code == 200
    assert response.context["user"].is_anonymous
    assert 'role="alert"' in response.content.decode()


def test_logout_needs_post_and_ends_the_session(operator_client: Client) -> None:
    response = operator_client.post(reverse("logout"))

    assert response.status_code == 302
    assert operator_client.get(reverse("home")).status_code == 302


def test_home_requires_login(client: Client) -> None:
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_home_refuses_a_signed_in_user_without_a_role(client: Client, make_user: object) -> None:
    client.force_login(make_user("outsider"))  # type: ignore[operator]

    assert client.get(reverse("home")).status_code == 403


def test_home_shows_real_counts(operator_client: Client, founder: object) -> None:
    from django.utils import timezone

    from customer_ops.services.customers import customer_create

    for name in ("شركة أ", "شركة ب", "شركة ج"):
        customer_create(
            company_name=name, bundle="growth_starter", actor=founder, now=timezone.now()
        )

    response = operator_client.get(reverse("home"))

    assert response.status_code == 200
    counts = response.context["counts"]
    assert counts.customers == 3
    assert {row.bundle_id: row.customers for row in counts.by_bundle}["growth_starter"] == 3


def test_english_switch_renders_left_to_right(operator_client: Client) -> None:
    operator_client.post(reverse("set_language"), {"language": "en", "next": "/"})

    html = operator_client.get(reverse("home")).content.decode()

    assert '<html lang="en" dir="ltr">' in html


def test_pages_send_a_content_security_policy(client: Client) -> None:
    response = client.get(reverse("login"))

    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_browser_language_does_not_override_arabic(client: Client) -> None:
    html = client.get(reverse("login"), headers={"Accept-Language": "en-US,en;q=0.9"}).content

    assert b'<html lang="ar" dir="rtl">' in html
