"""Test-run environment, loaded as a pytest plugin before Django is configured.

Tests run with development settings (no secret key needed, static files from the finders) and
the immediate task backend; CI sets DATABASE_URL for the PostgreSQL pass.
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("DJANGO_TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")
# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the live
# server and fixtures around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
