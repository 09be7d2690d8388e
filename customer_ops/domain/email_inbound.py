"""An inbound email as the app reads it: parsed from its raw bytes, whatever route brought it.

One parse for both routes (the IMAP mailbox, a provider's inbound webhook): headers that thread
it, the sender, the text (the full text, and the reply without its quoted history), the
attachments (name, type, size; their bytes only up to a limit), and whether a machine wrote it
(`automatic_kind`). Machines' mail — out-of-office replies, bounces, list traffic — is recorded
on the thread but never resumes a paused clock and never opens a ticket.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from enum import StrEnum

from customer_ops.domain.email_threading import parse_message_ids
from customer_ops.domain.quoted_text import strip_quoted


class AutomaticKind(StrEnum):
    AUTO_REPLY = "auto_reply"
    BOUNCE = "bounce"
    BULK = "bulk"


_BULK_PRECEDENCE = {"bulk", "junk", "list"}


def automatic_kind(headers: Mapping[str, str], *, content_type: str) -> AutomaticKind | None:
    """Whether a machine wrote this email, and which kind of machine (None: a person did).

    Delivery status notifications (`multipart/report`) are bounces; `Auto-Submitted` other than
    `no`, `X-Auto-Response-Suppress`, `X-Autoreply`/`X-Autorespond` and `Precedence: auto_reply`
    are automatic replies; `List-Id` and `Precedence: bulk|junk|list` are bulk mail.
    `headers` has lower-cased names.
    """
    if content_type.lower() == "multipart/report":
        return AutomaticKind.BOUNCE
    submitted = headers.get("auto-submitted", "").strip().lower()
    precedence = headers.get("precedence", "").strip().lower()
    if (submitted and submitted != "no") or precedence == "auto_reply":
        return AutomaticKind.AUTO_REPLY
    if any(
        name in headers for name in ("x-auto-response-suppress", "x-autoreply", "x-autorespond")
    ):
        return AutomaticKind.AUTO_REPLY
    if "list-id" in headers or precedence in _BULK_PRECEDENCE:
        return AutomaticKind.BULK
    return None


@dataclass(frozen=True, slots=True)
class Attachment:
    name: str
    content_type: str
    size: int
    content: bytes | None  # None when larger than the limit: listed, not kept


@dataclass(frozen=True, slots=True)
class InboundEmail:
    message_id: str  # `<id@host>`, or `sha256:…` of the raw bytes when the sender set none
    in_reply_to: str
    references: tuple[str, ...]
    subject: str
    sender: str  # lower-cased address
    sender_name: str
    sent_at: dt.datetime | None
    text: str  # the full text
    reply: str  # without the quoted history
    automatic: AutomaticKind | None
    attachments: tuple[Attachment, ...]


def _header(message: EmailMessage, name: str) -> str:
    try:
        value = message.get(name)
    except (ValueError, TypeError, IndexError):  # a header too broken for the parser
        return ""
    return " ".join(str(value).split()) if value is not None else ""


def _sender(message: EmailMessage) -> tuple[str, str]:
    raw = _header(message, "From")
    for name, address in getaddresses([raw]):
        if "@" in address:
            return address.strip().lower()[:254], name.strip()[:200]
    return raw.strip().lower()[:254], ""


def _html_to_text(markup: str) -> str:
    markup = re.sub(r"(?is)<(script|style|head).*?</\1>", "", markup)
    markup = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</li>|</tr>", "\n", markup)
    markup = re.sub(r"(?i)<blockquote.*?</blockquote>", "", markup, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def _body_text(message: EmailMessage) -> str:
    try:
        part = message.get_body(preferencelist=("plain", "html"))
        if part is None:
            return ""
        content = part.get_content()
    except (LookupError, ValueError, AssertionError, KeyError):
        payload = message.get_payload(decode=True)
        return payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""
    if not isinstance(content, str):
        return ""
    if part.get_content_type() == "text/html":
        content = _html_to_text(content)
    lines = [line.rstrip() for line in content.replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip()


def _attachments(message: EmailMessage, *, max_bytes: int) -> tuple[Attachment, ...]:
    found: list[Attachment] = []
    for part in message.iter_attachments():
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):  # message/rfc822 parts and the like: listed by type
            payload = part.as_bytes() if part.is_multipart() else b""
        name = (part.get_filename() or "").strip() or f"attachment-{len(found) + 1}"
        name = re.sub(r"[\x00-\x1f/\\]", "_", name)[:200]
        found.append(
            Attachment(
                name=name,
                content_type=part.get_content_type()[:100],
                size=len(payload),
                content=payload if len(payload) <= max_bytes else None,
            )
        )
    return tuple(found)


def _sent_at(message: EmailMessage) -> dt.datetime | None:
    raw = _header(message, "Date")
    if not raw:
        return None
    try:
        moment = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def parse_email(raw: bytes, *, max_attachment_bytes: int) -> InboundEmail:
    """Read one email from its raw RFC 5322 bytes (never raises on a malformed message)."""
    message = BytesParser(policy=policy.default).parsebytes(raw)
    if not isinstance(message, EmailMessage):  # policy.default always builds one
        raise TypeError("the email parser returned an unexpected message class")
    ids = parse_message_ids(_header(message, "Message-ID"))
    message_id = ids[0] if ids else f"sha256:{hashlib.sha256(raw).hexdigest()}"
    headers = {key.lower(): _header(message, key) for key in set(message.keys())}
    sender, sender_name = _sender(message)
    text = _body_text(message)
    in_reply_to = parse_message_ids(_header(message, "In-Reply-To"))
    return InboundEmail(
        message_id=message_id[:255],
        in_reply_to=in_reply_to[0] if in_reply_to else "",
        references=parse_message_ids(_header(message, "References")),
        subject=_header(message, "Subject")[:300],
        sender=sender,
        sender_name=sender_name,
        sent_at=_sent_at(message),
        text=text,
        reply=strip_quoted(text),
        automatic=automatic_kind(headers, content_type=message.get_content_type()),
        attachments=_attachments(message, max_bytes=max_attachment_bytes),
    )
