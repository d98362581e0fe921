"""KneeCare settings: one env-driven module (django-environ).

Local defaults are safe and need no configuration (SQLite file, local-memory cache).
With DJANGO_ENV=production every secret must come from the environment.
Every variable is documented in .env.example and README.md.
"""

import json
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

if PRODUCTION:
    # Refuse to boot rather than run with a guessable key or debug pages (what a copied
    # .env.example, a typo or a forgotten flag would give). Same bar as `check --deploy` W009.
    if (
        len(SECRET_KEY) < 50
        or len(set(SECRET_KEY)) < 5
        or SECRET_KEY.startswith("django-insecure")
        or "change-me" in SECRET_KEY.lower()
    ):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be a random string of at least 50 characters in production "
            "(python -c 'import secrets; print(secrets.token_urlsafe(64))')."
        )
    if DEBUG:
        raise ImproperlyConfigured("DJANGO_DEBUG must be false in production.")
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS",
    default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver", "[::1]"],
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "content_app.admin_config.KneeCareAdminConfig",  # django.contrib.admin, KneeCare site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "rest_framework_api_key",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "django_tasks_db",
    "content_app",
]

MIDDLEWARE = [
    # Outermost: a request id for every log line and the X-Request-ID header, slow requests
    # logged, request metrics and the RateLimit headers, cached hits included (kneecare/ops/).
    "kneecare.ops.requestlog.RequestIdMiddleware",
    "kneecare.ops.metrics.MetricsMiddleware",
    "content_app.api.throttling.RateLimitHeadersMiddleware",
    # Outside the response cache: cached hits get CORS headers for their own Origin.
    "content_app.api.cors.ApiCorsMiddleware",
    # Outside the response cache too: Deprecation/Sunset follow settings, not stored entries.
    "content_app.api.lifecycle.LifecycleMiddleware",
    # Answers cached API responses with the headers the whole stack added when the
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
    # Last: admin login lockout (django-axes).
    "axes.middleware.AxesMiddleware",
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
# Outages (README, Operations): a request that needs an unreachable or hung database fails
# within DB_CONNECT_TIMEOUT, or DB_STATEMENT_TIMEOUT_MS + DB_ANSWER_MARGIN for a server that
# goes silent mid-request, and becomes a 503 with Retry-After (kneecare/ops/outages.py); while
# it is down, new connections fail at once for DB_OUTAGE_COOLDOWN seconds. PostgreSQL connections
# are kept for DB_CONN_MAX_AGE (a new one costs a forked backend: ~9 ms of 2 cores) and are
# health-checked before reuse within DB_HEALTH_CHECK_TIMEOUT (kneecare/ops/postgresql).
# Recovery needs no restart.
DB_CONNECT_TIMEOUT = env.float("DB_CONNECT_TIMEOUT", default=1.0)
DB_STATEMENT_TIMEOUT_MS = env.int("DB_STATEMENT_TIMEOUT_MS", default=1500)
DB_ANSWER_MARGIN = 0.25  # seconds past statement_timeout before a silent server counts as hung
DB_OUTAGE_COOLDOWN = env.float("DB_OUTAGE_COOLDOWN", default=2.0)
DB_RETRY_AFTER = env.int("DB_RETRY_AFTER", default=5)
DB_HEALTH_CHECK_TIMEOUT = env.float("DB_HEALTH_CHECK_TIMEOUT", default=1.0)
_postgresql = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
# SQLite's connections cost an open(2), and one per request sees a restored database file.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60 if _postgresql else 0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if _postgresql:
    DATABASES["default"]["ENGINE"] = "kneecare.ops.postgresql"
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options.setdefault("connect_timeout", f"{DB_CONNECT_TIMEOUT:g}")
    if DB_STATEMENT_TIMEOUT_MS:
        _options.setdefault("options", f"-c statement_timeout={DB_STATEMENT_TIMEOUT_MS}")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# CACHE_URL wins; REDIS_URL is accepted as the common spelling for a Redis cache.
_cache_url = env.str("CACHE_URL", default="") or env.str("REDIS_URL", default="")


def redis_cache(location: str) -> dict:
    """django-redis for `location`: an outage degrades to the database, never to errors, and
    fast: bounded sockets, then no attempt at all for CACHE_OUTAGE_COOLDOWN seconds
    (kneecare/ops/redis.py)."""
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": location,
        "KEY_PREFIX": "kneecare",
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": env.float("CACHE_CONNECT_TIMEOUT", default=0.25),
            "SOCKET_TIMEOUT": env.float("CACHE_SOCKET_TIMEOUT", default=0.25),
            "REDIS_CLIENT_CLASS": "kneecare.ops.redis.BreakerRedis",
        },
    }


if _cache_url.startswith(("redis://", "rediss://")):
    CACHES = {"default": redis_cache(_cache_url)}
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

# Rate-limit counters (content_app/api/throttling.py) need atomic increments shared by every
# process: Redis when the default cache is Redis, else a SQLite-backed disk cache (diskcache)
# that the `make run` workers share; a per-process cache would multiply the limits.
if CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache":
    CACHES["ratelimit"] = {**CACHES["default"], "KEY_PREFIX": "kneecare-ratelimit"}
else:
    import hashlib
    import tempfile

    _rate_dir = Path(tempfile.gettempdir()) / (
        "kneecare-ratelimit-" + hashlib.sha256(str(BASE_DIR).encode()).hexdigest()[:8]
    )
    CACHES["ratelimit"] = {
        "BACKEND": "diskcache.DjangoCache",
        "LOCATION": env.str("API_RATE_LIMIT_DIR", default="") or str(_rate_dir),
        "TIMEOUT": 3600,
        "OPTIONS": {"size_limit": 2**26},
    }
CACHE_OUTAGE_COOLDOWN = env.float("CACHE_OUTAGE_COOLDOWN", default=5.0)
RATELIMIT_USE_CACHE = "ratelimit"
RATELIMIT_FAIL_OPEN = True

# --- Auth, i18n, static -------------------------------------------------------------------
# Admin sign-in: django-axes locks a username + address out after AXES_FAILURE_LIMIT failures
# for AXES_COOLOFF_MINUTES, checked before any password is hashed; the bounded backend hashes
# at most ADMIN_LOGIN_CONCURRENCY passwords at once per process, so a flood of sign-ins
# cannot take the threads and cores the API needs (kneecare/ops/login.py).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "kneecare.ops.login.BoundedModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_MINUTES", default=15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # failures and lockouts are still logged; no banner on every command
AXES_CLIENT_IP_CALLABLE = "content_app.api.throttling.client_address"
ADMIN_LOGIN_CONCURRENCY = env.int("ADMIN_LOGIN_CONCURRENCY", default=1)
ADMIN_LOGIN_WAIT = env.float("ADMIN_LOGIN_WAIT", default=0.5)
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
# Media (content_app/media.py): uploaded images, stored as content-addressed renditions.
# Locally the filesystem under MEDIA_ROOT (git-ignored), served by kneecare/urls.py; in
# production an S3-compatible bucket (django-storages) when MEDIA_STORAGE=s3.
# (An empty variable, as copied from .env.example, means its default.)
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="") or "filesystem"
if MEDIA_STORAGE not in {"filesystem", "s3"}:
    raise ImproperlyConfigured("MEDIA_STORAGE must be 'filesystem' or 's3'.")
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default="") or BASE_DIR / "media")
MEDIA_URL = env.str("MEDIA_URL", default="") or "/media/"
MEDIA_IMMUTABLE_CACHE_CONTROL = "public, max-age=31536000, immutable"
# S3-compatible storage (django-storages). Credentials: AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY from the environment (or an instance role), read by boto3 itself.
MEDIA_S3_STORAGE = {
    "BACKEND": "storages.backends.s3.S3Storage",
    "OPTIONS": {
        "bucket_name": env.str("MEDIA_S3_BUCKET", default=""),
        "endpoint_url": env.str("MEDIA_S3_ENDPOINT_URL", default="") or None,
        "region_name": env.str("MEDIA_S3_REGION", default="") or None,
        "custom_domain": env.str("MEDIA_S3_CUSTOM_DOMAIN", default="") or None,
        "location": env.str("MEDIA_S3_PREFIX", default="") or "media",
        "querystring_auth": False,  # public, immutable files: plain cacheable URLs
        "default_acl": None,  # the bucket's policy decides who reads
        "file_overwrite": True,  # content-addressed: the same name is the same bytes
        "object_parameters": {"CacheControl": MEDIA_IMMUTABLE_CACHE_CONTROL},
    },
}
if MEDIA_STORAGE == "s3" and not MEDIA_S3_STORAGE["OPTIONS"]["bucket_name"]:
    raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs MEDIA_S3_BUCKET.")
_media_storage = (
    MEDIA_S3_STORAGE
    if MEDIA_STORAGE == "s3"
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
)
# Serve MEDIA_ROOT from the app (make run); production lets the bucket/CDN or proxy serve it.
MEDIA_SERVE = (
    env.bool("MEDIA_SERVE") if env.str("MEDIA_SERVE", default="") else MEDIA_STORAGE == "filesystem"
)
MEDIA_MAX_UPLOAD_BYTES = int(env.str("MEDIA_MAX_UPLOAD_BYTES", default="") or 10_000_000)
MEDIA_MAX_PIXELS = int(env.str("MEDIA_MAX_PIXELS", default="") or 24_000_000)
MEDIA_MIN_EDGE = 16
MEDIA_MASTER_MAX_WIDTH = 2560
MEDIA_RENDITION_WIDTHS = (320, 640, 1280)

STORAGES = {
    "default": _media_storage,
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
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=PRODUCTION)
# Preloading is a commitment for the whole domain (hstspreload.org), so it stays an explicit
# choice; while it is off, check --deploy's reminder W021 is silenced.
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# A strict Content-Security-Policy (Django 6's built-in middleware): no inline or third-party
# scripts anywhere. Swagger UI runs as SpectacularSwaggerSplitView for that reason; Swagger UI
# and Redoc inject <style> elements and Redoc starts a blob: worker, hence those two sources.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", *env.list("MEDIA_CSP_ORIGINS", default=[])],
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
# Per-key usage: counted in the rate-limit store, written to the daily table at most this often.
API_USAGE_FLUSH_SECONDS = env.int("API_USAGE_FLUSH_SECONDS", default=60)
# Admin sign-in POSTs per client address, whatever the username (kneecare/ops/login.py).
ADMIN_LOGIN_RATE = _rate("ADMIN_LOGIN_RATE", "20/minute")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["content_app.api.authentication.ApiKeyAuthentication"],
    "DEFAULT_THROTTLE_CLASSES": [
        "content_app.api.throttling.AnonymousRateThrottle",
        "content_app.api.throttling.PartnerRateThrottle",
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

# The launch wording of the disclaimer (fixtures/build_launch_content.py ships the same text,
# tests/content checks they agree); editors change the served one in the admin.
LAUNCH_DISCLAIMER = (
    "KneeCare gives general information about pain at the back of the knee. It is not a "
    "diagnosis and not a substitute for advice from a doctor, physical therapist or other "
    "health professional. In an emergency, such as signs of a blood clot in the leg, call "
    "your local emergency number. Get a professional assessment before you exercise with an "
    "injury, and stop any exercise that makes the pain worse."
)

# The public contract (partners): its version, contact, terms and the content's licence.
API_CONTRACT_VERSION = "1.2.0"
API_CONTACT_EMAIL = env.str("API_CONTACT_EMAIL", default="partners@kneecare.example")
API_TERMS_URL = env.str("API_TERMS_URL", default="/static/kneecare/terms.html")
CONTENT_LICENCE = {
    "name": "CC BY 4.0",
    "spdx": "CC-BY-4.0",
    "url": "https://creativecommons.org/licenses/by/4.0/",
    "attribution": "Credit 'KneeCare' and keep each item's `sources`: they name the articles "
    "the item is written from.",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "KneeCare content API",
    "DESCRIPTION": (
        "Self-care content about pain at the back of the knee, written from cited sources: "
        "anatomy, causes, symptoms, risk factors, red flags, exercises, self-care measures and "
        "sources. Every item says who reviewed it and in what role (`reviewed_by`, "
        "`reviewer_role`: `clinical` or `editorial`), when (`reviewed_at`), when the next "
        "review is due and its `review_status`; only items with `reviewer_role: clinical` have "
        "had a clinical review.\n\n"
        "**Disclaimer.** " + LAUNCH_DISCLAIMER + " The API always carries the current wording: "
        "at the root (`/api/v1/`), in the bundle and every sync page (`disclaimer`), under "
        "`/api/v1/disclaimers/`, and as a `disclaimer` reference on every item's detail; show "
        "it with the content.\n\n"
        "Read-only; only published content. Every item has a stable `slug`; every `url` is a "
        "path relative to the API host. Lists are paginated (`page`, `page_size` up to 100) and "
        "compact; details embed related items as compact references, `expand` embeds them in "
        "full and `fields` trims an item to the named top-level fields (the schema describes "
        "the untrimmed shape: every field present, no others).\n\n"
        "Anonymous reads are rate-limited per client address; partners send an API key "
        "(`Authorization: Api-Key <key>` or `X-Api-Key: <key>`) for a higher limit.\n\n"
        f"Licence: the content is {CONTENT_LICENCE['name']} ({CONTENT_LICENCE['url']}). "
        f"{CONTENT_LICENCE['attribution']}\n\n"
        "Every error is `application/problem+json` (RFC 9457) with a stable `type` URI "
        "(`urn:kneecare:problem:<name>`); validation problems list each offending parameter "
        "in `invalid_params`."
    ),
    # Semantic version of the v1 contract (policy in README "Partners"; history in CHANGELOG.md).
    "VERSION": API_CONTRACT_VERSION,
    "CONTACT": {"name": "KneeCare partner support", "email": API_CONTACT_EMAIL},
    "LICENSE": {"name": CONTENT_LICENCE["name"], "url": CONTENT_LICENCE["url"]},
    "TOS": API_TERMS_URL,
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
            "RecommendationPhase",
            "TreatmentRole",
            "ReviewerRole",
            "ReviewStatus",
        )
    }
    | {
        f"{name}Enum": f"content_app.models.media.{name}"
        for name in ("MediaKind", "MediaRole", "MediaLicence", "ImageFormat", "VideoProvider")
    }
    | {
        f"{name}Enum": f"content_app.models.notices.{name}"
        for name in ("ChangeGrade", "ChangeEvent", "DeliveryStatus")
    },
    # OpenAPI 3.1: a nullable reference is `anyOf: [$ref, {type: 'null'}]` (JSON Schema), which
    # validators and strict generators read alike; 3.0.3's `allOf` + `nullable` is read two ways.
    "OAS_VERSION": "3.1.0",
    "ENUM_ADD_EXPLICIT_BLANK_NULL_CHOICE": True,
    # Change notices as OpenAPI 3.1 `webhooks` (what content_app/notices.py POSTs).
    "WEBHOOKS": ["content_app.api.v1.changes.change_notice_webhook"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "content_app.api.v1.schema.nullable_references",
        "content_app.api.v1.schema.require_non_empty_arrays",
        "content_app.api.v1.schema.http_caching_contract",
        "content_app.api.v1.schema.close_objects",
        "content_app.api.v1.schema.semantic_version",
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
# The self-check's own enum (content_app/selfcheck/engine.py), and the collection names
# (search results, tombstones) keeping their name beside it.
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    SelfCheckItemTypeEnum="content_app.selfcheck.engine.ITEM_TYPES",
    TypeEnum="content_app.models.API_TYPE_CHOICES",
)
# Search result highlights (issue 14): a readable component name for the field enum.
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["SearchHighlightFieldEnum"] = (
    "content_app.api.v1.serializers.HIGHLIGHT_FIELD_CHOICES"
)

# CORS (django-cors-headers): the public read API is readable from any origin (or the listed
# ones), never with credentials; the admin is not covered.
API_CORS_ALLOWED_ORIGINS = env.list("API_CORS_ALLOWED_ORIGINS", default=["*"])
CORS_URLS_REGEX = r"^/api/v1/.*$"
CORS_ALLOW_ALL_ORIGINS = "*" in API_CORS_ALLOWED_ORIGINS
CORS_ALLOWED_ORIGINS = [] if CORS_ALLOW_ALL_ORIGINS else API_CORS_ALLOWED_ORIGINS
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_HEADERS = (
    "accept",
    "authorization",
    "x-api-key",
    "if-none-match",
    "if-modified-since",
    "x-request-id",
)
CORS_EXPOSE_HEADERS = (
    "ETag",
    "Last-Modified",
    "RateLimit",
    "RateLimit-Policy",
    "Retry-After",
    "Link",
    "Deprecation",
    "Sunset",
    "X-Request-ID",
)
CORS_PREFLIGHT_MAX_AGE = env.int("API_CORS_MAX_AGE", default=86400)

# Lifecycle (RFC 9745 Deprecation, RFC 8594 Sunset): per version ("v1") or per operation's URL
# name ("v1:causes-list"), e.g. {"v1": {"deprecation": "2027-01-01", "sunset": "2027-07-01",
# "link": "https://example.org/changelog"}}. Empty: nothing is deprecated.
API_LIFECYCLE = json.loads(env.str("API_LIFECYCLE", default="") or "{}")

# Change notices (content_app/notices.py): a real task queue, Django's tasks framework with the
# django-tasks-db backend (`manage.py db_worker` runs the tasks; `make run` starts one).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Webhook deliveries: attempts in all, the first retry's delay (doubling each time), timeout.
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=8)
WEBHOOK_RETRY_BASE_SECONDS = env.float("WEBHOOK_RETRY_BASE_SECONDS", default=30.0)
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=5.0)

# HTTP caching of API responses (seconds).
API_CACHE_MAX_AGE = env.int("API_CACHE_MAX_AGE", default=300)
API_CACHE_STALE_WHILE_REVALIDATE = env.int("API_CACHE_STALE_WHILE_REVALIDATE", default=86400)
# Rendered API responses live in the Django cache this long; the content version in their key
# makes a publish change every key, so this only bounds memory, never staleness.
API_CACHE_TIMEOUT = env.int("API_CACHE_TIMEOUT", default=3600)
# The content version (content_app/caching/version.py): every request checks a change signal
# (`cache`: the shared cache; `file`: a stamp file, API_CACHE_VERSION_STAMP; `memory`; `auto`
# picks one), the database is re-read at least every API_CACHE_VERSION_TTL seconds, and after
# a database error the last known version is served for API_CACHE_DB_RETRY seconds.
API_CACHE_VERSION_TTL = env.float("API_CACHE_VERSION_TTL", default=1.0)
API_CACHE_VERSION_SIGNAL = env.str("API_CACHE_VERSION_SIGNAL", default="auto")
API_CACHE_VERSION_STAMP = env.str("API_CACHE_VERSION_STAMP", default="")
API_CACHE_DB_RETRY = env.float("API_CACHE_DB_RETRY", default=5.0)
# Part of every response-cache key: set it per deploy when representations change without a
# content change (the code fingerprint already covers content_app/ source changes).
API_CACHE_RELEASE = env.str("API_CACHE_RELEASE", default="")

# The bundle (/api/v1/bundle/) is built once per content version into files under BUNDLE_DIR
# (default: a directory per database in the temp dir; each machine builds its own) and sent
# from them; a build deletes older versions' builds and any beyond the newest BUNDLE_KEEP. A
# request waits up to BUNDLE_BUILD_WAIT s for another process's build, then builds itself.
BUNDLE_DIR = env.str("BUNDLE_DIR", default="")
BUNDLE_KEEP = env.int("BUNDLE_KEEP", default=8)
BUNDLE_BUILD_WAIT = env.float("BUNDLE_BUILD_WAIT", default=8.0)  # under GUNICORN_REQUEST_TIMEOUT
# A bundle at most this big goes through the response cache instead (default: what fits the
# per-process memo, 4 MB; 0: always from the file).
BUNDLE_RESPONSE_CACHE_MAX_BYTES = env.int("BUNDLE_RESPONSE_CACHE_MAX_BYTES", default=None)

# --- Operations (README, Operations) -------------------------------------------------------
# Request ids (django-log-request-id): a sane incoming X-Request-ID is kept, anything else
# replaced; every log line carries it, and so does the response.
LOG_REQUEST_ID_HEADER = "HTTP_X_REQUEST_ID"
GENERATE_REQUEST_ID_IF_NOT_IN_HEADER = True
REQUEST_ID_RESPONSE_HEADER = "X-Request-ID"
SLOW_REQUEST_SECONDS = env.float("SLOW_REQUEST_SECONDS", default=1.0)
# /metrics (Prometheus text format): only from these addresses, or with this bearer token.
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=["127.0.0.1", "::1"])
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")

LOG_FORMAT = env.str("LOG_FORMAT", default="json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "log_request_id.filters.RequestIDFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
