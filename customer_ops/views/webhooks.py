"""Provider webhooks: the only unauthenticated writes. Outside /api/, CSRF-exempt, signed.

`/webhooks/whatsapp/`: Meta's subscribe handshake (GET) and signed deliveries (POST). A delivery
is checked against `X-Hub-Signature-256` over the raw bytes before anything is read or written,
stored once (deduplicated by its provider ids), answered 200 at once, and processed after in a
task. A bad or missing signature is 403 and writes nothing.

`/webhooks/anymail/<provider>/inbound|tracking/`: Anymail's own views, behind its basic auth
(`ANYMAIL_WEBHOOK_SECRET`) and the provider's signature where it signs (Mailgun). In front of
them, a guard refuses everything (403) while no secret is configured (Anymail alone would accept
anyone then) and answers a missing or wrong basic auth with 403 before Anymail reads the body.
Anymail parses the request and sends its signal; our receivers only store the raw message or
event (`WebhookDelivery`) and enqueue its processing, so the provider gets its answer fast.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from functools import wraps
from typing import Any

from anymail.inbound import AnymailInboundMessage
from anymail.signals import AnymailInboundEvent, AnymailTrackingEvent, inbound, tracking
from anymail.urls import urlpatterns as anymail_urlpatterns
from django.conf import settings
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.urls import URLPattern
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from customer_ops.domain.messages import MessageChannel
from customer_ops.domain.whatsapp import signature_valid, verification_challenge
from customer_ops.services.webhooks import (
    email_inbound_payload,
    email_tracking_payload,
    webhook_delivery_store,
)
from customer_ops.tasks import process_email_delivery, process_whatsapp_delivery


@csrf_exempt
@require_http_methods(["GET", "POST"])
def whatsapp_webhook(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        challenge = verification_challenge(
            mode=request.GET.get("hub.mode"),
            token=request.GET.get("hub.verify_token"),
            challenge=request.GET.get("hub.challenge"),
            verify_token=settings.WHATSAPP_VERIFY_TOKEN,
        )
        if challenge is None:
            return HttpResponseForbidden("verification failed", content_type="text/plain")
        return HttpResponse(challenge, content_type="text/plain")
    body = request.body
    if not signature_valid(
        body=body,
        header=request.headers.get("X-Hub-Signature-256"),
        app_secret=settings.WHATSAPP_APP_SECRET,
    ):
        return HttpResponseForbidden("bad signature", content_type="text/plain")
    delivery, created = webhook_delivery_store(
        channel=MessageChannel.WHATSAPP.value, body=body, now=timezone.now()
    )
    if created:
        # Stored and committed: processing may now run anywhere (the task worker in production).
        # Should this enqueue be lost, `whatsapp_deliveries_retry` picks the delivery up.
        process_whatsapp_delivery.enqueue(delivery_id=delivery.pk)
    return HttpResponse("ok", content_type="text/plain")


# ── Anymail ─────────────────────────────────────────────────────────────────────────────────────
def _basic_auth(request: HttpRequest) -> str:
    kind, _, value = request.headers.get("Authorization", "").partition(" ")
    if kind.lower() != "basic":
        return ""
    try:
        return base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return ""


def anymail_guard(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """403 unless the webhook secret is configured and the request carries it."""

    @wraps(view)
    @csrf_exempt
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        secret = str(settings.ANYMAIL.get("WEBHOOK_SECRET") or "")
        if not secret or ":" not in secret:
            return HttpResponseForbidden("webhooks are not configured", content_type="text/plain")
        if request.method not in ("HEAD", "OPTIONS") and not constant_time_compare(
            _basic_auth(request), secret
        ):
            return HttpResponseForbidden("bad credentials", content_type="text/plain")
        return view(request, *args, **kwargs)

    return guarded


def anymail_patterns() -> list[URLPattern]:
    """Anymail's webhook routes, each behind `anymail_guard`."""
    return [
        URLPattern(pattern.pattern, anymail_guard(pattern.callback), name=pattern.name)
        for pattern in anymail_urlpatterns
        if isinstance(pattern, URLPattern)
    ]


# Connected when this module loads, which the URLconf does before any webhook can be called.
@receiver(inbound, dispatch_uid="customer_ops.anymail_inbound")
def anymail_inbound_received(
    sender: object, event: AnymailInboundEvent, esp_name: str, **kwargs: object
) -> None:
    """Anymail's `inbound` signal: keep the raw message, process it in a task."""
    message: AnymailInboundMessage = event.message
    body, key = email_inbound_payload(esp=esp_name, raw=message.as_bytes())
    delivery, created = webhook_delivery_store(
        channel=MessageChannel.EMAIL.value, body=body, now=timezone.now(), dedupe_key=key
    )
    if created:
        process_email_delivery.enqueue(delivery_id=delivery.pk)


@receiver(tracking, dispatch_uid="customer_ops.anymail_tracking")
def anymail_tracking_received(
    sender: object, event: AnymailTrackingEvent, esp_name: str, **kwargs: object
) -> None:
    """Anymail's `tracking` signal: keep the event, process it in a task."""
    body, key = email_tracking_payload(
        esp=esp_name,
        event={
            "event_type": event.event_type,
            "event_id": event.event_id,
            "message_id": str(event.message_id or ""),
            "timestamp": event.timestamp.isoformat() if event.timestamp else "",
            "recipient": event.recipient,
            "description": event.description,
            "mta_response": event.mta_response,
        },
    )
    delivery, created = webhook_delivery_store(
        channel=MessageChannel.EMAIL.value, body=body, now=timezone.now(), dedupe_key=key
    )
    if created:
        process_email_delivery.enqueue(delivery_id=delivery.pk)
