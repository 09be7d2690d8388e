"""WhatsApp Cloud API rules and shapes, as plain Python (see /work/shared/CHANNELS.md).

- Webhook: the verification handshake, the `X-Hub-Signature-256` check over the raw body, the
  envelope (entries → changes → messages / statuses) and the key a delivery is deduplicated by.
- Sending: who may get a message (a recorded opt-in), what (free text only inside the 24-hour
  customer-service window since their last message, otherwise an approved template), the request
  bodies, and what a provider error code means.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from customer_ops.domain.errors import RuleRefused
from customer_ops.domain.messages import DeliveryStatus

SIGNATURE_PREFIX = "sha256="
CUSTOMER_SERVICE_WINDOW = dt.timedelta(hours=24)


# ── Webhook ─────────────────────────────────────────────────────────────────────────────────────
def signature_for(body: bytes, *, app_secret: str) -> str:
    """The `X-Hub-Signature-256` value Meta sends for `body` (HMAC-SHA256 of the raw bytes)."""
    digest = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return SIGNATURE_PREFIX + digest


def signature_valid(*, body: bytes, header: str | None, app_secret: str) -> bool:
    """True only for a well-formed header matching `body`; never true without a configured secret."""
    if not app_secret or not header or not header.startswith(SIGNATURE_PREFIX):
        return False
    return hmac.compare_digest(header.encode(), signature_for(body, app_secret=app_secret).encode())


def verification_challenge(
    *, mode: str | None, token: str | None, challenge: str | None, verify_token: str
) -> str | None:
    """The challenge to echo when Meta's subscribe handshake carries our verify token, else None."""
    if not verify_token or mode != "subscribe" or challenge is None or token is None:
        return None
    if not hmac.compare_digest(token.encode(), verify_token.encode()):
        return None
    return challenge


@dataclass(frozen=True, slots=True)
class ProviderError:
    code: int | None
    title: str = ""
    details: str = ""

    @property
    def kind(self) -> ErrorKind:
        return classify_error(self.code)

    def describe(self) -> str:
        """One line for the ledger and the draft: code, class and Meta's words."""
        words = " — ".join(part for part in (self.title, self.details) if part)
        return f"{self.code} {self.kind.value}: {words}"[:300]


@dataclass(frozen=True, slots=True)
class InboundMessage:
    external_id: str
    wa_id: str
    sender_name: str
    kind: str
    text: str
    at: dt.datetime
    media: Mapping[str, str] = field(default_factory=dict)
    reply_to: str = ""


@dataclass(frozen=True, slots=True)
class StatusReport:
    external_id: str
    status: DeliveryStatus
    at: dt.datetime
    recipient: str
    errors: tuple[ProviderError, ...] = ()
    description: str = ""  # the provider's words when it gives no coded error (email bounces)


@dataclass(frozen=True, slots=True)
class Envelope:
    messages: tuple[InboundMessage, ...]
    statuses: tuple[StatusReport, ...]

    def dedupe_key(self, body: bytes) -> str:
        """Deliveries with the same provider ids are one delivery (Meta retries and repeats)."""
        ids = sorted(
            {f"m:{m.external_id}" for m in self.messages}
            | {f"s:{s.external_id}:{s.status}:{int(s.at.timestamp())}" for s in self.statuses}
        )
        source = "\n".join(ids).encode() if ids else b"raw:" + body
        return hashlib.sha256(source).hexdigest()


_MEDIA_KINDS = ("image", "document", "audio", "video", "sticker")
_STATUS = {
    "sent": DeliveryStatus.SENT,
    "delivered": DeliveryStatus.DELIVERED,
    "read": DeliveryStatus.READ,
    "failed": DeliveryStatus.FAILED,
}


def _at(value: Any) -> dt.datetime:
    try:
        return dt.datetime.fromtimestamp(int(str(value)), tz=dt.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        raise ValueError(f"bad timestamp: {value!r}") from None


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _text_of(message: dict[str, Any], kind: str) -> tuple[str, dict[str, str]]:
    """What a person reads of the message, and the media reference to fetch later (if any)."""
    found = message.get(kind)
    body: dict[str, Any] = found if isinstance(found, dict) else {}
    if kind == "text":
        return str(body.get("body", "")), {}
    if kind in _MEDIA_KINDS:
        media = {
            key: str(body[key])
            for key in ("id", "mime_type", "filename", "sha256")
            if body.get(key) is not None
        }
        return str(body.get("caption", "")), media
    if kind == "button":
        return str(body.get("text", "")), {}
    if kind == "interactive":
        reply = body.get("button_reply") or body.get("list_reply") or {}
        return str(reply.get("title", "")) if isinstance(reply, dict) else "", {}
    if kind == "location":
        parts = [body.get("name"), body.get("address"), body.get("latitude"), body.get("longitude")]
        return " ".join(str(part) for part in parts if part not in (None, "")), {}
    if kind == "reaction":
        return str(body.get("emoji", "")), {}
    return "", {}


def parse_webhook(payload: Any) -> Envelope:
    """Every inbound message and status report in a delivery (all entries, all changes).

    Changes other than `messages`, and message fields we do not use, are ignored; a message or
    status without an id or a readable timestamp raises ValueError (the delivery is kept, marked
    failed, for a person to look at).
    """
    messages: list[InboundMessage] = []
    statuses: list[StatusReport] = []
    if not isinstance(payload, dict):
        raise ValueError("the delivery is not a JSON object")
    for entry in _dicts(payload.get("entry")):
        for change in _dicts(entry.get("changes")):
            value = change.get("value")
            if change.get("field") != "messages" or not isinstance(value, dict):
                continue
            names = {
                str(contact.get("wa_id", "")): str((contact.get("profile") or {}).get("name", ""))
                for contact in _dicts(value.get("contacts"))
            }
            for message in _dicts(value.get("messages")):
                if not message.get("id") or not message.get("from"):
                    raise ValueError("a message without an id or sender")
                kind = str(message.get("type", "unsupported"))
                text, media = _text_of(message, kind)
                found = message.get("context")
                context: dict[str, Any] = found if isinstance(found, dict) else {}
                messages.append(
                    InboundMessage(
                        external_id=str(message["id"]),
                        wa_id=str(message["from"]),
                        sender_name=names.get(str(message["from"]), "")[:200],
                        kind=kind[:20],
                        text=text,
                        at=_at(message.get("timestamp")),
                        media=media,
                        reply_to=str(context.get("id", "")),
                    )
                )
            for status in _dicts(value.get("statuses")):
                reported = _STATUS.get(str(status.get("status")))
                if not status.get("id") or reported is None:
                    continue  # "deleted", "warning" and future values: nothing to move
                errors = tuple(
                    ProviderError(
                        code=_code(error.get("code")),
                        title=str(error.get("title") or error.get("message") or "")[:200],
                        details=str((error.get("error_data") or {}).get("details", ""))[:300],
                    )
                    for error in _dicts(status.get("errors"))
                )
                statuses.append(
                    StatusReport(
                        external_id=str(status["id"]),
                        status=reported,
                        at=_at(status.get("timestamp")),
                        recipient=str(status.get("recipient_id", "")),
                        errors=errors,
                    )
                )
    return Envelope(messages=tuple(messages), statuses=tuple(statuses))


def _code(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# ── Provider errors ─────────────────────────────────────────────────────────────────────────────
class ErrorKind(StrEnum):
    WINDOW_CLOSED = "window_closed"
    INVALID_NUMBER = "invalid_number"
    RATE_LIMITED = "rate_limited"
    TEMPLATE = "template"
    OPTED_OUT = "opted_out"
    AUTH = "auth"
    PERMISSION = "permission"
    TRANSIENT = "transient"
    OTHER = "other"


ERROR_KIND_TEXT: Mapping[ErrorKind, tuple[str, str]] = {
    ErrorKind.WINDOW_CLOSED: (
        "outside the 24-hour window: send an approved template",
        "خارج نافذة الـ 24 ساعة: أرسل قالباً معتمداً",
    ),
    ErrorKind.INVALID_NUMBER: (
        "the number is not on WhatsApp or cannot receive messages",
        "الرقم غير مسجّل في واتساب أو لا يستقبل الرسائل",
    ),
    ErrorKind.RATE_LIMITED: (
        "rate limited by WhatsApp: try again later",
        "تجاوز حد الإرسال في واتساب: أعد المحاولة لاحقاً",
    ),
    ErrorKind.TEMPLATE: (
        "the template was refused (name, language, parameters or approval)",
        "رُفض القالب (الاسم أو اللغة أو المتغيرات أو الاعتماد)",
    ),
    ErrorKind.OPTED_OUT: (
        "the customer opted out of these messages",
        "ألغى العميل الاشتراك في هذه الرسائل",
    ),
    ErrorKind.AUTH: (
        "the WhatsApp access token is invalid or expired",
        "رمز الوصول إلى واتساب غير صالح أو منتهٍ",
    ),
    ErrorKind.PERMISSION: (
        "the app lacks permission to send from this number",
        "التطبيق لا يملك صلاحية الإرسال من هذا الرقم",
    ),
    ErrorKind.TRANSIENT: (
        "a temporary WhatsApp error: try again",
        "خطأ مؤقت في واتساب: أعد المحاولة",
    ),
    ErrorKind.OTHER: ("WhatsApp refused the message", "رفض واتساب الرسالة"),
}
_KIND_OF_CODE: Mapping[int, ErrorKind] = {
    131047: ErrorKind.WINDOW_CLOSED,
    131026: ErrorKind.INVALID_NUMBER,
    131030: ErrorKind.INVALID_NUMBER,
    4: ErrorKind.RATE_LIMITED,
    80007: ErrorKind.RATE_LIMITED,
    130429: ErrorKind.RATE_LIMITED,
    131048: ErrorKind.RATE_LIMITED,
    131056: ErrorKind.RATE_LIMITED,
    131050: ErrorKind.OPTED_OUT,
    190: ErrorKind.AUTH,
    10: ErrorKind.PERMISSION,
    131000: ErrorKind.TRANSIENT,
    131016: ErrorKind.TRANSIENT,
    131057: ErrorKind.TRANSIENT,
}


def classify_error(code: int | None) -> ErrorKind:
    """What a Graph API / webhook error code means for us (template errors are 132000–132016)."""
    if code is None:
        return ErrorKind.OTHER
    if 132000 <= code <= 132016:
        return ErrorKind.TEMPLATE
    return _KIND_OF_CODE.get(code, ErrorKind.OTHER)


# ── What may be sent ────────────────────────────────────────────────────────────────────────────
class SendRule(StrEnum):
    FREE_TEXT = "free_text"
    """Inside the customer-service window: the draft's text goes as it is."""
    TEMPLATE = "template"
    """Outside it: only an approved template, with its parameters."""


@dataclass(frozen=True, slots=True)
class OptIn:
    at: dt.datetime
    by: str
    method: str


@dataclass(frozen=True, slots=True)
class TemplateView:
    name: str
    language: str
    parameter_count: int
    approved: bool


@dataclass(frozen=True, slots=True)
class SendFacts:
    """What the rules need about one WhatsApp draft, gathered by a selector."""

    to: str
    opt_in: OptIn | None
    last_inbound_at: dt.datetime | None
    template: TemplateView | None
    template_params: Sequence[str] = ()

    def window_closes_at(self) -> dt.datetime | None:
        if self.last_inbound_at is None:
            return None
        return self.last_inbound_at + CUSTOMER_SERVICE_WINDOW


def window_open(*, last_inbound_at: dt.datetime | None, now: dt.datetime) -> bool:
    """Free text is allowed for 24 hours after the customer's last message (ours do not count)."""
    return last_inbound_at is not None and now < last_inbound_at + CUSTOMER_SERVICE_WINDOW


def whatsapp_send_rule(facts: SendFacts, *, now: dt.datetime) -> SendRule:
    """Which rule a WhatsApp draft goes out under now; RuleRefused when it may not go at all.

    Checked when a founder approves a live WhatsApp draft and again when it is sent (the window
    may have closed in between).
    """
    if facts.opt_in is None:
        raise RuleRefused(
            f"no recorded WhatsApp opt-in for {facts.to}: record who agreed, when and how first",
            field="to",
            message_ar=f"لا توجد موافقة مسجّلة على التواصل عبر واتساب للرقم {facts.to}: سجّل من وافق ومتى وكيف أولاً",
        )
    template = facts.template
    if template is None:
        if window_open(last_inbound_at=facts.last_inbound_at, now=now):
            return SendRule.FREE_TEXT
        raise RuleRefused(
            "outside the 24-hour window since the customer's last message: "
            "only an approved template may be sent",
            field="template",
            message_ar="خارج نافذة الـ 24 ساعة منذ آخر رسالة من العميل: لا يُرسل إلا قالب معتمد",
        )
    if not template.approved:
        raise RuleRefused(
            f"template {template.name} ({template.language}) is not approved by WhatsApp",
            field="template",
            message_ar=f"القالب {template.name} ({template.language}) غير معتمد من واتساب",
        )
    if len(facts.template_params) != template.parameter_count:
        raise RuleRefused(
            f"template {template.name} takes {template.parameter_count} parameters, "
            f"the draft gives {len(facts.template_params)}",
            field="template_params",
            message_ar=f"القالب {template.name} يحتاج {template.parameter_count} متغيرات، والمسودة فيها {len(facts.template_params)}",
        )
    return SendRule.TEMPLATE


def message_request(*, to: str, body: str, facts: SendFacts, rule: SendRule) -> dict[str, Any]:
    """The JSON body of `POST /{phone-number-id}/messages` for this draft."""
    recipient = to.lstrip("+")
    if rule is SendRule.FREE_TEXT:
        return {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": recipient,
            "type": "text",
            "text": {"preview_url": False, "body": body},
        }
    template = facts.template
    if template is None:
        raise ValueError("a template send needs a template")
    components = (
        [
            {
                "type": "body",
                "parameters": [{"type": "text", "text": value} for value in facts.template_params],
            }
        ]
        if facts.template_params
        else []
    )
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": recipient,
        "type": "template",
        "template": {
            "name": template.name,
            "language": {"code": template.language},
            "components": components,
        },
    }


def delivery_key(body: bytes) -> str:
    """The deduplication key of a raw delivery: its provider ids, else a hash of its bytes."""
    try:
        return parse_webhook(json.loads(body)).dedupe_key(body)
    except ValueError:  # not JSON, or a message we cannot read: the bytes are the identity
        return hashlib.sha256(b"raw:" + body).hexdigest()
