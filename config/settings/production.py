"""Production settings: real services, secure defaults, JSON logs."""

from django.core.exceptions import ImproperlyConfigured

from config.logging import logging_config

from .base import *  # noqa: F403
from .base import DEVELOPMENT_SECRET_KEY, LOG_FORMAT, LOG_LEVEL, SECRET_KEY, STORAGES, env

# Sessions, password-reset codes and JWTs are all signed with SECRET_KEY: a guessable key
# lets anyone forge them. Stricter than Django's security.W009 (50 characters, 5 distinct).
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_DISTINCT = 16
_GENERATE = "export SECRET_KEY=$(python -c 'import secrets; print(secrets.token_urlsafe(64))')"

if not SECRET_KEY:
    raise ImproperlyConfigured(f"SECRET_KEY is not set. Production refuses to start without one: {_GENERATE}")
if SECRET_KEY == DEVELOPMENT_SECRET_KEY or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured(f"SECRET_KEY is the insecure development key. Set a secret one: {_GENERATE}")
if len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH or len(set(SECRET_KEY)) < SECRET_KEY_MIN_DISTINCT:
    raise ImproperlyConfigured(
        f"SECRET_KEY is too weak: use at least {SECRET_KEY_MIN_LENGTH} random characters "
        f"with at least {SECRET_KEY_MIN_DISTINCT} different ones: {_GENERATE}"
    )

DEBUG = False

# Behind a TLS-terminating load balancer.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^health/"]  # load balancer probes speak plain HTTP
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False

# JSON lines unless LOG_FORMAT=text asks for readable lines.
LOGGING = logging_config(level=LOG_LEVEL, json=(LOG_FORMAT or "json") != "text")
