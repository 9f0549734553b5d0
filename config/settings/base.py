"""Settings shared by every environment; what differs comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(os.environ.get("RELAIS_VAR_DIR", BASE_DIR / "var"))

SECRET_KEY = os.environ.get("RELAIS_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("RELAIS_ALLOWED_HOSTS", "").split(",") if h]

# Demo accounts may log in only while this is on (see accounts.backends).
RELAIS_DEMO_MODE = os.environ.get("RELAIS_DEMO_MODE", "") == "1"


def _count(name: str, default: int) -> int:
    value = os.environ.get(name, str(default))
    try:
        count = int(value)
    except ValueError:
        count = -1
    if count < 0:
        raise ImproperlyConfigured(f"{name} must be a whole number, 0 or more.")
    return count


# How many reverse proxies stand in front of the app servers. 0: the socket's
# address is the client and X-Forwarded-For is ignored (anyone can write it);
# behind one proxy that appends to X-Forwarded-For, 1. The audit log, the rate
# limits and the log-in lock-out all take the address from relais.core.context.
RELAIS_TRUSTED_PROXIES = _count("RELAIS_TRUSTED_PROXIES", 0)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_bootstrap5",
    "bootstrap",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "relais.core",
    "relais.territory",
    "relais.organisations",
    "relais.people",
    "relais.accounts",
    "relais.training",
    "relais.hub",
    "relais.imports",
    "relais.monitoring",
    "relais.home",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so that static files carry the policies too.
    "relais.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "relais.core.middleware.SessionRenewalMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "relais.core.middleware.NullCharacterMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "relais.core.middleware.RequestContextMiddleware",
    "relais.core.middleware.PrivateCacheMiddleware",
    "relais.core.middleware.NotFoundWalkMiddleware",
    # Every page needs a log-in unless its view is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Axes must come last: it answers locked-out log-ins itself.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "relais.core.context_processors.relais",
            ],
        },
    },
]


def database_from_environment(default_sqlite_path: Path) -> dict:
    """PostgreSQL (or any backend) from DATABASE_URL, else SQLite in WAL mode."""
    url = os.environ.get("DATABASE_URL")
    if url:
        config = dj_database_url.parse(url, conn_max_age=600, conn_health_checks=True)
        if config["ENGINE"] == "django.db.backends.postgresql":
            # A page's query reads a few dozen rows; PostgreSQL's JIT, set off by
            # the cost estimates of correlated subqueries, spent 0.7 s compiling
            # what runs in 20 ms.
            config.setdefault("OPTIONS", {})["options"] = "-c jit=off"
        config.setdefault("TEST", {})
        if os.environ.get("RELAIS_TEST_DATABASE_NAME"):
            config["TEST"]["NAME"] = os.environ["RELAIS_TEST_DATABASE_NAME"]
        return config
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": default_sqlite_path,
        "OPTIONS": {
            # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of
            # failing half-way; WAL lets readers go on while one writes.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA foreign_keys=ON;"
            ),
        },
    }


DATABASES = {"default": database_from_environment(VAR_DIR / "relais.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds what every app server must agree on: rate limits, counters and
# the home page's counts. One server: a folder. Several: one Redis they all reach.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "relais",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("RELAIS_CACHE_DIR", str(VAR_DIR / "cache")),
        }
    }

# Background work (imports): a worker runs `manage.py db_worker` next to the site.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "relais.accounts.backends.RelaisBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# A session ends after 30 minutes without a request: a request renews it, at
# most once a minute (relais.core.middleware.SessionRenewalMiddleware).
SESSION_IDLE_MINUTES = 30
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
RELAIS_SESSION_RENEW_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Five failed log-ins for one account from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# And 100 failed log-ins from one address, whatever the accounts, lock that address
# for 15 minutes (relais.accounts.lockout). A ministry office or a centre reaches
# Relais through one NAT address: a training room of 30 people mistyping twice
# each at the start of a session makes 60 failures, so 100 leaves room for that,
# while a password spray gets 100 guesses per quarter of an hour, not thousands.
RELAIS_ADDRESS_FAILURE_LIMIT = 100
AXES_HANDLER = "relais.accounts.lockout.LockoutHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
# The same client address as the audit log and the rate limits.
AXES_CLIENT_IP_CALLABLE = "relais.core.context.client_ip"
AXES_VERBOSE = False

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("ar", _("Arabic")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "src" / "relais" / "locale"]
LANGUAGE_COOKIE_NAME = "relais_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Africa/Casablanca"

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Imports keep their uploads and reports where every app server and task worker
# reach them: a folder (RELAIS_IMPORTS_DIR, shared between machines by mounting
# it; RELAIS_VAR_DIR/imports by default) readable by Relais alone, or object
# storage (django-storages) set here instead.
RELAIS_IMPORTS_DIR = os.environ.get("RELAIS_IMPORTS_DIR", "")
IMPORTS_STORAGE = {
    "BACKEND": "relais.imports.files.ImportsStorage",
    "OPTIONS": {"file_permissions_mode": 0o600, "directory_permissions_mode": 0o700},
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
    "imports": IMPORTS_STORAGE,
}

# A key of its own for the protected identifiers (CIN): rotating SECRET_KEY must not
# make them unreadable, and a leaked database alone must not reveal them.
RELAIS_FIELD_KEY = os.environ.get("RELAIS_FIELD_KEY", "")
# The keys of dev.py and test.py, public in this repository: outside demo mode
# the `relais` command and the production settings refuse them (relais.cli).
RELAIS_PUBLISHED_KEYS = frozenset(
    {
        "dev-only-not-secret",
        "dev-only-field-key",
        "test-only-not-secret",
        "test-only-field-key",
    }
)

# What pages may load and run (relais.core.middleware.SecurityHeadersMiddleware).
# Scripts come from our static files only: no page has an inline script or
# event handler. Style sheets too, but style attributes are allowed: pages set
# per-row values with them (a tree's depth, an import's progress), and an
# attribute cannot read the page the way an injected style sheet's selectors
# can. Browsers without style-src-elem fall back to allowing inline styles.
# Bootstrap draws its icons with data: images.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "style-src-elem": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}
# Browser features no page of Relais uses, switched off (Permissions-Policy).
RELAIS_DENIED_FEATURES = [
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "hid",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "serial",
    "usb",
    "xr-spatial-tracking",
]

CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# A CIN held by someone the user may not see gets a neutral refusal (see
# relais.people.services); after this many in an hour, a user can enter no CIN
# until the hour is over. A desk meets a CIN registered elsewhere now and then,
# not ten times an hour; guessing a CIN from its mask would take thousands.
RELAIS_CIN_REFUSALS_PER_HOUR = 10

# Every page of these URL namespaces shows confidential content: no cache may keep
# them (relais.core.middleware.PrivateCacheMiddleware).
RELAIS_NO_STORE_NAMESPACES = ["imports"]
# A user's pages not found on object URLs, counted per hour: the audit log hears
# of it when the count reaches each of these (relais.core.middleware).
RELAIS_NOT_FOUND_THRESHOLDS = (10, 100, 1000)

PAGE_SIZE = 25

# The memory, in MB, of the process that reads a whole workbook for an import
# (relais.core.workbook_reader): past it, the file is refused, nothing else dies.
RELAIS_WORKBOOK_MEMORY_MB = int(os.environ.get("RELAIS_WORKBOOK_MEMORY_MB", "2048"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
