"""Settings, read from the environment (see README.md for every variable).

Nothing configured gives the embedded site: a SQLite file under var/ and Celery tasks run in-process.
DATABASE_URL and CELERY_BROKER_URL switch to PostgreSQL and a real broker.
"""
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

from config.env import BROKER_SCHEMES, DATABASE_SCHEMES, check_url, fail

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

try:
    DEBUG = env.bool("DEBUG", default=False)
except Exception:  # environ raises a bare ValueError/ImproperlyConfigured on e.g. DEBUG=maybe
    fail("DEBUG", "expected true or false")

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    # The embedded default (nothing configured: SQLite, no broker) runs on one machine with a fixed development
    # key, so that `python manage.py …` works out of the box; a deployment (DATABASE_URL set) must bring its own.
    if not DEBUG and env.str("DATABASE_URL", default=""):
        fail("SECRET_KEY", "must be set when DEBUG is off and DATABASE_URL is set")
    SECRET_KEY = "django-insecure-embedded-site-only-never-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "simple_history",
    "import_export",
    "core",
    "accounts",
    "institutions",
    "quotas",
    "allocation",
    "positions",
    "workflow",
    "reconciliation",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
            ],
        },
    },
]

# --- database ---------------------------------------------------------------------------------
DATABASE_URL = env.str("DATABASE_URL", default="")
if DATABASE_URL:
    check_url("DATABASE_URL", DATABASE_URL, DATABASE_SCHEMES, needs_host=True)
    try:
        DATABASES = {"default": env.db_url_config(DATABASE_URL)}
    except Exception as exc:  # environ's own parse errors
        fail("DATABASE_URL", str(exc))
else:
    VAR_DIR.mkdir(exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            # Writers wait for each other instead of failing at once with "database is locked".
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- language and time ------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static and uploaded files ----------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every request without it
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# --- security (production values whenever DEBUG is off) ---------------------------------------
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
X_FRAME_OPTIONS = "DENY"
LOGIN_URL = "admin:login"

# --- Celery -----------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
if CELERY_BROKER_URL:
    check_url("CELERY_BROKER_URL", CELERY_BROKER_URL, BROKER_SCHEMES, needs_host=True)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str(
    "CELERY_RESULT_BACKEND",
    default=CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else "",
) or None
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_RESULT_EXPIRES = 3600
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE: dict = {
    # Every minute, the safety net of the posting hook below: allocation reads the ledger past its watermark.
    # Daily (every 24 hours, in seconds): expired quota-use notices release their reservations; overdue turnover-pool
    # loans are flagged. All are idempotent, so a run more or less changes nothing.
    "allocation-read-ledger": {"task": "allocation.read_ledger", "schedule": 60},
    "workflow-expire-quota-use-notices": {"task": "workflow.expire_quota_use_notices", "schedule": 24 * 60 * 60},
    "workflow-flag-overdue-loans": {"task": "workflow.flag_overdue_loans", "schedule": 24 * 60 * 60},
}

# --- the ledger's readers -------------------------------------------------------------------------------
# The ledger calls none of its consumers. After a commit that posted, it runs these hooks (dotted paths of callables
# without arguments), which only wake a reader; each reader reads the transfer log past its own watermark.
LEDGER_POSTING_HOOKS = ["allocation.tasks.ledger_posted"]
# The young-gap rule of the feed (quotas.selectors.ledger_feed): a gap in transfer ids younger than this may be a
# posting still in flight, and the reader waits for it; an older gap is a rolled-back posting.
LEDGER_FEED_SETTLE_SECONDS = env.int("LEDGER_FEED_SETTLE_SECONDS", default=60)

# --- REST API ---------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: a client without credentials then gets 401 with a WWW-Authenticate header.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.permissions.RolePermission"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
    "NON_FIELD_ERRORS_KEY": "non_field_errors",
    "DATETIME_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "编制管理平台 API (Staffing-quota platform)",
    "DESCRIPTION": "Registry, quota ledger, allocation and positions. Authenticate with "
    "`Authorization: Token <key>` (see `python manage.py issue_token`).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "QuotaTypeCodeEnum": "quotas.choices.QuotaTypeCode",
        "HolderKindEnum": "quotas.choices.HolderKind",
        "TransferKindEnum": "quotas.choices.TransferKind",
        "PoolSectorEnum": "quotas.choices.PoolSector",
        "RegionKindEnum": "institutions.choices.RegionKind",
        "InstitutionKindEnum": "institutions.choices.InstitutionKind",
        "InstitutionStatusEnum": "institutions.choices.InstitutionStatus",
        "DocumentKindEnum": "institutions.choices.DocumentKind",
        "RankEnum": "institutions.choices.Rank",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
