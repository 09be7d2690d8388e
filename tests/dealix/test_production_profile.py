from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

from dealix.logs import RedactingJsonFormatter, redact

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_with_production_settings() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="prod-" + "k" * 60,
        DJANGO_ALLOWED_HOSTS="ops.dealix.sa",
    )

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_redact_removes_tokens_passwords_and_link_secrets() -> None:
    line = (
        'GET /progress/Zq3xL0ngT0kenValue_abc/ "Authorization: Token 9f8e7d6c5b4a39281706" '
        "password=hunter22 postgres://dealix:s3cret@db:5432/dealix"
    )

    cleaned = redact(line)

    for secret in ("Zq3xL0ngT0kenValue_abc", "9f8e7d6c5b4a39281706", "hunter22", "s3cret"):
        assert secret not in cleaned
    assert "/progress/[redacted]" in cleaned


def test_json_formatter_writes_one_redacted_object_per_line() -> None:
    record = logging.LogRecord(
        "dealix", logging.INFO, __file__, 1, "token=%s sent", ("abcdef123456",), None
    )

    payload = json.loads(RedactingJsonFormatter().format(record))

    assert payload["level"] == "INFO"
    assert payload["message"] == "token=[redacted] sent"
