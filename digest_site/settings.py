"""Digest settings, read from environment variables with safe defaults for local use.

``DIGEST_ENV=production`` switches to production mode: ``SECRET_KEY`` and ``ALLOWED_HOSTS`` must
then be given, and ``DEBUG`` defaults to off. See README.md ("Configuration").
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("DIGEST_DATA_DIR", BASE_DIR / "data"))
PRODUCTION = os.environ.get("DIGEST_ENV", "local").lower() == "production"


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _local_secret_key() -> str:
    """Generate a key on first local run and keep it in the data dir (never in the repo)."""
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = _env_bool("DEBUG", default=not PRODUCTION)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when DIGEST_ENV=production")
    SECRET_KEY = _local_secret_key()

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
if not ALLOWED_HOSTS:
    if PRODUCTION:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DIGEST_ENV=production")
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "articles",
]

MIDDLEWARE = [
    # first: the request id reaches every log line, and every response (errors included) gets it
    "digest_site.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "digest_site.middleware.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # last, as django-axes asks: turns a locked-out login into the lockout page
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "digest_site.urls"
WSGI_APPLICATION = "digest_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["template_partials.templatetags.partials"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.teams",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL)
    if DATABASE_URL
    else {"ENGINE": "django.db.backends.sqlite3", "NAME": DATA_DIR / "digest.sqlite3"}
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # However SQLite is named (the default file or any sqlite:/// URL). WAL: readers never block
    # the writer. IMMEDIATE: a write transaction takes the lock at BEGIN, so concurrent writers
    # queue (up to `timeout` seconds) instead of failing half-way with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 10,
    }
    DATA_DIR.mkdir(parents=True, exist_ok=True)
else:
    # Persistent connections, checked before reuse so a restarted server costs no failed request.
    DATABASES["default"]["CONN_MAX_AGE"] = 60
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out login before the password check
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "articles:issue-list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns at start-up when it is missing
# WhiteNoise serves /static/ from gunicorn. Outside DEBUG: compressed files with hashed names
# (cached for a year); with DEBUG the plain storage, so tests and development need no collectstatic.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Uploads: the importer enforces its own per-file size limit (articles.importer.MAX_BYTES);
# these only decide when Django spools an upload to disk and how many files one form may carry.
DATA_UPLOAD_MAX_NUMBER_FILES = 200

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = _env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# TLS is the reverse proxy's job (README, "Production"). Set DIGEST_BEHIND_TLS_PROXY=true when the
# proxy sends X-Forwarded-Proto (and X-Forwarded-For): Django then knows a request was https and
# the login throttle reads the client address from X-Forwarded-For.
BEHIND_TLS_PROXY = _env_bool("DIGEST_BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("DIGEST_HSTS_SECONDS", "0"))
SECURE_SSL_REDIRECT = _env_bool("DIGEST_SSL_REDIRECT", False)
# HSTS (security.W004) and the https redirect (security.W008) are left to the TLS proxy by default,
# which sends the header and redirects http itself; DIGEST_HSTS_SECONDS / DIGEST_SSL_REDIRECT turn
# them on in Django instead, and then the checks apply again.
SILENCED_SYSTEM_CHECKS = []
if not SECURE_HSTS_SECONDS:
    SILENCED_SYSTEM_CHECKS.append("security.W004")
if not SECURE_SSL_REDIRECT:
    SILENCED_SYSTEM_CHECKS.append("security.W008")
# Permissions-Policy: digest_site.middleware.PermissionsPolicyMiddleware.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# Content-Security-Policy (django-csp): our own files only — no inline scripts or styles, no eval.
# htmx is told not to eval and not to inject its indicator <style> (the htmx-config meta tags).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}

# Login throttling (django-axes): after DIGEST_LOGIN_FAILURE_LIMIT failed logins for one username
# from one address, that pair is refused for DIGEST_LOGIN_COOLOFF_MINUTES (then it may try again).
AXES_FAILURE_LIMIT = int(os.environ.get("DIGEST_LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DIGEST_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "digest_site.middleware.lockout_response"
# The client address: REMOTE_ADDR, or behind DIGEST_BEHIND_TLS_PROXY the right-most
# X-Forwarded-For entry — the one our proxy appended, which a client cannot forge.
AXES_CLIENT_IP_CALLABLE = "digest_site.middleware.client_ip"

# Logging: everything to stderr (journald under systemd), each line with the request id.
DIGEST_SLOW_REQUEST_MS = int(os.environ.get("DIGEST_SLOW_REQUEST_MS", "2000"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "digest_site.middleware.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "{asctime} {levelname} {name} [{request_id}] {message}", "style": "{"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "plain"},
    },
    "loggers": {
        # Django's own (replaces its default console-when-DEBUG and mail_admins handlers).
        "django": {"handlers": ["console"], "level": "INFO"},
        # Server errors (500s with their tracebacks); 4xx warnings stay out. The filter on the
        # logger itself puts the request id on the record for every handler, not only ours.
        "django.request": {"level": "ERROR", "filters": ["request_id"]},
        "digest_site": {"handlers": ["console"], "level": "INFO"},  # slow requests
        "articles": {"handlers": ["console"], "level": "INFO"},
        "django_tasks": {"handlers": ["console"], "level": "INFO"},  # task failures
        "django_tasks_db": {"handlers": ["console"], "level": "INFO"},
        "axes": {"handlers": ["console"], "level": "WARNING"},  # lockouts
    },
}

# Background work: django-tasks with its database backend (no broker; web processes and workers
# share the database). `manage.py db_worker` runs the tasks; `manage.py run_scheduler` enqueues
# the periodic ones (feeds, mailbox).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Ingestion: feeds, links and the inbound mailbox (README, "Connect sources").
# DIGEST_FETCH_ALLOW_PRIVATE lifts the private-address guard on server-side fetches: for local
# test servers only, refused in production mode.
DIGEST_FETCH_ALLOW_PRIVATE = _env_bool("DIGEST_FETCH_ALLOW_PRIVATE", False)
if PRODUCTION and DIGEST_FETCH_ALLOW_PRIVATE:
    raise ImproperlyConfigured("DIGEST_FETCH_ALLOW_PRIVATE cannot be used when DIGEST_ENV=production")
DIGEST_FETCH_TIMEOUT = float(os.environ.get("DIGEST_FETCH_TIMEOUT", "20"))
DIGEST_FETCH_MAX_BYTES = int(os.environ.get("DIGEST_FETCH_MAX_BYTES", str(10 * 1024 * 1024)))
DIGEST_MEMBERS_SAVE_LINKS = _env_bool("DIGEST_MEMBERS_SAVE_LINKS", False)
DIGEST_FEED_INTERVAL_MINUTES = int(os.environ.get("DIGEST_FEED_INTERVAL_MINUTES", "30"))
DIGEST_MAIL_INTERVAL_MINUTES = int(os.environ.get("DIGEST_MAIL_INTERVAL_MINUTES", "5"))
DIGEST_IMAP_HOST = os.environ.get("DIGEST_IMAP_HOST", "")
DIGEST_IMAP_PORT = int(os.environ.get("DIGEST_IMAP_PORT", "993"))
DIGEST_IMAP_USER = os.environ.get("DIGEST_IMAP_USER", "")
DIGEST_IMAP_PASSWORD = os.environ.get("DIGEST_IMAP_PASSWORD", "")
DIGEST_IMAP_FOLDER = os.environ.get("DIGEST_IMAP_FOLDER", "INBOX")
# "ssl" (port 993), "starttls" or "plain" (only for a server on this machine)
DIGEST_IMAP_SECURITY = os.environ.get("DIGEST_IMAP_SECURITY", "ssl").lower()
