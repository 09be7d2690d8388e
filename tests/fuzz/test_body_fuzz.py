"""Bodies that broke the API before issue #17, thrown at every operation: deeply nested JSON and
chunked transfer encoding.

- Every write operation of /api/schema/ gets JSON nested from just past the parser's bound to far
  past the interpreter's recursion limit, as arrays, objects and a mix, at the top and inside a
  field: each answer is a 4xx in the API's error shape, never a 500.
- Through gunicorn on PostgreSQL (the server the crash test uses), bodies sent with
  `Transfer-Encoding: chunked` in chunks of many sizes: a valid body within the limit is taken as
  if it had a Content-Length, one over the limit is a 413, a nested one a 400.
"""

from __future__ import annotations

import http.client
import json
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from drf_spectacular.generators import SchemaGenerator
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from customer_ops.models import Customer
from customer_ops.roles import Role
from dealix.parsers import MAX_JSON_DEPTH
from tests.crash.server import GunicornServer, database_url

pytestmark = [pytest.mark.fuzz]

DEPTHS = [MAX_JSON_DEPTH + 1, 200, 990, 5_000, 200_000]


def _nested(depth: int, shape: str) -> str:
    if shape == "array":
        return "[" * depth + "]" * depth
    if shape == "object":
        return '{"a":' * depth + "1" + "}" * depth
    return '[{"a":' * (depth // 2) + "[]" + "}]" * (depth // 2)


def _write_operations() -> list[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = []
    for path, item in schema["paths"].items():
        for method in ("post", "put", "patch"):
            if method in item:
                operations.append((method, path.replace("{id}", "1").replace("{pk}", "1")))
    return operations


@pytest.mark.django_db
def test_deeply_nested_bodies_never_reach_a_500(make_user: Any) -> None:
    api = APIClient()
    api.force_authenticate(make_user("nest-founder", Role.FOUNDER))
    operations = _write_operations()
    failures = []
    for method, path in operations:
        for depth in DEPTHS:
            for shape in ("array", "object", "mixed"):
                for body in (_nested(depth, shape), '{"title": ' + _nested(depth, shape) + "}"):
                    response = getattr(api, method)(path, body, content_type="application/json")
                    if response.status_code >= 500 or (
                        response.status_code == 400 and "errors_ar" not in response.json()
                    ):
                        failures.append((method, path, depth, shape, response.status_code))

    assert operations, "the schema lists no write operations"
    assert not failures, failures[:20]


# ── Chunked bodies through gunicorn ─────────────────────────────────────────────────────────────
def _chunked_post(port: int, path: str, body: bytes, *, token: str, chunk: int) -> tuple[int, Any]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.putrequest("POST", path)
        conn.putheader("Authorization", f"Token {token}")
        conn.putheader("Content-Type", "application/json")
        conn.putheader("Accept", "application/json")
        conn.putheader("Transfer-Encoding", "chunked")
        conn.endheaders()
        for start in range(0, len(body), chunk):
            piece = body[start : start + chunk]
            conn.send(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
        conn.send(b"0\r\n\r\n")
        response = conn.getresponse()
        data = response.read()
    finally:
        conn.close()
    try:
        return response.status, json.loads(data)
    except ValueError:
        return response.status, data


@pytest.fixture
def gunicorn(tmp_path: Path) -> Any:
    if connection.vendor != "postgresql":
        pytest.skip("gunicorn shares the test database only on PostgreSQL")
    server = GunicornServer(
        database_url=database_url(connection.settings_dict),
        log_path=tmp_path / "gunicorn.log",
        workers=1,
        threads=2,
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_chunked_bodies_through_gunicorn(gunicorn: Any, make_user: Any) -> None:
    token = Token.objects.create(user=make_user("chunk-founder", Role.FOUNDER)).key
    limit = 1024 * 1024
    results = []
    for chunk in (1, 7, 100, 4096, 65536):
        name = f"شركة مجزأة {chunk}"
        valid = json.dumps({"company_name": name, "bundle": "growth_starter"}).encode()
        status, _ = _chunked_post(
            gunicorn.port, "/api/v1/customers/", valid, token=token, chunk=chunk
        )
        results.append(("valid", chunk, status, Customer.objects.filter(company_name=name).count()))
        nested = ('{"company_name": ' + _nested(5_000, "mixed") + "}").encode()
        status, body = _chunked_post(
            gunicorn.port, "/api/v1/customers/", nested, token=token, chunk=chunk
        )
        results.append(("nested", chunk, status, "errors_ar" in body))
    huge = json.dumps({"company_name": "x" * (limit + 10), "bundle": "growth_starter"}).encode()
    status, _ = _chunked_post(gunicorn.port, "/api/v1/customers/", huge, token=token, chunk=65536)
    results.append(("huge", 65536, status, None))

    assert [r for r in results if r[0] == "valid"] == [
        ("valid", chunk, 201, 1) for chunk in (1, 7, 100, 4096, 65536)
    ]
    assert [r for r in results if r[0] == "nested"] == [
        ("nested", chunk, 400, True) for chunk in (1, 7, 100, 4096, 65536)
    ]
    assert results[-1][2] == 413, gunicorn.log_tail()
