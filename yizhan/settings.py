"""Django settings. Everything an operator sets comes from YIZHAN_* environment variables."""

import json
import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("YIZHAN_DATA_DIR", BASE_DIR.parent / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    if key := os.environ.get("YIZHAN_SECRET_KEY"):
        return key
    # The embedded default keeps a generated key beside the database so sessions survive restarts.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
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
    "yizhan.org",
    "yizhan.hall",
    "yizhan.api",
    "yizhan.ui",
    "yizhan.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the board read while a clerk writes; IMMEDIATE avoids lock upgrades failing mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
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

LOGIN_URL = "ui:login"
LOGIN_REDIRECT_URL = "ui:dashboard"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"yizhan": {"handlers": ["console"], "level": os.environ.get("YIZHAN_LOG_LEVEL", "INFO")}},
}

# Overtime-warning thresholds (see docs/calendar.md), e.g. YIZHAN_WARNING_POLICY='{"yellow_share": 0.25}'.
YIZHAN_WARNING_POLICY = json.loads(os.environ.get("YIZHAN_WARNING_POLICY", "{}"))

# Case numbers read PREFIX-YYYYMMDD-NNNNN, printed on receipts (e.g. KP for Kaiping).
YIZHAN_CASE_PREFIX = os.environ.get("YIZHAN_CASE_PREFIX", "KP")

# How often the hall board (/board/) reloads its figures and calls, in seconds.
YIZHAN_BOARD_REFRESH_SECONDS = int(os.environ.get("YIZHAN_BOARD_REFRESH_SECONDS", "10"))
