"""WhatsApp settings pointing at a fake Graph API on loopback, and a customer with a number."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.whatsapp_fakes import (
    ACCESS_TOKEN,
    API_VERSION,
    APP_SECRET,
    PHONE_NUMBER_ID,
    FakeGraphApi,
)


@pytest.fixture
def graph_api() -> Iterator[FakeGraphApi]:
    fake = FakeGraphApi().start()
    yield fake
    fake.stop()


@pytest.fixture
def whatsapp_settings(settings: Any, graph_api: FakeGraphApi) -> Any:
    settings.WHATSAPP_APP_SECRET = APP_SECRET
    settings.WHATSAPP_VERIFY_TOKEN = "verify-me"
    settings.WHATSAPP_ACCESS_TOKEN = ACCESS_TOKEN
    settings.WHATSAPP_PHONE_NUMBER_ID = PHONE_NUMBER_ID
    settings.WHATSAPP_API_BASE = graph_api.base_url
    settings.WHATSAPP_API_VERSION = API_VERSION
    settings.WHATSAPP_ALLOW_LIVE_SEND = True
    settings.WHATSAPP_SEND_TIMEOUT = 0.5
    return settings
