"""Provider webhooks: the only unauthenticated writes. Outside /api/, CSRF-exempt, signed.

`/webhooks/whatsapp/`: Meta's subscribe handshake (GET) and signed deliveries (POST). A delivery
is checked against `X-Hub-Signature-256` over the raw bytes before anything is read or written,
stored once (deduplicated by its provider ids), answered 200 at once, and processed after in a
task. A bad or missing signature is 403 and writes nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from customer_ops.domain.messages import MessageChannel
from customer_ops.domain.whatsapp import signature_valid, verification_challenge
from customer_ops.services.webhooks import webhook_delivery_store
from customer_ops.tasks import process_whatsapp_delivery


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
