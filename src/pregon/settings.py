"""The one settings module of Pregón, read from the environment.

Development defaults are safe and need no configuration: SQLite in var/, mail printed to the
console, DEBUG off as a visitor would meet the platform (`PREGON_DEBUG=1` shows Django's debug
pages). `PREGON_ENV=production` switches on every security setting and requires the secrets to
come from the environment; `pregon check --deploy` then passes. docs/configuration.md lists every
variable.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("PREGON_VAR_DIR", REPO_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no variable; anything but 1/true/yes/on is false."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def site_addresses(site_url: str) -> dict[str, str]:
    """SITE_URL and the published addresses that follow it unless they are set themselves.

    `pregon serve` applies them again when SITE_URL is unset and it serves another address.
    """
    site_url = site_url.rstrip("/")
    return {
        "SITE_URL": site_url,
        "PREGON_PUBLISHER_URI": os.environ.get("PREGON_PUBLISHER_URI", site_url),
        "PREGON_PUBLICATION_POLICY_URL": os.environ.get(
            "PREGON_PUBLICATION_POLICY_URL", f"{site_url}/data/#policy"
        ),
    }


def env_list(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated variable."""
    value = os.environ.get(name)
    if value is None:
        return default
    return [part.strip() for part in value.split(",") if part.strip()]


# Under pytest the default is "test" (fast hashing, in-process tasks disabled); else development.
PREGON_ENV = os.environ.get("PREGON_ENV") or ("test" if "pytest" in sys.modules else "development")
if PREGON_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured("PREGON_ENV must be development, test or production.")
PRODUCTION = PREGON_ENV == "production"

# Off unless asked for: `make run` shows the platform as visitors meet it (its own error pages,
# compressed and cache-busted static files). PREGON_DEBUG=1 is the developer's switch.
DEBUG = env_bool("PREGON_DEBUG", False)

if PRODUCTION:
    try:
        SECRET_KEY = os.environ["SECRET_KEY"]
    except KeyError:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set in production (50+ random characters)."
        ) from None
else:
    SECRET_KEY = os.environ.get(
        "SECRET_KEY", "development-only-key-never-use-in-production-0123456789abcdef"
    )

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The port `make run` and `pregon serve` listen on when not told otherwise.
port = os.environ.get("PORT") or "8000"
if not (port.isdigit() and 0 < int(port) < 65536):
    raise ImproperlyConfigured("PORT must be a port number (1 to 65535).")
PORT = int(port)
# The public address of this instance, used in e-mails and published data. Unset, it is the
# address served here, so it follows PORT (and `pregon serve --port`, see site_addresses).
addresses = site_addresses(os.environ.get("SITE_URL") or f"http://127.0.0.1:{PORT}")
SITE_URL = addresses["SITE_URL"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_countries",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "pregon.core",
    "pregon.accounts",
    "pregon.organizations",
    # Before tenders: a tender that follows a plan line is published over the line's sections.
    "pregon.planning",
    "pregon.tenders",
    "pregon.bids",
    "pregon.evaluation",
    "pregon.contracts",
    "pregon.quotes",
    "pregon.subcontracting",
    "pregon.catalogue",
    "pregon.figures",
    "pregon.search",
    "pregon.alerts",
    "pregon.publication",
    "pregon.ledger",
    "pregon.audit",
    "pregon.web",
    "pregon.workspace",
    "pregon.demo",
    "pregon.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "pregon.accounts.middleware.RequireMFAMiddleware",
    # Turns django-ratelimit's refusal into RATELIMIT_VIEW (a translated 429 page).
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "pregon.urls"
WSGI_APPLICATION = "pregon.wsgi.application"
ASGI_APPLICATION = "pregon.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "web" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pregon.web.context_processors.platform",
            ],
        },
    },
]

# Databases: SQLite in WAL mode by default; DATABASE_URL selects PostgreSQL in production.
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'pregon.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Kept open between requests: opening one (and its PRAGMAs) cost 6-9 ms a request
    # (benchmarks/README.md, "Public pages").
    DATABASES["default"]["CONN_MAX_AGE"] = 600
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue instead of failing.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        # Reads through a memory map of the file (up to SQLite's 2 GB limit) instead of copying
        # each page into the connection's cache: a fifth less CPU for a search at 1M tenders.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            " PRAGMA mmap_size=2147418112;"
        ),
    }
elif PREGON_ENV == "test":
    # One test database per test process, so parallel runs on one server never collide.
    DATABASES["default"]["TEST"] = {"NAME": f"test_pregon_{os.getpid()}"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis, when configured, carries the cache (rate limits, sessions) for every web process.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL and PREGON_ENV == "test" and os.environ.get("PYTEST_XDIST_WORKER"):
    # Every test starts with the cache cleared (a FLUSHDB on Redis): each pytest-xdist worker
    # gets a Redis database of its own (1, 2, ...), so one worker never empties another's.
    _worker = int(os.environ["PYTEST_XDIST_WORKER"].removeprefix("gw"))
    REDIS_URL = urlsplit(REDIS_URL)._replace(path=f"/{1 + _worker % 15}").geturl()
# The "pages" cache keeps whole public pages for visitors who are not signed in
# (core/page_cache.py, ADR 0021): apart from "default", so a full cache pushing pages out never
# takes a rate-limit counter with them. PAGES_REDIS_URL may put it on a Redis of its own.
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    _CACHE_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "pregon")
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": _CACHE_PREFIX,
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ.get("PAGES_REDIS_URL", REDIS_URL),
            "KEY_PREFIX": f"{_CACHE_PREFIX}-pages",
        },
    }
elif PREGON_ENV == "test":
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
    }
else:
    # Database tables shared by every process: rate limits hold across gunicorn workers, and a
    # publication's new generation reaches each of them.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "pregon_cache",
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "pregon_page_cache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
    }
#: How long a public page is kept whole at most (core/page_cache.py); 0 turns the cache off.
PREGON_PAGE_CACHE_SECONDS = int(os.environ.get("PREGON_PAGE_CACHE_SECONDS", "60"))

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if PREGON_ENV == "test":
    # Hashing cost is irrelevant in tests and dominates their run time.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "web:home"

# django-allauth: e-mail sign-in with mandatory verification; TOTP and recovery codes for MFA.
ACCOUNT_ADAPTER = "pregon.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = os.environ.get("MFA_TOTP_ISSUER", "Pregón")
# Buyer officials (and every role that acts for a buyer) must use MFA in production.
PREGON_REQUIRE_MFA_FOR_OFFICIALS = env_bool("PREGON_REQUIRE_MFA_FOR_OFFICIALS", PRODUCTION)

# Internationalization: the four official languages of the OAS.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    # Brazilian Portuguese, the variant of the Americas (Django and allauth ship pt_BR too).
    ("pt-br", _("Portuguese")),
    ("fr", _("French")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# How dates read where Django's own formats do not fit (English: "10 Dec 2026, 15:00").
FORMAT_MODULE_PATH = ["pregon.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "America/Santiago")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Static files are collected (`pregon collectstatic`, which `make run` runs), with a hash in each
# name and gzip and Brotli copies beside it, so WhiteNoise serves them compressed and cached
# for a year. Debugging and the test suite read them from the apps instead, on request.
STATIC_COLLECTED = PRODUCTION or not (DEBUG or PREGON_ENV == "test")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "pregon.site.storage.StaticFilesStorage"
            if STATIC_COLLECTED
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not STATIC_COLLECTED
# Uncollected, find static files on request rather than index them all whenever a handler
# starts: every test client starts one, and indexing USWDS's 3,000 files takes seconds.
WHITENOISE_AUTOREFRESH = not STATIC_COLLECTED
# Files served at the site's root rather than under STATIC_URL: /favicon.ico.
WHITENOISE_ROOT = BASE_DIR / "web" / "root"

# Uploads: bounded size, checked type (see pregon.core.uploads).
PREGON_MAX_UPLOAD_BYTES = int(os.environ.get("PREGON_MAX_UPLOAD_BYTES", "20971520"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_PERMISSIONS = 0o640

# Procurement rules: minimum calendar days between publication and the submission deadline,
# by method, and the least time an amendment that changes the offer must leave bidders.
PREGON_MIN_SUBMISSION_DAYS: dict[str, int] = {
    "open": 10,
    "selective": 10,
    "limited": 5,
    "direct": 1,
    "rfq": 3,
}
PREGON_MIN_SUBMISSION_DAYS.update(json.loads(os.environ.get("PREGON_MIN_SUBMISSION_DAYS", "{}")))
PREGON_AMENDMENT_MIN_DAYS = int(os.environ.get("PREGON_AMENDMENT_MIN_DAYS", "5"))
# Country rule packs (docs/rule-packs.md): what one unit of a figure of the law (Chile's UTM,
# Colombia's US dollars) is worth in a tender's currency, by that currency. In production no
# default (a rate is never guessed: a rule that needs a missing one refuses the buyer's step
# with a clear message); elsewhere round figures of late 2026 for development and the demo.
PREGON_RULE_RATES: dict[str, dict[str, str]] = json.loads(
    os.environ.get(
        "PREGON_RULE_RATES",
        "{}"
        if PRODUCTION
        else '{"CLP": {"UTM": "69000", "USD": "950", "BRL": "175"}, '
        '"USD": {"UTM": "73", "BRL": "0.185"}, "BRL": {"USD": "5.40", "UTM": "395"}, '
        '"COP": {"USD": "4000"}, "PYG": {"USD": "7300"}, "BZD": {"USD": "2"}}',
    )
)
# A compliant bid more than this % below the mean of the other compliant bids of its lot, or
# below the lot's estimated value, is flagged abnormally low (docs/evaluation-and-contracts.md).
PREGON_ABNORMALLY_LOW_PERCENT = os.environ.get("PREGON_ABNORMALLY_LOW_PERCENT", "20")
# Awards: the days of the standstill period after a decision, during which bidders of the lot
# may complain; and who decides complaints: "buyer" (the tender's buyer officials) or
# "oversight" (auditors of an oversight body) (docs/evaluation-and-contracts.md).
PREGON_STANDSTILL_DAYS = int(os.environ.get("PREGON_STANDSTILL_DAYS", "10"))
PREGON_COMPLAINTS_DECIDED_BY = os.environ.get("PREGON_COMPLAINTS_DECIDED_BY", "buyer")
if PREGON_COMPLAINTS_DECIDED_BY not in {"buyer", "oversight"}:
    raise ImproperlyConfigured("PREGON_COMPLAINTS_DECIDED_BY must be buyer or oversight.")
if PREGON_STANDSTILL_DAYS < 0:
    raise ImproperlyConfigured("PREGON_STANDSTILL_DAYS must be 0 or more.")
# Brazil's right to cover: the hours the invited bidder has to cover the best offer when the
# rule pack sets no deadline (docs/evaluation-and-contracts.md#preferences).
PREGON_COVER_HOURS = int(os.environ.get("PREGON_COVER_HOURS", "24"))
if PREGON_COVER_HOURS < 1:
    raise ImproperlyConfigured("PREGON_COVER_HOURS must be 1 or more.")
# Contracts: the calendar days a buyer has to pay an invoice, from the day it receives it; read
# only through pregon.contracts.terms.invoice_due_term, where the tender's rule pack sets no term
# (docs/evaluation-and-contracts.md).
PREGON_INVOICE_DUE_DAYS = int(os.environ.get("PREGON_INVOICE_DUE_DAYS", "30"))
if not 0 <= PREGON_INVOICE_DUE_DAYS <= 365:
    raise ImproperlyConfigured("PREGON_INVOICE_DUE_DAYS must be from 0 to 365.")
PREGON_QUESTION_RATE = os.environ.get("PREGON_QUESTION_RATE", "10/h")
# Sealed bids: the largest encrypted document a bid may carry, the largest chunk of one upload
# request (within DATA_UPLOAD_MAX_MEMORY_SIZE, which bounds every request body of the API), and
# the submissions, replacements and withdrawals one supplier may send per window (retries
# with the same idempotency key included).
PREGON_BID_DOCUMENT_MAX_BYTES = int(os.environ.get("PREGON_BID_DOCUMENT_MAX_BYTES", "52428800"))
PREGON_BID_CHUNK_MAX_BYTES = int(os.environ.get("PREGON_BID_CHUNK_MAX_BYTES", "2097152"))
PREGON_BID_RATE = os.environ.get("PREGON_BID_RATE", "30/m")
# Hours after which an upload of an encrypted document that no bid took over counts as abandoned
# and is deleted with its bytes: never before its tender's deadline has passed (see
# bids/services/upload_purge.py; `pregon bids purge-uploads`).
PREGON_BID_UPLOAD_MAX_AGE_HOURS = int(os.environ.get("PREGON_BID_UPLOAD_MAX_AGE_HOURS", "48"))
# Registration forms one address may send (refused ones count too) per window. Short windows:
# an office registering several businesses at once, typing errors included, waits minutes,
# not an hour, when it reaches the limit.
PREGON_REGISTRATION_RATE = os.environ.get("PREGON_REGISTRATION_RATE", "30/10m")
# Writes through the JSON API per API key (or signed-in person); more answer 429.
PREGON_API_WRITE_RATE = os.environ.get("PREGON_API_WRITE_RATE", "120/m")
# The prefix of every open contracting id (ocid) this instance mints; register one with OCP.
PREGON_OCID_PREFIX = os.environ.get("PREGON_OCID_PREFIX", "ocds-pregon")
# The transparency log: its origin line (the instance's host name and path, per C2SP) and the
# Ed25519 signer key in the note format (PRIVATE+KEY+...). Development creates a key in var/.
PREGON_LOG_ORIGIN = os.environ.get("PREGON_LOG_ORIGIN", "")
PREGON_LOG_SIGNER_KEY = os.environ.get("PREGON_LOG_SIGNER_KEY", "")
# Seconds between two polls of the logs this instance witnesses (`pregon witness run --loop`).
PREGON_LOG_WITNESS_INTERVAL = int(os.environ.get("PREGON_LOG_WITNESS_INTERVAL", "300"))
PREGON_INSTANCE_NAME = os.environ.get("PREGON_INSTANCE_NAME", "Pregón")
# Open data (OCDS): who publishes, under which license and policy, where the bulk files go.
PREGON_PUBLISHER_NAME = os.environ.get("PREGON_PUBLISHER_NAME", PREGON_INSTANCE_NAME)
PREGON_PUBLISHER_URI = addresses["PREGON_PUBLISHER_URI"]
PREGON_DATA_LICENSE = os.environ.get(
    "PREGON_DATA_LICENSE", "https://creativecommons.org/licenses/by/4.0/"
)
PREGON_PUBLICATION_POLICY_URL = addresses["PREGON_PUBLICATION_POLICY_URL"]
PREGON_DATA_DIR = Path(os.environ.get("PREGON_DATA_DIR", VAR_DIR / "data"))
# Regenerate the bulk files after each publication (debounced by PREGON_BULK_DELAY seconds);
# off in tests, and for instances that prefer to run `pregon publish_bulk` from cron.
PREGON_BULK_AUTO = env_bool("PREGON_BULK_AUTO", PREGON_ENV != "test")
PREGON_BULK_DELAY = int(os.environ.get("PREGON_BULK_DELAY", "30"))
PREGON_BULK_STALE_AFTER = int(os.environ.get("PREGON_BULK_STALE_AFTER", "3600"))

# Documents suppliers hold once (docs/suppliers.md): the days before a document expires when
# its supplier's people are e-mailed a reminder (one reminder per document and number of days).
PREGON_DOCUMENT_REMINDER_DAYS = tuple(
    sorted(
        {
            int(days)
            for days in os.environ.get("PREGON_DOCUMENT_REMINDER_DAYS", "30,7").split(",")
            if days.strip()
        },
        reverse=True,
    )
)
if any(days <= 0 for days in PREGON_DOCUMENT_REMINDER_DAYS):
    raise ImproperlyConfigured("PREGON_DOCUMENT_REMINDER_DAYS must be days above 0.")

# Alerts (docs/alerts.md): the days before a deadline when a tender's followers are reminded;
# how long a confirmation link lasts; the attempts of a notice, the first back-off (doubled at
# each failure) and how long a worker's claim lasts before another takes it over (it died);
# a webhook's timeout, and whether webhooks may point at private or loopback addresses (never
# in production unless set: the tests and a developer's machine use local receivers).
PREGON_ALERTS_REMINDER_DAYS = int(os.environ.get("PREGON_ALERTS_REMINDER_DAYS", "2"))
PREGON_ALERTS_CONFIRM_DAYS = int(os.environ.get("PREGON_ALERTS_CONFIRM_DAYS", "7"))
PREGON_ALERTS_MAX_ATTEMPTS = int(os.environ.get("PREGON_ALERTS_MAX_ATTEMPTS", "8"))
PREGON_ALERTS_RETRY_BASE = int(os.environ.get("PREGON_ALERTS_RETRY_BASE", "60"))
PREGON_ALERTS_CLAIM_TIMEOUT = int(os.environ.get("PREGON_ALERTS_CLAIM_TIMEOUT", "600"))
PREGON_ALERTS_WEBHOOK_TIMEOUT = int(os.environ.get("PREGON_ALERTS_WEBHOOK_TIMEOUT", "10"))
PREGON_ALERTS_WEBHOOK_ALLOW_PRIVATE = env_bool(
    "PREGON_ALERTS_WEBHOOK_ALLOW_PRIVATE", not PRODUCTION
)
# Subscriptions by e-mail (without signing in) one address may ask for per window: each sends
# a confirmation message.
PREGON_ALERTS_SUBSCRIBE_RATE = os.environ.get("PREGON_ALERTS_SUBSCRIBE_RATE", "10/h")

# E-mail: printed to the console unless an SMTP server is configured (EMAIL_HOST). Production
# never prints mail (people would silently miss their verification e-mails): without EMAIL_HOST
# it hands mail to the machine's own mail server on localhost.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost" if PRODUCTION else "")
if EMAIL_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_HOST,
                "port": int(os.environ.get("EMAIL_PORT", "25")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
del EMAIL_HOST
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Pregón <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security. Cookies and headers are strict everywhere; HTTPS-only settings in production.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# The client address written to the audit log; behind a proxy, set the number of proxies.
PREGON_TRUSTED_PROXIES = int(os.environ.get("PREGON_TRUSTED_PROXIES", "0"))
RATELIMIT_IP_META_KEY = "pregon.core.request.ratelimit_ip"
RATELIMIT_VIEW = "pregon.web.views.rate_limited"
SILENCED_SYSTEM_CHECKS = [
    # django-ratelimit warns about a database cache; ours is shared by every process (see CACHES).
    "django_ratelimit.W001",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django gives its logger a console handler of its own when DEBUG is on; the record then
        # reached the root's too and every task line was printed twice. Only the root prints.
        "django": {"handlers": [], "propagate": True},
        "django.db.backends": {"level": "WARNING"},
    },
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{PREGON_INSTANCE_NAME}] "
