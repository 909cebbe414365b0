"""Settings, read from the environment (see README.md for every variable).

Nothing configured gives the embedded site: a SQLite file under var/ and Celery tasks run in-process.
DATABASE_URL and CELERY_BROKER_URL switch to PostgreSQL and a real broker.
"""
from datetime import timedelta
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
    "knox",  # API tokens: stored hashed, with an expiry (the model is accounts.ApiToken)
    "axes",  # locks a login out after repeated wrong passwords
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "simple_history",
    "import_export",
    "core",
    "accounts",
    "institutions",
    "outbox",
    "quotas",
    "standards",
    "allocation",
    "positions",
    "workflow",
    "reconciliation",
    "reforms",
    "mandates",
    "powers",
    "tracking",
    "finance",
    "integrations",
    "portal",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.csp.AdminCSPMiddleware",  # right after CSPMiddleware: the admin's few inline attributes
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into the lockout page
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
                "portal.nav.menu",  # the menu by task and the breadcrumbs (lazy: the admin never reads it)
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
            "OPTIONS": {"timeout": 60, "transaction_mode": "IMMEDIATE"},
        }
    }
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: the reconciliation's and the dashboard's queries over a province (40,000 units, dozens of
    # subqueries a unit) are costed high enough to be compiled, and compiling took 3.6 s of a 4.7 s query that runs
    # in 1 s without it (bench/README.md, "Province pages"). A query of this application gains nothing from JIT.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- logins and API tokens --------------------------------------------------------------------
# django-axes: five wrong passwords for one user from one address lock that pair out for 15 minutes (a 429 page in
# Chinese, accounts.views.locked_out); a successful login clears the count. Its backend comes first: it refuses a
# locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_VERBOSE = False  # no banner on every manage.py run; failures and lockouts are still logged
# The client's address. AXES_PROXY_COUNT is the number of reverse proxies in front of the app (0: none, REMOTE_ADDR
# is the client). With N proxies, X-Forwarded-For must hold exactly the client and the N-1 proxies before the last
# one (whose address is REMOTE_ADDR); a longer, forged header is not believed. (Not named AXES_PROXY_COUNT here:
# axes reads that name as its own deprecated setting.)
try:
    _axes_proxy_count = env.int("AXES_PROXY_COUNT", default=0)
except ValueError:
    fail("AXES_PROXY_COUNT", "expected a whole number of proxies (0 or more)")
if _axes_proxy_count < 0:
    fail("AXES_PROXY_COUNT", "expected a whole number of proxies (0 or more)")
AXES_IPWARE_PROXY_COUNT = max(_axes_proxy_count - 1, 0)
AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if _axes_proxy_count else ("REMOTE_ADDR",)

# django-rest-knox: an API token is stored as a hash (its key is shown once, by issue_token) and expires after
# API_TOKEN_DAYS days, or after its integration client's own lifetime (UserProfile.token_days).
try:
    API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=90)
except ValueError:
    fail("API_TOKEN_DAYS", "expected a number of days")
if not 1 <= API_TOKEN_DAYS <= 3650:
    fail("API_TOKEN_DAYS", "expected between 1 and 3650 days")
KNOX_TOKEN_MODEL = "accounts.ApiToken"  # noqa: S105 -- a model name, not a secret
# knox's own migrations would create its AuthToken table (and content type) although our model replaces it: without
# them nothing unused is made.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=API_TOKEN_DAYS),
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",  # what clients already send: Authorization: Token <key>
}

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
# A .docx whose page setup, headers/footers and styles every official document (.docx) starts from; empty: the
# built-in GB/T 9704 layout (core/officialdoc.py).
OFFICIAL_DOCX_TEMPLATE = env.str("OFFICIAL_DOCX_TEMPLATE", default="")
if OFFICIAL_DOCX_TEMPLATE and not Path(OFFICIAL_DOCX_TEMPLATE).is_file():
    fail("OFFICIAL_DOCX_TEMPLATE", "no such file")
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
# Uploads: a document file is at most 20 MB (institutions.models.documents); a request carrying one may be a little
# larger (the form around it). Bodies that are not files (JSON, forms) stay small. Reading stops past the limit.
MAX_UPLOAD_BYTES = 21 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "core.uploads.BoundedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Imports: at most this many rows a file (a larger register is imported in parts).
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=5000)
# ... of which a file of up to this many is imported while the request waits; a larger one by a worker (a job).
IMPORT_SYNC_ROWS = env.int("IMPORT_SYNC_ROWS", default=500)
# Vacant-quota reclamation: a preview of up to this many units is read while the page waits; more, by a worker with
# a progress bar (a ``ReclamationPreview``).
RECLAMATION_SYNC_UNITS = env.int("RECLAMATION_SYNC_UNITS", default=500)

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
# Content-Security-Policy (django-csp 4): only our own files, no inline script or style, nothing from another host.
# The ReDoc page widens it for itself (config.views); admin pages allow a few third-party inline attributes by their
# hashes (config.csp).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}
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
    # loans are flagged; expired API tokens are deleted; units on the gradual market path give up the quotas their
    # leavers freed, and end when the last has left. All are idempotent, so a run more or less changes nothing.
    "allocation-read-ledger": {"task": "allocation.read_ledger", "schedule": 60},
    "quotas-close-ledger-periods": {"task": "quotas.close_ledger_periods", "schedule": 24 * 60 * 60},
    "workflow-expire-quota-use-notices": {"task": "workflow.expire_quota_use_notices", "schedule": 24 * 60 * 60},
    "workflow-flag-overdue-loans": {"task": "workflow.flag_overdue_loans", "schedule": 24 * 60 * 60},
    "accounts-purge-expired-tokens": {"task": "accounts.purge_expired_tokens", "schedule": 24 * 60 * 60},
    "reforms-settle-market-paths": {"task": "reforms.settle_market_paths", "schedule": 24 * 60 * 60},
    # Every minute, the safety net of the change hook: committed changes get their feed position, webhooks go out.
    "integrations-publish-changes": {"task": "integrations.publish_changes", "schedule": 60},
    # Every ten minutes, executed reform plans give their units the follow-up checklists they lack; daily, the
    # milestones and registrations past their deadline are flagged overdue (docs/domain.md, the reform's follow-up).
    "tracking-sync-checklists": {"task": "tracking.sync_checklists", "schedule": 10 * 60},
    "tracking-flag-overdue": {"task": "tracking.flag_overdue", "schedule": 24 * 60 * 60},
}

# --- the ledger's readers -------------------------------------------------------------------------------
# The ledger calls none of its consumers. After a commit that posted, it runs these hooks (dotted paths of callables
# without arguments), which only wake a reader; each reader reads the transfer log past its own watermark.
LEDGER_POSTING_HOOKS = ["allocation.tasks.ledger_posted"]

# --- the inboxes ---------------------------------------------------------------------------------------------
# Sections the apps above the workflow add to its inboxes (workflow/inbox.py): dotted paths of callables
# (user, visible institutions, today) returning {"template": ..., **context} or None.
INBOX_SECTIONS = ["tracking.views.inbox_section"]

# --- the change log and the webhooks ------------------------------------------------------------------
# After a commit that recorded changes (outbox.services.changes_record), these hooks wake the sequencer and the
# webhook deliveries (docs/finance-integration.md). A delivery refused (no 2xx) is retried after BASE × 2^(n-1)
# seconds, at most MAX seconds apart; after FAILURES refusals in a row the subscription pauses until resumed.
CHANGE_HOOKS = ["integrations.tasks.changes_recorded"]
WEBHOOK_RETRY_BASE_SECONDS = env.float("WEBHOOK_RETRY_BASE_SECONDS", default=10.0)
WEBHOOK_RETRY_MAX_SECONDS = env.float("WEBHOOK_RETRY_MAX_SECONDS", default=3600.0)
WEBHOOK_MAX_FAILURES = env.int("WEBHOOK_MAX_FAILURES", default=8)
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10.0)
# The young-gap rule of the feed (quotas.selectors.ledger_feed): a gap in transfer ids younger than this may be a
# posting still in flight, and the reader waits for it; an older gap is a rolled-back posting.
LEDGER_FEED_SETTLE_SECONDS = env.int("LEDGER_FEED_SETTLE_SECONDS", default=60)

# --- the reform's effect report ---------------------------------------------------------------------
# The levels' quota reduction percentages are "broadly consistent" while the largest and the smallest differ by at
# most this many percentage points (reforms.selectors.reform_effect).
REFORM_CONSISTENCY_TOLERANCE = env.int("REFORM_CONSISTENCY_TOLERANCE", default=5)

# --- imports and exports in the admin ----------------------------------------------------------------
# Importing writes rows: it needs the "add" permission of the model (a reader may not import); exporting, "view".
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

# --- REST API ---------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: a client without credentials then gets 401 with a WWW-Authenticate header.
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.permissions.TablePermission"],  # accounts/permission_table.py
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
    "DEFAULT_PARSER_CLASSES": [
        "core.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # Anonymous callers (wrong or missing tokens) and each user are limited; a 429 says when to come back.
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="60/min"),
        "user": env.str("API_THROTTLE_USER", default="1200/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "编制管理平台 API (Staffing-quota platform)",
    "DESCRIPTION": "Registry, quota ledger, allocation and positions. Authenticate with "
    "`Authorization: Token <key>` (see `python manage.py issue_token`).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs need a login; Swagger UI and ReDoc come from our static files (no CDN).
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
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
        "ChangeKindEnum": "outbox.models.ChangeKind",
    },
    # Every operation documents its error answers (400/401/403/404/409/429) with the one Error shape.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.add_error_responses",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
