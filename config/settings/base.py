"""Settings shared by every environment.

Every environment variable DevCrew reads is read here, through django-environ, so the
configuration table in README.md has exactly one source. The environment modules
(local, test, production) only change defaults; they never read the environment.
"""

from datetime import timedelta
from pathlib import Path
from typing import Any

import environ
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

from config.api.tags import API_TAGS

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

# ------------------------------------------------------------------------------
# Core
# ------------------------------------------------------------------------------
# local.py falls back to the development key; production.py refuses it, and any key that
# is missing, short or repetitive.
SECRET_KEY = env.str("SECRET_KEY", default="")
DEVELOPMENT_SECRET_KEY = "django-insecure-devcrew-local-development-key-never-use-in-production"  # noqa: S105
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
# The site's own wording of third-party strings ("Log in", not "Sign In"): locale/en.
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ------------------------------------------------------------------------------
# Applications
# ------------------------------------------------------------------------------
DJANGO_APPS = [
    "daphne",  # first: its runserver serves ASGI (HTTP + WebSocket)
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]
THIRD_PARTY_APPS = [
    "channels",
    "csp",
    "rest_framework",
    "rest_framework_simplejwt",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "health_check",
    "allauth",
    "allauth.account",
    "allauth.mfa",
]
LOCAL_APPS = [
    "config",  # creates the local folders at startup (config.apps)
    "accounts",
    "profiles",
    "projects",
    "agents",
    "chat",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

# Plug-in lists: where a lower app shows what a higher one contributes, which it may not
# import (dependencies point accounts <- profiles <- projects <- agents <- chat). Dotted
# paths of callables, loaded with import_string, in this order.
# A project page's extra sections: panels(request, *, project, access) -> list[dict].
PROJECT_PAGE_PANELS = ["agents.project_panels.panels"]
# A public profile's extra sections: panels(request, user) -> list[dict].
PROFILE_PAGE_PANELS = ["projects.profile_panels.panels"]
# `manage.py seed_demo` (accounts): seed(stdout), idempotent.
DEMO_DATA = ["accounts.demo.seed", "profiles.demo.seed", "projects.demo.seed", "agents.demo.seed"]

MIDDLEWARE = [
    "config.logging.RequestIdMiddleware",
    "config.site.SiteAddressMiddleware",  # emails link to the address this request came to
    "django.middleware.security.SecurityMiddleware",
    "config.csp.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # Refuses what no view could serve (413, NUL, ids beyond 64 bits) and keeps every
    # /api/ error in the JSON body; after the security headers, so refusals carry them.
    "config.request_guard.RequestGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "profiles.middleware.ProfileSetupRedirectMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",  # {{ CSP_NONCE }} for the few inline scripts
            ],
        },
    },
]

# ------------------------------------------------------------------------------
# Database
# ------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'devcrew.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Persistent connections (CONN_MAX_AGE) leak under ASGI, where every sync view runs
    # in a thread of its own; psycopg's pool hands connections back after each request.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DATABASE_POOL_MIN_SIZE", default=1),
        "max_size": env.int("DATABASE_POOL_MAX_SIZE", default=10),
        "timeout": 10,
    }
    DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", 5)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the Celery worker writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )

# ------------------------------------------------------------------------------
# Redis: cache, channel layer and Celery broker
# ------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache that degrades (misses, dropped writes) while Redis is down,
            # so throttles and rate limits fail open instead of answering 500 (config.cache).
            "BACKEND": "config.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "devcrew",
            "OPTIONS": {"socket_connect_timeout": 3, "socket_timeout": 3},
        }
    }
    # The pub/sub layer: messages go straight to the subscribed processes, in order, with
    # no per-process queue to overflow (the list-based RedisChannelLayer drops messages past
    # its capacity, which a few concurrent token streams exceed) and no blocking reads that
    # race redis-py's socket timeout.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            # A connect timeout: a Redis that hangs must not hang the sockets and answers.
            "CONFIG": {
                "hosts": [{"address": REDIS_URL, "socket_connect_timeout": 3}],
                "prefix": "devcrew:channels",
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# ------------------------------------------------------------------------------
# Celery
# ------------------------------------------------------------------------------
BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or REDIS_URL or "filesystem://"
if CELERY_BROKER_URL.startswith("filesystem://"):
    # kombu's filesystem transport: a broker that needs no server, for `make run`.
    # Web and worker must share one folder for messages in both directions; the folders
    # are created when Django starts (config.apps), not here.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True  # state lives on our own rows (AgentRun), not a result backend
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60  # the longest any task may run (hard kill)
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
if not CELERY_BROKER_URL.startswith("filesystem://"):
    # Redis redelivers a message nobody acknowledged after visibility_timeout (1 hour by
    # default). With acks_late a task is acknowledged when it ends, so the timeout must
    # outlast the longest task (the hard time limit) or a running task is handed to a
    # second worker; a margin above that is all a task held by a killed worker waits.
    # Do not schedule tasks with a countdown/ETA longer than this: Redis would redeliver them.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT + 5 * 60}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Every periodic task, by name (beat runs inside the worker: `celery worker --beat`).
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "flush-expired-jwt": {
        "task": "accounts.tasks.flush_expired_tokens",
        "schedule": timedelta(days=1),
    },
    "purge-one-time-codes": {
        "task": "accounts.tasks.purge_one_time_codes",
        "schedule": timedelta(minutes=15),
    },
    "projects-expire-invitations": {
        "task": "projects.tasks.expire_invitations",
        "schedule": timedelta(hours=1),
    },
    # The chat's orphan sweep (CHAT_ORPHAN_AFTER_SECONDS below).
    "chat-close-orphaned-answers": {
        "task": "chat.tasks.close_orphaned_answers",
        "schedule": timedelta(seconds=10),
    },
    # Runs past their deadline are failed (AGENT_RUN_QUEUE_TIMEOUT, AGENT_RUN_TIMEOUT below).
    "agents-reap-stuck-runs": {
        "task": "agents.tasks.reap_stuck_runs",
        "schedule": timedelta(minutes=1),
    },
}

# ------------------------------------------------------------------------------
# Authentication
# ------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

PASSWORD_HASHERS = [
    "accounts.hashers.TunedArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.passwords.PasswordHistoryValidator"},
]

# django-allauth
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PRESERVE_USERNAME_CASING = True
ACCOUNT_USERNAME_MIN_LENGTH = 3  # the characters allowed: accounts.usernames (the model field's validator)
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Same code policy as the API's one-time codes (accounts.otp): 10 minutes, 5 tries.
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_TIMEOUT = 600
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_MAX_ATTEMPTS = 5
ACCOUNT_PASSWORD_RESET_BY_CODE_TIMEOUT = 600
ACCOUNT_PASSWORD_RESET_BY_CODE_MAX_ATTEMPTS = 5
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
# allauth stores only a keyed digest of its codes in the session (accounts.adapter).
ACCOUNT_FORMS = {
    "confirm_email_verification_code": "accounts.adapter.DigestEmailVerificationCodeForm",
    "confirm_password_reset_code": "accounts.adapter.DigestPasswordResetCodeForm",
    # A wrong current password or TOTP code counts toward the lockout (accounts.forms).
    "change_password": "accounts.forms.LockoutChangePasswordForm",
}
MFA_FORMS = {
    "authenticate": "accounts.forms.LockoutMfaAuthenticateForm",
    "reauthenticate": "accounts.forms.LockoutMfaReauthenticateForm",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "DevCrew"
# Accept the code of the 30 s step before and after the current one (RFC 6238 sec. 5.2):
# a phone clock a few seconds off, or a code typed as the step turns, still works. Each
# code is still accepted once only (allauth's replay guard covers the whole window).
MFA_TOTP_TOLERANCE = 1

# ------------------------------------------------------------------------------
# Django REST framework, simplejwt, drf-spectacular
# ------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.DevCrewJWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # DRF's JSON parser, safe for hostile bodies (depth, size, NUL): config/api/parsers.py.
    # JSON only: form encodings cannot say null or nest, and DRF quietly reads "" in a
    # partial form update as "not sent", so the schema could not describe what is accepted.
    "DEFAULT_PARSER_CLASSES": ["config.api.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "config.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["config.api.filters.FilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("THROTTLE_ANON", default="120/min"),
        "user": env.str("THROTTLE_USER", default="600/min"),
        # Per client IP (accounts.api.throttles.AuthIPThrottle).
        "auth_register": env.str("THROTTLE_AUTH_REGISTER", default="10/hour"),
        "auth_token": env.str("THROTTLE_AUTH_TOKEN", default="20/min"),
        "auth_mfa": env.str("THROTTLE_AUTH_MFA", default="10/min"),
        "auth_refresh": env.str("THROTTLE_AUTH_REFRESH", default="60/min"),
        "auth_verify": env.str("THROTTLE_AUTH_VERIFY", default="10/min"),
        "auth_resend": env.str("THROTTLE_AUTH_RESEND", default="5/hour"),
        "auth_forgot": env.str("THROTTLE_AUTH_FORGOT", default="5/hour"),
        "auth_reset": env.str("THROTTLE_AUTH_RESET", default="10/min"),
        "auth_password_change": env.str("THROTTLE_AUTH_PASSWORD_CHANGE", default="10/hour"),
    },
    # Proxies in front of daphne whose X-Forwarded-For is trusted for client IPs.
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
    "EXCEPTION_HANDLER": "config.api.errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "config.api.openapi.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=14)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "ALGORITHM": "HS256",
    "AUDIENCE": "devcrew-api",
    "ISSUER": "devcrew",
    "AUTH_HEADER_TYPES": ("Bearer",),
}
SPECTACULAR_SETTINGS: dict[str, Any] = {
    "TITLE": "DevCrew API",
    "DESCRIPTION": "Profiles, projects, AI agents and chat for developer teams.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "/static/img/favicon.svg",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI groups operations by app (config.api.openapi.API_TAGS), in this order.
    "TAGS": API_TAGS,
    "SWAGGER_UI_SETTINGS": {"tagsSorter": None, "operationsSorter": None, "docExpansion": "list"},
    # One OpenAPI enum per choice set: several models have a "status", "role" or "visibility".
    "ENUM_NAME_OVERRIDES": {
        "ProjectStatusEnum": "projects.models.Project.Status",
        "ProjectVisibilityEnum": "projects.models.Project.Visibility",
        "MembershipRoleEnum": "projects.models.Membership.Role",
        "InvitationStatusEnum": "projects.models.Invitation.Status",
        "JoinRequestStatusEnum": "projects.models.JoinRequest.Status",
        "TaskStatusEnum": "projects.models.Task.Status",
        "ExperienceLevelEnum": "profiles.models.ExperienceLevel",
        "ProfileVisibilityEnum": "profiles.models.Visibility",
        "AgentKindEnum": "agents.models.Agent.Kind",
        "AgentStatusEnum": "agents.models.Agent.Status",
        "AgentVisibilityEnum": "agents.models.Agent.Visibility",
        "AgentRunKindEnum": "agents.models.AgentRun.Kind",
        "AgentRunStatusEnum": "agents.models.AgentRun.Status",
    },
}

# ------------------------------------------------------------------------------
# Static files, email
# ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"  # created when Django starts (config.apps): whitenoise warns otherwise
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve straight from the source folders, so no collectstatic is needed outside production.
WHITENOISE_USE_FINDERS = True

# Uploads (avatars, portfolio images): local files under MEDIA_ROOT, served by Django at
# MEDIA_URL; or any S3-compatible store (AWS, MinIO, R2, Spaces...) through django-storages
# when AWS_STORAGE_BUCKET_NAME is set. Files are only ever re-encoded images
# (profiles.images), named at random.
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
IMAGE_UPLOAD_MAX_BYTES = env.int("IMAGE_UPLOAD_MAX_BYTES", default=5_000_000)
IMAGE_MAX_PIXELS = env.int("IMAGE_MAX_PIXELS", default=40_000_000)
# A multipart body larger than this is refused before it is read (config.request_guard).
UPLOAD_MAX_BODY_BYTES = IMAGE_UPLOAD_MAX_BYTES + 1_000_000
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
MEDIA_SERVED_BY_DJANGO = not AWS_STORAGE_BUCKET_NAME
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            "custom_domain": env.str("AWS_S3_CUSTOM_DOMAIN", default="") or None,
            "querystring_auth": env.bool("AWS_QUERYSTRING_AUTH", default=False),
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }

vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
# Emails greet with SITE_NAME. Their links point to the address of the request that sent
# them (``make run`` on another port links to that port), and to SITE_URL outside a
# request (Celery tasks, commands): config.site.
SITE_NAME = env.str("SITE_NAME", default="DevCrew")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "  # allauth's emails and ours (config.emails)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default=f"{SITE_NAME} <noreply@devcrew.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# ------------------------------------------------------------------------------
# LLM layer (agents/)
# ------------------------------------------------------------------------------
OPENAI_API_KEY = env.str("OPENAI_API_KEY", default="")
OPENAI_BASE_URL = env.str("OPENAI_BASE_URL", default="")
OPENAI_MODEL = env.str("OPENAI_MODEL", default="gpt-4o-mini")
LLM_PROVIDER = env.str("LLM_PROVIDER", default="openai" if (OPENAI_API_KEY or OPENAI_BASE_URL) else "offline")
LLM_CONNECT_TIMEOUT = env.float("LLM_CONNECT_TIMEOUT", default=5.0)
LLM_READ_TIMEOUT = env.float("LLM_READ_TIMEOUT", default=60.0)
LLM_MAX_RETRIES = env.int("LLM_MAX_RETRIES", default=2)
# First retry delay before the first token when the server gives no hint; doubles per retry.
LLM_RETRY_BACKOFF = env.float("LLM_RETRY_BACKOFF", default=0.5)
# The longest wait (server hint or backoff) accepted before the first token; a longer
# Retry-After goes back to the user as "try again in N seconds".
LLM_RETRY_MAX_WAIT = env.float("LLM_RETRY_MAX_WAIT", default=10.0)
# Seconds between the offline assistant's chunks (a human reading pace; tests use 0).
LLM_OFFLINE_CHUNK_DELAY = env.float("LLM_OFFLINE_CHUNK_DELAY", default=0.03)

# ------------------------------------------------------------------------------
# Security and logging
# ------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads it for non-GET requests
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy on every response (django-csp; config.csp adds the page's own
# ws:// or wss:// origin to connect-src). Scripts are strict: our own files, or an inline
# script carrying the response's nonce ({{ CSP_NONCE }}); no inline handlers, no eval.
# Styles may be inline: the admin, the browsable API, Swagger UI and htmx write style
# attributes and <style> elements, and CSS cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        # data: for the SVG icons in Pico's and Swagger UI's CSS; user Markdown never
        # embeds a third-party image (profiles.markdown renders those as links).
        "img-src": [SELF, "data:", *env.list("MEDIA_ORIGINS", default=[])],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Permissions-Policy (django-permissions-policy): no page uses these device features, so
# no page (nor anything injected into one) may ask for them.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "browsing-topics", "camera", "display-capture",
        "geolocation", "gyroscope", "hid", "idle-detection", "magnetometer", "microphone", "midi",
        "payment", "serial", "usb", "xr-spatial-tracking",
    )
}  # fmt: skip

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
# "text" or "json"; unset: readable text here, JSON lines in production (production.py).
LOG_FORMAT = env.str("LOG_FORMAT", default="")

from config.logging import logging_config  # noqa: E402  (needs LOG_* above)

LOGGING = logging_config(level=LOG_LEVEL, json=LOG_FORMAT == "json")

# ------------------------------------------------------------------------------
# Chat
# ------------------------------------------------------------------------------
# Tokens (prompt + completion) one user may spend per UTC day; 0 turns the quota off.
CHAT_DAILY_TOKEN_QUOTA = env.int("CHAT_DAILY_TOKEN_QUOTA", default=200_000)
# Messages (sends, edits, regenerations) one user may start per minute; 0 turns the limit off.
CHAT_MESSAGES_PER_MINUTE = env.int("CHAT_MESSAGES_PER_MINUTE", default=20)
# The prompt sent to the model (system prompt + latest turns) stays within this many tokens.
CHAT_HISTORY_TOKEN_BUDGET = env.int("CHAT_HISTORY_TOKEN_BUDGET", default=6000)
# The process writing an answer stamps it every CHAT_HEARTBEAT_SECONDS; an answer still
# "streaming" whose stamp is older than CHAT_ORPHAN_AFTER_SECONDS lost its process (a
# crash, a kill, a deploy) and is closed as interrupted, so the conversation never stays locked.
CHAT_HEARTBEAT_SECONDS = env.float("CHAT_HEARTBEAT_SECONDS", default=3.0)
CHAT_ORPHAN_AFTER_SECONDS = env.float("CHAT_ORPHAN_AFTER_SECONDS", default=10.0)
# Project rooms: who is online (chat.rooms.presence, in Redis when REDIS_URL is set). Each
# socket renews its entry every ROOM_PRESENCE_HEARTBEAT_SECONDS; an entry not renewed for
# ROOM_PRESENCE_TTL_SECONDS (its process died) expires and the others are told.
ROOM_PRESENCE_HEARTBEAT_SECONDS = env.float("ROOM_PRESENCE_HEARTBEAT_SECONDS", default=10.0)
ROOM_PRESENCE_TTL_SECONDS = env.float("ROOM_PRESENCE_TTL_SECONDS", default=30.0)
# A socket's "typing" is relayed to the others at most once per this many seconds.
ROOM_TYPING_THROTTLE_SECONDS = env.float("ROOM_TYPING_THROTTLE_SECONDS", default=2.0)

# ------------------------------------------------------------------------------
# Agents
# ------------------------------------------------------------------------------
# Agent runs (agents.runs): how long a run may wait for a worker and then run before the
# reaper fails it; retries of transient AI-service failures (exponential backoff).
AGENT_RUN_QUEUE_TIMEOUT = timedelta(seconds=env.int("AGENT_RUN_QUEUE_TIMEOUT", default=30 * 60))
AGENT_RUN_TIMEOUT = timedelta(seconds=env.int("AGENT_RUN_TIMEOUT", default=10 * 60))
AGENT_RUN_MAX_RETRIES = env.int("AGENT_RUN_MAX_RETRIES", default=3)
AGENT_RUN_RETRY_BACKOFF = env.float("AGENT_RUN_RETRY_BACKOFF", default=2.0)
AGENT_RUN_RETRY_MAX_WAIT = env.float("AGENT_RUN_RETRY_MAX_WAIT", default=60.0)
AGENT_RUN_MAX_ACTIVE_PER_USER = env.int("AGENT_RUN_MAX_ACTIVE_PER_USER", default=5)
# A pause after each step, in seconds: 0 in production; a demo sets it to watch progress move.
AGENT_RUN_STEP_DELAY = env.float("AGENT_RUN_STEP_DELAY", default=0.0)
# How often a run's socket re-reads the row when the channel layer cannot carry the
# worker's frames (the in-memory layer of `make run` does not cross processes); with
# Redis the frames are pushed and the re-read is only a slow safety net.
AGENT_RUN_SOCKET_POLL_SECONDS = env.float("AGENT_RUN_SOCKET_POLL_SECONDS", default=10.0 if REDIS_URL else 1.0)
# ... and how often once the Redis layer failed under the socket (config.layer_watch).
AGENT_RUN_SOCKET_FALLBACK_POLL_SECONDS = env.float("AGENT_RUN_SOCKET_FALLBACK_POLL_SECONDS", default=1.0)
