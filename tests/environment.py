"""Test-run environment, loaded as a pytest plugin before Django is configured.

Tests run with development settings (no secret key needed, static files from the finders) and
the immediate task backend; CI sets DATABASE_URL for the PostgreSQL pass.
"""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("DJANGO_TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")
# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the live
# server and fixtures around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# SQLite runs: a test database in a file (see DJANGO_SQLITE_TEST_NAME in settings), in a
# directory of this run's own.
_scratch = tempfile.mkdtemp(prefix="dealix-test-")
atexit.register(shutil.rmtree, _scratch, ignore_errors=True)
os.environ.setdefault("DJANGO_SQLITE_TEST_NAME", str(Path(_scratch) / "test.sqlite3"))
