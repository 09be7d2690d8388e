"""Meta's side of the WhatsApp Cloud API, for tests, the newcomer demo and the bench.

- `inbound_text`, `inbound_media`, `status_update`, `envelope`: webhook payloads in the shapes
  Meta documents; `signed_body` encodes one as Meta sends it (compact JSON, non-ASCII `\\u`-escaped)
  and signs the raw bytes with the app secret.
- `FakeGraphApi`: a real HTTP server on loopback (pytest-httpserver) answering
  `POST /{version}/{phone-number-id}/messages` like the Graph API, in four modes: `ok` (a new
  wamid per call), `slow` (answers after `delay` seconds: a client timeout after the request
  left), `failing` (HTTP 400 with a Graph API error `code`) and `duplicate` (the same wamid every
  time). Run it alone with `python -m tests.whatsapp_fakes --port 8765`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import re
import threading
import time
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from customer_ops.domain.whatsapp import signature_for

APP_SECRET = "test-app-secret"
ACCESS_TOKEN = "test-access-token"
PHONE_NUMBER_ID = "106540352242922"
API_VERSION = "v23.0"


def _ts(at: dt.datetime) -> str:
    return str(int(at.timestamp()))


def inbound_text(*, wamid: str, wa_id: str, body: str, at: dt.datetime) -> dict[str, Any]:
    return {
        "from": wa_id,
        "id": wamid,
        "timestamp": _ts(at),
        "type": "text",
        "text": {"body": body},
    }


def inbound_media(
    *, wamid: str, wa_id: str, kind: str, caption: str, at: dt.datetime, filename: str = ""
) -> dict[str, Any]:
    media: dict[str, Any] = {
        "caption": caption,
        "mime_type": "application/pdf" if kind == "document" else "image/jpeg",
        "sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "id": "1003383421387256",
    }
    if filename:
        media["filename"] = filename
    return {"from": wa_id, "id": wamid, "timestamp": _ts(at), "type": kind, kind: media}


def status_update(
    *, wamid: str, status: str, at: dt.datetime, recipient: str, error_code: int | None = None
) -> dict[str, Any]:
    report: dict[str, Any] = {
        "id": wamid,
        "status": status,
        "timestamp": _ts(at),
        "recipient_id": recipient,
    }
    if status in ("sent", "delivered", "read"):
        report["conversation"] = {"id": "CONVERSATION_ID", "origin": {"type": "service"}}
        report["pricing"] = {"billable": True, "pricing_model": "PMP", "category": "service"}
    if error_code is not None:
        report["errors"] = [
            {
                "code": error_code,
                "title": "Re-engagement message",
                "message": "Re-engagement message",
                "error_data": {
                    "details": "Message failed to send because more than 24 hours have passed "
                    "since the customer last replied to this number."
                },
                "href": "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/",
            }
        ]
    return report


def envelope(
    *,
    messages: list[dict[str, Any]] | None = None,
    statuses: list[dict[str, Any]] | None = None,
    name: str = "ريم",
) -> dict[str, Any]:
    value: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": PHONE_NUMBER_ID},
    }
    if messages:
        value["contacts"] = [
            {"profile": {"name": name}, "wa_id": wa_id}
            for wa_id in dict.fromkeys(m["from"] for m in messages)
        ]
        value["messages"] = messages
    if statuses:
        value["statuses"] = statuses
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"value": value, "field": "messages"}]}],
    }


def signed_body(payload: dict[str, Any], *, secret: str = APP_SECRET) -> tuple[bytes, str]:
    """The bytes Meta would POST (Arabic as `\\u` escapes, `/` escaped too) and their signature."""
    body = json.dumps(payload, separators=(",", ":")).replace("/", "\\/").encode("ascii")
    return body, signature_for(body, app_secret=secret)


# ── The fake Graph API ──────────────────────────────────────────────────────────────────────────
MESSAGES_PATH = re.compile(r"^/v[0-9.]+/[0-9]+/messages$")


class FakeGraphApi:
    def __init__(self, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.server = HTTPServer(host=host, port=port, threaded=True)
        self.mode = "ok"
        self.error_code = 131026
        self.delay = 0.0
        self.requests: list[dict[str, Any]] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.server.expect_request(MESSAGES_PATH, method="POST").respond_with_handler(self._answer)

    @property
    def base_url(self) -> str:
        return f"http://{self.server.host}:{self.server.port}"

    def start(self) -> FakeGraphApi:
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.clear_log()
        if self.server.is_running():
            self.server.stop()

    def _answer(self, request: Request) -> Response:
        payload = request.get_json(silent=True) or {}
        with self._lock:
            self.requests.append({"path": request.path, "json": payload})
            number = next(self._ids)
        if request.headers.get("Authorization") != f"Bearer {ACCESS_TOKEN}":
            return self._error(401, 190, "Error validating access token")
        if self.mode == "slow":
            time.sleep(self.delay)
        if self.mode == "failing":
            return self._error(400, self.error_code, f"(#{self.error_code}) refused by the fake")
        wamid = "wamid.FAKE.duplicate" if self.mode == "duplicate" else f"wamid.FAKE.{number:06d}"
        body = {
            "messaging_product": "whatsapp",
            "contacts": [{"input": payload.get("to", ""), "wa_id": payload.get("to", "")}],
            "messages": [{"id": wamid}],
        }
        return Response(json.dumps(body), status=200, content_type="application/json")

    @staticmethod
    def _error(status: int, code: int, message: str) -> Response:
        body = {
            "error": {
                "message": message,
                "type": "OAuthException",
                "code": code,
                "error_data": {"messaging_product": "whatsapp", "details": message},
                "fbtrace_id": "AbCdEf123",
            }
        }
        return Response(json.dumps(body), status=status, content_type="application/json")


def main() -> None:  # pragma: no cover - a newcomer's tool
    parser = argparse.ArgumentParser(description="A fake WhatsApp Graph API on loopback.")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--mode", choices=["ok", "slow", "failing", "duplicate"], default="ok")
    args = parser.parse_args()
    fake = FakeGraphApi(port=args.port)
    fake.mode = args.mode
    fake.delay = 30.0
    fake.start()
    print(f"Fake Graph API on {fake.base_url} (mode {args.mode}). Run the app with:")  # noqa: T201
    print(  # noqa: T201
        f"  WHATSAPP_API_BASE={fake.base_url} WHATSAPP_ACCESS_TOKEN={ACCESS_TOKEN} "
        f"WHATSAPP_PHONE_NUMBER_ID={PHONE_NUMBER_ID} WHATSAPP_APP_SECRET={APP_SECRET} "
        "WHATSAPP_ALLOW_LIVE_SEND=true make run"
    )
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()
