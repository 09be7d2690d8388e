"""Production-like servers for the HTTP benchmarks: the environment, gunicorn, its workers.

One place for what every HTTP benchmark needs: a DEBUG-off environment with a throwaway secret key
(throttling lifted so it does not distort the load, login lockout off), a free loopback port,
gunicorn started with `bench/gunicorn_bench.py` and waited for, its worker processes and their
CPU time, and a clean stop.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def production_environment(
    *, database_url: str, settings_module: str = "dealix.settings", **extra: str
) -> dict[str, str]:
    """This process's environment minus DJANGO_* and DATABASE_URL, set up like production.

    DEBUG off with a throwaway secret key, no HTTPS redirect (loopback has no TLS proxy), API
    throttling lifted (DEALIX_API_RATE_USER) and login lockout off, so that neither shapes the load.
    `extra` adds or overrides variables.
    """
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": settings_module,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,testserver",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_LOG_LEVEL": "WARNING",
            "DEALIX_API_RATE_USER": "1000000/minute",
            "DEALIX_LOGIN_LOCKOUT": "0",
            "DATABASE_URL": database_url,
            "PYTHONPATH": str(ROOT),
        }
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str) -> str:
    """Run a management command (or `-m module …` when args start with "-m") in `env`."""
    command = [PYTHON, *args] if args[0] == "-m" else [PYTHON, "manage.py", *args]
    done = subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return done.stdout


def start_gunicorn(
    env: dict[str, str],
    *,
    workers: int,
    worker_class: str = "sync",
    threads: int = 1,
    app: str = "dealix.wsgi:application",
    log: Path | None = None,
) -> tuple[subprocess.Popen[bytes], str]:
    """Start gunicorn on a free loopback port; returns the process and its base URL.

    With `log`, the server's output (the app's log lines) goes to that file instead of ours.
    """
    port = free_port()
    output = log.open("ab") if log is not None else None
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            app,
            f"--workers={workers}",
            f"--worker-class={worker_class}",
            f"--threads={threads}",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
            "--config=python:bench.gunicorn_bench",
        ],
        cwd=ROOT,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT if output is not None else None,
    )
    if output is not None:
        output.close()  # the child has its own copy
    return server, f"http://127.0.0.1:{port}"


def wait_until_up(
    server: subprocess.Popen[bytes], probe: Callable[[], bool], *, seconds: float = 30
) -> None:
    """Call `probe` until it returns True (connection errors count as not yet)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited during start-up")
        try:
            if probe():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {seconds:g} s")


def stop(server: subprocess.Popen[bytes]) -> None:
    """Graceful stop (SIGTERM to the master, which stops its workers); kill after 30 s."""
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def child_pids(parent: int) -> list[int]:
    """The processes whose parent is `parent` (gunicorn's workers, for its master)."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            pids.append(int(stat.parent.name))
    return sorted(pids)


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time the processes have used so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def measure_in_child(module: str, *, database_url: str) -> dict[str, float]:
    """Run `python -m <module> --json` under the production settings (DEBUG off: no query log,
    no debug cursor, as the app runs) pointed at `database_url`; print what it printed and
    return the figures of its last line."""
    with tempfile.TemporaryDirectory(prefix="dealix-bench-") as tmp:
        env = production_environment(
            database_url=database_url,
            settings_module="bench.settings_app",
            BENCH_STATIC_ROOT=tmp,
            BENCH_MAIL_DIR=tmp,
        )
        result = subprocess.run(
            [sys.executable, "-m", module, "--json"],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        )
    *lines, last = result.stdout.rstrip("\n").split("\n")
    print("\n".join(lines))
    figures: dict[str, float] = json.loads(last)
    return figures
