"""A thin client for the WhatsApp Cloud API's send endpoint, on httpx.

It knows the wire, not the rules: the caller has already checked approval, opt-in and the window.
Three outcomes, because the Graph API has no idempotency key:
- a message id (`wamid…`): WhatsApp accepted the message;
- `WhatsAppRejected`: WhatsApp answered with an error, or we never reached it: nothing was sent;
- `WhatsAppOutcomeUnknown`: the request may have arrived (a read timeout, a dropped connection,
  an answer we cannot read): sending again could message the customer twice.
The access token goes only into the Authorization header; it is never part of an error text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from customer_ops.domain.whatsapp import ProviderError

# Connecting is quick or never; the send itself gets longer, still well inside SEND_SETTLE.
CONNECT_TIMEOUT = 5.0


@dataclass(frozen=True, slots=True)
class WhatsAppConfig:
    api_base: str
    api_version: str
    phone_number_id: str
    access_token: str = field(repr=False)  # never in a repr, a log line or a traceback
    timeout: float = 20.0

    @property
    def messages_url(self) -> str:
        return f"{self.api_base.rstrip('/')}/{self.api_version}/{self.phone_number_id}/messages"


class WhatsAppRejected(Exception):
    """Nothing was sent: WhatsApp refused the request (its error attached) or was never reached."""

    def __init__(self, error: ProviderError, *, http_status: int | None = None) -> None:
        super().__init__(error.describe())
        self.error = error
        self.http_status = http_status


class WhatsAppOutcomeUnknown(Exception):
    """The request may have reached WhatsApp; whether it sent the message is unknown."""


def _provider_error(response: httpx.Response) -> ProviderError | None:
    try:
        payload: Any = response.json()
    except ValueError:
        return None
    error = payload.get("error") if isinstance(payload, dict) else None
    if not isinstance(error, dict):
        return None
    code = error.get("code")
    details = error.get("error_data", {})
    return ProviderError(
        code=int(code)
        if isinstance(code, int) or (isinstance(code, str) and code.isdigit())
        else None,
        title=str(error.get("message", ""))[:200],
        details=str(details.get("details", "") if isinstance(details, dict) else "")[:300],
    )


def send_message(config: WhatsAppConfig, payload: dict[str, Any]) -> str:
    """POST one message; returns WhatsApp's message id (see the module docstring for failures)."""
    headers = {"Authorization": f"Bearer {config.access_token}"}
    try:
        timeout = httpx.Timeout(config.timeout, connect=min(CONNECT_TIMEOUT, config.timeout))
        with httpx.Client(timeout=timeout) as client:
            response = client.post(config.messages_url, json=payload, headers=headers)
    except (httpx.ConnectError, httpx.ConnectTimeout, httpx.UnsupportedProtocol) as exc:
        # The request never left: no connection was made.
        raise WhatsAppRejected(
            ProviderError(code=None, title=f"not reached: {type(exc).__name__}")
        ) from exc
    except httpx.HTTPError as exc:
        raise WhatsAppOutcomeUnknown(f"{type(exc).__name__} after the request left") from exc
    if response.is_success:
        try:
            return str(response.json()["messages"][0]["id"])
        except (ValueError, KeyError, IndexError, TypeError):
            raise WhatsAppOutcomeUnknown(
                f"HTTP {response.status_code} without a message id"
            ) from None
    error = _provider_error(response)
    if error is None:
        # A proxy's 502 or an HTML page: we cannot tell whether WhatsApp took the message.
        raise WhatsAppOutcomeUnknown(f"HTTP {response.status_code} without a Graph API error")
    raise WhatsAppRejected(error, http_status=response.status_code)
