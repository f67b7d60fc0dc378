"""Settings read from the environment (12-factor); defaults give a zero-set-up SQLite demo."""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from dieuhanh.ops.logs import formatter_config, log_format_from_env

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DIEUHANH_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY") or (
    # Only the demo and tests run without a key; a production start must set one.
    "insecure-demo-key-" + "x" * 40 if DEBUG or os.environ.get("DIEUHANH_ALLOW_DEMO_KEY") else ""
)
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "huey.contrib.djhuey",
    "dieuhanh.accounts",
    "dieuhanh.orgunits",
    "dieuhanh.indicators",
    "dieuhanh.reporting",
    "dieuhanh.assignments",
    "dieuhanh.analytics",
    "dieuhanh.dashboard",
    "dieuhanh.api",
    "dieuhanh.webhooks",
    "dieuhanh.monitoring",
    "dieuhanh.alerts",
    "dieuhanh.commendations",
    "dieuhanh.reports",
    "dieuhanh.audit",
    "axes",
    "csp",
    # Two-factor login (dieuhanh/accounts/twofactor.py): django-otp, its authenticator-app and recovery-code devices.
    "django_otp",
    "dieuhanh.accounts.twofactor_apps.TOTPConfig",
    "dieuhanh.accounts.twofactor_apps.StaticConfig",
    "dieuhanh.ops",
]

MIDDLEWARE = [
    "dieuhanh.ops.middleware.HealthzMiddleware",  # first: probes answered before host, HTTPS and login rules
    "dieuhanh.ops.middleware.RequestLogMiddleware",  # it logs every request, redirects and static files too
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy (CONTENT_SECURITY_POLICY below)
    "dieuhanh.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dieuhanh.middleware.ChosenLanguageMiddleware",  # the switcher's choice, else Vietnamese; never Accept-Language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "dieuhanh.lib.requestmemo.RequestMemoMiddleware",  # the person's roles read once per request
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): the session passed the second factor
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "dieuhanh.middleware.HtmxLoginRedirectMiddleware",
    "dieuhanh.accounts.sessions.SessionActivityMiddleware",  # idle timeout; the list of one's own sessions
    "dieuhanh.accounts.twofactor.SecondFactorMiddleware",  # the code first, before even a forced password change
    "dieuhanh.accounts.passwords.PasswordChangeRequiredMiddleware",
    "dieuhanh.accounts.twofactor.EnrolmentRequiredMiddleware",  # after the forced password change
    "dieuhanh.audit.middleware.AuditMiddleware",  # files served and API key calls into the audit trail
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks: it answers a locked-out login
]
# The demo's shared password works only in the demo (DEBUG): elsewhere logging in with it leads straight to
# choosing one's own (dieuhanh/accounts/passwords.py).
DEMO_PASSWORD_ALLOWED = env_bool("DEMO_PASSWORD_ALLOWED", DEBUG)

# Login throttling (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords in a row for one account, or from one
# address (over any accounts), logging in is refused for LOGIN_LOCKOUT_MINUTES, also with the right password, on the
# login page and the admin's. A success clears the account's count; an administrator unlocks at once by deleting
# the access attempts in the admin (or `manage.py axes_reset_username NAME`). TRUSTED_PROXIES names the reverse
# proxies whose X-Forwarded-For is believed (dieuhanh.accounts.lockout.client_ip says why).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "dieuhanh.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "dieuhanh.accounts.lockout.client_ip"
AXES_VERBOSE = False
TRUSTED_PROXIES = [ip.strip() for ip in os.environ.get("TRUSTED_PROXIES", "").split(",") if ip.strip()]

# Two-factor login with authenticator apps (dieuhanh/accounts/twofactor.py). Required, when TWO_FACTOR_ENFORCED is
# on (default: outside the demo), for superusers, staff, the "admin" role and the role codes TWO_FACTOR_REQUIRED_ROLES
# lists (comma separated, e.g. "admin,leader"); they are sent to set it up before any page. Anyone may turn it on.
# Wrong codes make the next try wait 1, 2, 4, 8 ... seconds (django-otp's throttling, per device). Administrators reset
# a person's two-factor login by deleting their devices in the admin, which never shows the secrets.
TWO_FACTOR_ENFORCED = env_bool("TWO_FACTOR_ENFORCED", not DEBUG)
TWO_FACTOR_REQUIRED_ROLES = [r.strip() for r in os.environ.get("TWO_FACTOR_REQUIRED_ROLES", "admin").split(",")
                             if r.strip()]
OTP_TOTP_ISSUER = os.environ.get("TWO_FACTOR_ISSUER", "Điều hành")  # the account's name in the app
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

ROOT_URLCONF = "dieuhanh.urls"
WSGI_APPLICATION = "dieuhanh.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "dieuhanh" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "dieuhanh.dashboard.context_processors.menu",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'dieuhanh.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer saves; the busy timeout makes a second writer wait
    # instead of failing at once with "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Password rules for a level-3 system (TCVN 11930:2017; dieuhanh/accounts/password_rules.py): at least
# PASSWORD_MIN_LENGTH characters mixing three of lower case, capitals, digits and symbols, not the person's names,
# not common, not one of their last PASSWORD_HISTORY passwords. A link to reset a forgotten password by e-mail works
# for PASSWORD_RESET_TIMEOUT seconds, once.
PASSWORD_MIN_LENGTH = int(os.environ.get("PASSWORD_MIN_LENGTH", "8"))
PASSWORD_HISTORY = int(os.environ.get("PASSWORD_HISTORY", "5"))
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_TIMEOUT", "3600"))
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "dieuhanh.accounts.password_rules.CharacterKindsValidator"},
    {"NAME": "dieuhanh.accounts.password_rules.ContainsOwnNameValidator"},
    # Also keeps the history and ends the person's other sessions whenever a password is set.
    {"NAME": "dieuhanh.accounts.password_rules.PasswordHistoryValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "dieuhanh" / "locale"]
# Dates dd/mm/yyyy in every language, the admin included (dieuhanh/formats says why).
FORMAT_MODULE_PATH = ["dieuhanh.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "dieuhanh" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"

# Uploads: a form workbook is small; anything larger is refused with a message, not read.
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(5 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "dieuhanh@localhost")
# The SMTP server (with EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend): password reset needs it.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)  # STARTTLS, usually on port 587
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)  # TLS from the first byte, usually on port 465
EMAIL_TIMEOUT = 10  # seconds: a mail server that does not answer must not hold a web worker

# The API's rate limit per key (ApiKey.rate_per_minute overrides it), counted in the cache below.
API_RATE_PER_MINUTE = int(os.environ.get("API_RATE_PER_MINUTE", "600"))
# Shared by every web process when Redis is there (rate limits, idempotency); in-process memory otherwise.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
    }

# Background jobs: SQLite storage by default, Redis when REDIS_URL is set. An idle consumer looks for work at most
# every second (Huey's default backs off to 10 s): an outage's notification waits for it after the commit.
_HUEY_CONSUMER = {"workers": 2, "worker_type": "thread", "initial_delay": 0.1, "backoff": 1.15, "max_delay": 1.0}
if os.environ.get("REDIS_URL"):
    HUEY = {"huey_class": "huey.RedisHuey", "name": "dieuhanh", "url": os.environ["REDIS_URL"], "immediate": False,
            "consumer": _HUEY_CONSUMER}
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "dieuhanh",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": False,
        "consumer": _HUEY_CONSUMER,
    }

# Webhooks: attempts before giving up on temporary errors (retried after 1, 2, 4 ... times the base delay), and the
# time a receiver has to answer.
WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("WEBHOOK_MAX_ATTEMPTS", "8"))
WEBHOOK_RETRY_BASE_SECONDS = int(os.environ.get("WEBHOOK_RETRY_BASE_SECONDS", "60"))
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "5"))

# Notifications (alerts app): attempts before a temporary error is given up; the outside channels' credentials and
# addresses (the API bases are settings so that a province may route through its own gateway, and tests through a
# local server); the site's address for absolute links in e-mail, Telegram and Zalo messages.
ALERTS_MAX_ATTEMPTS = int(os.environ.get("ALERTS_MAX_ATTEMPTS", "8"))
TELEGRAM_BOT_TOKEN = os.environ.get("TELEGRAM_BOT_TOKEN", "")
TELEGRAM_API_BASE = os.environ.get("TELEGRAM_API_BASE", "https://api.telegram.org")
ZALO_OA_ACCESS_TOKEN = os.environ.get("ZALO_OA_ACCESS_TOKEN", "")
ZALO_API_BASE = os.environ.get("ZALO_API_BASE", "https://openapi.zalo.me")
SITE_URL = os.environ.get("SITE_URL", "")
# The daily task digests go through the notifications engine (each person's channels and quiet hours, deliveries
# logged and retried); 0 keeps the tasks app's own e-mail and in-app digest (assignments.reminders) instead.
# Exactly one of the two runs: both would tell the same people twice.
ALERTS_TASK_DIGESTS = os.environ.get("ALERTS_TASK_DIGESTS", "1") == "1"
# Monitoring: raw check results are kept this many days (state changes and monthly figures for ever); how many
# checks one worker runs at once; a file of extra trusted certificate authorities (e.g. the government root CA)
# for the HTTPS and TLS checks.
MONITORING_RESULT_DAYS = int(os.environ.get("MONITORING_RESULT_DAYS", "30"))
MONITORING_CONCURRENCY = int(os.environ.get("MONITORING_CONCURRENCY", "200"))
MONITORING_CA_FILE = os.environ.get("MONITORING_CA_FILE", "")

# Which reports leaders' figures count: "submitted" (submitted and approved, the default) or "approved" (approved
# only). Drafts and returned reports never count. After changing it, run `manage.py rollups_rebuild`.
REPORTED_DATA = os.environ.get("REPORTED_DATA", "submitted").strip().lower()
if REPORTED_DATA not in {"submitted", "approved"}:
    raise RuntimeError("REPORTED_DATA must be 'submitted' or 'approved'")

# The audit trail (dieuhanh/audit) keeps its rows this many days; `manage.py audit_purge` (daily, in the worker)
# deletes older ones. 1825 days (5 years) by default: no rule we follow names a shorter period, and the database
# refuses to delete rows younger than 365 days whatever this says (audit.models.MIN_RETENTION_DAYS).
AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", "1825"))

# Task reminders: days before a deadline on which the lead unit gets a digest (overdue tasks: every working day).
TASK_REMINDER_DAYS = [int(d) for d in os.environ.get("TASK_REMINDER_DAYS", "7,3,1").split(",") if d.strip()]

# Content-Security-Policy (django-csp): scripts only from our own static files, never inline and never eval, so
# an injected script element or onclick= does not run. Pages pass data to their scripts in data-* attributes or
# json_script; htmx runs with allowEval off (the htmx-config meta in base.html). Styles keep 'unsafe-inline':
# style="" attributes are all over the templates, and ECharts, Bootstrap and Swagger UI set element styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
# Permissions-Policy (dieuhanh.middleware.PermissionsPolicyMiddleware): the product uses none of these features.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), fullscreen=(self)"
# The administration's address (default admin/): a deployment may move it off the path every scanner tries.
ADMIN_PATH = os.environ.get("ADMIN_PATH", "admin/").strip("/") + "/"
if ADMIN_PATH == "/":
    raise RuntimeError("ADMIN_PATH must not be empty")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
# A session unused for this long ends (0: never). Pages polling by themselves do not count as use; the IOC room's
# wall screens do (dieuhanh/accounts/sessions.py).
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Logs on stderr, one line per event: LOG_FORMAT=json (one JSON object per line, the default when DEBUG is off) or
# text (the default in DEBUG); dieuhanh.ops.logs. Each request is logged once, by dieuhanh.ops.middleware.
LOG_FORMAT = log_format_from_env()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": formatter_config(LOG_FORMAT),
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "default"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # django-axes tells every login, success and clean-up at INFO; its warnings (a lockout) are what matters.
    # runserver's own line per request would double the request log's.
    # The worker's `run_huey` adds its own handler to "huey" unless it has one: give it ours, one line per event.
    "loggers": {"axes": {"level": "WARNING"}, "django.server": {"level": "ERROR"},
                "huey": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

# /healthz answers 503 when the worker's heartbeat (written every minute) is older than this.
HEALTHZ_WORKER_STALE_SECONDS = int(os.environ.get("HEALTHZ_WORKER_STALE_SECONDS", "180"))
# Where `manage.py backup` writes its archives.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", VAR_DIR / "backups"))
