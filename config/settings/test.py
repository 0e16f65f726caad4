"""Settings for pytest. PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set."""

from .base import *  # noqa: F403
from .base import CELERY_BROKER_URL, DATABASES, VAR_DIR, env

DEBUG = False
SECRET_KEY = "test-only-secret-key-with-enough-length-and-variety-0123456789"  # noqa: S105
ALLOWED_HOSTS = ["*"]

# Hashing cost is measured in the accounts tests that need it; elsewhere it only slows.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not :memory:, so the live ASGI server process used by browser and
    # WebSocket tests sees the same test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The pool keeps connections that async (consumer) tests opened in executor threads
    # alive past the test, and the test database can then not be dropped. Tests connect
    # per request, as with CONN_MAX_AGE=0.
    DATABASES["default"]["OPTIONS"].pop("pool", None)

if CELERY_BROKER_URL == "filesystem://":
    CELERY_BROKER_URL = "memory://"

LLM_PROVIDER = "offline"
LLM_OFFLINE_CHUNK_DELAY = 0.0  # the offline assistant streams at human pace; tests need no pacing

# The schemathesis test (config/tests/test_api_fuzz.py): examples per API operation and
# stateful scenarios (chains of linked calls). Small enough for `make test` on two cores;
# raise them locally to dig deeper.
API_FUZZ_MAX_EXAMPLES = env.int("API_FUZZ_MAX_EXAMPLES", default=10)
API_FUZZ_STATEFUL_SCENARIOS = env.int("API_FUZZ_STATEFUL_SCENARIOS", default=15)
