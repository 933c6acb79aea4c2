"""Hotline settings: every value comes from the environment, read once, here."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from hotline.env import env_bool, env_float, env_int, env_list, env_str
from hotline.postgres_options import PLANNED_FOR_THEIR_VALUES, PREPARED_STATEMENTS

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("HOTLINE_DATA_DIR", str(Path.cwd() / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
# Without SECRET_KEY a per-installation key is generated once and kept in the
# data directory, so the embedded demo needs no set-up yet sessions survive restarts.
_secret_file = DATA_DIR / "secret_key"
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not _secret_file.exists():
        from django.core.management.utils import get_random_secret_key

        _secret_file.write_text(get_random_secret_key())
        _secret_file.chmod(0o600)
    SECRET_KEY = _secret_file.read_text().strip()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "hotline.accounts",
    "hotline.audit",
    "hotline.customers",
    "hotline.notifications",
    "hotline.contacts",
    "hotline.workorders",
    "hotline.reports",
    "hotline.workforce",
    "hotline.web",
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
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hotline.urls"
WSGI_APPLICATION = "hotline.wsgi.application"

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
                "hotline.web.context_processors.navigation",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'hotline.sqlite3'}")
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
except ValueError as error:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database address: {error}") from error
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_PREPARED_STATEMENTS", True
):
    DATABASES["default"]["OPTIONS"] = {**PREPARED_STATEMENTS, **PLANNED_FOR_THEIR_VALUES}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL lets the web server read while an import writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "hotline.accounts.backends.RoleBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Five wrong passwords for one user from one address lock that pair for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every start without it
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    # The embedded default has no broker: background jobs run in the request that queues them.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://localhost/"
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
# The time-limit sweep; the demo runs the same job from its embedded scheduler.
HOTLINE_SWEEP_EVERY_S = env_int("HOTLINE_SWEEP_EVERY_S", 60, minimum=5)
CELERY_BEAT_SCHEDULE = {
    "sweep-time-limits": {
        "task": "hotline.workorders.tasks.sweep_time_limits",
        "schedule": HOTLINE_SWEEP_EVERY_S,
    },
    "retry-due-webhooks": {
        "task": "notifications.retry_due_webhooks",
        "schedule": 60,
    },
}

# 重复障碍: a fault on the same line and service within this many days of an earlier one.
HOTLINE_REPEAT_FAULT_DAYS = env_int("HOTLINE_REPEAT_FAULT_DAYS", 30, minimum=1)
# 一线解决率 target: the share of decided orders the first line resolves itself, 0 to 1
# (docs/work-order-reports.md).
HOTLINE_FIRST_LINE_TARGET = env_float("HOTLINE_FIRST_LINE_TARGET", 0.98, minimum=0, maximum=1)

# Call KPIs (docs/kpis.md): where the standards differ, the center chooses. Checked at
# start-up by the reports app (a bad value stops the server).
HOTLINE_SERVICE_LEVEL_S = env_float("HOTLINE_SERVICE_LEVEL_S", 20, minimum=0, maximum=3600)
HOTLINE_SERVICE_LEVEL_THRESHOLDS_S = env_list("HOTLINE_SERVICE_LEVEL_THRESHOLDS_S", ["15", "20"])
HOTLINE_SHORT_ABANDON_S = env_float("HOTLINE_SHORT_ABANDON_S", 0, minimum=0, maximum=60)
HOTLINE_FCR_WINDOW_HOURS = env_int("HOTLINE_FCR_WINDOW_HOURS", 24, minimum=1)
HOTLINE_REPEAT_CALLER_CONTACTS = env_int("HOTLINE_REPEAT_CALLER_CONTACTS", 4, minimum=2)
HOTLINE_REPEAT_CALLER_DAYS = env_int("HOTLINE_REPEAT_CALLER_DAYS", 7, minimum=1)
# KPI=variant pairs, e.g. service_level=offered.
HOTLINE_KPI_VARIANTS = env_list("HOTLINE_KPI_VARIANTS", [])
# KPI>=value or KPI<=value: the targets reports show against the actuals.
HOTLINE_KPI_TARGETS = env_list(
    "HOTLINE_KPI_TARGETS",
    [
        "service_level>=0.8",
        "answer_rate>=0.95",
        "abandon_rate<=0.05",
        "asa<=20",
        "fcr_calls>=0.75",
        "occupancy<=0.85",
        "not_ready_ratio<=0.15",
        "availability>=0.999",
    ],
)
# What an hour of an agent's logged-in time costs (wages and overheads), for cost per contact.
HOTLINE_STAFF_COST_PER_HOUR = env_float(
    "HOTLINE_STAFF_COST_PER_HOUR", 60, minimum=0, maximum=100_000
)
# Staffing targets of the workforce plan (排班目标): service level within a threshold, and the most
# of their time agents should be busy. Shrinkage is the share of scheduled time lost to absence,
# coaching and the like: breaks and meals are placed in the shifts themselves, not counted here.
HOTLINE_STAFFING_SERVICE_LEVEL = env_float(
    "HOTLINE_STAFFING_SERVICE_LEVEL", 0.8, minimum=0.01, maximum=0.999
)
HOTLINE_STAFFING_THRESHOLD_S = env_float(
    "HOTLINE_STAFFING_THRESHOLD_S", 20, minimum=0, maximum=3600
)
HOTLINE_STAFFING_SHRINKAGE = env_float("HOTLINE_STAFFING_SHRINKAGE", 0.15, minimum=0, maximum=0.9)
HOTLINE_STAFFING_MAX_OCCUPANCY = env_float(
    "HOTLINE_STAFFING_MAX_OCCUPANCY", 0.85, minimum=0.1, maximum=1
)
HOTLINE_FORECAST_INTERVAL_MINUTES = env_int("HOTLINE_FORECAST_INTERVAL_MINUTES", 30, minimum=15)
if HOTLINE_FORECAST_INTERVAL_MINUTES not in (15, 30, 60):
    raise ImproperlyConfigured("HOTLINE_FORECAST_INTERVAL_MINUTES must be 15, 30 or 60")
HOTLINE_FORECAST_HISTORY_WEEKS = env_int("HOTLINE_FORECAST_HISTORY_WEEKS", 8, minimum=1)

# E-mail goes out over SMTP when EMAIL_HOST is set; without it messages are printed to the
# console, so the embedded default needs no mail server.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL exclude each other: set one")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "hotline@localhost")

# Notifications: channels, webhooks and SMS (docs/notifications.md).
HOTLINE_NOTIFICATION_CHANNELS = env_list(
    "HOTLINE_NOTIFICATION_CHANNELS", ["inbox", "email", "webhook"]
)
# Where Hotline is reached from outside, to make links absolute in e-mails and webhooks.
HOTLINE_BASE_URL = env_str("HOTLINE_BASE_URL", "http://127.0.0.1:8000")
if not HOTLINE_BASE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(
        f"HOTLINE_BASE_URL must start with http:// or https://, not {HOTLINE_BASE_URL!r}"
    )
HOTLINE_WEBHOOK_MAX_ATTEMPTS = env_int("HOTLINE_WEBHOOK_MAX_ATTEMPTS", 8, minimum=1)
# The wait before the first retry, doubling after; at least twice the 5 s request timeout,
# so that a retry does not start while the attempt before it may still be running.
HOTLINE_WEBHOOK_RETRY_SECONDS = env_int("HOTLINE_WEBHOOK_RETRY_SECONDS", 60, minimum=10)
HOTLINE_SMS_BACKEND = env_str("HOTLINE_SMS_BACKEND", "console")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "hotline.accounts.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "hotline.api_errors.json_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Hotline API",
    "DESCRIPTION": "客服热线运营平台 API: customers, lines, audit history, imports.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["hotline.accounts.permissions.HasRole"],
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the installed sidecar package: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "LineStatusEnum": "hotline.customers.models.LineStatus",
        "ImportStatusEnum": "hotline.customers.models.ImportBatch.Status",
        "TierEnum": "hotline.customers.models.Tier",
        "PreviewTierEnum": "hotline.workorders.serializers.PREVIEW_TIERS",
    },
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
