"""Django settings for KotaCerdas, read from ``KOTACERDAS_*`` environment variables.

Every variable is documented in docs/configuration.md. Nothing here is stateful per process:
sessions and cache live in the database (or a configured cache) and uploads go through the
storage API, so several app servers can share one PostgreSQL.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

from kotacerdas.lib.env import ConfigError, env

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env.str("DATA_DIR", str(BASE_DIR.parent / "var")))

try:
    DEBUG = env.bool("DEBUG", default=False)
    if DEBUG:
        SECRET_KEY = env.str("SECRET_KEY", "insecure-development-key-do-not-use-in-production")
    else:
        SECRET_KEY = env.str("SECRET_KEY")
        if len(SECRET_KEY) < 50:
            raise ConfigError("KOTACERDAS_SECRET_KEY must be at least 50 characters long.")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
    if not DEBUG and not ALLOWED_HOSTS:
        raise ConfigError("KOTACERDAS_ALLOWED_HOSTS is required when debug is off.")
    CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", [])
    TIME_ZONE = env.timezone("TIME_ZONE", "Asia/Jakarta")
    DATABASES = {"default": env.database("DATABASE_URL", DATA_DIR / "kotacerdas.sqlite3")}
    if str(DATABASES["default"]["ENGINE"]).endswith("sqlite3"):
        Path(str(DATABASES["default"]["NAME"])).parent.mkdir(parents=True, exist_ok=True)
        # The laptop runs the web server and the job worker on one file: write-ahead logging lets
        # readers go on during a write, and IMMEDIATE transactions wait for the lock instead of
        # failing with "database is locked" halfway through.
        DATABASES["default"]["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        # Each app-server process keeps its connection (as on PostgreSQL): opening the file and
        # setting its pragmas on every request cost more than a signed-in page served kept.
        DATABASES["default"]["CONN_MAX_AGE"] = 60
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    EMAIL_BACKEND = env.str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
    EMAIL_HOST = env.str("EMAIL_HOST", "localhost")
    EMAIL_PORT = env.int("EMAIL_PORT", 25, minimum=1)
    EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
    DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", "KotaCerdas <noreply@localhost>")
    SERVER_EMAIL = DEFAULT_FROM_EMAIL
    # Links in e-mails (notifications) are this address followed by the page's path.
    SITE_URL = env.str("SITE_URL", "")
    MEDIA_ROOT = Path(env.str("MEDIA_ROOT", str(DATA_DIR / "media")))
    # Uploaded files: one policy for every file field (kotacerdas/lib/files.py).
    UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_MB", 20, minimum=1) * 1024 * 1024
    # Imported files (plans, assessments, frameworks, quick wins, monitoring): bounded work for any
    # input (kotacerdas/lib/uploads.py, docs/configuration.md "Imported files").
    IMPORT_MAX_BYTES = env.int("IMPORT_MAX_MB", 10, minimum=1) * 1024 * 1024
    IMPORT_MAX_UNPACKED_BYTES = env.int("IMPORT_MAX_UNPACKED_MB", 100, minimum=1) * 1024 * 1024
    IMPORT_MAX_SHEETS = env.int("IMPORT_MAX_SHEETS", 50, minimum=1)
    IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", 20_000, minimum=1)
    IMPORT_MAX_COLUMNS = env.int("IMPORT_MAX_COLUMNS", 200, minimum=1)
    IMPORT_MAX_CELLS = env.int("IMPORT_MAX_CELLS", 1_000_000, minimum=1)
    IMPORT_MAX_PROBLEMS = env.int("IMPORT_MAX_PROBLEMS", 200, minimum=1)
    # A web plan import of a larger file runs as a background job with its progress on a page.
    IMPORT_BACKGROUND_BYTES = env.int("IMPORT_BACKGROUND_KB", 256, minimum=0) * 1024
    FILE_STORAGE = env.str("FILE_STORAGE", "django.core.files.storage.FileSystemStorage")
    FILE_STORAGE_OPTIONS = env.json_object("FILE_STORAGE_OPTIONS")
    FILE_ACCEL = env.choice("FILE_ACCEL", "none", ("none", "nginx", "apache"))
    FILE_ACCEL_PREFIX = env.str("FILE_ACCEL_PREFIX", "/protected-files/")
    STATIC_ROOT = Path(env.str("STATIC_ROOT", str(DATA_DIR / "static")))
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=SECURE_HSTS_SECONDS > 0)
    # Preloading puts the domain in the browsers' built-in HTTPS-only list, which is slow to undo:
    # the operator of the domain asks for it, the software does not.
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    if SECURE_HSTS_PRELOAD and (SECURE_HSTS_SECONDS < 31536000 or not SECURE_HSTS_INCLUDE_SUBDOMAINS):
        raise ConfigError(
            "KOTACERDAS_SECURE_HSTS_PRELOAD needs KOTACERDAS_SECURE_HSTS_SECONDS of at least 31536000 "
            "and KOTACERDAS_SECURE_HSTS_INCLUDE_SUBDOMAINS on (the preload list's conditions)."
        )
    # Send the Content-Security-Policy as report-only while a deployment tries it out (lib/security.py).
    CSP_REPORT_ONLY = env.bool("CSP_REPORT_ONLY", default=False)
    BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
    # Ministry accounts see every region: they must sign in with an authenticator app as well.
    MINISTRY_SECOND_FACTOR = env.bool("MINISTRY_SECOND_FACTOR", default=not DEBUG)
    # Processes that lay out the chapters of a long book at once (1: in the job's own process).
    # They are forked, which only Linux does safely with the libraries WeasyPrint loads.
    PDF_PROCESSES = env.int("PDF_PROCESSES", min(os.cpu_count() or 1, 4) if sys.platform == "linux" else 1, minimum=1)
    CACHE_BACKEND = env.str("CACHE_BACKEND", "django.core.cache.backends.db.DatabaseCache")
    CACHE_LOCATION = env.str("CACHE_LOCATION", "kotacerdas_cache")
    # Background jobs (kotacerdas/jobs): a running job whose worker has not beaten for this long is
    # retried once, then failed; a worker that loses the database waits at most this long between tries.
    JOB_LEASE_SECONDS = env.int("JOB_LEASE_SECONDS", 60, minimum=1)
    WORKER_BACKOFF_MAX_SECONDS = env.int("WORKER_BACKOFF_MAX_SECONDS", 60, minimum=1)
    # The REST API: requests per minute one token (or signed-in user) may make (kotacerdas/api).
    API_RATE = env.int("API_RATE", 120, minimum=1)
    # A region's heavy pages are kept whole per reader while its data does not change
    # (lib/pagecache.py, decision 0015); off: every page is built on every request.
    PAGE_CACHE = env.bool("PAGE_CACHE", default=True)
    PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", 600, minimum=1)
    LOG_LEVEL = env.str("LOG_LEVEL", "INFO").upper()
    LOG_FORMAT = env.str("LOG_FORMAT", "text" if DEBUG else "json")
    if LOG_FORMAT not in {"text", "json"}:
        raise ConfigError(f"KOTACERDAS_LOG_FORMAT={LOG_FORMAT!r} must be 'text' or 'json'.")
except ConfigError as error:
    sys.stderr.write(f"KotaCerdas configuration error: {error}\n")
    raise SystemExit(2) from None

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    # Before django_tasks_db: its `db_worker` command is replaced by the one that survives.
    "kotacerdas.jobs",
    "django_tasks_db",
    "kotacerdas.accounts",
    "kotacerdas.audit",
    "kotacerdas.notifications",
    "kotacerdas.frameworks",
    "kotacerdas.regions",
    "kotacerdas.engagements",
    "kotacerdas.assessments",
    "kotacerdas.plans",
    "kotacerdas.quickwins",
    "kotacerdas.reports",
    "kotacerdas.monitoring",
    "kotacerdas.evaluation",
    "kotacerdas.portal",
    "kotacerdas.api",
    "kotacerdas.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kotacerdas.lib.security.SecurityHeadersMiddleware",
    "kotacerdas.web.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kotacerdas.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "kotacerdas.accounts.signin.SessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "kotacerdas.urls"
WSGI_APPLICATION = "kotacerdas.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
# ModelBackend, with the user of a session read in one statement (decision 0018)
AUTHENTICATION_BACKENDS = ["kotacerdas.accounts.backends.AccountBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "kotacerdas.web.context.navigation",
                "kotacerdas.notifications.context.unread",
            ],
        },
    },
]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2 for new and changed passwords; older PBKDF2 hashes still verify and are upgraded on sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Bahasa Indonesia first, English second.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
# One date format per language for every page: see kotacerdas/web/formats/.
FORMAT_MODULE_PATH = ["kotacerdas.web.formats"]

# Background jobs: the database is the queue; `kotacerdas worker` (or `db_worker`) runs them.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# State lives outside the process so that app servers are interchangeable.
SESSION_ENGINE = "kotacerdas.accounts.sessions"  # Django's database store, read with one statement
CACHES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": CACHE_BACKEND, "LOCATION": CACHE_LOCATION},
    # Per process and bounded: keys move with the data's revisions, so no server serves an old page.
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "kotacerdas-pages",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
}
# Uploads go through the storage API; an S3-compatible back-end is a configuration change.
STORAGES = {
    "default": {"BACKEND": FILE_STORAGE, "OPTIONS": FILE_STORAGE_OPTIONS},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
STATIC_URL = "static/"
# Never served: files are downloaded only through the access-checked views (lib/files.py).
MEDIA_URL = "media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Security: with debug off these make `manage.py check --deploy` report nothing.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
# A session lasts at most 12 hours (and ends after 2 idle hours: accounts/signin.py).
SESSION_COOKIE_AGE = 12 * 60 * 60
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "kotacerdas.web.views.csrf_failure"
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# security.W021 asks for HSTS preloading, which is off unless the operator turns it on (above).
SILENCED_SYSTEM_CHECKS: list[str] = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "kotacerdas.lib.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
