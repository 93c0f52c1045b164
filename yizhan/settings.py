"""Django settings. Everything an operator sets comes from YIZHAN_* environment variables."""

import json
import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from yizhan.audit.private_files import private_dir, private_file

BASE_DIR = Path(__file__).resolve().parent
# The data directory holds the embedded database (names, ID numbers, phones): the owner's only.
DATA_DIR = private_dir(Path(os.environ.get("YIZHAN_DATA_DIR", BASE_DIR.parent / "var")).resolve())


def _secret_key() -> str:
    if key := os.environ.get("YIZHAN_SECRET_KEY"):
        return key
    # The embedded default keeps a generated key beside the database so sessions survive restarts.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        private_file(path, secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("YIZHAN_DEBUG", "0") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("YIZHAN_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "yizhan.audit",
    "yizhan.calendar",
    "yizhan.clock",
    "yizhan.divisions",
    "yizhan.org",
    "yizhan.hall",
    "yizhan.ledger",
    "yizhan.followups",
    "yizhan.visits",
    "yizhan.anniversaries",
    "yizhan.subsidies",
    "yizhan.relief",
    "yizhan.training",
    "yizhan.councils",
    "yizhan.liaison",
    "yizhan.exchange",
    "yizhan.assessment",
    "yizhan.quality",
    "yizhan.tenants",
    "yizhan.surveillance",
    "yizhan.api",
    "yizhan.ui",
    "yizhan.demo",
    "yizhan.ops",
    "yizhan.jobs",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "axes",
    "csp",
]

MIDDLEWARE = [
    # First, so that every log line of the request, the errors of later middleware included, has its id.
    "yizhan.logs.RequestIdMiddleware",
    # The API refuses NUL bytes and lone surrogates in any input before a route sees them (422).
    "yizhan.api.inputguard.InputGuardMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # A method the path does not take (405) answers in the API's error envelope, in the reader's language.
    "yizhan.api.method_not_allowed.MethodNotAllowedEnvelope",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into its 429 answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "yizhan.urls"
WSGI_APPLICATION = "yizhan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yizhan.ui.nav.context",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("YIZHAN_DATABASE_URL") or f"sqlite:///{DATA_DIR / 'yizhan.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A bounded pool per server process: concurrent requests wait (up to `timeout` seconds) for one of
    # its connections instead of opening their own, so processes × max_size stays under the server's
    # max_connections however many clients arrive.
    DATABASES["default"]["OPTIONS"] = {
        "pool": {
            "min_size": 1,
            "max_size": int(os.environ.get("YIZHAN_DB_POOL_SIZE", "8")),
            "timeout": float(os.environ.get("YIZHAN_DB_POOL_TIMEOUT", "30")),
        },
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the board read while a clerk writes; IMMEDIATE avoids lock upgrades failing mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    name = str(DATABASES["default"]["NAME"])
    if name not in ("", ":memory:") and not name.startswith("file:") and Path(name).parent.is_dir():
        # Created before SQLite opens it, so that it (and its -wal and -shm files, which SQLite gives the
        # database file's mode) is never readable by others.
        private_file(Path(name))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# htmx and ECharts come from the npm registry (package.json, installed by scripts/setup) and are served
# straight from node_modules: nothing third-party is committed and nothing is fetched at run time.
NODE_MODULES = Path(os.environ.get("YIZHAN_NODE_MODULES", BASE_DIR.parent / "node_modules")).resolve()
STATICFILES_DIRS = [
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
]
# WhiteNoise serves STATIC_ROOT (filled by `yizhan collectstatic`, which scripts/setup runs) with
# hashed names, compressed copies and far-future caching.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGIN_URL = "ui:login"
LOGIN_REDIRECT_URL = "ui:dashboard"

# Structured logging (yizhan.logs): one JSON object per line on standard error, each with the request
# id, method, path, user and status of the request it belongs to, tracebacks included. `yizhan.request`
# writes one access line per request; `django.request` the 4xx/5xx answers (5xx with their traceback).
LOG_LEVEL = os.environ.get("YIZHAN_LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "yizhan.logs.RequestFilter"}},
    "formatters": {"json": {"()": "yizhan.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request"]}},
    "loggers": {
        "yizhan": {"handlers": ["console"], "level": LOG_LEVEL},
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# Overtime-warning thresholds (see docs/calendar.md), e.g. YIZHAN_WARNING_POLICY='{"yellow_share": 0.25}'.
YIZHAN_WARNING_POLICY = json.loads(os.environ.get("YIZHAN_WARNING_POLICY", "{}"))

# Case numbers read PREFIX-YYYYMMDD-NNNNN, printed on receipts (e.g. KP for Kaiping).
YIZHAN_CASE_PREFIX = os.environ.get("YIZHAN_CASE_PREFIX", "KP")

# How often the hall board (/board/) reloads its figures and calls, in seconds.
YIZHAN_BOARD_REFRESH_SECONDS = int(os.environ.get("YIZHAN_BOARD_REFRESH_SECONDS", "10"))

# ---- Serving, abuse and background work (docs/deploy.md) ----------------------------------------


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None or value == "" else value.strip().lower() in ("1", "true", "yes", "on")


# Addresses (or CIDR networks) of the reverse proxies in front of Yizhan. Only a request arriving from
# one of them has its X-Forwarded-For / X-Forwarded-Proto believed; without any, both are ignored.
YIZHAN_TRUSTED_PROXIES = [p.strip() for p in os.environ.get("YIZHAN_TRUSTED_PROXIES", "").split(",") if p.strip()]

# HTTPS-only settings are on as soon as a real host name is served; the demo on loopback speaks HTTP.
_LOOPBACK = {"localhost", "127.0.0.1", "[::1]", "::1"}
YIZHAN_HTTPS = _flag("YIZHAN_HTTPS", default=not set(ALLOWED_HOSTS) <= _LOOPBACK)
if YIZHAN_HTTPS:
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("YIZHAN_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("YIZHAN_HSTS_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = _flag("YIZHAN_HSTS_PRELOAD", default=True)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp; Django 5.2 has none of its own): everything from this origin,
# no inline scripts, nothing framed. Inline styles stay allowed for the admin and the landing page.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# One store shared by every server process: rate limits, short-lived public figures. The database
# cache by default (its table is made by `yizhan migrate`); Redis when YIZHAN_CACHE_URL names one.
YIZHAN_CACHE_URL = os.environ.get("YIZHAN_CACHE_URL", "")
if YIZHAN_CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": YIZHAN_CACHE_URL,
                          "KEY_PREFIX": "yizhan"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "yizhan_cache"}}
# The public case lookup's allowance per client address ("60/m": COUNT/[N]UNIT, UNIT s, m, h or d).
YIZHAN_PUBLIC_LOOKUP_RATE = os.environ.get("YIZHAN_PUBLIC_LOOKUP_RATE", "60/m")
# Seconds the public pages (landing page, board) reuse the figures they computed.
YIZHAN_PUBLIC_FIGURES_SECONDS = int(os.environ.get("YIZHAN_PUBLIC_FIGURES_SECONDS", "60"))

# Login throttling and lockout (django-axes): 5 wrong passwords for one account from one address lock
# that pair for 15 minutes; the attempts are kept in the database, so every process sees them.
AUTHENTICATION_BACKENDS = [
    "yizhan.ops.auth.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("YIZHAN_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("YIZHAN_LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "yizhan.ratelimit.axes_client_ip"

# Background and scheduled work (yizhan.jobs) through Django's tasks framework (the django-tasks
# backport): the database backend by default, run by `yizhan worker` (which `yizhan serve` starts);
# RQ on Redis when YIZHAN_TASKS_URL names one, with workers on any machine.
YIZHAN_TASKS_URL = os.environ.get("YIZHAN_TASKS_URL", "")
if YIZHAN_TASKS_URL.startswith(("redis://", "rediss://", "unix://")):
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
RQ_QUEUES = {"default": {"URL": YIZHAN_TASKS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 3600}}

# Notifications (yizhan.jobs.notify): mail through Django's mail settings; SMS through a pluggable
# sender (a dotted path to a yizhan.jobs.sms.SMSSender); the default only logs the message.
# Without a mail host the messages are written to the worker's output instead of being lost.
EMAIL_HOST = os.environ.get("YIZHAN_EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get("YIZHAN_EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend")
EMAIL_PORT = int(os.environ.get("YIZHAN_EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("YIZHAN_EMAIL_FROM", "yizhan@localhost")
YIZHAN_SMS_BACKEND = os.environ.get("YIZHAN_SMS_BACKEND", "yizhan.jobs.sms.LoggingSender")

# Hall service rules an operator may tune (working days unless said otherwise).
# 差评整改: a bad rating is verified, rectified or explained and answered within this limit (GB/T 39734-2020).
YIZHAN_RECTIFICATION_DAYS = int(os.environ.get("YIZHAN_RECTIFICATION_DAYS", "15"))
# 投诉: a complaint is investigated and answered within this limit.
YIZHAN_COMPLAINT_DAYS = int(os.environ.get("YIZHAN_COMPLAINT_DAYS", "5"))
# 延时服务: office hours on working days; bookable extended hours around them; places per window and half hour.
YIZHAN_EXTENDED_HOURS = json.loads(os.environ.get("YIZHAN_EXTENDED_HOURS", "{}"))
# Applicant lookup: wrong guesses allowed before each further try must wait, doubling up to the cap (seconds).
YIZHAN_LOOKUP_FREE_TRIES = int(os.environ.get("YIZHAN_LOOKUP_FREE_TRIES", "3"))
YIZHAN_LOOKUP_MAX_WAIT = int(os.environ.get("YIZHAN_LOOKUP_MAX_WAIT", "900"))
