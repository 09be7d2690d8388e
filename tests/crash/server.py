"""The real app under gunicorn, in a process group of its own so one SIGKILL takes all of it."""

from __future__ import annotations

import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings

# Generous: two workers importing the app on a busy 2-core machine took up to 25 s.
STARTUP_SECONDS = 90.0
# The server's database sessions carry this name, so the checks wait for the server's sessions
# only (a live server left by an earlier browser test keeps a session of its own open).
APPLICATION_NAME = "dealix-crash-server"


def free_port() -> int:
    """A port nobody listens on now (the kernel's pick); gunicorn binds it a moment later."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def database_url(settings_dict: dict[str, Any]) -> str:
    """DATABASE_URL for the database this connection uses (the test database, once set up)."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{credentials}{host}:{port}/{quote(settings_dict['NAME'], safe='')}"


@dataclass(frozen=True)
class Reply:
    status: int
    body: Any

    @property
    def acknowledged(self) -> bool:
        return 200 <= self.status < 300


def call(
    port: int,
    method: str,
    path: str,
    *,
    token: str,
    payload: dict[str, Any] | None = None,
    timeout: float = 20.0,
) -> Reply:
    """One request on a fresh connection; a dead server raises (OSError, RemoteDisconnected...)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
    body = None
    if payload is not None:
        body = json.dumps(payload).encode()
        headers["Content-Type"] = "application/json"
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
    finally:
        connection.close()
    try:
        parsed = json.loads(data) if data else None
    except ValueError:
        parsed = data.decode(errors="replace")
    return Reply(response.status, parsed)


class GunicornServer:
    """`dealix.wsgi:application` with the production gunicorn config, DEBUG off, on one port.

    Every start uses the same port and database, as a process manager restarting the service
    would. The log file collects gunicorn's output and the console mail backend's messages.
    """

    def __init__(
        self, *, database_url: str, log_path: Path, workers: int = 2, threads: int = 4
    ) -> None:
        self.port = free_port()
        self.log_path = log_path
        self.workers = workers
        self.threads = threads
        self.starts = 0
        self._launched_at = 0.0
        self._process: subprocess.Popen[bytes] | None = None
        self._env = {
            **os.environ,
            "DATABASE_URL": f"{database_url}?application_name={APPLICATION_NAME}",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "EMAIL_URL": "consolemail://",
            "DEALIX_API_RATE_USER": "1000000/minute",
            "DEALIX_LOGIN_LOCKOUT": "0",
            "DEALIX_BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": str(workers),
            "PYTHONUNBUFFERED": "1",
        }

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def start(self) -> float:
        """Start gunicorn and wait until it answers HTTP; returns the seconds that took."""
        self.launch()
        return self.wait_ready()

    def launch(self) -> None:
        """Start gunicorn without waiting (it boots while the caller does something else)."""
        assert self._process is None, "already running"
        self._launched_at = time.monotonic()
        with self.log_path.open("ab") as log:
            log.write(f"\n==== start {self.starts + 1} ====\n".encode())
            log.flush()
            # More threads than the production default (sync) keep more requests inside their
            # transactions at the moment of the kill, which is the point of the test.
            self._process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "dealix.wsgi:application",
                    "-c",
                    "dealix/gunicorn_conf.py",
                    "--threads",
                    str(self.threads),
                    "--access-logfile",
                    "/dev/null",
                ],
                cwd=settings.BASE_DIR,
                env=self._env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: killpg reaches every worker
            )
        self.starts += 1

    def wait_ready(self) -> float:
        """Wait until a worker answers HTTP; returns the seconds since the launch."""
        assert self._process is not None, "not launched"
        deadline = self._launched_at + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"gunicorn exited during startup:\n{self.log_tail()}")
            try:
                # Any HTTP answer means a worker has loaded the app.
                call(self.port, "GET", "/api/v1/tickets/", token="-", timeout=2.0)
            except OSError:
                time.sleep(0.1)
                continue
            return time.monotonic() - self._launched_at
        self.kill()
        raise RuntimeError(f"gunicorn did not answer in {STARTUP_SECONDS} s:\n{self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL the master and every worker at once: no shutdown code runs anywhere."""
        if self._process is None:
            return
        try:
            os.killpg(self._process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self._process.wait()
        self._process = None

    def stop(self) -> None:
        """Graceful stop (SIGTERM to the group), SIGKILL if it takes too long."""
        if self._process is None:
            return
        try:
            os.killpg(self._process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self._process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()
        self._process = None

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def mailed_subjects(self) -> list[str]:
        """Subjects of every message the console mail backend wrote, in order (repeats kept)."""
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return [
            line[len("Subject: ") :] for line in text.splitlines() if line.startswith("Subject: ")
        ]
