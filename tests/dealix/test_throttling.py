"""Brute-force limits: login lockout, API rates per caller, and wrong-token attempts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client, RequestFactory
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from dealix.throttling import client_ip
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
CLASSIFY = "/api/v1/customer-ops/support/classify"


def _login(client: Client, username: str, password: str, ip: str = "10.0.0.1") -> Any:
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_five_wrong_passwords_lock_that_username_from_that_address(operator: Any) -> None:
    client = Client()
    for _ in range(4):
        assert _login(client, "operator", "wrong").status_code == 200  # the form's error
    assert _login(client, "operator", "wrong").status_code == 429  # the fifth locks
    locked = _login(client, "operator", PASSWORD)
    assert locked.status_code == 429
    assert "تم إيقاف الدخول مؤقتاً" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address is not locked out, and neither is another user from the locked address.
    assert _login(Client(), "operator", PASSWORD, ip="10.0.0.2").status_code == 302


def test_lockout_lifts_after_the_cooloff(operator: Any) -> None:
    start = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            _login(Client(), "operator", "wrong")
        assert _login(Client(), "operator", PASSWORD).status_code == 429
    with time_machine.travel(start + dt.timedelta(minutes=16), tick=False):
        assert _login(Client(), "operator", PASSWORD).status_code == 302


def test_a_successful_login_clears_earlier_failures(operator: Any) -> None:
    for _ in range(4):
        _login(Client(), "operator", "wrong")
    assert _login(Client(), "operator", PASSWORD).status_code == 302
    for _ in range(4):
        _login(Client(), "operator", "wrong")
    assert _login(Client(), "operator", PASSWORD).status_code == 302


def test_lockout_page_in_english(operator: Any) -> None:
    client = Client()
    client.cookies["django_language"] = "en"
    for _ in range(5):
        _login(client, "operator", "wrong")
    page = _login(client, "operator", PASSWORD).content.decode()
    assert "Sign-in paused" in page
    assert "15 minutes" in page


def test_api_rate_per_user_gives_429_with_arabic_and_retry_after(
    operator_api: APIClient, settings: Any
) -> None:
    settings.DEALIX_API_RATES = {**settings.DEALIX_API_RATES, "user": "3/minute"}
    body = {"message": "the dashboard is slow"}
    for _ in range(3):
        assert operator_api.post(CLASSIFY, body, format="json").status_code == 200
    refused = operator_api.post(CLASSIFY, body, format="json")
    assert refused.status_code == 429
    assert refused.json()["error_ar"] == "طلبات كثيرة؛ حاول لاحقاً"
    assert int(refused["Retry-After"]) > 0


def test_wrong_tokens_from_one_address_are_cut_off(operator: Any, settings: Any) -> None:
    settings.DEALIX_API_RATES = {**settings.DEALIX_API_RATES, "token_failure": "3/hour"}
    token = Token.objects.create(user=operator).key
    body = {"message": "hello"}
    guesser = APIClient(REMOTE_ADDR="10.0.0.9")
    guesses = [
        guesser.post(CLASSIFY, body, format="json", HTTP_AUTHORIZATION=f"Token {'0' * 39}{n}")
        for n in range(4)
    ]
    # 403, not 401: session auth comes first and names no WWW-Authenticate scheme.
    assert [r.status_code for r in guesses] == [403, 403, 403, 429]
    # Even the right token waits out the window from that address; other addresses are unaffected.
    right = {"HTTP_AUTHORIZATION": f"Token {token}"}
    assert guesser.post(CLASSIFY, body, format="json", **right).status_code == 429
    elsewhere = APIClient(REMOTE_ADDR="10.0.0.10")
    assert elsewhere.post(CLASSIFY, body, format="json", **right).status_code == 200


def test_one_bad_client_does_not_lock_out_a_good_token_behind_the_same_address(
    operator: Any, settings: Any
) -> None:
    settings.DEALIX_API_RATES = {**settings.DEALIX_API_RATES, "token_failure": "3/hour"}
    token = Token.objects.create(user=operator).key
    body = {"message": "hello"}
    right = {"HTTP_AUTHORIZATION": f"Token {token}"}
    # given a script that works with its token from an office address
    office = APIClient(REMOTE_ADDR="10.0.0.9")
    assert office.post(CLASSIFY, body, format="json", **right).status_code == 200

    # when another client behind the same address sends wrong tokens until it is cut off
    for n in range(4):
        office.post(CLASSIFY, body, format="json", HTTP_AUTHORIZATION=f"Token {'0' * 39}{n}")

    # then the good token still works, and guesses are still refused unchecked
    assert office.post(CLASSIFY, body, format="json", **right).status_code == 200
    guess = office.post(CLASSIFY, body, format="json", HTTP_AUTHORIZATION=f"Token {'1' * 40}")
    assert guess.status_code == 429


def test_client_ip_ignores_forwarded_for_unless_a_proxy_is_trusted(settings: Any) -> None:
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )
    settings.DEALIX_TRUSTED_PROXIES = 0
    assert client_ip(request) == "10.1.1.1"
    settings.DEALIX_TRUSTED_PROXIES = 1
    assert client_ip(request) == "203.0.113.7"  # what our proxy saw, not the forgeable left part
    settings.DEALIX_TRUSTED_PROXIES = 2
    assert client_ip(request) == "6.6.6.6"


def test_client_ip_is_none_without_a_valid_address(settings: Any) -> None:
    # A bare request (force_login, a unix socket) or a forged word: nothing for axes to store.
    settings.DEALIX_TRUSTED_PROXIES = 1
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="")) is None
    assert client_ip(RequestFactory().get("/", HTTP_X_FORWARDED_FOR="not-an-ip")) is None
