"""HTTP throughput of POST /api/v1/customer-ops/support/classify vs a constant DRF view.

Both run in one production-like server: gunicorn, 2 sync workers, DJANGO_DEBUG=0, a throwaway
secret key and SQLite database in a temp dir, the same token authentication (a staff user's DRF
token made for the run) and permission. The load generator is `wrk` on loopback with a Lua script
that POSTs the same JSON body with the Authorization header: a 2 s warm-up, then a bounded run per
endpoint, alternating endpoints each round. Target: classify ≥ 0.9× the constant view.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from bench.server import (
    child_pids,
    cpu_seconds,
    manage,
    production_environment,
    start_gunicorn,
    stop,
    wait_until_up,
)

CLASSIFY = "/api/v1/customer-ops/support/classify"
CONSTANT = "/api/v1/customer-ops/bench-constant"
# A ~76-character mixed ticket that hits a P2 keyword, like most tickets that hit anything.
BODY = {"text": "السلام عليكم، عندنا مشكلة في ربط Gmail مع النظام من أمس ولا تظهر المسودات"}
WORKERS = 2
THREADS = 2
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "4"))
WARMUP_S = 2
# 10 s per endpoint in 5 alternating slices (A B, B A, …), so a load change on the machine
# during the run falls on both endpoints alike.
DURATION_S = int(os.environ.get("BENCH_SECONDS", "10"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
TARGET_RATIO = 0.9
LUA = """
wrk.method = "POST"
wrk.body = {body}
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Token {token}"
"""


def _environment(tmp: Path) -> dict[str, str]:
    return production_environment(
        database_url=f"sqlite:///{tmp / 'bench.sqlite3'}",
        settings_module="bench.settings_bench",
        BENCH_STATIC_ROOT=str(tmp / "static"),
    )


def _prepare_database(env: dict[str, str]) -> str:
    """Migrate the throwaway database and create an operator with a token; return the key."""
    manage(env, "migrate", "--noinput", "-v", "0")
    return manage(env, "-m", "bench.classify_http", "--create-token").strip().splitlines()[-1]


def _create_token() -> None:
    """Runs inside the bench environment (subprocess): a staff user and its DRF token."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from rest_framework.authtoken.models import Token

    from customer_ops.roles import Role

    user = get_user_model().objects.create_user(username="bench-operator")
    user.groups.add(Group.objects.get(name=Role.OPERATOR))
    print(Token.objects.create(user=user).key)


def _classify_answers(base: str, token: str) -> bool:
    """True once the server classifies the bench text as P2 (the start-up probe)."""
    request = urllib.request.Request(  # noqa: S310 - a loopback http URL we built
        base + CLASSIFY,
        data=json.dumps(BODY).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Token {token}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
            answer = json.load(response)
    except urllib.error.URLError:
        return False
    if answer.get("priority") != "P2":
        raise RuntimeError(f"unexpected classify answer: {answer}")
    return True


def _wrk(url: str, script: Path, seconds: int, workers: list[int]) -> dict[str, float]:
    cpu_before = cpu_seconds(workers)
    result = subprocess.run(
        [
            "wrk",
            f"-t{THREADS}",
            f"-c{CONNECTIONS}",
            f"-d{seconds}s",
            "--latency",
            "-s",
            str(script),
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    cpu = cpu_seconds(workers) - cpu_before
    out = result.stdout
    done = re.search(r"(\d+) requests in ([\d.]+)(ms|s)", out)
    if done is None:
        raise RuntimeError(f"unexpected wrk output:\n{out}")
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: .*", out)
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    return {
        "requests": float(done.group(1)),
        "cpu_s": cpu,
        "seconds": float(done.group(2)) / (1000 if done.group(3) == "ms" else 1),
        "non_2xx": float(bad.group(1)) if bad else 0.0,
        "socket_errors": 1.0 if errors else 0.0,
        "p50_ms": float(p50.group(1)) * scale[p50.group(2)] if p50 else float("nan"),
        "p99_ms": float(p99.group(1)) * scale[p99.group(2)] if p99 else float("nan"),
    }


def main() -> dict[str, Any]:
    print("(b) HTTP: POST support/classify vs a constant DRF view", flush=True)
    if shutil.which("wrk") is None:
        print("    skipped: wrk is not installed (apt-get install -y wrk)")
        return {}
    with tempfile.TemporaryDirectory(prefix="dealix-bench-") as tmpdir:
        tmp = Path(tmpdir)
        env = _environment(tmp)
        (tmp / "static").mkdir()
        token = _prepare_database(env)
        script = tmp / "post.lua"
        script.write_text(
            LUA.format(
                body=json.dumps(json.dumps(BODY, ensure_ascii=False), ensure_ascii=False),
                token=token,
            ),
            encoding="utf-8",
        )
        server, base = start_gunicorn(env, workers=WORKERS, worker_class="sync")
        try:
            wait_until_up(server, lambda: _classify_answers(base, token))
            workers = child_pids(server.pid)
            targets = {"constant": base + CONSTANT, "classify": base + CLASSIFY}
            for url in targets.values():
                _wrk(url, script, WARMUP_S, workers)
            runs: dict[str, list[dict[str, float]]] = {name: [] for name in targets}
            slice_s = max(1, round(DURATION_S / ROUNDS))
            order = list(targets)
            for _ in range(ROUNDS):
                for name in order:
                    runs[name].append(_wrk(targets[name], script, slice_s, workers))
                order.reverse()
        finally:
            stop(server)

    rates = {
        name: sum(r["requests"] for r in rs) / sum(r["seconds"] for r in rs)
        for name, rs in runs.items()
    }
    # Worker CPU per request does not depend on how much CPU other processes leave us.
    cpu_ms = {
        name: 1000 * sum(r["cpu_s"] for r in rs) / sum(r["requests"] for r in rs)
        for name, rs in runs.items()
    }
    ratio = rates["classify"] / rates["constant"]
    cpu_ratio = cpu_ms["constant"] / cpu_ms["classify"]
    print(
        f"    gunicorn {WORKERS} sync workers, DEBUG=0, SQLite, token auth; wrk -t{THREADS} "
        f"-c{CONNECTIONS}, {WARMUP_S} s warm-up, {DURATION_S} s per endpoint in {ROUNDS} "
        "alternating slices, loopback"
    )
    for name in ("classify", "constant"):
        p50 = sorted(r["p50_ms"] for r in runs[name])[len(runs[name]) // 2]
        slices = " ".join(f"{r['requests'] / r['seconds']:,.0f}" for r in runs[name])
        failures = sum(r["non_2xx"] + r["socket_errors"] for r in runs[name])
        print(
            f"    {name:<9} {rates[name]:>9,.0f} req/s   worker CPU {cpu_ms[name]:.2f} ms/req   "
            f"median p50 {p50:.2f} ms   slices {slices}"
            + (f"   NON-2XX/ERRORS {failures:.0f}" if failures else "")
        )
    verdict = "meets" if ratio >= TARGET_RATIO else "BELOW"
    print(f"    ratio classify/constant: {ratio:.2f}×   ({verdict} target ≥ {TARGET_RATIO}×)")
    print(
        f"    ratio by worker CPU per request: {cpu_ratio:.2f}×   "
        f"(what req/s would show with the CPU to ourselves; load average now "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
    )
    return {
        "classify_rps": rates["classify"],
        "constant_rps": rates["constant"],
        "http_ratio": ratio,
        "http_cpu_ratio": cpu_ratio,
    }


if __name__ == "__main__":
    if sys.argv[1:] == ["--create-token"]:
        _create_token()
    else:
        main()
