"""Settings for Kết Nối, read from the environment.

Every variable is documented in README.md. Development needs none of them;
production (KETNOI_ENV=production) refuses to start without a secret key.
"""

import os
from pathlib import Path

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .database import data_dir, database_config

BASE_DIR = Path(__file__).resolve().parents[2]


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item]


PRODUCTION = os.environ.get("KETNOI_ENV", "development") == "production"
DEBUG = env_bool("DEBUG", not PRODUCTION)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when KETNOI_ENV=production.")
    SECRET_KEY = "development-only-not-secret-ketnoi-0123456789-abcdefghijklmnop"

BASE_DOMAIN = os.environ.get("BASE_DOMAIN", "localhost")
# Unknown hosts are answered by the tenant middleware with a 404, so the list
# of allowed hosts can stay open for provinces' custom domains.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "*")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
PUBLIC_PORT = os.environ.get("PUBLIC_PORT", "" if PRODUCTION else "8000")
PUBLIC_SCHEME = "https" if PRODUCTION else "http"

# --- apps -------------------------------------------------------------------

SHARED_APPS = [
    "django_tenants",
    "ketnoi",
    "tenants",
    "api",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.admin",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "phonenumber_field",
    "graphene_django",
]

TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "wagtail.contrib.forms",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "cms",
    "django.contrib.postgres",
    "network",
    "catalog",
    "events",
    "orders",
]

INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Province"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_NAME = "public"
# New provinces are cloned from this schema, which migrate_schemas keeps
# current because it is registered as a tenant of kind "template".
TENANT_BASE_SCHEMA = "province_template"
TENANT_CREATION_FAKES_MIGRATIONS = True
PUBLIC_SCHEMA_URLCONF = "ketnoi.urls_public"
ROOT_URLCONF = "ketnoi.urls_tenant"
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
# Set the search path once per tenant switch rather than before every query;
# every switch (request, task, schema_context) resets it.
TENANT_LIMIT_SET_CALLS = True

MIDDLEWARE = [
    "ketnoi.middleware.ServerTimingMiddleware",
    "tenants.middleware.ProvinceMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ketnoi.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so it sees the language and the resolved URL of each response.
    "cms.cache.PageCacheMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "ketnoi.wsgi.application"

# --- data -------------------------------------------------------------------

DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_FUNCTION": "django_tenants.cache.make_key",
            "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_FUNCTION": "django_tenants.cache.make_key",
            "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
        }
    }
CACHES["default"]["KEY_PREFIX"] = os.environ.get("CACHE_KEY_PREFIX", "ketnoi")

# --- Celery -----------------------------------------------------------------

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
if CELERY_BROKER_URL.startswith("filesystem://"):
    # A broker without a server, for a worker on the same machine: messages
    # are files in one folder.
    _broker_folder = os.environ.get(
        "CELERY_FILESYSTEM_FOLDER", str(data_dir() / "broker")
    )
    Path(_broker_folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": _broker_folder,
        "data_folder_out": _broker_folder,
        "control_folder": str(Path(_broker_folder) / "control"),
    }
# With no broker the tasks run in-process, so a fresh clone needs no server.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "ketnoi")
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
CELERY_BEAT_SCHEDULE = {
    # Early, so the day's delistings happen before members browse.
    "catalog-certificate-expiry": {
        "task": "catalog.check_certificate_expiry",
        "schedule": crontab(hour=5, minute=30),
    },
    "publish-scheduled-pages": {
        "task": "cms.publish_scheduled_pages",
        "schedule": 60.0,
    },
    "livestream-reminders": {
        "task": "events.remind_all_provinces",
        "schedule": 300.0,
    },
    # Rebuild every province's reporting figures from its live data, in case
    # a debounced refresh was lost.
    "reporting-rebuild-all": {
        "task": "api.rebuild_all",
        "schedule": crontab(hour=2, minute=15),
    },
    # Rounds close on time even when nobody presses the button.
    "orders-close-due-rounds": {
        "task": "orders.close_due_rounds",
        "schedule": 60.0,
    },
}
# How members hear about their orders: any class with send(member, subject, body).
ORDERS_NOTIFIER = "orders.notify.EmailNotifier"

# --- files ------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django_tenants.files.storage.TenantFileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", data_dir() / "media"))
# Each province's uploads go to MEDIA_ROOT/<schema>/.
MULTITENANT_RELATIVE_MEDIA_ROOT = "%s"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- language and time ------------------------------------------------------

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

# --- accounts and security --------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/admin/login/"
# Sessions are read from the shared cache (keys carry the province's schema)
# and written through to the province's table, so a signed-in page costs no
# session query while the cache holds it.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Cookies belong to the host that set them, so a session on one province's
# host is never sent to another's.
SESSION_COOKIE_DOMAIN = None
CSRF_COOKIE_DOMAIN = None
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(
    os.environ.get("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
# Wagtail's live preview shows the page in a frame of the admin itself.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", f"Kết Nối <no-reply@{BASE_DOMAIN}>"
)

# --- Wagtail ----------------------------------------------------------------

WAGTAIL_SITE_NAME = "Kết Nối"
WAGTAILADMIN_BASE_URL = f"{PUBLIC_SCHEME}://{BASE_DOMAIN}"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_I18N_ENABLED = False
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
WAGTAILDOCS_EXTENSIONS = ["pdf", "jpg", "jpeg", "png"]
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
# Anonymous page views are cached this long per province; 0 turns it off.
KETNOI_PAGE_CACHE_SECONDS = int(os.environ.get("KETNOI_PAGE_CACHE_SECONDS", "300"))
# Newspapers whose pages may host a province's livestreams.
KETNOI_NEWSPAPER_DOMAINS = env_list(
    "KETNOI_NEWSPAPER_DOMAINS", "phunuvietnam.vn,phunuthudo.vn,baophunu.vn"
)
# Extra host names of the union's own portal, beyond the province's domains.
KETNOI_PORTAL_DOMAINS = env_list("KETNOI_PORTAL_DOMAINS", "")

PHONENUMBER_DEFAULT_REGION = "VN"
PHONENUMBER_DB_FORMAT = "E164"

# --- national reporting (api) ----------------------------------------------

# A province's changes reach the national figures after at most this many
# seconds plus one refresh (api.changes).
REPORTING_DEBOUNCE_SECONDS = int(os.environ.get("REPORTING_DEBOUNCE_SECONDS", "10"))
GRAPHQL_MAX_DEPTH = 8
# Estimated rows and fields a query may ask for (api.limits).
GRAPHQL_MAX_COST = 20_000
GRAPHQL_MAX_PAGE = 100
GRAPHENE = {
    "SCHEMA": "api.schema.schema",
    "ATOMIC_MUTATIONS": False,
    # Not graphene-django's debug middleware, which DEBUG would add: it wraps
    # every field's resolver, and the schema has no field to show its output.
    "MIDDLEWARE": [],
}

# --- logging ----------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"tenant": {"()": "django_tenants.log.TenantContextFilter"}},
    "formatters": {
        "plain": {
            "format": (
                "%(asctime)s %(levelname)s [%(schema_name)s] %(name)s: %(message)s"
            )
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["tenant"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "ketnoi": {"level": os.environ.get("LOG_LEVEL", "INFO")},
        "tenants": {"level": os.environ.get("LOG_LEVEL", "INFO")},
        "api": {"level": os.environ.get("LOG_LEVEL", "INFO")},
    },
}
