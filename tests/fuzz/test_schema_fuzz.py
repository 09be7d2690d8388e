"""Schema fuzzing: schemathesis drives every operation of /api/schema/ on a live server.

The server is pytest-django's live server over the test database (SQLite or PostgreSQL, as the
run is), loaded with the demo data so that generated ids sometimes name real objects, and called
with a founder's token (founders may do everything the API offers). The run must find no server
error, no response outside the schema (status, content type, headers, body) and no schema-breaking
request accepted.

Bounded in the suite: the fuzzing phase only, 5 examples per operation, a fixed seed. `make fuzz`
adds schemathesis' coverage phase (boundary and invalid values for every parameter) and its
stateful phase, with 100 examples per operation and a fresh seed each run (FUZZ_PHASES,
FUZZ_MAX_EXAMPLES, FUZZ_SEED=random).
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token

from customer_ops.roles import Role

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db(transaction=True)]

CONFIG = Path(__file__).with_name("schemathesis.toml")
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
        "negative_data_rejection",
    ]
)


def _seed() -> int:
    value = os.environ.get("FUZZ_SEED", "20261122")
    return random.SystemRandom().randrange(2**31) if value == "random" else int(value)


def test_every_operation_survives_schema_fuzzing(
    live_server: Any, settings: Any, make_user: Any
) -> None:
    settings.DEALIX_API_RATES = {**settings.DEALIX_API_RATES, "user": "1000000/minute"}
    call_command("seed_demo", force=True, verbosity=0)
    fuzzer = make_user("fuzz-founder", Role.FOUNDER)
    token = Token.objects.create(user=fuzzer).key
    seed = _seed()
    examples = os.environ.get("FUZZ_MAX_EXAMPLES", "5")
    phases = os.environ.get("FUZZ_PHASES", "examples,fuzzing")
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "--config-file",
        str(CONFIG),
        "run",
        f"{live_server.url}/api/schema/",
        "--header",
        f"Authorization: Token {token}",
        "--checks",
        CHECKS,
        "--max-examples",
        examples,
        "--phases",
        phases,
        "--seed",
        str(seed),
        "--workers",
        "1",
        "--generation-with-security-parameters",
        "false",
        "--generation-database",
        "none",
        "--no-color",
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=3600, check=False)
    summary = run.stdout[run.stdout.rfind("SUMMARY") :] if "SUMMARY" in run.stdout else ""
    # `make fuzz` runs pytest with -s so this summary (operations, cases, failures) is printed.
    print(f"schemathesis seed {seed}, {examples} examples per operation\n{summary}")  # noqa: T201
    assert run.returncode == 0, f"schemathesis (seed {seed}) found failures:\n{run.stdout[-20000:]}"
