"""gaizao's one settings file, read from the environment."""

import os
from datetime import time
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent


def envbool(name: str, default: str = "false") -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value not in ("true", "false", "1", "0", "yes", "no"):
        raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")
    return value in ("true", "1", "yes")


DATA_DIR = Path(os.environ.get("GAIZAO_DATA_DIR", "var")).resolve()
DEBUG = envbool("GAIZAO_DEBUG", "false")
PRODUCTION = envbool("GAIZAO_PRODUCTION", "false")
SECRET_KEY = os.environ.get("GAIZAO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and PRODUCTION:
        raise ImproperlyConfigured("GAIZAO_SECRET_KEY must be set in production")
    SECRET_KEY = "gaizao-insecure-development-key"
# Personal data and second-factor secrets are encrypted with this key (core/crypto.py): keep it apart from backups.
DATA_KEY = os.environ.get("GAIZAO_DATA_KEY", "")
if not DATA_KEY:
    if not DEBUG and PRODUCTION:
        raise ImproperlyConfigured("GAIZAO_DATA_KEY must be set in production")
    DATA_KEY = "Z2FpemFvLWluc2VjdXJlLWRldmVsb3BtZW50LWtleSE="  # 32 bytes, for development and tests only
ALLOWED_HOSTS = [h for h in os.environ.get("GAIZAO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "django_htmx",
    "gaizao.core",
    "gaizao.org",
    "gaizao.projects",
    "gaizao.ledger",
    "gaizao.compensation",
    "gaizao.progress",
    "gaizao.supervision",
    "gaizao.enforcement",
    "gaizao.portal",
    "gaizao.petitions",
    "gaizao.monitors",
    "gaizao.audit",
    "gaizao.accounts",
    "gaizao.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gaizao.audit.recording.AuditMiddleware",
    "gaizao.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "gaizao.accounts.policy.LoginPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "gaizao.urls"
WSGI_APPLICATION = "gaizao.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "gaizao.org.context_processors.official",
            ],
        },
    },
]

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "gaizao.sqlite3",
            "CONN_MAX_AGE": 600,  # each server thread keeps its connection, and with it SQLite's page cache
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                    "PRAGMA cache_size=-200000; PRAGMA mmap_size=1073741824; PRAGMA temp_store=MEMORY;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = ["gaizao.accounts.backends.GuardedBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "gaizao.accounts.passwords.LengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "gaizao.accounts.passwords.CharacterClassValidator"},
]
PASSWORD_MAX_AGE_DAYS = 90
# Officials pass a second factor (TOTP) after their password; on by default in production.
TOTP_REQUIRED = envbool("GAIZAO_TOTP_REQUIRED", "true" if PRODUCTION else "false")
# A session unused for this long ends; the cookie itself lasts a working day at most.
IDLE_MINUTES = 30
SESSION_COOKIE_AGE = 10 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "ledger:household_list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True


def envtime(name: str, default: str) -> time:
    value = os.environ.get(name, default).strip()
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r}: expected HH:MM") from None


# The inbox's daily e-mail goes out only when an SMTP server is given.
EMAIL_HOST = os.environ.get("GAIZAO_SMTP_HOST", "")
EMAIL_PORT = int(os.environ.get("GAIZAO_SMTP_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("GAIZAO_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("GAIZAO_SMTP_PASSWORD", "")
EMAIL_USE_TLS = envbool("GAIZAO_SMTP_TLS", "false")
DEFAULT_FROM_EMAIL = os.environ.get("GAIZAO_MAIL_FROM", "gaizao@localhost")

# 一天一汇报: a day's report filed after this time of that day is late; after the next day it is refused.
DAILY_REPORT_CUTOFF = envtime("GAIZAO_DAILY_REPORT_CUTOFF", "18:00")

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "files"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Basic auth has no second factor: it is offered only where TOTP is not required (not in production).
        *([] if TOTP_REQUIRED else ["rest_framework.authentication.BasicAuthentication"]),
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "gaizao API",
    "DESCRIPTION": "改造 — 台账、征收与督办平台的接口。所有接口与页面使用同一套数据范围。",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # choice sets sharing a field name across models get names of their own in the schema
    "ENUM_NAME_OVERRIDES": {
        "CaseKindEnum": "gaizao.enforcement.models.CaseKind",
        "CaseStatusEnum": "gaizao.enforcement.models.CaseStatus",
        "CaseStepKindEnum": "gaizao.enforcement.models.StepKind",
        "PetitionStatusEnum": "gaizao.petitions.models.Status",
        "MonitorReportStatusEnum": "gaizao.monitors.models.ReportStatus",
        "MonitorReportStepKindEnum": "gaizao.monitors.models.StepKind",
    },
}

# Every handler masks ID numbers and mobile numbers (core/masking.py MaskedLogs); Django's own loggers write
# through them too, its development server's request lines (URLs with their queries) included.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"masked": {"()": "gaizao.core.masking.MaskedLogs"}},
    "formatters": {
        "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["masked"]},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server", "filters": ["masked"]},
    },
    "loggers": {
        "django": {"handlers": [], "level": "INFO"},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("GAIZAO_LOG_LEVEL", "WARNING")},
}


# ---- Production hardening: `gaizao check --deploy --fail-level WARNING` runs clean under GAIZAO_PRODUCTION=true.
def envint(name: str, default: str) -> int:
    value = os.environ.get(name, default).strip()
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


SESSION_COOKIE_HTTPONLY = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_HSTS_SECONDS = envint("GAIZAO_HSTS_SECONDS", str(365 * 24 * 3600))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_SSL_REDIRECT = envbool("GAIZAO_SSL_REDIRECT", "true")
    if envbool("GAIZAO_BEHIND_PROXY", "false"):  # the proxy in front terminates TLS and says so in this header
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"
    # HSTS preload binds the parent domain and all its subdomains in every browser for months: that is for
    # whoever owns the (government) domain to decide, not for one application on it. GAIZAO_HSTS_PRELOAD=true
    # opts in; until then the warning that asks for it (security.W021) is silenced.
    SECURE_HSTS_PRELOAD = envbool("GAIZAO_HSTS_PRELOAD", "false")
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
