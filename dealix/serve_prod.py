"""Run the production trio in one place: gunicorn, the task worker and the scheduler.

`make serve-prod` uses it on one machine; on many machines run the same three commands under
your process manager instead (any number of gunicorn and db_worker processes, one or more
schedulers). If any process exits, the others are stopped and the exit code is passed on.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

PYTHON = sys.executable
COMMANDS = {
    "web": [PYTHON, "-m", "gunicorn", "dealix.wsgi", "-c", "dealix/gunicorn_conf.py"],
    "worker": [PYTHON, "manage.py", "db_worker", "--queue-name", "*", "--interval", "1"],
    "scheduler": [PYTHON, "manage.py", "run_scheduler"],
}


def main() -> int:
    """Start the three processes and supervise them until one exits or we are told to stop."""
    processes = {name: subprocess.Popen(command) for name, command in COMMANDS.items()}  # noqa: S603
    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    exit_code = 0
    while not stopping:
        for name, process in processes.items():
            code = process.poll()
            if code is not None:
                print(f"serve-prod: {name} exited with {code}; stopping the others", flush=True)  # noqa: T201
                exit_code = code or 1
                stopping = True
                break
        time.sleep(0.5)
    for process in processes.values():
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 20
    for process in processes.values():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
    return exit_code


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dealix.settings")
    sys.exit(main())
