"""Raw emails for the inbound tests, built the way a mail client writes them."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from email.utils import format_datetime


def raw_email(
    *,
    message_id: str,
    sender: str = "ops@client.sa",
    subject: str = "Re: تحديث",
    body: str = "شكراً، وصلت المعلومات.",
    in_reply_to: str = "",
    references: str = "",
    at: dt.datetime | None = None,
    headers: dict[str, str] | None = None,
    attachments: tuple[tuple[str, str, bytes], ...] = (),
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "support@dealix.sa"
    message["Subject"] = subject
    message["Message-ID"] = message_id
    message["Date"] = format_datetime(at or dt.datetime.now(tz=dt.UTC))
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = references
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    for filename, content_type, content in attachments:
        maintype, subtype = content_type.split("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes()
