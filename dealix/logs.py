"""Structured (JSON lines) logs on stdout, with secrets and tokens redacted before they are written.

Used by Django's LOGGING in production and by gunicorn's log config, so access-log lines with a
customer progress-link token or an API token never reach the log store in clear.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from typing import Any

REDACTED = "[redacted]"

_SECRET_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # customer progress links: /progress/<token>/
    (re.compile(r"(/progress/)[A-Za-z0-9_\-]{8,}"), r"\1" + REDACTED),
    # Authorization headers and DRF tokens
    (re.compile(r"(?i)\b(token|bearer|basic)\s+[A-Za-z0-9._~+/=\-]{8,}"), r"\1 " + REDACTED),
    # key=value pairs for well-known secret names (query strings, form bodies, reprs)
    (
        re.compile(
            r"(?i)\b(password|passwd|secret|secret_key|api[_-]?key|token|access_token|"
            r"refresh_token|sessionid|csrftoken|csrfmiddlewaretoken)(\W{1,3})([^\s&,;'\"]+)"
        ),
        r"\1\2" + REDACTED,
    ),
    # URLs with credentials: scheme://user:password@host
    (re.compile(r"(\w+://[^:/\s]+:)[^@\s]+@"), r"\1" + REDACTED + "@"),
)


def redact(text: str) -> str:
    """Replace tokens, passwords and credentials in `text` with a marker."""
    for pattern, replacement in _SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactingJsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, and exception if any."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        if record.exc_info:
            payload["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(payload, ensure_ascii=False)
