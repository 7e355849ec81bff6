"""Settings for Netzwerk-Timer.

Every value comes from an environment variable with a development default.
Without DATABASE_URL and REDIS_URL the portal runs embedded: SQLite, a file
cache and a file-system Celery broker, so that `make run` needs no server.
Secrets have no production default: SECRET_KEY falls back only with DEBUG.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (for development: DEBUG=1).")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105 (DEBUG only)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The public address of the portal: used in iCal UIDs, feed links and e-mails.
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000").rstrip("/")
SITE_DOMAIN = os.environ.get("SITE_DOMAIN", "netzwerk-timer.de")

# Open data (/opendata/): the licence of the published event data and the attribution it asks for.
# The URL is the licence's human-readable deed; the DCAT description names the licence by the
# IRI of the DCAT-AP.de vocabulary when it knows one for that URL (opendata/dcat.py).
OPENDATA_LICENCE_NAME = os.environ.get(
    "OPENDATA_LICENCE_NAME", "Creative Commons Namensnennung 4.0 International (CC BY 4.0)"
)
OPENDATA_LICENCE_URL = os.environ.get("OPENDATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/deed.de")
OPENDATA_ATTRIBUTION = os.environ.get(
    "OPENDATA_ATTRIBUTION",
    "Netzwerk-Timer Thüringen, Cross-Cluster-Initiative Thüringen und die veranstaltenden Netzwerke",
)
# Who publishes the data (DCAT dct:publisher), and an address for questions about it (empty: none named).
OPENDATA_PUBLISHER = os.environ.get("OPENDATA_PUBLISHER", "Cross-Cluster-Initiative Thüringen (Netzwerk-Timer)")
OPENDATA_CONTACT_EMAIL = os.environ.get("OPENDATA_CONTACT_EMAIL", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_filters",
    "django_prose_editor",
    "netzwerktimer.login_protection.LoginProtectionConfig",  # django-axes
    "netzwerktimer",
    "images",
    "networks",
    "events",
    "feeds",
    "importer",
    "planning",
    "reports",
    "campaigns",
    "programme",
    "overview",
    "venues",
    "opendata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside everything that sets cookies: what is not marked public stays private (CDN, reverse proxy).
    "netzwerktimer.middleware.CacheControlMiddleware",
    # A page whose ETag the browser or proxy already has is answered with 304 and no body.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "netzwerktimer.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "netzwerktimer.middleware.PermissionsPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "netzwerktimer.urls"
WSGI_APPLICATION = "netzwerktimer.wsgi.application"

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
                "netzwerktimer.context_processors.seo",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'netzwerktimer.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes an import.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # SQLite builds the covering indexes without their INCLUDE columns; that is fine
    # for the embedded default, whose tables are small.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
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

# Event images (images/): uploads and fetched pictures are refused above these limits and
# stored re-encoded in these widths. In an S3-compatible store when its bucket is named
# (django-storages; AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from the environment),
# else below MEDIA_ROOT, served under MEDIA_URL with a long cache lifetime.
IMAGES_MAX_UPLOAD_BYTES = int(os.environ.get("IMAGES_MAX_UPLOAD_BYTES", str(8 * 2**20)))
IMAGES_MAX_PIXELS = int(os.environ.get("IMAGES_MAX_PIXELS", "25000000"))
IMAGES_WIDTHS = (480, 800, 1200, 1600)
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
MEDIA_IMG_SOURCES = []
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
    # The address pictures are served from (a CDN or the bucket's own domain), allowed by the CSP below.
    AWS_S3_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None
    AWS_QUERYSTRING_AUTH = False
    AWS_DEFAULT_ACL = None
    AWS_S3_FILE_OVERWRITE = False
    AWS_S3_OBJECT_PARAMETERS = {"CacheControl": "public, max-age=31536000, immutable"}
    if AWS_S3_CUSTOM_DOMAIN:
        MEDIA_IMG_SOURCES = [f"https://{AWS_S3_CUSTOM_DOMAIN}"]
# Fonts of the generated share pictures (images/share.py); the Docker image installs them.
SHARE_FONT_DIR = os.environ.get("SHARE_FONT_DIR", "/usr/share/fonts/truetype/dejavu")
# File names of renditions never change (a new picture gets a new folder): cached for a year.
MEDIA_CACHE_SECONDS = int(os.environ.get("MEDIA_CACHE_SECONDS", str(365 * 24 * 3600)))

REDIS_URL = os.environ.get("REDIS_URL", "")

# The cache may live in a Redis of its own (docker-compose: `cache`, with a memory
# limit and LRU eviction), apart from the Celery broker, whose tasks must never be evicted.
REDIS_CACHE_URL = os.environ.get("REDIS_CACHE_URL", "") or REDIS_URL

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_CACHE_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "nwt"),
            "TIMEOUT": 3600,
            "OPTIONS": {
                # A Redis outage must not take the public pages down: the cache
                # then misses and the pages are rendered from the database.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    CELERY_BROKER_URL = REDIS_URL
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "TIMEOUT": 3600,
        }
    }
    # The embedded broker: a real worker and beat exchange messages through
    # folders, so the whole portal runs without a Redis server.
    celery_dir = VAR_DIR / "celery"
    for sub in ("queue", "processed", "control"):
        (celery_dir / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(celery_dir / "queue"),
        "data_folder_out": str(celery_dir / "queue"),
        "processed_folder": str(celery_dir / "processed"),
        # Without it kombu writes its exchange files to ./control in the current directory.
        "control_folder": str(celery_dir / "control"),
        "store_processed": False,
    }

# Whole public pages are shared from the cache for this long (netzwerktimer/caching.py).
PUBLIC_PAGE_CACHE_SECONDS = int(os.environ.get("PUBLIC_PAGE_CACHE_SECONDS", "0" if DEBUG else "30"))

CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "enqueue-due-feed-sources": {
        "task": "importer.enqueue_due_sources",
        "schedule": crontab(minute="*/5"),
    },
}

# The importer refuses loopback and private addresses (SSRF). Tests and the
# local demo feeds need loopback; production never sets this.
IMPORTER_ALLOW_LOOPBACK = env_bool("IMPORTER_ALLOW_LOOPBACK", False)
# Backoff of retried imports: this many seconds, doubled on every retry.
IMPORTER_RETRY_BASE_SECONDS = int(os.environ.get("IMPORTER_RETRY_BASE_SECONDS", "60"))
# Wall-clock budget of one source run (fetch, parse, write); past it the run fails and nothing is
# written. Well under the import task's soft time limit (10 minutes), so no feed can hold a worker.
IMPORTER_RUN_BUDGET_SECONDS = float(os.environ.get("IMPORTER_RUN_BUDGET_SECONDS", "180"))

LOGIN_URL = "admin:login"

# --- E-mail and outreach (outreach/) -------------------------------------------
# Manager invitations, password reset, the weekly e-mail and feed alerts: the console in development,
# SMTP from the environment in production (EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS).
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", f"Netzwerk-Timer <noreply@{SITE_DOMAIN}>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The weekly e-mail of saved filters: Mondays at this local time (HH:MM).
OUTREACH_WEEKLY_TIME = os.environ.get("OUTREACH_WEEKLY_TIME", "07:00")
OUTREACH_COORDINATOR_EMAILS = env_list("OUTREACH_COORDINATOR_EMAILS")
INSTALLED_APPS += ["outreach"]
try:
    _weekly_hour, _weekly_minute = (int(part) for part in OUTREACH_WEEKLY_TIME.split(":"))
except ValueError as exc:
    raise ImproperlyConfigured(f"OUTREACH_WEEKLY_TIME must be HH:MM, not {OUTREACH_WEEKLY_TIME!r}.") from exc
CELERY_BEAT_SCHEDULE.update(
    {
        "outreach-weekly-digests": {
            "task": "outreach.send_weekly_digests",
            "schedule": crontab(day_of_week="mon", hour=_weekly_hour, minute=_weekly_minute),
        },
        "outreach-purge-unconfirmed": {"task": "outreach.purge_unconfirmed", "schedule": crontab(minute=17, hour=3)},
        "importer-coordinator-summary": {
            "task": "importer.send_coordinator_summary",
            "schedule": crontab(day_of_week="mon", hour=_weekly_hour, minute=_weekly_minute),
        },
    }
)

# --- Security -------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # Refuses logins after repeated failures (django-axes), then the normal check with a
    # global throttle per username (netzwerktimer/security.py).
    "axes.backends.AxesStandaloneBackend",
    "netzwerktimer.security.ThrottledModelBackend",
]
# Addresses (or networks) of the reverse proxies in front of gunicorn. Only from them is
# X-Forwarded-For believed for the client address of the login lockout; empty: the
# address is always REMOTE_ADDR.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
# A lockout per (username, client address) and per client address ...
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_CLIENT_IP_CALLABLE = "netzwerktimer.security.client_ip"
# A right password that the throttle below refused is not a failure.
AXES_WHITELIST_CALLABLE = "netzwerktimer.security.refused_by_throttle_alone"
# ... and a slower global throttle per username, from any address: after this many
# failures within the window, one attempt per LOGIN_THROTTLE_SECONDS, except for the right
# password from a client that has not been failing (netzwerktimer/security.py).
LOGIN_THROTTLE_FAILURES = int(os.environ.get("LOGIN_THROTTLE_FAILURES", "20"))
LOGIN_THROTTLE_WINDOW = int(os.environ.get("LOGIN_THROTTLE_WINDOW", str(3600)))
LOGIN_THROTTLE_SECONDS = int(os.environ.get("LOGIN_THROTTLE_SECONDS", "30"))
# "Forgotten your login credentials?": at most this many reset e-mails per address and requests
# per client address within the window (seconds).
PASSWORD_RESET_PER_ADDRESS = int(os.environ.get("PASSWORD_RESET_PER_ADDRESS", "3"))
PASSWORD_RESET_PER_CLIENT = int(os.environ.get("PASSWORD_RESET_PER_CLIENT", "10"))
PASSWORD_RESET_WINDOW = int(os.environ.get("PASSWORD_RESET_WINDOW", str(3600)))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
AXES_VERBOSE = False

# Trusted only when configured (the name of the header the proxy sets and overwrites,
# e.g. X-Forwarded-Proto): otherwise any client that reaches gunicorn directly could
# claim https.
if os.environ.get("SECURE_PROXY_SSL_HEADER", "").strip():
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + os.environ["SECURE_PROXY_SSL_HEADER"].strip().upper().replace("-", "_"),
        "https",
    )
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# No inline script anywhere: every script is a file from static/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        # The nonce is sent only where a page uses it: the rich-text editor's import map in the admin.
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *MEDIA_IMG_SOURCES],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
FORMS_URLFIELD_ASSUME_HTTPS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "filters": {"client_errors": {"()": "netzwerktimer.log_filters.ClientErrorsWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["client_errors"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own console handler (with DEBUG) wrote every record a second time beside the root's.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint (programme PDF) reports every rendering step at INFO.
        "weasyprint.progress": {"level": "WARNING"},
    },
}
