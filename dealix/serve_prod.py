"""Run the production trio in one place: gunicorn, the task worker and the scheduler.

`make serve-prod` uses it on one machine; on many machines run the same three commands under
your process manager instead (any number of gunicorn and db_worker processes, one or more
schedulers). If any process exits, the others are stopped and the exit code is passed on.
"""

from __future__ import annotations

import os
import sys

from dealix.supervise import supervise

PYTHON = sys.executable
COMMANDS = {
    "web": [PYTHON, "-m", "gunicorn", "dealix.wsgi", "-c", "dealix/gunicorn_conf.py"],
    "worker": [PYTHON, "manage.py", "db_worker", "--queue-name", "*", "--interval", "1"],
    "scheduler": [PYTHON, "manage.py", "run_scheduler"],
}


def main() -> int:
    """Start the three processes and supervise them until one exits or we are told to stop."""
    return supervise(COMMANDS, label="serve-prod")


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dealix.settings")
    sys.exit(main())
