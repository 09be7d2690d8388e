from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def _import_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import dealix.settings as s; print(s.DEBUG, s.SECRET_KEY[:4])"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_settings_are_arabic_first_in_riyadh_time() -> None:
    assert settings.LANGUAGE_CODE == "ar"
    assert [code for code, _ in settings.LANGUAGES] == ["ar", "en"]
    assert settings.TIME_ZONE == "Asia/Riyadh"
    assert settings.USE_TZ is True
    assert "dealix.language.ArabicFirstLocaleMiddleware" in settings.MIDDLEWARE
    assert "django.middleware.csp.ContentSecurityPolicyMiddleware" in settings.MIDDLEWARE


def test_settings_refuse_to_start_without_secret_key_when_debug_is_off() -> None:
    result = _import_settings(DJANGO_DEBUG="0")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_settings_use_the_given_secret_key_in_production() -> None:
    result = _import_settings(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="prod-" + "x" * 60)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "prod"]


def test_settings_default_to_sqlite_file_and_console_email() -> None:
    probe = (
        "import dealix.settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], s.MAILERS['default']['BACKEND'])"
    )
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"
    }
    clean["DJANGO_DEBUG"] = "1"

    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=True,
    )

    engine, name, email = result.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert name == str(ROOT / "db.sqlite3")
    assert email == "django.core.mail.backends.console.EmailBackend"


def test_live_channel_flags_are_off_by_default() -> None:
    assert settings.GMAIL_ALLOW_LIVE_SEND is False
    assert settings.WHATSAPP_ALLOW_LIVE_SEND is False
    assert settings.CALENDAR_ALLOW_LIVE_INSERT is False
    assert settings.GBP_ALLOW_LIVE_REPLY is False
