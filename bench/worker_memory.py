"""Memory of a warmed-up gunicorn worker of the real app vs one of a bare Django + DRF project.

Both run as in production: DEBUG off, a throwaway secret key, gunicorn with one sync worker (the
production config forks each worker from a master that has not imported the app, so a worker's
memory is its own), a SQLite database in a temp dir, static files collected for the real app.

Real app (bench/settings_app.py: the project's settings): `seed_demo --force --tickets 200` with a
throwaway password; the founder signs in through /accounts/login/ and the warm-up GETs every main
console page (home, customers and one customer, the ticket queue and two tickets — one on the
24/7 clock, one on working hours, whose clock builds the holiday calendar — approvals and one
draft, connectors, incidents, success, at-risk, SLA report, modes, notifications) and the main API
endpoints (customers, tickets and the same two, drafts, incidents, ledger, SLA health, at-risk),
plus one POST to support/classify, three times over. The baseline (bench/settings_bare.py, not
bench/settings_bench.py, which is the whole project plus one view): auth, content types, sessions,
DRF with token auth and one JSON list view reading the database, warmed up with as many requests.

Measured from /proc/<worker>/smaps_rollup: RSS, PSS and USS (private clean + dirty: what the worker
alone holds). Target: RSS ≤ 1.5× the bare worker's. Then the task worker, untargeted:
`manage.py db_worker` of the real app after it ran one SLA sweep vs the same command on the bare
project with only django-tasks-db added, after it ran one trivial task.
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import secrets
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from bench.server import (
    PYTHON,
    ROOT,
    child_pids,
    manage,
    production_environment,
    start_gunicorn,
    stop,
    wait_until_up,
)

TARGET_RATIO = 1.5
WARMUP_PASSES = 3
PAGES = (
    "/",
    "/customers/",
    "/customers/{customer}/",
    "/tickets/",
    "/tickets/{ticket}/",
    "/tickets/{working_ticket}/",
    "/approvals/",
    "/approvals/{draft}/",
    "/connectors/",
    "/incidents/",
    "/success/",
    "/success/at-risk/",
    "/reports/sla/",
    "/modes/",
    "/notifications/",
)
API = (
    "/api/v1/customers/",
    "/api/v1/tickets/",
    "/api/v1/tickets/{ticket}/",
    "/api/v1/tickets/{working_ticket}/",
    "/api/v1/drafts/",
    "/api/v1/incidents/",
    "/api/v1/ledger/",
    "/api/v1/sla/health/?from={week_ago}&to={today}",
    "/api/v1/at-risk/",
)
CLASSIFY = "/api/v1/customer-ops/support/classify"


# ── Measuring a process ─────────────────────────────────────────────────────────────────────────
def memory_of(pid: int) -> dict[str, float]:
    """RSS, PSS and USS of a process in MiB (smaps_rollup; RSS alone without it)."""
    values: dict[str, float] = {}
    rollup = Path(f"/proc/{pid}/smaps_rollup")
    if rollup.exists():
        for line in rollup.read_text().splitlines():
            name, _, rest = line.partition(":")
            if rest.strip().endswith("kB"):
                values[name] = int(rest.split()[0]) / 1024
        return {
            "rss": values["Rss"],
            "pss": values["Pss"],
            "uss": values.get("Private_Clean", 0) + values.get("Private_Dirty", 0),
        }
    status = Path(f"/proc/{pid}/status").read_text()
    rss = re.search(r"VmRSS:\s+(\d+) kB", status)
    return {"rss": int(rss.group(1)) / 1024 if rss else float("nan")}


# ── The real app ────────────────────────────────────────────────────────────────────────────────
class _LoopbackCookies(http.cookiejar.DefaultCookiePolicy):
    """Send the Secure cookies (DEBUG off sets them) over loopback http, as a TLS proxy would."""

    def return_ok_secure(self, cookie: http.cookiejar.Cookie, request: Any) -> bool:
        return True


class Browser:
    """A signed-in session over urllib: cookies, and the CSRF token for POSTs."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar(policy=_LoopbackCookies())
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def _csrf(self) -> str:
        return next((c.value for c in self.cookies if c.name == "csrftoken"), "")

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.read().decode()

    def post(self, path: str, data: dict[str, str], *, json_body: bool = False) -> str:
        body = json.dumps(data).encode() if json_body else urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(  # noqa: S310 - a loopback http URL we built
            self.base + path,
            data=body,
            headers={
                "Content-Type": "application/json"
                if json_body
                else "application/x-www-form-urlencoded",
                "X-CSRFToken": self._csrf(),
                "Referer": self.base + path,
            },
        )
        with self.opener.open(request, timeout=60) as response:
            return response.read().decode()

    def sign_in(self, username: str, password: str) -> None:
        page = self.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        self.post(
            "/accounts/login/",
            {
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
        )
        if "sessionid" not in {cookie.name for cookie in self.cookies}:
            raise RuntimeError("signing in failed")


def _warm_real(base: str, password: str) -> int:
    """Sign in and touch every main page and API endpoint, WARMUP_PASSES times; returns requests."""
    browser = Browser(base)
    browser.sign_in("founder", password)
    tickets = json.loads(browser.get("/api/v1/tickets/"))["results"]
    ids = {
        "customer": json.loads(browser.get("/api/v1/customers/"))["results"][0]["id"],
        # One ticket on the 24/7 clock and one on working hours (which builds the holiday calendar).
        "ticket": next(t["id"] for t in tickets if t["priority"] in ("P0", "P1")),
        "working_ticket": next(t["id"] for t in tickets if t["priority"] in ("P2", "P3")),
        "draft": json.loads(browser.get("/api/v1/drafts/"))["results"][0]["id"],
        "today": time.strftime("%Y-%m-%d"),
        "week_ago": time.strftime("%Y-%m-%d", time.localtime(time.time() - 7 * 86400)),
    }
    requests = 0
    for _ in range(WARMUP_PASSES):
        for path in (*PAGES, *API):
            browser.get(path.format(**ids))
            requests += 1
        browser.post(CLASSIFY, {"text": "مشكلة في ربط Gmail"}, json_body=True)
        requests += 1
    return requests


def _real_worker(tmp: Path) -> tuple[dict[str, float], int, dict[str, str]]:
    password = secrets.token_urlsafe(16)
    env = production_environment(
        database_url=f"sqlite:///{tmp / 'real.sqlite3'}",
        settings_module="bench.settings_app",
        BENCH_STATIC_ROOT=str(tmp / "static"),
        BENCH_MAIL_DIR=str(tmp / "mail"),
        DEMO_PASSWORD=password,
    )
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    manage(env, "seed_demo", "--force", "--tickets", "200")
    server, base = start_gunicorn(env, workers=1, worker_class="sync")
    try:
        wait_until_up(server, lambda: bool(Browser(base).get("/accounts/login/")))
        requests = _warm_real(base, password)
        (worker,) = child_pids(server.pid)
        return memory_of(worker), requests, env
    finally:
        stop(server)


# ── The bare project ────────────────────────────────────────────────────────────────────────────
def _bare_token() -> None:
    """Inside the bare environment: a user and its token."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    user = get_user_model().objects.create_user(username="bench-user")
    print(Token.objects.create(user=user).key)


def _bare_environment(tmp: Path, *, tasks: bool = False) -> dict[str, str]:
    return production_environment(
        database_url=f"sqlite:///{tmp / 'bare.sqlite3'}",
        settings_module="bench.settings_bare",
        BENCH_BARE_TASKS="1" if tasks else "0",
    )


def _bare_worker(tmp: Path, requests: int) -> dict[str, float]:
    env = _bare_environment(tmp)
    manage(env, "migrate", "--noinput", "-v", "0")
    token = manage(env, "-m", "bench.worker_memory", "--bare-token").strip().splitlines()[-1]
    server, base = start_gunicorn(env, workers=1, worker_class="sync")

    def get() -> str:
        request = urllib.request.Request(  # noqa: S310 - a loopback http URL we built
            base + "/api/users/", headers={"Authorization": f"Token {token}"}
        )
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback
            return response.read().decode()

    try:
        wait_until_up(server, lambda: bool(get()))
        for _ in range(requests):
            get()
        (worker,) = child_pids(server.pid)
        return memory_of(worker)
    finally:
        stop(server)


# ── Task workers ────────────────────────────────────────────────────────────────────────────────
def _enqueue(which: str) -> None:
    """Inside an environment: enqueue one task (the real sweep, or the bare project's ping)."""
    import django

    django.setup()
    if which == "real":
        from customer_ops.tasks import sla_sweep

        print(sla_sweep.enqueue(period_key="bench").id)
    else:
        from bench.bare_tasks import ping

        print(ping.enqueue().id)


def _task_worker(env: dict[str, str], database: Path, which: str) -> dict[str, float]:
    """Start db_worker, enqueue one task, wait until the worker ran it, measure the worker."""
    worker = subprocess.Popen(
        [PYTHON, "manage.py", "db_worker", "--queue-name", "*", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        task_id = manage(env, "-m", "bench.worker_memory", "--enqueue", which).strip()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with sqlite3.connect(database) as connection:
                (status,) = connection.execute(
                    "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = ?",
                    (task_id.replace("-", ""),),
                ).fetchone() or ("missing",)
            if status == "SUCCESSFUL":
                return memory_of(worker.pid)
            if status == "FAILED":
                raise RuntimeError(f"the {which} task failed")
            time.sleep(0.3)
        raise RuntimeError(f"the {which} task did not run within 60 s")
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def _line(label: str, memory: dict[str, float]) -> str:
    parts = [f"RSS {memory['rss']:6.1f} MiB"]
    if "uss" in memory:
        parts += [f"PSS {memory['pss']:6.1f} MiB", f"USS {memory['uss']:6.1f} MiB"]
    return f"    {label:<34} " + "   ".join(parts)


def main() -> dict[str, Any]:
    print("(f) worker memory: the real app vs a bare Django + DRF project", flush=True)
    with tempfile.TemporaryDirectory(prefix="dealix-memory-") as tmpdir:
        tmp = Path(tmpdir)
        (tmp / "static").mkdir()
        (tmp / "mail").mkdir()
        real, requests, real_env = _real_worker(tmp)
        bare = _bare_worker(tmp, requests)
        real_tasks = _task_worker(real_env, tmp / "real.sqlite3", "real")
        bare_env = _bare_environment(tmp, tasks=True)
        manage(bare_env, "migrate", "--noinput", "-v", "0")  # django-tasks-db's table
        bare_tasks = _task_worker(bare_env, tmp / "bare.sqlite3", "bare")
    print(
        f"    gunicorn, 1 sync worker each, DEBUG=0, SQLite; {requests} warm-up requests each"
        " (real: signed-in console pages and API endpoints)"
    )
    print(_line("real app worker:", real))
    print(_line("bare Django + DRF worker:", bare))
    print(_line("db_worker, real app (ran a sweep):", real_tasks))
    print(_line("db_worker, bare (ran a ping):", bare_tasks))
    ratio = real["rss"] / bare["rss"]
    figures = {
        "memory_real_rss_mib": round(real["rss"], 1),
        "memory_bare_rss_mib": round(bare["rss"], 1),
        "memory_ratio": round(ratio, 3),
        "memory_tasks_ratio": round(real_tasks["rss"] / bare_tasks["rss"], 3),
    }
    if "uss" in real and "uss" in bare:
        figures["memory_uss_ratio"] = round(real["uss"] / bare["uss"], 3)
        print(
            f"    USS ratio {figures['memory_uss_ratio']:.2f}×; task worker RSS ratio"
            f" {figures['memory_tasks_ratio']:.2f}× (untargeted)"
        )
    verdict = "met" if ratio <= TARGET_RATIO else "MISSED"
    print(f"    ratio {ratio:.2f}× by RSS (target ≤ {TARGET_RATIO:g}×) — {verdict}")
    return figures


if __name__ == "__main__":
    if sys.argv[1:2] == ["--bare-token"]:
        _bare_token()
    elif sys.argv[1:2] == ["--enqueue"]:
        _enqueue(sys.argv[2])
    else:
        main()
