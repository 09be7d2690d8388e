"""Reads of outbound drafts: their content hash, how they leave, the inbox, cards and counts."""

from __future__ import annotations

from django.conf import settings

from customer_ops.domain.approval import content_hash
from customer_ops.domain.connectors import get_connector
from customer_ops.domain.delivery import ConnectorView, Route, delivery_route
from customer_ops.domain.transitions import ConnectorState
from customer_ops.models import CustomerConnector, OutboundDraft


def draft_content_hash(draft: OutboundDraft) -> str:
    """The hash an approval is bound to: channel, recipient, subject, body (and template, if any)."""
    template = ""
    if draft.template_id is not None:
        template = f"{draft.template_id}:{draft.template_params!r}"
    return content_hash(
        channel=draft.channel,
        to=draft.to,
        subject=draft.subject,
        body=draft.body,
        template=template,
    )


def _connector_view(connector: CustomerConnector | None) -> ConnectorView | None:
    if connector is None:
        return None
    catalog = get_connector(connector.connector_key)
    flag = catalog.live_flag
    return ConnectorView(
        key=connector.connector_key,
        state=ConnectorState(connector.state),
        default_mode=str(catalog.default_mode),
        live_flag_on=bool(flag and getattr(settings, flag, False)),
    )


def draft_route(draft: OutboundDraft) -> Route:
    """How this draft leaves once approved (raises RuleRefused when it cannot leave)."""
    return delivery_route(
        channel=draft.channel,
        connector=_connector_view(draft.connector),
        whatsapp_live=bool(settings.WHATSAPP_ALLOW_LIVE_SEND),
    )
