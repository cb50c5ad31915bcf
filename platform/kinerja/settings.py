"""Django settings for Kinerja. Every value that differs between machines comes from the environment."""
from __future__ import annotations

import datetime
import os
from pathlib import Path

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from kinerja.database import data_dir, database_config

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent.parent  # the project root: platform/kinerja/settings.py -> ../..
DATA_DIR = data_dir(BASE_DIR)


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "kinerja-development-key-change-me-in-production")
DEBUG = env_bool("DJANGO_DEBUG", True)

# Regions are served at <slug>.<KINERJA_BASE_DOMAIN>; the platform's public site at the bare domain.
KINERJA_BASE_DOMAIN = os.environ.get("KINERJA_BASE_DOMAIN", "localhost")
KINERJA_PUBLIC_HOSTS = [
    h for h in os.environ.get("KINERJA_PUBLIC_HOSTS", f"{KINERJA_BASE_DOMAIN},127.0.0.1,testserver").split(",") if h
]
ALLOWED_HOSTS = [KINERJA_BASE_DOMAIN, f".{KINERJA_BASE_DOMAIN}", "127.0.0.1", "testserver", ".testserver"] + [
    h for h in os.environ.get("KINERJA_ALLOWED_HOSTS", "").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("KINERJA_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# --- multi-tenancy (django-tenants) -------------------------------------------------------------
TENANT_MODEL = "tenants.Region"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_NAME = "public"
# New regions are cloned from this schema, which `migrate` keeps up to date (see tenants.template).
TENANT_BASE_SCHEMA = "region_template"
TENANT_CREATION_FAKES_MIGRATIONS = env_bool("KINERJA_CLONE_TEMPLATE", True)
SHOW_PUBLIC_IF_NO_TENANT_FOUND = False
# Set search_path only when the schema changes, not before every query (halves the round trips).
TENANT_LIMIT_SET_CALLS = True
# Template clones kept ready, so onboarding renames one instead of waiting for a clone.
KINERJA_SPARE_SCHEMAS = int(os.environ.get("KINERJA_SPARE_SCHEMAS", "2"))
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]

_BOTH = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.admin",
    "rest_framework.authtoken",
    "kinerja.accounts",
    "kinerja.audit",
]
SHARED_APPS = [
    "tenants",  # before django_tenants, so its `migrate` (fleet-aware) is the one Django runs
    "django_tenants",
    "kinerja.web",  # before contrib.admin and auth, so our sign-in and password pages win
    *_BOTH,
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our own static files, no CDN
    "django_htmx",
    "tenants.billing",
    "kinerja.reports",  # snapshots: aggregates only, in the public schema
    "kinerja.demo",  # the seed_demo command
    "kinerja.plugins.failures",  # the plugin failure log: one for the platform, in the public schema
    "api",
]
TENANT_APPS = [
    *_BOTH,
    "kinerja.region",
    "kinerja.people",
    "kinerja.plugins",
    "kinerja.appraisal",
    "kinerja.pay",
    "kinerja.recruitment",
    "kinerja.training",
]
INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS]

MIDDLEWARE = [
    "django_tenants.middleware.main.TenantMainMiddleware",
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
    "tenants.middleware.RegionContextMiddleware",
    "kinerja.web.middleware.RefuseNullCharactersMiddleware",
]

ROOT_URLCONF = "kinerja.urls_tenant"
PUBLIC_SCHEMA_URLCONF = "kinerja.urls_public"
WSGI_APPLICATION = "kinerja.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kinerja.web.context_processors.navigation",
                "tenants.billing.context_processors.billing",
            ],
        },
    },
]

DATABASES = {"default": database_config(BASE_DIR)}
# Separate names let several test runs share one server at once.
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("KINERJA_TEST_DATABASE", "test_kinerja")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# --- language and time --------------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Jakarta"  # the platform's; each region activates its own (WIB/WITA/WIT)
USE_TZ = True

# --- files, cache, mail -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every request when it is missing
STORAGES = {
    # Uploaded files land in MEDIA_ROOT/<schema>/..., so regions never share a folder.
    "default": {"BACKEND": "django_tenants.files.storage.TenantFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(os.environ.get("KINERJA_MEDIA_ROOT", DATA_DIR / "media"))
MEDIA_URL = "/media/"
MULTITENANT_RELATIVE_MEDIA_ROOT = "%s"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache"
        if os.environ.get("REDIS_URL")
        else "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": os.environ.get("REDIS_URL", "kinerja"),
        # Keys carry the schema name, so one region never reads another's cache.
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    }
}

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Kinerja <noreply@kinerja.localhost>")

# --- Celery (tenant-aware: tenant-schemas-celery carries the schema in the message headers) -----
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
_BROKER_DIR = DATA_DIR / "broker"
if CELERY_BROKER_URL.startswith("filesystem"):
    for _folder in ("queue", "processed", "control"):
        (_BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(_BROKER_DIR / "queue"),
        "data_folder_out": str(_BROKER_DIR / "queue"),
        "processed_folder": str(_BROKER_DIR / "processed"),
        "store_processed": False,
        "control_folder": str(_BROKER_DIR / "control"),
        "polling_interval": 0.1,  # the default 1 s wait between messages makes fan-outs crawl
    }
    if CELERY_BROKER_URL.startswith("filesystem")
    else {}
)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_ACKS_LATE = True  # a task whose worker dies is delivered again
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
# Nightly, in the platform's time zone (WIB): billing first, then the BKN snapshots that read headcounts.
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "billing-sync-headcounts": {"task": "tenants.billing.tasks.sync_headcounts_task",
                                "schedule": crontab(hour=0, minute=30)},
    "billing-enforce-grace-periods": {"task": "tenants.billing.tasks.enforce_grace_periods_task",
                                      "schedule": crontab(hour=0, minute=45)},
    "reports-refresh-all-regions": {"task": "kinerja.reports.tasks.refresh_all_regions_task",
                                    "schedule": crontab(hour=1, minute=30)},
    # a pay run whose worker died (and whose message the broker lost) is sent to the workers again
    "pay-resume-stalled-runs": {"task": "tenants.tasks.resume_stalled_pay_runs_everywhere_task",
                                "schedule": datetime.timedelta(
                                    seconds=int(os.environ.get("KINERJA_PAY_STALL_CHECK_SECONDS", "15")))},
    "training-sync-catalogs": {"task": "tenants.tasks.sync_training_catalogs_everywhere_task",
                               "schedule": crontab(hour=2, minute=0)},
}
# A computing pay run whose progress has stood still this long counts as stalled. A chunk commits its
# progress every few seconds, and a chunk being computed holds its row lock, so the sweeper (every
# KINERJA_PAY_STALL_CHECK_SECONDS) never resends a run a live worker holds: a dead worker's run is sent
# again within threshold + interval, about a minute.
KINERJA_PAY_STALL_SECONDS = int(os.environ.get("KINERJA_PAY_STALL_SECONDS", "45"))

# --- billing (Stripe) ---------------------------------------------------------------------------
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")  # empty: card payments are switched off
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "https://api.stripe.com")

# --- API ----------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pages",  # ?page_size= up to 200
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # The services' ValidationError, PermissionDenied and not-found become 400, 403 and 404 in one place.
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kinerja API",
    "DESCRIPTION": "Region-scoped API: every request is answered from the region named by its host.",
    "VERSION": "1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.exceptions.document_errors"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("KINERJA_LOG_LEVEL", "WARNING")},
}
