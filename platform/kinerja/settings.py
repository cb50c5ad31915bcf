"""Django settings for Kinerja. Every value that differs between machines comes from the environment."""
from __future__ import annotations

import datetime
import os
from pathlib import Path

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from kinerja.database import data_dir, database_config, installation_secret_key

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent.parent  # the project root: platform/kinerja/settings.py -> ../..
DATA_DIR = data_dir(BASE_DIR)


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or installation_secret_key(DATA_DIR)
# `dev.py run` sets KINERJA_DEVELOPMENT (and DJANGO_DEBUG); anything else runs as production does: no
# debug pages, secure cookies, HSTS.
DEVELOPMENT = env_bool("KINERJA_DEVELOPMENT", False)
DEBUG = env_bool("DJANGO_DEBUG", False)

# Regions are served at <slug>.<KINERJA_BASE_DOMAIN>; the platform's public site at the bare domain.
KINERJA_BASE_DOMAIN = os.environ.get("KINERJA_BASE_DOMAIN", "localhost")
KINERJA_PUBLIC_HOSTS = [
    h for h in os.environ.get("KINERJA_PUBLIC_HOSTS", f"{KINERJA_BASE_DOMAIN},127.0.0.1,testserver").split(",") if h
]
ALLOWED_HOSTS = [KINERJA_BASE_DOMAIN, f".{KINERJA_BASE_DOMAIN}", "127.0.0.1", "testserver", ".testserver"] + [
    h for h in os.environ.get("KINERJA_ALLOWED_HOSTS", "").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("KINERJA_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
# Links the platform writes into mail (password reset) are built from this address, never from the
# request's Host header: scheme and port from here, the host from the region's own domain.
KINERJA_SITE_URL = os.environ.get("KINERJA_SITE_URL", f"https://{KINERJA_BASE_DOMAIN}")

# --- transport security (on unless the development command runs) --------------------------------
SESSION_COOKIE_SECURE = env_bool("KINERJA_SECURE_COOKIES", not DEVELOPMENT)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = int(os.environ.get("KINERJA_HSTS_SECONDS", "0" if DEVELOPMENT else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True  # every region is a subdomain
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = env_bool("KINERJA_SSL_REDIRECT", False)  # nginx redirects in infra/; set it without one
# nginx (infra/) terminates TLS and says so in this header.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
# How long the operator's signed link to a region's archive works.
KINERJA_ARCHIVE_LINK_SECONDS = int(os.environ.get("KINERJA_ARCHIVE_LINK_SECONDS", "3600"))

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
    "axes",  # failed sign-ins are counted in the schema of the site they were made on
    "django_otp",
    "django_otp.plugins.otp_totp",
    "kinerja.logins",  # logins, roles, tokens and two-factor pages (no tables of its own)
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
    "kinerja.notifications",
]
INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS]

MIDDLEWARE = [
    "django_tenants.middleware.main.TenantMainMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "kinerja.web.middleware.RefuseNullCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tenants.middleware.RegionContextMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "kinerja.accounts.middleware.TwoFactorMiddleware",
    "axes.middleware.AxesMiddleware",
    "csp.middleware.CSPMiddleware",
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
            # money, numbers, dates and times written one way everywhere (kinerja.region.formats)
            "builtins": ["kinerja.region.templatetags.formats"],
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
# Sign-in with a NIP, a username or an e-mail address; django-axes first refuses locked-out attempts.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "kinerja.accounts.backends.SignInBackend"]
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
# SMTP when DJANGO_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend: Django's own settings.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(DATA_DIR / "mail"))  # for the file backend

# --- Celery (tenant-aware: tenant-schemas-celery carries the schema in the message headers) -----
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
# A test run queues the tasks it does not run eagerly in a folder of its own (pytest sets PYTEST_VERSION):
# a worker of `dev.py run` from the same checkout must never take a test's task and run it against the
# demo's database, nor take a task a test's own worker waits for.
_BROKER_DIR = Path(os.environ.get("KINERJA_BROKER_DIR")
                   or DATA_DIR / ("broker-tests" if "PYTEST_VERSION" in os.environ else "broker"))
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
    # a region onboarded beyond the spare pool whose placement task was lost (Citus only)
    "cluster-place-new-regions": {"task": "tenants.tasks.place_unplaced_regions_task",
                                  "schedule": datetime.timedelta(minutes=1)},
    # a pay run whose worker died (and whose message the broker lost) is sent to the workers again
    "pay-resume-stalled-runs": {"task": "tenants.tasks.resume_stalled_pay_runs_everywhere_task",
                                "schedule": datetime.timedelta(
                                    seconds=int(os.environ.get("KINERJA_PAY_STALL_CHECK_SECONDS", "15")))},
    "training-sync-catalogs": {"task": "tenants.tasks.sync_training_catalogs_everywhere_task",
                               "schedule": crontab(hour=2, minute=0)},
    "appraisal-objection-deadlines": {"task": "tenants.tasks.remind_objection_deadlines_everywhere_task",
                                      "schedule": crontab(hour=6, minute=0)},
    "people-apply-career-events": {"task": "tenants.tasks.apply_career_events_everywhere_task",
                                   "schedule": crontab(hour=0, minute=5)},
    "people-notify-departures": {"task": "tenants.tasks.notify_departures_everywhere_task",
                                 "schedule": crontab(hour=6, minute=30)},
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

# --- sign-in safety (django-axes) and two-factor (django-otp) ----------------------------------
# KINERJA_SIGNIN_FAILURE_LIMIT failed sign-ins within KINERJA_SIGNIN_COOLOFF_MINUTES, for one account or
# from one client address, lock that account or address until that long after the last failure. The
# same counters cover staff sign-in, the job portal's applicants and API tokens.
AXES_FAILURE_LIMIT = int(os.environ.get("KINERJA_SIGNIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("KINERJA_SIGNIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # per account, and per client address
AXES_USERNAME_CALLABLE = "kinerja.accounts.backends.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "kinerja.accounts.signin_guard.lockout_response"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "Kinerja"
# Lifetime limit of a personal API token (days).
KINERJA_API_TOKEN_MAX_DAYS = int(os.environ.get("KINERJA_API_TOKEN_MAX_DAYS", "365"))

# --- API ----------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.PersonalTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Every write takes named fields: a JSON body that is not an object is a 400 (api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.JSONObjectParser",
        "api.parsers.FormParser",
        "api.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pages",  # ?page_size= up to 200
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",  # nullable relations, downloads, viewsets without serializers
    # The services' ValidationError, PermissionDenied and not-found become 400, 403 and 404 in one place.
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kinerja API",
    "DESCRIPTION": "Region-scoped API: every request is answered from the region named by its host.\n\n"
                   "**Getting a token:** sign in to the site, open *My API tokens* (`/me/tokens/`), name the "
                   "token and give its last day; it is shown once. Send it as `Authorization: Token knj_...`. "
                   "A revoked or expired token, or one whose login was deactivated, is refused at once; "
                   "repeated failures from one address are locked out for a while (HTTP 429).",
    "VERSION": "1",
    # paths are written after the version prefix; "try it out" on the docs page sends to the host it is on
    "SERVERS": [{"url": "/api/v1"}],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.exceptions.document_errors",
                             "api.schema.examples_that_work_today"],
    # Two choice sets share the field name "status"; each gets its own name instead of a hashed one.
    "ENUM_NAME_OVERRIDES": {"PlanStatusEnum": "kinerja.appraisal.models.PlanStatus",
                            "EmployeeStatusEnum": "kinerja.people.models.EmployeeStatus"},
}

# --- Content-Security-Policy (django-csp): scripts and styles from our own static files only ---------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("KINERJA_LOG_LEVEL", "WARNING")},
}
