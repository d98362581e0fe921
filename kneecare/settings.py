"""KneeCare settings: one env-driven module (django-environ).

Local defaults are safe and need no configuration (SQLite file, local-memory cache).
With DJANGO_ENV=production every secret must come from the environment.
Every variable is documented in .env.example and README.md.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DJANGO_ENV = env.str("DJANGO_ENV", default="local")
if DJANGO_ENV not in {"local", "production"}:
    raise ImproperlyConfigured("DJANGO_ENV must be 'local' or 'production'.")
PRODUCTION = DJANGO_ENV == "production"

if PRODUCTION:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY")  # no default: fail loudly when missing
else:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="django-insecure-local-development-only")

DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS",
    default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver", "[::1]"],
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework_api_key",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "content_app",
]

MIDDLEWARE = [
    # First: answers cached API responses with the headers the whole stack added when the
    # response was stored (content_app/caching.py).
    "content_app.caching.ApiCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "kneecare.urls"
WSGI_APPLICATION = "kneecare.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "kneecare" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("TEST", {})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# CACHE_URL wins; REDIS_URL is accepted as the common spelling for a Redis cache.
_cache_url = env.str("CACHE_URL", default="") or env.str("REDIS_URL", default="")
if _cache_url.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": _cache_url,
            "KEY_PREFIX": "kneecare",
            "OPTIONS": {
                # A cache outage must degrade to the database, never to errors.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    DJANGO_REDIS_IGNORE_EXCEPTIONS = True
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
elif _cache_url:
    CACHES = {"default": env.cache_url_config(_cache_url)}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "kneecare",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

# --- Auth, i18n, static -------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# collectstatic target in production; locally whitenoise serves from the app folders.
STATIC_ROOT = BASE_DIR / "staticfiles" if PRODUCTION else None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Locally, whitenoise serves straight from the app folders: no collectstatic needed.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = False

# --- Security (production hardening is on by default there) -----------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=PRODUCTION)
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=3600 if PRODUCTION else 0)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# A strict Content-Security-Policy (Django 6's built-in middleware): no inline or third-party
# scripts anywhere. Swagger UI runs as SpectacularSwaggerSplitView for that reason; Swagger UI
# and Redoc inject <style> elements and Redoc starts a blob: worker, hence those two sources.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "worker-src": [CSP.SELF, "blob:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# --- API ----------------------------------------------------------------------------------


def _rate(name, default):
    """A DRF rate such as '300/minute'; 'none' or empty turns the limit off."""
    value = env.str(name, default=default).strip()
    return None if value.lower() in {"", "none", "off"} else value


# Rate limits: anonymous clients per IP, partners per API key (djangorestframework-api-key).
API_RATE_ANON = _rate("API_RATE_ANON", "300/minute")
API_RATE_PARTNER = _rate("API_RATE_PARTNER", "3000/minute")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["content_app.api.authentication.ApiKeyAuthentication"],
    "DEFAULT_THROTTLE_CLASSES": [
        "content_app.api.authentication.AnonymousRateThrottle",
        "content_app.api.authentication.PartnerRateThrottle",
    ],
    # Proxies in front of the app whose X-Forwarded-For is trusted (0: use the peer address,
    # so clients cannot dodge the anonymous rate limit by sending that header themselves).
    "NUM_PROXIES": env.int("API_NUM_PROXIES", default=0),
    "DEFAULT_RENDERER_CLASSES": ["content_app.api.renderers.OrjsonRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "content_app.api.negotiation.QualityNegotiation",
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_METADATA_CLASS": None,
    "EXCEPTION_HANDLER": "content_app.api.problems.problem_exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "KneeCare content API",
    "DESCRIPTION": (
        "Clinically reviewed self-care content about pain at the back of the knee: anatomy, "
        "causes, symptoms, risk factors, red flags, exercises, self-care measures and sources.\n\n"
        "Read-only; only published content. Every item has a stable `slug`; every `url` is a "
        "path relative to the API host. Lists are paginated (`page`, `page_size` up to 100) and "
        "compact; details embed related items as compact references, `expand` embeds them in "
        "full and `fields` trims any representation (so every top-level field is optional in "
        "the schema, although all are present unless trimmed).\n\n"
        "Anonymous reads are rate-limited per client address; partners send an API key "
        "(`Authorization: Api-Key <key>` or `X-Api-Key: <key>`) for a higher limit.\n\n"
        "Every error is `application/problem+json` (RFC 9457) with a stable `type` URI "
        "(`urn:kneecare:problem:<name>`); validation problems list each offending parameter "
        "in `invalid_params`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        f"{name}Enum": f"content_app.models.choices.{name}"
        for name in (
            "AnatomyKind",
            "RiskFactorCategory",
            "Urgency",
            "TreatmentKind",
            "ExerciseCategory",
            "Difficulty",
            "Equipment",
            "Prevalence",
            "Onset",
            "SelfCare",
            "StructureRole",
            "ExerciseRole",
            "TargetRole",
        )
    },
    "ENUM_ADD_EXPLICIT_BLANK_NULL_CHOICE": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "content_app.api.v1.schema.require_non_empty_arrays",
        "content_app.api.v1.schema.nullable_references",
    ],
    "TAGS": [
        {"name": "root", "description": "Where everything is."},
        {"name": "anatomy", "description": "Muscles, tendons, ligaments and other structures."},
        {"name": "causes", "description": "Causes of pain at the back of the knee."},
        {"name": "symptoms", "description": "What people notice."},
        {"name": "risk-factors", "description": "What raises the risk."},
        {"name": "red-flags", "description": "Warning signs that need medical help."},
        {"name": "exercises", "description": "Exercises with structured dosage and steps."},
        {"name": "treatments", "description": "Self-care measures."},
        {"name": "sources", "description": "The sources content is written from."},
        {"name": "search", "description": "Search across every collection."},
    ],
}
# Search result highlights (issue 14): a readable component name for the field enum.
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["SearchHighlightFieldEnum"] = (
    "content_app.api.v1.serializers.HIGHLIGHT_FIELD_CHOICES"
)

# HTTP caching of API responses (seconds).
API_CACHE_MAX_AGE = env.int("API_CACHE_MAX_AGE", default=300)
API_CACHE_STALE_WHILE_REVALIDATE = env.int("API_CACHE_STALE_WHILE_REVALIDATE", default=86400)
# Rendered API responses live in the Django cache this long; the content version in their key
# makes a publish change every key, so this only bounds memory, never staleness.
API_CACHE_TIMEOUT = env.int("API_CACHE_TIMEOUT", default=3600)
# How long a process trusts the content version it read (process memory), and how long the
# shared cache keeps it: the worst-case delay before another process serves a change.
API_CACHE_VERSION_TTL = env.float("API_CACHE_VERSION_TTL", default=1.0)
API_CACHE_VERSION_SHARED_TTL = env.int("API_CACHE_VERSION_SHARED_TTL", default=5)
# Part of every response-cache key: set it per deploy when representations change without a
# content change (the code fingerprint already covers content_app/ source changes).
API_CACHE_RELEASE = env.str("API_CACHE_RELEASE", default="")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
