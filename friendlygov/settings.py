"""Django settings. Everything that differs between machines comes from the environment.

FRIENDLYGOV_ENV=production switches on the hardened defaults (see docs/deployment.md);
DATABASE_URL selects the database (SQLite in var/ by default).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from django.utils.translation import gettext_lazy as _

# Django's generic classes (ModelAdmin[Unit], ModelForm[Plan], ModelChoiceField[Unit]) subscriptable at run time,
# as mypy --strict wants them written.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("FRIENDLYGOV_VAR_DIR", PROJECT_DIR / "var"))

ENVIRONMENT = os.environ.get("FRIENDLYGOV_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"

# Django's debug pages (every URL pattern on a 404, tracebacks) only for `friendlygov serve --dev`, which sets
# FRIENDLYGOV_DEBUG=1; never in production.
DEBUG = not PRODUCTION and os.environ.get("FRIENDLYGOV_DEBUG", "0") == "1"

SECRET_KEY_MIN_LENGTH, SECRET_KEY_MIN_UNIQUE = 50, 5  # Django's own deployment check (security.W009)


def secret_key_problem(key: str) -> str | None:
    """Why a production secret key is refused (missing, short, too few distinct characters), or None."""
    generate = 'tạo khóa bằng: python3 -c "import secrets; print(secrets.token_urlsafe(50))"'
    if not key:
        return f"FRIENDLYGOV_SECRET_KEY chưa được đặt: môi trường production cần một khóa bí mật ngẫu nhiên ({generate})."
    if (
        len(key) < SECRET_KEY_MIN_LENGTH
        or len(set(key)) < SECRET_KEY_MIN_UNIQUE
        or key.startswith("django-insecure-")
    ):
        return (
            f"FRIENDLYGOV_SECRET_KEY quá yếu ({len(key)} ký tự, {len(set(key))} ký tự khác nhau): cần ít nhất "
            f"{SECRET_KEY_MIN_LENGTH} ký tự ngẫu nhiên, ít nhất {SECRET_KEY_MIN_UNIQUE} ký tự khác nhau ({generate})."
        )
    return None


if PRODUCTION:
    SECRET_KEY = os.environ.get("FRIENDLYGOV_SECRET_KEY", "")
    if (problem := secret_key_problem(SECRET_KEY)) is not None:
        import sys

        # One line, no traceback; status 4 is gunicorn's "application failed to load", so a server stops
        # instead of restarting workers that cannot start.
        print(problem, file=sys.stderr)
        raise SystemExit(4)
else:
    SECRET_KEY = os.environ.get(
        "FRIENDLYGOV_SECRET_KEY", "dev-only-insecure-key-change-me-0123456789abcdefghijklmnop"
    )

ALLOWED_HOSTS = [
    h for h in os.environ.get("FRIENDLYGOV_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("FRIENDLYGOV_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "friendlygov.audit",
    "friendlygov.org",
    "friendlygov.evidence",
    "friendlygov.notifications",
    "friendlygov.plans",
    "friendlygov.assessments",
    "friendlygov.surveys",
    "friendlygov.feedback",
    "friendlygov.dossiers",
    "friendlygov.tallies",
    "friendlygov.operations",
    "friendlygov.documents",
    "friendlygov.signatures",
    "friendlygov.submissions",
    "friendlygov.public",
    "friendlygov.core",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "friendlygov.core.middleware.VietnameseFirstLocaleMiddleware",
    "friendlygov.core.middleware.NulCharacterMiddleware",
    "django.middleware.common.CommonMiddleware",
    "friendlygov.kit.site.SiteAddressMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "friendlygov.core.middleware.SecurityHeadersMiddleware",
    "friendlygov.core.middleware.SessionIdleTimeoutMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "friendlygov.urls"
WSGI_APPLICATION = "friendlygov.wsgi.application"

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
                "friendlygov.core.context_processors.shell",
            ],
            "builtins": ["friendlygov.core.templatetags.vn"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'friendlygov.sqlite3'}"),
        conn_max_age=int(os.environ.get("FRIENDLYGOV_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets readers proceed while one writer commits; busy timeout waits instead of failing.
    # Connections are kept (FRIENDLYGOV_CONN_MAX_AGE, as on PostgreSQL): a new SQLite connection opens the
    # file, runs these pragmas and parses the whole schema on its first statement — under gunicorn that
    # doubled the CPU of a request that writes (bench/RESULTS.md, issue 18 fourth round).
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("FRIENDLYGOV_TEST_DB_NAME") or None}

# A read replica (PostgreSQL streaming replica) for dashboards and reports: see friendlygov/db_router.py.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=int(os.environ.get("FRIENDLYGOV_CONN_MAX_AGE", "60"))
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["friendlygov.db_router.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "friendlygov.org.auth_backends.UsernameOrEmailBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# The public pages' rate limits key on the client's address (friendlygov/kit/ratelimit.py): REMOTE_ADDR, or
# the last entry of this header when a trusted reverse proxy sets it (e.g. HTTP_X_FORWARDED_FOR).
CLIENT_IP_HEADER = os.environ.get("FRIENDLYGOV_CLIENT_IP_HEADER", "")
AXES_FAILURE_LIMIT = int(os.environ.get("FRIENDLYGOV_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Failures count per account: the login ignores case and accepts the e-mail address, so must the counter.
AXES_USERNAME_CALLABLE = "friendlygov.org.auth_backends.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = os.environ.get("FRIENDLYGOV_AXES", "1") == "1"

SESSION_COOKIE_AGE = int(os.environ.get("FRIENDLYGOV_SESSION_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Logged out after this many seconds without a request (0: off); SESSION_COOKIE_AGE stays the absolute limit.
SESSION_IDLE_TIMEOUT = int(os.environ.get("FRIENDLYGOV_SESSION_IDLE", str(2 * 3600)))
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "friendlygov.core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("FRIENDLYGOV_SSL_REDIRECT", "1") == "1"
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the proxy's and the container's health probes speak plain HTTP
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("FRIENDLYGOV_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["friendlygov.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("FRIENDLYGOV_STATIC_ROOT", VAR_DIR / "static"))
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if not PRODUCTION
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Outside production the app serves its static files straight from the apps' folders, debug or not.
WHITENOISE_USE_FINDERS = not PRODUCTION
# Uploaded files on S3-compatible storage (MinIO, Ceph, a cloud bucket): `pip install 'friendlygov[s3]'` and set
# FRIENDLYGOV_S3_BUCKET (see docs/deployment.md). Otherwise files live in MEDIA_ROOT (a local or shared disk).


def s3_storage(env: Mapping[str, str]) -> dict[str, Any]:
    """The ``STORAGES["default"]`` entry for S3-compatible storage from the environment (also used by
    tests/core/test_s3_storage.py, which runs it against moto's S3)."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env["FRIENDLYGOV_S3_BUCKET"],
            "endpoint_url": env.get("FRIENDLYGOV_S3_ENDPOINT_URL") or None,
            "region_name": env.get("FRIENDLYGOV_S3_REGION") or None,
            "access_key": env.get("FRIENDLYGOV_S3_ACCESS_KEY_ID") or None,
            "secret_key": env.get("FRIENDLYGOV_S3_SECRET_ACCESS_KEY") or None,
            "location": env.get("FRIENDLYGOV_S3_PREFIX", ""),
            "default_acl": None,  # private bucket: files are only ever served through the permission-checked view
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }


if os.environ.get("FRIENDLYGOV_S3_BUCKET"):
    import importlib.util

    if importlib.util.find_spec("storages") is None:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "FRIENDLYGOV_S3_BUCKET is set but django-storages is missing: pip install 'friendlygov[s3]'"
        )
    STORAGES["default"] = s3_storage(os.environ)


def cache_backend(value: str) -> dict[str, Any]:
    """``CACHES["default"]`` from ``FRIENDLYGOV_CACHE``: ``locmem`` (the default: one cache per worker
    process, enough for one app server), ``db`` (a table in the primary database, shared by every worker
    and app server; created by ``friendlygov manage createcachetable``) or a ``redis://`` / ``rediss://``
    URL (``pip install 'friendlygov[redis]'``). Rate limits of the public pages and cached figures live
    there, so several app servers should share one (docs/deployment.md)."""
    from django.core.exceptions import ImproperlyConfigured

    value = value.strip()
    if value in ("", "locmem"):
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if value == "db":
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "friendlygov_cache"}
    if value.startswith(("redis://", "rediss://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": value}
    raise ImproperlyConfigured(
        f"FRIENDLYGOV_CACHE={value!r} không hợp lệ: dùng locmem, db hoặc một địa chỉ redis://… (docs/deployment.md)"
    )


CACHES = {"default": cache_backend(os.environ.get("FRIENDLYGOV_CACHE", "locmem"))}
# Uploaded files live outside the static root and are only served through permission-checked views.
MEDIA_ROOT = Path(os.environ.get("FRIENDLYGOV_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media-not-served/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
EVIDENCE_MAX_BYTES = int(os.environ.get("FRIENDLYGOV_EVIDENCE_MAX_BYTES", str(20 * 1024 * 1024)))

# Python's cyclic garbage collector, collecting every 700 new objects by default, promotes the objects a
# request holds (a city's table scores every unit) to the oldest generation, and every few requests a full
# collection walks the whole process (~90 ms at city size). Collecting the youngest generation every
# 50 000 objects lets a request's objects die young; "0" keeps Python's defaults (docs/deployment.md).
GC_THRESHOLD = tuple(
    int(n) for n in os.environ.get("FRIENDLYGOV_GC_THRESHOLD", "50000,20,10").split(",") if n
)

EMAIL_BACKEND = os.environ.get("FRIENDLYGOV_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = str(VAR_DIR / "mail")
EMAIL_HOST = os.environ.get("FRIENDLYGOV_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("FRIENDLYGOV_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("FRIENDLYGOV_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("FRIENDLYGOV_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("FRIENDLYGOV_EMAIL_TLS", "0") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("FRIENDLYGOV_FROM_EMAIL", "friendlygov@localhost")
# The public address printed on posters and sent in e-mails; unset: the address of the request being served
# (friendlygov/kit/site.py). Commands that e-mail links refuse to run without one (or with a loopback one).
SITE_URL = os.environ.get("FRIENDLYGOV_SITE_URL", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("FRIENDLYGOV_LOG_LEVEL", "WARNING")},
}

NINJA_PAGINATION_PER_PAGE = 50

# Digital signatures (friendlygov.signatures). Secrets stay in the environment: the key that encrypts the
# organisation certificates at rest is read from FRIENDLYGOV_SIGNING_KEY when used; a PKCS#11 token's PIN
# from the variable named by FRIENDLYGOV_PKCS11_PIN_ENV.
SIGNING_PKCS11 = {
    "library": os.environ.get("FRIENDLYGOV_PKCS11_LIB", ""),
    "token_label": os.environ.get("FRIENDLYGOV_PKCS11_TOKEN", ""),
    "key_label": os.environ.get("FRIENDLYGOV_PKCS11_KEY", ""),
    "pin_env": os.environ.get("FRIENDLYGOV_PKCS11_PIN_ENV", "FRIENDLYGOV_PKCS11_PIN"),
}
