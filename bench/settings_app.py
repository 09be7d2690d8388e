"""The real app's settings as the served benchmarks run it: mail to files, static files in a temp dir.

Everything is the project's (dealix/settings.py), except that outgoing mail is written to files in
BENCH_MAIL_DIR, so a benchmark can count every message that left, and STATIC_ROOT is
BENCH_STATIC_ROOT, so `collectstatic` for a DEBUG-off run goes to a throwaway directory.
`EMAIL_URL=filemail://…` cannot do the first: dealix/settings.py passes only the SMTP options to
MAILERS, and Django 6.1's file backend under MAILERS needs OPTIONS["file_path"] (see the report).
"""

import os

from dealix.settings import *  # noqa: F403

MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": os.environ["BENCH_MAIL_DIR"]},
    }
}
STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
