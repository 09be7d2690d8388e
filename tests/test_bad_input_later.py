"""Input that broke later (issue #17): refused at the boundary, or unable to break a run.

- a line break or tab in a one-line field (subject, title, name, recipient) is refused by the
  API and the console alike; multi-line fields keep their lines;
- a notification email and the sweeps cannot fail a committed request or a whole run;
- deeply nested JSON, a naive date-time near year 1, an integer wider than 64 bits: 400, not 500;
- dates outside the sensible range and a renewal before the pilot start: the same refusal
  through the API and the console;
- a chunked body (as gunicorn hands it over) is read within the size limit, or refused with 413.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core import mail, signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from customer_ops.domain.notifications import NotificationTarget
from customer_ops.models import Customer, Incident, Notification, OutboundDraft, SlaEvent, Ticket
from customer_ops.services import sweeps
from customer_ops.services.notifications import notify
from dealix.parsers import MAX_JSON_DEPTH
from tests.factories import make_customer, make_incident, make_ticket

pytestmark = pytest.mark.django_db

BREAKS = ["\n", "\r", "\t", "\u2028", "\r\nBcc: attacker@evil.sa"]
HX = {"HX-Request": "true"}


@pytest.fixture
def customer(operator: Any) -> Customer:
    return make_customer(actor=operator, contact_email="client@example.sa")


# ── One-line fields ─────────────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize("brk", BREAKS)
def test_api_refuses_a_line_break_in_every_one_line_field(
    operator_api: APIClient, customer: Customer, brk: str
) -> None:
    posts = {
        "/api/v1/tickets/": {"customer": customer.pk, "subject": f"a{brk}b", "channel": "email"},
        "/api/v1/incidents/": {"title": f"a{brk}b"},
        "/api/v1/customers/": {"company_name": f"a{brk}b", "bundle": "growth_starter"},
        "/api/v1/drafts/": {
            "customer": customer.pk,
            "channel": "email",
            "to": "client@example.sa",
            "subject": f"a{brk}b",
            "body": "سطر\nسطر",
        },
    }

    for url, body in posts.items():
        response = operator_api.post(url, body, format="json")
        assert response.status_code == 400, (url, response.content)
        assert response.json()["errors_ar"], url
    assert (Ticket.objects.count(), Incident.objects.count(), OutboundDraft.objects.count()) == (
        0,
        0,
        0,
    )
    assert Customer.objects.count() == 1


@pytest.mark.parametrize("brk", BREAKS)
def test_console_refuses_a_line_break_in_every_one_line_field(
    operator_client: Client, customer: Customer, brk: str
) -> None:
    posts = {
        "/tickets/new/": {"customer": customer.pk, "subject": f"a{brk}b", "channel": "email"},
        "/incidents/new/": {"title": f"a{brk}b", "affected_count": "1"},
        "/customers/new/": {"company_name": f"a{brk}b", "bundle": "growth_starter"},
        f"/customers/{customer.pk}/drafts/new/": {
            "channel": "email",
            "to": "client@example.sa",
            "subject": f"a{brk}b",
            "body": "نص",
        },
    }

    for url, body in posts.items():
        response = operator_client.post(url, body, headers=HX)
        assert response.status_code == 422, url
        assert "field--error" in response.content.decode(), url
    assert (Ticket.objects.count(), Incident.objects.count(), OutboundDraft.objects.count()) == (
        0,
        0,
        0,
    )
    assert Customer.objects.count() == 1


def test_multi_line_fields_keep_their_lines(operator_api: APIClient, customer: Customer) -> None:
    response = operator_api.post(
        "/api/v1/tickets/",
        {"customer": customer.pk, "subject": "سؤال", "body": "سطر\r\nسطر\tآخر", "channel": "email"},
        format="json",
    )

    assert response.status_code == 201, response.json()


# ── Notifications and sweeps ────────────────────────────────────────────────────────────────────
def test_a_notification_email_cannot_fail_the_committed_request(
    founder: Any, django_capture_on_commit_callbacks: Any
) -> None:
    founder.email = "founder@dealix.sa"
    founder.save()

    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipients=[founder],
            kind="incident_sev1",
            title="سطر\nBcc: attacker@evil.sa",
            body="نص",
            now=timezone.now(),
        )

    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1
    assert "\n" not in mail.outbox[0].subject
    assert mail.outbox[0].bcc == []


def test_one_bad_row_does_not_stop_the_sla_sweep(
    customer: Customer, operator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    long_ago = timezone.now() - timezone.timedelta(days=30)
    first = make_ticket(customer=customer, actor=operator, now=long_ago, subject="أولى")
    second = make_ticket(customer=customer, actor=operator, now=long_ago, subject="ثانية")
    record = sweeps.sla_event_record

    def broken_for_first(**kwargs: Any) -> Any:
        if kwargs["ticket_id"] == first.pk:
            raise ValueError("a row the sweep cannot handle")
        return record(**kwargs)

    monkeypatch.setattr(sweeps, "sla_event_record", broken_for_first)

    escalated = sweeps.sla_sweep(now=timezone.now())

    assert escalated == 1
    assert SlaEvent.objects.filter(ticket=second, event="escalated").count() == 1
    assert not SlaEvent.objects.filter(ticket=first, event="escalated").exists()


def test_one_bad_row_does_not_stop_the_incident_reminders(
    operator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    long_ago = timezone.now() - timezone.timedelta(days=1)
    incidents = [
        Incident.objects.get(pk=pk)
        for pk in (
            make_incident_at(operator, long_ago, "أولى"),
            make_incident_at(operator, long_ago, "ثانية"),
        )
    ]
    real_notify = sweeps.notify

    def broken_for_first(**kwargs: Any) -> Any:
        if kwargs["target"] == NotificationTarget.incident(incidents[0].pk):
            raise ValueError("a row the sweep cannot handle")
        return real_notify(**kwargs)

    monkeypatch.setattr(sweeps, "notify", broken_for_first)

    sent = sweeps.incident_reminders(now=timezone.now())

    assert sent == 1


def make_incident_at(actor: Any, at: Any, title: str) -> int:
    return make_incident(actor=actor, now=at, title=title).pk


# ── 500s ────────────────────────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 900, 5000, 100_000])
@pytest.mark.parametrize("url", ["/api/v1/incidents/", "/api/v1/customer-ops/support/classify"])
def test_deeply_nested_json_is_a_400(operator_api: APIClient, depth: int, url: str) -> None:
    body = '{"title": ' + "[" * depth + "]" * depth + "}"

    response = operator_api.post(url, body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["errors_ar"]


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00", "0001-01-01T02:59:59", "1900-01-01"])
def test_incident_detected_far_in_the_past_is_refused_in_the_api_and_the_console(
    operator_api: APIClient, operator_client: Client, value: str
) -> None:
    api = operator_api.post(
        "/api/v1/incidents/", {"title": "تأخر", "detected_at": value}, format="json"
    )
    console = operator_client.post(
        "/incidents/new/",
        {"title": "تأخر", "affected_count": "1", "detected_at": value[:16]},
        headers=HX,
    )

    assert api.status_code == 400
    assert "detected_at" in api.json()["errors"]
    assert "detected_at" in console.context["form"].errors
    assert not Incident.objects.exists()


def test_renewal_before_pilot_start_is_refused_in_the_api_as_in_the_console(
    operator_api: APIClient, customer: Customer
) -> None:
    body = {"pilot_started_on": "2026-05-01", "renewal_on": "2026-04-01"}

    created = operator_api.post(
        "/api/v1/customers/", {"company_name": "شركة", "bundle": "growth_starter", **body}
    )
    updated = operator_api.patch(f"/api/v1/customers/{customer.pk}/", body, format="json")

    assert created.status_code == 400
    assert updated.status_code == 400
    assert "renewal_on" in created.json()["errors"]
    customer.refresh_from_db()
    assert customer.renewal_on is None


def test_a_renewal_in_year_9999_is_refused(operator_api: APIClient) -> None:
    response = operator_api.post(
        "/api/v1/customers/",
        {"company_name": "شركة", "bundle": "growth_starter", "renewal_on": "9999-12-31"},
    )

    assert response.status_code == 400
    assert "renewal_on" in response.json()["errors"]


@pytest.mark.parametrize("value", [str(2**63), str(2**70), str(-(2**70))])
def test_integer_filter_beyond_64_bits_is_refused_not_a_500(
    founder_client: Client, value: str
) -> None:
    response = founder_client.get("/approvals/", {"customer": value})

    assert response.status_code in (200, 400)


# ── Chunked bodies ──────────────────────────────────────────────────────────────────────────────
def _wsgi_post(path: str, body: bytes, token: str) -> tuple[int, bytes]:
    """POST through Django's WSGI handler as gunicorn passes a chunked body: de-chunked in
    `wsgi.input`, `Transfer-Encoding: chunked` and no Content-Length."""
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        "CONTENT_TYPE": "application/json",
        "HTTP_TRANSFER_ENCODING": "chunked",
        "HTTP_AUTHORIZATION": f"Token {token}",
        "HTTP_HOST": "testserver",
    }
    status: list[str] = []
    # As Django's test client does: the request signals must not close the test's connection
    # (it holds the test's transaction; a file database would really be closed).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        chunks = WSGIHandler()(environ, lambda s, headers: status.append(s))
        content = b"".join(chunks)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return int(status[0].split()[0]), content


def test_a_chunked_body_is_read_within_the_limit(operator: Any, settings: Any) -> None:
    settings.ALLOWED_HOSTS = ["testserver"]
    token = Token.objects.create(user=operator).key
    body = json.dumps({"company_name": "شركة مجزأة", "bundle": "growth_starter"}).encode()

    status, content = _wsgi_post("/api/v1/customers/", body, token)

    assert status == 201, content
    assert Customer.objects.filter(company_name="شركة مجزأة").exists()


def test_a_chunked_body_over_the_limit_is_413(operator: Any, settings: Any) -> None:
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    token = Token.objects.create(user=operator).key
    body = json.dumps({"company_name": "x" * 2000, "bundle": "growth_starter"}).encode()

    status, _content = _wsgi_post("/api/v1/customers/", body, token)

    assert status == 413
    assert not Customer.objects.exists()
