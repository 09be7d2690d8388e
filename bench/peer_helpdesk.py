"""Beside a peer: our ticket queue and search against django-helpdesk's, same tickets, same server.

The peer: django-helpdesk 2.6.1 on Django 6.0, installed by this benchmark into its own virtualenv
(bench/out/peer-venv, gitignored; kept between runs, made again when its requirements change),
with a minimal project of ours around it (bench/peer/settings.py, urls.py). Where it cannot be
installed (no package index, an incompatible release) the benchmark prints SKIPPED and why.

Data: 100,000 tickets generated once by `bench.ticket_data` in our process (bench/peer_ours.py
loads them into our schema, with their SLA events and search rows, and writes them out), then
loaded into helpdesk's schema by its own Python (bench/peer/driver.py, COPY): same ids, subjects,
bodies, opening times, statuses, priorities, 40 customers (helpdesk: a queue and a submitter
e-mail each) and the same two staff users. Each database is its own (`BENCH_DATABASE_URL` with
`_peer_ours` / `_peer_helpdesk`), VACUUM ANALYZEd after its load. BENCH_PEER_REUSE=1 keeps both
loaded databases and measures them again next time.

Measure: each side in its own process and Python, Django set up with DEBUG off, the staff user
signed in through the test Client, connections kept open (CONN_MAX_AGE). Both processes stay up
and are asked in turn, in slices (ours, theirs; theirs, ours; …), so that a change of load on the
shared machine falls on both alike; medians are compared.
- List: ours GET /tickets/ (the working queue's first page, server-rendered); theirs its staff
  list page plus the DataTables JSON the page loads (default view: open and reopened), summed as
  one load.
- Search over every status, per keyword: ours GET /tickets/?status=all&q=…; theirs the list
  page with the keyword and no status ticked, plus its JSON. The search figure is the sum of the
  keywords' medians (one search of each).
Target (issue #18): ours ≤ 0.5× theirs on both. Sizes and SQL queries per request are printed;
so is what each side finds for an Arabic spelling variant, which only ours folds.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO, Any

from bench.pg import (
    bench_database_url,
    database_exists,
    drop_database,
    recreate_database,
    unreachable,
    where,
)
from bench.server import ROOT, manage, production_environment

PEER_VENV = ROOT / "bench" / "out" / "peer-venv"
PEER_REQUIREMENTS = ("django-helpdesk==2.6.1", "Django>=6.0,<6.1", "psycopg[binary]>=3.2")
TICKETS = int(os.environ.get("BENCH_PEER_TICKETS", "100000"))
REUSE = os.environ.get("BENCH_PEER_REUSE") == "1"
SLICES = 4
LIST_PER_SLICE = int(os.environ.get("BENCH_PEER_LIST_REQUESTS", "10"))
SEARCH_PER_SLICE = int(os.environ.get("BENCH_PEER_SEARCH_REQUESTS", "2"))
TARGET_RATIO = 0.5
# Words the generated tickets hold (bench.ticket_data), English and Arabic, common and rare.
KEYWORDS = ("Gmail", "الفاتورة", "Proof Pack", "تسريب")
# The same word as people also type it (final ه for ة): found only where the text is folded.
VARIANT = "الفاتوره"
INSTALL_TIMEOUT = 900


class PeerUnavailable(Exception):
    """The peer cannot be installed or run here; the message says why."""


# ── The peer's virtualenv ───────────────────────────────────────────────────────────────────────
def _peer_python() -> tuple[Path, float | None]:
    """The peer's Python, installing it first when needed; (path, seconds the install took)."""
    python = PEER_VENV / "bin" / "python"
    stamp = PEER_VENV / ".bench-requirements"
    wanted = "\n".join(PEER_REQUIREMENTS)
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return python, None
    started = time.perf_counter()
    shutil.rmtree(PEER_VENV, ignore_errors=True)
    PEER_VENV.parent.mkdir(parents=True, exist_ok=True)
    # Our own interpreter (Python 3.12+, as the Makefile found it) makes the venv: from inside a
    # venv, `-m venv` bases the new one on the same base installation.
    _run([sys.executable, "-m", "venv", str(PEER_VENV)], "create the peer's virtualenv")
    uv = Path(sys.executable).parent / "uv"
    if uv.exists():  # uv resolves and installs several times faster than pip
        command = [
            str(uv),
            "pip",
            "install",
            "--quiet",
            "--python",
            str(python),
            *PEER_REQUIREMENTS,
        ]
    else:
        command = [str(python), "-m", "pip", "install", "--quiet", *PEER_REQUIREMENTS]
    _run(command, "install django-helpdesk", env={**os.environ, "UV_PYTHON_DOWNLOADS": "never"})
    check = "import django, helpdesk; print('.'.join(map(str, django.VERSION[:2])))"
    version = _run([str(python), "-c", check], "import django-helpdesk").strip()
    if version != "6.0":
        raise PeerUnavailable(f"the peer's virtualenv has Django {version}, not 6.0")
    stamp.write_text(wanted)
    return python, time.perf_counter() - started


def _run(command: list[str], what: str, env: dict[str, str] | None = None) -> str:
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=INSTALL_TIMEOUT, env=env, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise PeerUnavailable(f"could not {what}: {error}") from error
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        raise PeerUnavailable(f"could not {what}: {lines[-1] if lines else done.returncode}")
    return done.stdout


# ── The two sides' processes ────────────────────────────────────────────────────────────────────
def _peer_environment(database_url: str, static_root: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "VIRTUAL_ENV", "PYTHON")) and key != "DATABASE_URL"
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.peer.settings",
            "PEER_DATABASE_URL": database_url,
            "PEER_SECRET_KEY": secrets.token_urlsafe(50),
            "PEER_STATIC_ROOT": str(static_root),
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


class Side:
    """One side's driver process, answering commands (bench/peer/protocol.py) on its pipes."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], log: Path) -> None:
        self.name, self.log = name, log
        with log.open("ab") as errors:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=errors,
                text=True,
                encoding="utf-8",
            )

    def ask(self, **command: Any) -> dict[str, Any]:
        stdin: IO[str] | None = self.process.stdin
        stdout: IO[str] | None = self.process.stdout
        assert stdin is not None
        assert stdout is not None
        try:
            stdin.write(json.dumps(command) + "\n")
            stdin.flush()
            line = stdout.readline()
        except BrokenPipeError:
            line = ""
        if not line:
            tail = self.log.read_text(errors="replace").strip().splitlines()[-15:]
            raise RuntimeError(f"{self.name} driver stopped:\n" + "\n".join(tail))
        answer: dict[str, Any] = json.loads(line)
        return answer

    def stop(self) -> None:
        stdin = self.process.stdin
        if stdin is not None and self.process.poll() is None:
            with contextlib.suppress(OSError):  # it may have stopped already
                stdin.write(json.dumps({"op": "quit"}) + "\n")
                stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _json_run(command: list[str], env: dict[str, str], what: str) -> dict[str, Any]:
    """Run one driver command to completion; its last stdout line is its JSON answer."""
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-20:])
        raise RuntimeError(f"{what} failed:\n{tail}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# ── The run ─────────────────────────────────────────────────────────────────────────────────────
def _load(
    *, ours: list[str], theirs: list[str], ours_env: dict[str, str], peer_env: dict[str, str]
) -> str:
    """Load both databases afresh (unless BENCH_PEER_REUSE=1 finds both loaded); a line saying so."""
    ours_url, peer_url = ours_env["DATABASE_URL"], peer_env["PEER_DATABASE_URL"]
    if REUSE and database_exists(ours_url) and database_exists(peer_url):
        counts = (
            _json_run([*ours, "loaded"], ours_env, "our load check")["tickets"],
            _json_run([*theirs, "loaded"], peer_env, "the peer's load check")["tickets"],
        )
        if counts == (TICKETS, TICKETS):
            return "reused both loaded databases (BENCH_PEER_REUSE=1)"
    recreate_database(ours_url)
    recreate_database(peer_url)
    with tempfile.TemporaryDirectory(prefix="dealix-peer-") as tmp:
        tickets = str(Path(tmp) / "tickets.jsonl")
        mine = _json_run([*ours, "load", tickets], ours_env, "loading our tickets")
        peer = _json_run([*theirs, "load", tickets], peer_env, "loading the peer's tickets")
    return (
        f"loaded {mine['tickets']:,} tickets into each: ours {mine['load_s']} s"
        f" (+ migrate {mine['migrate_s']} s; {mine['search_rows']:,} search rows),"
        f" theirs {peer['load_s']} s with COPY (+ migrate {peer['migrate_s']} s;"
        f" {peer['queues']} queues)"
    )


def _alternate(sides: tuple[Side, Side], case: str, per_slice: int) -> tuple[float, float]:
    """Median ms of one case on each side, asked in slices: A B, B A, A B, B A."""
    timings: dict[str, list[float]] = {side.name: [] for side in sides}
    for index in range(SLICES):
        for side in sides if index % 2 == 0 else sides[::-1]:
            timings[side.name] += side.ask(op="time", case=case, n=per_slice)["ms"]
    return statistics.median(timings[sides[0].name]), statistics.median(timings[sides[1].name])


def _describe(prepared: dict[str, Any]) -> str:
    requests = prepared["requests"]
    sizes = " + ".join(f"{r['bytes'] / 1024:.0f} KB" for r in requests)
    queries = " + ".join(str(r["queries"]) for r in requests)
    return f"{len(requests)} request(s), {sizes}, {queries} queries"


def _measure(ours: Side, theirs: Side) -> dict[str, float]:
    sides = (ours, theirs)
    cases = {"list": ""} | {f"search {n}": keyword for n, keyword in enumerate(KEYWORDS)}
    prepared = {
        (side.name, case): side.ask(op="prepare", case=case, q=q)
        for case, q in cases.items()
        for side in sides
    }
    variant = {side.name: side.ask(op="prepare", case="variant", q=VARIANT) for side in sides}
    medians: dict[str, tuple[float, float]] = {}
    for case in cases:
        per_slice = LIST_PER_SLICE if case == "list" else SEARCH_PER_SLICE
        medians[case] = _alternate(sides, case, per_slice)

    list_ours, list_theirs = medians["list"]
    print("    ticket list (default view, first page):")
    for side, ms in ((ours, list_ours), (theirs, list_theirs)):
        shown = prepared[(side.name, "list")]
        print(
            f"      {side.name:<6} median {ms:7.1f} ms; {_describe(shown)};"
            f" {shown['rows']} rows of {shown['matches']:,}"
        )
    list_ratio = list_ours / list_theirs
    print(f"      ratio {list_ratio:.2f}× (target ≤ {TARGET_RATIO:g}×)")
    print("    keyword search over every status (median per keyword, ours vs theirs):")
    for case, keyword in cases.items():
        if case == "list":
            continue
        mine, peer = prepared[(ours.name, case)], prepared[(theirs.name, case)]
        ms_ours, ms_theirs = medians[case]
        print(
            f"      {keyword!r:<14} {ms_ours:7.1f} vs {ms_theirs:7.1f} ms"
            f" ({ms_ours / ms_theirs:.2f}×); found {mine['matches']:,} vs {peer['matches']:,};"
            f" ours {_describe(mine)}; theirs {_describe(peer)}"
        )
    search_ours = sum(medians[case][0] for case in cases if case != "list")
    search_theirs = sum(medians[case][1] for case in cases if case != "list")
    search_ratio = search_ours / search_theirs
    print(
        f"      one search of each: {search_ours:.1f} vs {search_theirs:.1f} ms,"
        f" ratio {search_ratio:.2f}× (target ≤ {TARGET_RATIO:g}×)"
    )
    print(
        f"    (untargeted) {VARIANT!r}, a spelling variant of {KEYWORDS[1]!r}: ours finds"
        f" {variant[ours.name]['matches']:,}, theirs {variant[theirs.name]['matches']:,}"
    )
    met = list_ratio <= TARGET_RATIO and search_ratio <= TARGET_RATIO
    print(f"    {'met' if met else 'MISSED'}: list {list_ratio:.2f}×, search {search_ratio:.2f}×")
    list_prepared = {side.name: prepared[(side.name, "list")]["requests"] for side in sides}
    return {
        "peer_list_ours_ms": round(list_ours, 2),
        "peer_list_theirs_ms": round(list_theirs, 2),
        "peer_list_ratio": round(list_ratio, 3),
        "peer_search_ours_ms": round(search_ours, 2),
        "peer_search_theirs_ms": round(search_theirs, 2),
        "peer_search_ratio": round(search_ratio, 3),
        "peer_list_ours_queries": sum(r["queries"] for r in list_prepared[ours.name]),
        "peer_list_theirs_queries": sum(r["queries"] for r in list_prepared[theirs.name]),
        "peer_list_ours_bytes": sum(r["bytes"] for r in list_prepared[ours.name]),
        "peer_list_theirs_bytes": sum(r["bytes"] for r in list_prepared[theirs.name]),
    }


def main() -> dict[str, float]:
    print("Beside a peer: django-helpdesk 2.6.1 vs our queue and search, same tickets", flush=True)
    ours_url, peer_url = bench_database_url("peer_ours"), bench_database_url("peer_helpdesk")
    problem = unreachable(ours_url)
    if problem is not None:
        print(f"    SKIPPED: needs PostgreSQL at {where(ours_url)} ({problem})")
        return {}
    try:
        python, installed = _peer_python()
    except PeerUnavailable as error:
        print(f"    SKIPPED: the peer cannot be installed here: {error}")
        return {}
    if installed is not None:
        print(f"    installed the peer's virtualenv in {installed:.0f} s ({PEER_VENV})")
    with tempfile.TemporaryDirectory(prefix="dealix-peer-run-") as tmp:
        out = Path(tmp)
        (out / "static").mkdir()
        ours_env = production_environment(
            database_url=ours_url,
            settings_module="bench.settings_app",
            BENCH_STATIC_ROOT=str(out / "static"),
            BENCH_MAIL_DIR=str(out),
            BENCH_PEER_TICKETS=str(TICKETS),
        )
        peer_env = _peer_environment(peer_url, out / "peer-static")
        ours_cmd = [sys.executable, "-m", "bench.peer_ours"]
        peer_cmd = [str(python), "-m", "bench.peer.driver"]
        try:
            print(
                f"    {_load(ours=ours_cmd, theirs=peer_cmd, ours_env=ours_env, peer_env=peer_env)}"
            )
            print(
                f"    PostgreSQL {where(ours_url)} and …_peer_helpdesk; each side in its own"
                f" process, DEBUG off, {SLICES} alternating slices"
            )
            # DEBUG off serves hashed static names: the manifest must exist, as in production.
            manage(ours_env, "collectstatic", "--noinput", "-v", "0")
            ours = Side("ours", [*ours_cmd, "serve", "bench-operator"], ours_env, out / "ours.log")
            theirs = Side(
                "theirs", [*peer_cmd, "serve", "bench-operator"], peer_env, out / "theirs.log"
            )
            try:
                return _measure(ours, theirs)
            finally:
                ours.stop()
                theirs.stop()
        finally:
            if not REUSE:
                drop_database(ours_url)
                drop_database(peer_url)


if __name__ == "__main__":
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    main()
