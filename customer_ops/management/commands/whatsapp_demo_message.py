"""Deliver a signed sample WhatsApp message to this app's webhook (DEBUG only: a newcomer's demo).

    manage.py whatsapp_demo_message --from 0501234567 --text "النظام متوقف"

It signs the body as Meta does (compact JSON, Arabic `\\u`-escaped, HMAC-SHA256 with
WHATSAPP_APP_SECRET) and POSTs it to `--url` (default: the runserver's /webhooks/whatsapp/).
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import httpx
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from customer_ops.domain.contacts import to_e164
from customer_ops.domain.whatsapp import signature_for


class Command(BaseCommand):
    help = "Deliver a signed sample WhatsApp message to the webhook (DEBUG only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="sender", default="0501234567")
        parser.add_argument("--text", default="السلام عليكم، النظام متوقف ولا نستطيع الدخول")
        parser.add_argument("--name", default="عميل تجريبي")
        parser.add_argument("--url", default="http://127.0.0.1:8000/webhooks/whatsapp/")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("whatsapp_demo_message runs only with DJANGO_DEBUG=1")
        if not settings.WHATSAPP_APP_SECRET:
            raise CommandError("set WHATSAPP_APP_SECRET (the same value the server runs with)")
        wa_id = to_e164(options["sender"]).lstrip("+")
        payload = {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": "0",
                    "changes": [
                        {
                            "field": "messages",
                            "value": {
                                "messaging_product": "whatsapp",
                                "metadata": {
                                    "display_phone_number": "0",
                                    "phone_number_id": settings.WHATSAPP_PHONE_NUMBER_ID or "0",
                                },
                                "contacts": [
                                    {"profile": {"name": options["name"]}, "wa_id": wa_id}
                                ],
                                "messages": [
                                    {
                                        "from": wa_id,
                                        "id": f"wamid.DEMO.{uuid.uuid4().hex}",
                                        "timestamp": str(int(time.time())),
                                        "type": "text",
                                        "text": {"body": options["text"]},
                                    }
                                ],
                            },
                        }
                    ],
                }
            ],
        }
        body = json.dumps(payload, separators=(",", ":")).encode("ascii")
        signature = signature_for(body, app_secret=settings.WHATSAPP_APP_SECRET)
        response = httpx.post(
            options["url"],
            content=body,
            headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature},
            timeout=10,
        )
        self.stdout.write(f"{response.status_code} {response.text[:200]}")
        if response.status_code != 200:
            raise CommandError("the webhook refused the delivery")
