"""`make run`: the web server, the task worker and the scheduler under one supervisor."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from dealix.serve_dev import dev_commands, dev_environment

ROOT = Path(__file__).resolve().parent.parent


def test_make_run_starts_the_worker_and_the_scheduler_beside_the_server() -> None:
    commands = dev_commands(port=8001)

    assert commands["web"][-2:] == ["runserver", "127.0.0.1:8001"]
    assert "db_worker" in commands["worker"]
    assert "run_scheduler" in commands["scheduler"]


def test_public_base_url_follows_the_port_unless_set() -> None:
    assert dev_environment({}, port=8001)["DEALIX_PUBLIC_BASE_URL"] == "http://127.0.0.1:8001"
    given = {"DEALIX_PUBLIC_BASE_URL": "https://ops.example.sa"}
    assert dev_environment(given, port=8001)["DEALIX_PUBLIC_BASE_URL"] == "https://ops.example.sa"


def _supervisor(commands: str) -> subprocess.Popen[bytes]:
    script = (
        "import sys\n"
        "from dealix.supervise import supervise\n"
        f"sys.exit(supervise({commands}, label='test'))\n"
    )
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", script], cwd=ROOT, start_new_session=True
    )


def _children(pid: int) -> list[int]:
    out = subprocess.run(  # noqa: S603
        ["ps", "-o", "pid=", "--ppid", str(pid)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    return [int(line) for line in out.stdout.split()]


def test_one_ctrl_c_stops_every_process() -> None:
    sleeper = [sys.executable, "-c", "import time; time.sleep(60)"]
    supervisor = _supervisor(repr({"a": sleeper, "b": sleeper, "c": sleeper}))
    deadline = time.monotonic() + 10
    while len(_children(supervisor.pid)) < 3 and time.monotonic() < deadline:
        time.sleep(0.1)
    children = _children(supervisor.pid)

    os.killpg(supervisor.pid, signal.SIGINT)  # what Ctrl-C in the terminal does

    assert len(children) == 3
    assert supervisor.wait(timeout=15) == 0
    for pid in children:
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text()


def test_when_one_process_dies_the_others_are_stopped_and_its_code_passed_on() -> None:
    sleeper = [sys.executable, "-c", "import time; time.sleep(60)"]
    failing = [sys.executable, "-c", "import sys, time; time.sleep(0.5); sys.exit(3)"]
    supervisor = _supervisor(repr({"web": sleeper, "worker": failing}))

    assert supervisor.wait(timeout=30) == 3
