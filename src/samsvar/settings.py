"""samsvar settings, read from SAMSVAR_* environment variables (see README, Configuration)."""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from samsvar.config import (
    ConfigError,
    data_dir,
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_mode,
    env_str,
    env_time_zone,
    generated_secret_key,
)

PACKAGE_DIR = Path(__file__).resolve().parent

# production (default), demo (`samsvar demo`), dev, test
MODE = env_mode("SAMSVAR_MODE")
DEBUG = env_bool("SAMSVAR_DEBUG", default=False)
PRODUCTION = MODE == "production" and not DEBUG

DATA_DIR = data_dir("SAMSVAR_DATA_DIR", "./var")

SECRET_KEY = env_str("SAMSVAR_SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ConfigError(
            "SAMSVAR_SECRET_KEY is not set; production needs a long random secret key "
            "(or run `samsvar demo`, or set SAMSVAR_MODE=dev for development)"
        )
    SECRET_KEY = generated_secret_key(DATA_DIR)
elif len(SECRET_KEY) < 50:
    raise ConfigError("SAMSVAR_SECRET_KEY is too short; use at least 50 random characters")

ALLOWED_HOSTS = env_list(
    "SAMSVAR_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ConfigError("SAMSVAR_ALLOWED_HOSTS is not set; list the host names samsvar answers to")

INSTALLED_APPS = [
    "samsvar.core",
    "samsvar.accounts",
    "samsvar.devices",
    "samsvar.standards",
    "samsvar.compliance",
    "samsvar.risk",
    "samsvar.documents",
    "samsvar.training",
    "samsvar.reports",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "samsvar.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "samsvar.core.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "samsvar.urls"
WSGI_APPLICATION = "samsvar.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "samsvar.core.context_processors.samsvar",
            ],
        },
    },
]

_database_url = env_str("SAMSVAR_DATABASE_URL")
if _database_url:
    DATABASES = {"default": database_from_url("SAMSVAR_DATABASE_URL", _database_url)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "samsvar.sqlite3",
            "OPTIONS": {
                # Writers take the lock at BEGIN, so two writers queue instead of failing.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# Failed logins and failed signatures: this many in a row locks for LOCKOUT_MINUTES.
SAMSVAR_LOCKOUT_ATTEMPTS = 5
SAMSVAR_LOCKOUT_MINUTES = 15

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("nb", _("Norwegian Bokmål"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_time_zone("SAMSVAR_TIME_ZONE", "Europe/Oslo")

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Pre-compressed (gzip and brotli) files pay off in production; the demo starts faster
    # without compressing the API documentation assets.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "whitenoise.storage.ManifestStaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Largest uploaded file (document attachments, evidence), in MB.
SAMSVAR_MAX_UPLOAD_MB = env_int("SAMSVAR_MAX_UPLOAD_MB", 25, minimum=1, maximum=1024)
SAMSVAR_MAX_UPLOAD_BYTES = SAMSVAR_MAX_UPLOAD_MB * 1024 * 1024

SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CSRF_TRUSTED_ORIGINS = env_list("SAMSVAR_CSRF_TRUSTED_ORIGINS", [])
if PRODUCTION:
    # Behind a TLS-terminating reverse proxy that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SAMSVAR_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SILENCED_SYSTEM_CHECKS = [] if SECURE_SSL_REDIRECT else ["security.W008"]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "samsvar.accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "samsvar.core.rest.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "samsvar.core.rest.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "samsvar API",
    "DESCRIPTION": "REST API of samsvar, an eQMS for MDR/IVDR manufacturers.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

OTP_TOTP_ISSUER = "samsvar"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"samsvar": {"level": "INFO"}},
}
