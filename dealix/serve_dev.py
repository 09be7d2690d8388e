"""`make run`: the development server, the task worker and the scheduler, one command, one Ctrl-C.

Without the worker and the scheduler, SLA sweeps, reminders, notifications and email sends never
happen locally. The public base URL (the links in emails and progress links) follows the port
served unless DEALIX_PUBLIC_BASE_URL is set: `make run PORT=8001` links to port 8001.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping

from dealix.supervise import supervise

PYTHON = sys.executable


def dev_commands(*, port: int) -> dict[str, list[str]]:
    """The three development processes, the web one on 127.0.0.1:`port`."""
    return {
        "web": [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}"],
        "worker": [PYTHON, "manage.py", "db_worker", "--queue-name", "*", "--interval", "1"],
        "scheduler": [PYTHON, "manage.py", "run_scheduler"],
    }


def dev_environment(environ: Mapping[str, str], *, port: int) -> dict[str, str]:
    """The children's environment: development settings, and the base URL of the port served."""
    env = dict(environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "dealix.settings")
    env.setdefault("DJANGO_DEBUG", "1")
    if not env.get("DEALIX_PUBLIC_BASE_URL"):
        env["DEALIX_PUBLIC_BASE_URL"] = f"http://127.0.0.1:{port}"
    return env


def main(argv: list[str] | None = None) -> int:
    """Serve on `--port` (8000) with the worker and the scheduler until Ctrl-C or one exits."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    args = parser.parse_args(argv)
    os.environ.update(dev_environment(os.environ, port=args.port))
    return supervise(dev_commands(port=args.port), label="make run")


if __name__ == "__main__":
    sys.exit(main())
