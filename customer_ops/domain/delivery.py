"""What "sending" an approved draft means, given its channel and the connector it goes through.

The approval gate decides *whether* a draft may leave; this decides *how*. No route sends
anything that is not approved — the service checks approval first and asks this second.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from customer_ops.domain.connectors import CONNECTED_STATES
from customer_ops.domain.errors import Conflict, RuleRefused
from customer_ops.domain.transitions import ConnectorState, DraftStatus, InvalidTransition


class Route(StrEnum):
    EMAIL = "email"
    """Sent by the app through Django's mail framework (SMTP in production)."""
    WHATSAPP = "whatsapp"
    """Sent by the app through the WhatsApp Cloud API (live flag on, opt-in and window checked)."""
    MANUAL = "manual"
    """An operator sends it by hand (or places it as a draft on the customer's side) and records it."""


@dataclass(frozen=True, slots=True)
class ConnectorView:
    key: str
    state: ConnectorState
    default_mode: str
    live_flag_on: bool


def delivery_route(
    *, channel: str, connector: ConnectorView | None, whatsapp_live: bool = False
) -> Route:
    """How an approved draft leaves; raises RuleRefused when it may not leave this way at all.

    - No connector: email goes out through our own mail server; WhatsApp through our own Cloud API
      number when `WHATSAPP_ALLOW_LIVE_SEND` is on (`whatsapp_live`); any other channel is manual.
    - Through a customer connector: it must be connected; `ingest_only` connectors never carry
      outbound messages; `draft_only` (by mode or state) and `manual` connectors, and any channel
      whose live flag is off, are manual — an operator acts on the customer's side and records it.
      Only an email or a WhatsApp message through a connector in `connected_approved_execute` with
      its live flag on is sent by the app.
    """
    if connector is None:
        if channel == "email":
            return Route.EMAIL
        return Route.WHATSAPP if channel == "whatsapp" and whatsapp_live else Route.MANUAL
    if connector.state not in CONNECTED_STATES:
        raise RuleRefused(
            f"connector {connector.key} is not connected ({connector.state})",
            field="connector",
            message_ar=f"قناة {connector.key} غير متصلة ({connector.state})",
        )
    if connector.default_mode == "ingest_only":
        raise RuleRefused(
            f"connector {connector.key} is ingest-only: it carries no outbound messages",
            field="connector",
            message_ar=f"قناة {connector.key} للاستقبال فقط ولا تُرسل رسائل",
        )
    live = (
        connector.state == ConnectorState.CONNECTED_APPROVED_EXECUTE
        and connector.default_mode != "manual"
        and connector.live_flag_on
    )
    if live and channel == "email":
        return Route.EMAIL
    if live and channel == "whatsapp":
        return Route.WHATSAPP
    return Route.MANUAL


# ── Sending at most once: the claim's settle window and the two send refusals ─────────────────
# How long a send may still be talking to the mail server. Inside this window a claim is "in
# progress" and nobody may release or confirm it; after it, its outcome counts as unknown.
SEND_SETTLE = dt.timedelta(minutes=2)


def _utc(moment: dt.datetime) -> str:
    return f"{moment.astimezone(dt.UTC):%Y-%m-%d %H:%M:%S} UTC"


class SendOutcomeUnknown(InvalidTransition):
    """A send of this draft was started and never recorded as sent or failed: the API answers 409.

    Within `SEND_SETTLE` it may still be in progress; after that the process probably died while
    delivering. Either way a second send could email the customer twice, so it is refused.
    """

    def __init__(self, started_at: dt.datetime, *, now: dt.datetime, cause: str = "") -> None:
        when = _utc(started_at)
        self.started_at = started_at
        self.in_progress = not cause and now - started_at < SEND_SETTLE
        if self.in_progress:
            message = (
                f"a send of this draft started at {when} and may still be in progress: "
                "try again in a few minutes"
            )
            message_ar = (
                f"بدأ إرسال هذه المسودة في {when} وقد يكون ما زال جارياً: أعد المحاولة بعد دقائق"
            )
        else:
            why = f" ({cause})" if cause else ""
            message = (
                f"a send of this draft started at {when} and its outcome is unknown{why}: "
                "check the sent mailbox, then mark it sent or release it for sending again"
            )
            message_ar = (
                f"بدأ إرسال هذه المسودة في {when} ولا نعرف هل وصلت{why}: "
                "راجع صندوق البريد المُرسل، ثم سجّلها كمُرسلة أو أطلقها لإعادة الإرسال"
            )
        Conflict.__init__(self, message, field="status", message_ar=message_ar)
        self.current = DraftStatus.APPROVED
        self.target = DraftStatus.SENT


class SendFailed(RuleRefused):
    """The mail server (or WhatsApp) refused the message before taking it: nothing was sent.

    A 400 like every DomainError (the request was fine, but nothing was done); the claim is
    already released, so the draft can be sent again once the cause is fixed. `error_ar` carries
    an Arabic explanation of a classified provider error, when there is one.
    """

    def __init__(self, error: str, *, route: Route = Route.EMAIL, error_ar: str = "") -> None:
        if route is Route.WHATSAPP:
            message = (
                f"WhatsApp did not accept the message, nothing was sent ({error}): "
                "fix the cause, then send again"
            )
            message_ar = f"لم يقبل واتساب الرسالة ولم يُرسل شيء ({error_ar or error}): عالج السبب ثم أعد الإرسال"
        else:
            message = (
                f"the mail server did not take the email, nothing was sent ({error}): "
                "fix the cause, then send again"
            )
            message_ar = (
                f"لم يقبل خادم البريد الرسالة ولم يُرسل شيء ({error}): عالج السبب ثم أعد الإرسال"
            )
        super().__init__(message, field="status", message_ar=message_ar)
        self.error = error
