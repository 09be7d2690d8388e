"""Plain values and functions shared by test modules (fixtures live in conftest.py, data makers in
factories.py)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

HX = {"HX-Request": "true"}  # the header htmx sends with each of its requests


def queries_for(client: Client, url: str, **params: Any) -> int:
    """How many queries one successful GET of `url` runs."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)
