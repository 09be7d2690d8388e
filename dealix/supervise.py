"""Run several processes as one: if any exits, or we are told to stop (Ctrl-C, SIGTERM), stop all.

`make run` (development: runserver, task worker, scheduler) and `make serve-prod` (gunicorn, task
worker, scheduler) both use it, so sweeps, reminders and notifications happen wherever the web
process runs. The exit code of the first process to exit on its own is passed on.
"""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Mapping, Sequence

STOP_GRACE_SECONDS = 20


def supervise(commands: Mapping[str, Sequence[str]], *, label: str) -> int:
    """Start `commands` and supervise them until one exits or we are told to stop."""
    processes = {name: subprocess.Popen(list(command)) for name, command in commands.items()}  # noqa: S603
    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    exit_code = 0
    try:
        while not stopping:
            for name, process in processes.items():
                code = process.poll()
                if code is not None:
                    print(f"{label}: {name} exited with {code}; stopping the others", flush=True)  # noqa: T201
                    exit_code = code or 1
                    stopping = True
                    break
            time.sleep(0.2)
        for process in processes.values():
            if process.poll() is None:
                # Ctrl-C in a terminal already reached the whole process group; SIGTERM is for the
                # rest (a `kill` of this process alone) and for any that ignored the SIGINT.
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for process in processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return exit_code
