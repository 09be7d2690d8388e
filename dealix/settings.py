"""Dealix Customer Ops settings: one module, every value from the environment (README lists them)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)

_DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production-5f1c0e9a"  # noqa: S105
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it (any long random string), "
            "or set DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = _DEV_SECRET_KEY

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    # Swagger UI served from our own static files, pinned by constraints.txt: the CSP allows
    # scripts from 'self' only, so a CDN copy was blocked and /api/docs/ rendered blank.
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_tasks_db",
    "axes",
    "anymail",
    "customer_ops",
    "positioning",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "dealix.limits.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dealix.language.ArabicFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dealix.urls"
WSGI_APPLICATION = "dealix.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "customer_ops.context_processors.roles",
                "customer_ops.context_processors.live",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process and the task worker share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # recursive_triggers: the row an INSERT OR REPLACE deletes fires the append-only
            # tables' DELETE triggers; without it REPLACE overwrote ledger rows unseen.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA recursive_triggers=ON;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
    # The test database: in memory unless a file is named. The test run names one, so the live
    # server's threads (browser tests, polling regions) wait on SQLite's lock for their turn
    # instead of failing at once with "database table is locked", as connections to an
    # in-memory shared-cache database do.
    if test_name := env.str("DJANGO_SQLITE_TEST_NAME", default=""):
        DATABASES["default"]["TEST"] = {"NAME": test_name}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# `manage.py flush` empties every table, the Action Ledger too: development and tests only.
DEALIX_ALLOW_FLUSH = env.bool("DEALIX_ALLOW_FLUSH", default=DEBUG)

# No request this app takes needs more than 1 MB; larger declared bodies get 413 (dealix/limits.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username + address before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Arabic first, English through the header switch; times shown in Riyadh, stored in UTC.
LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", _("العربية")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The business timezone: the SLA clocks' working week, the sweeps and reminders, the scheduler's
# periods and every time shown on screen all use it (read through `business_timezone()`).
TIME_ZONE = env.str("DJANGO_TIME_ZONE", default="Asia/Riyadh")
# The working week of the P2/P3 clocks: Python weekday numbers (Monday = 0; Sunday–Thursday by
# default) and the working day's hours, in TIME_ZONE. Read through `business_week()`.
DEALIX_SLA_WORKDAYS = env.list("DEALIX_SLA_WORKDAYS", cast=int, default=[6, 0, 1, 2, 3])
DEALIX_SLA_DAY_START = env.str("DEALIX_SLA_DAY_START", default="09:00")
DEALIX_SLA_DAY_END = env.str("DEALIX_SLA_DAY_END", default="17:00")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed files in production; plain finders in development and tests so that
    # nothing needs collectstatic before it runs.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Tests and runserver find files without collectstatic; production serves the hashed build.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# No inline scripts or styles anywhere; htmx's own indicator style is switched off in base.html.
# Seconds between refreshes of the regions that follow other people's work: the founder's approvals
# inbox, the ticket queue, the notification bell (none of them holds a form being typed into).
DEALIX_POLL_SECONDS = env.int("DEALIX_POLL_SECONDS", default=10)

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# Email: console in development; SMTP otherwise, through EMAIL_URL (e.g. smtp+tls://u:pw@host:587).
# Django 6.1's MAILERS replaces the EMAIL_* settings.
_email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
_smtp_options = {
    "host": _email.get("EMAIL_HOST"),
    "port": _email.get("EMAIL_PORT"),
    "username": _email.get("EMAIL_HOST_USER"),
    "password": _email.get("EMAIL_HOST_PASSWORD"),
    "use_tls": _email.get("EMAIL_USE_TLS"),
    "use_ssl": _email.get("EMAIL_USE_SSL"),
}
if _email["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend":
    # Well under the 2-minute window after which a founder may resolve a stuck send.
    _smtp_options["timeout"] = env.int("DJANGO_EMAIL_TIMEOUT", default=30)
if _email["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend":
    # filemail:///path/to/dir writes each message to a file there (tests, benchmarks);
    # django-environ drops the path's leading slash.
    _smtp_options = {"file_path": "/" + str(_email.get("EMAIL_FILE_PATH") or "").lstrip("/")}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": {k: v for k, v in _smtp_options.items() if v not in (None, "")},
    }
}
# SMTP stays the default; an Anymail backend (e.g. anymail.backends.postmark.EmailBackend) sends
# through a provider instead, whose message id and delivery events then come back by webhook.
_anymail_backend = env.str("ANYMAIL_EMAIL_BACKEND", default="")
if _anymail_backend:
    MAILERS["default"] = {"BACKEND": _anymail_backend, "OPTIONS": {}}
# Anymail's webhooks (/webhooks/anymail/<provider>/inbound/ and .../tracking/) take basic auth
# `user:password`; while it is unset they refuse everything (views/webhooks.py).
ANYMAIL = {
    "WEBHOOK_SECRET": env.str("ANYMAIL_WEBHOOK_SECRET", default=""),
    "MAILGUN_WEBHOOK_SIGNING_KEY": env.str("MAILGUN_WEBHOOK_SIGNING_KEY", default=""),
    "MAILGUN_API_KEY": env.str("MAILGUN_API_KEY", default=""),
    "MAILGUN_SENDER_DOMAIN": env.str("MAILGUN_SENDER_DOMAIN", default=""),
    "POSTMARK_SERVER_TOKEN": env.str("POSTMARK_SERVER_TOKEN", default=""),
}
# The support mailbox read over IMAP (imaps://user:password@host:993/INBOX); unset: no polling.
SUPPORT_IMAP_URL = env.str("SUPPORT_IMAP_URL", default="")
SUPPORT_IMAP_TIMEOUT = env.float("SUPPORT_IMAP_TIMEOUT", default=30.0)
# Attachments larger than this are listed on the thread without their content.
SUPPORT_EMAIL_ATTACHMENT_MAX_BYTES = env.int(
    "SUPPORT_EMAIL_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024
)
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="Dealix <ops@dealix.sa>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Live channel flags (SPEC_RULES §3.4): off unless set; an approved draft is still required.
GMAIL_ALLOW_LIVE_SEND = env.bool("GMAIL_ALLOW_LIVE_SEND", default=False)
WHATSAPP_ALLOW_LIVE_SEND = env.bool("WHATSAPP_ALLOW_LIVE_SEND", default=False)
# WhatsApp Cloud API (customer_ops/channels/whatsapp_client.py, the /webhooks/whatsapp/ endpoint).
# The token and the two secrets are read here only: never logged, shown or written to the ledger.
WHATSAPP_PHONE_NUMBER_ID = env.str("WHATSAPP_PHONE_NUMBER_ID", default="")
WHATSAPP_ACCESS_TOKEN = env.str("WHATSAPP_ACCESS_TOKEN", default="")
WHATSAPP_APP_SECRET = env.str("WHATSAPP_APP_SECRET", default="")
WHATSAPP_VERIFY_TOKEN = env.str("WHATSAPP_VERIFY_TOKEN", default="")
WHATSAPP_API_BASE = env.str("WHATSAPP_API_BASE", default="https://graph.facebook.com")
WHATSAPP_API_VERSION = env.str("WHATSAPP_API_VERSION", default="v23.0")
WHATSAPP_SEND_TIMEOUT = env.float("WHATSAPP_SEND_TIMEOUT", default=20.0)
CALENDAR_ALLOW_LIVE_INSERT = env.bool("CALENDAR_ALLOW_LIVE_INSERT", default=False)
GBP_ALLOW_LIVE_REPLY = env.bool("GBP_ALLOW_LIVE_REPLY", default=False)

# Where customer progress links point (the public base URL of this deployment).
PUBLIC_BASE_URL = env.str("DEALIX_PUBLIC_BASE_URL", default="http://127.0.0.1:8000")
PROGRESS_LINK_DAYS = env.int("DEALIX_PROGRESS_LINK_DAYS", default=30)

# Brute-force limits (dealix/throttling.py). Behind a TLS proxy set DEALIX_TRUSTED_PROXIES=1 so the
# client's address, not the proxy's, is what gets counted and locked.
DEALIX_TRUSTED_PROXIES = env.int("DEALIX_TRUSTED_PROXIES", default=0)
DEALIX_API_RATES = {
    "user": env.str("DEALIX_API_RATE_USER", default="600/minute"),
    # Wrong API tokens from one address before it gets 429 for the rest of the window.
    "token_failure": env.str("DEALIX_API_RATE_TOKEN_FAILURE", default="20/hour"),
}
# Login lockout: 5 failed logins for one username from one address lock that pair for 15 minutes.
AXES_ENABLED = env.bool("DEALIX_LOGIN_LOCKOUT", default=True)
AXES_FAILURE_LIMIT = env.int("DEALIX_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("DEALIX_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "dealix.throttling.client_ip"
AXES_LOCKOUT_CALLABLE = "dealix.throttling.login_locked_out"
# Rate counters live in the cache: per process by default; REDIS_URL shares them between workers.
_redis_url = env.str("REDIS_URL", default="")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis_url}
    if _redis_url
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "dealix.throttling.ThrottledTokenAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "dealix.throttling.StaffRateThrottle",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["customer_ops.api.permissions.IsStaffMember"],
    # JSON only: the API never needs forms, and one body format keeps validation and the schema
    # exact (a form field cannot say "number" or "null").
    "DEFAULT_PARSER_CLASSES": ["dealix.parsers.BoundedJSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "dealix.api_errors.api_exception_handler",
    "DEFAULT_PAGINATION_CLASS": "customer_ops.api.pagination.StrictPageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Dealix Customer Ops API",
    "DESCRIPTION": "Onboarding, connectors, support SLA, incidents, customer success and the approval gate.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The schema and Swagger UI are for staff and services with a token, like the API itself.
    "SERVE_PERMISSIONS": ["customer_ops.api.permissions.IsStaffMember"],
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "dealix.api_schema.add_refusal_responses",
    ],
    # One schema name per domain code set, however many serializers use it.
    "ENUM_NAME_OVERRIDES": {
        "PriorityEnum": "customer_ops.domain.priority.Priority",
        "SeverityEnum": "customer_ops.domain.incidents.Severity",
        "StepIdEnum": "customer_ops.api.rules.serializers.STEP_CHOICES",
        "ConnectorStateEnum": "customer_ops.domain.transitions.ConnectorState",
        "ConnectorKeyEnum": "customer_ops.api.rules.serializers.CONNECTOR_CHOICES",
        "RiskSeverityEnum": "customer_ops.domain.success.RiskSeverity",
        "BundleIdEnum": "positioning.lock.BundleId",
        "SourceEnum": "customer_ops.models.drafts.DraftSource",
    },
}

TASKS = {
    "default": {
        "BACKEND": env.str("DJANGO_TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "dealix.logs.RedactingJsonFormatter"},
        "plain": {"format": "%(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": env.str("DJANGO_LOG_FORMAT", default="plain" if DEBUG else "json"),
        }
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    # django-axes logs every start and every failed login at INFO; lockouts are WARNING.
    "loggers": {"axes": {"level": "WARNING"}},
}

if not DEBUG:
    # Production hardening, behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
