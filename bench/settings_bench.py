"""Bench-only settings: the project's settings plus a URLconf with a constant comparison view."""

import os

from dealix.settings import *  # noqa: F403

# The HTTP bench serves no static files; a temp dir keeps whitenoise from warning about it.
STATIC_ROOT = os.environ.get("BENCH_STATIC_ROOT", STATIC_ROOT)  # noqa: F405

ROOT_URLCONF = "bench.urls_bench"
# Production keeps database connections open between requests (CONN_MAX_AGE on PostgreSQL);
# the throwaway SQLite file stands in for it, so do the same instead of reconnecting (and
# re-running the WAL pragma under two workers' locks) on every request.
DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405
