"""Settings for pytest. PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set."""

import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import CACHES, CELERY_BROKER_URL, CHANNEL_LAYERS, DATABASES, REDIS_URL, VAR_DIR, env

DEBUG = False
SECRET_KEY = "test-only-secret-key-with-enough-length-and-variety-0123456789-abcdefghij"  # noqa: S105
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

# Uploaded files of one test run, per xdist worker (the live server inherits the worker).
MEDIA_ROOT = str(VAR_DIR / "test-media" / (os.environ.get("PYTEST_XDIST_WORKER") or "main"))

LLM_PROVIDER = "offline"
LLM_OFFLINE_CHUNK_DELAY = 0.0  # the offline assistant streams at human pace; tests need no pacing

# The schemathesis test (config/tests/test_api_fuzz.py): examples per API operation and
# stateful scenarios (chains of linked calls). Small enough for `make test` on two cores;
# raise them locally to dig deeper.
API_FUZZ_MAX_EXAMPLES = env.int("API_FUZZ_MAX_EXAMPLES", default=10)
API_FUZZ_STATEFUL_SCENARIOS = env.int("API_FUZZ_STATEFUL_SCENARIOS", default=15)

# pytest-xdist (`make test` runs `pytest -n auto`): each worker ("gw0", "gw1", ...) has its
# own test database (pytest-django suffixes its name), its own Redis database (the suite
# clears the cache between tests, which flushes a whole Redis database) and its own
# channel-layer and cache prefixes (Redis pub/sub channels are shared by all databases, and
# two workers' test databases hand out the same ids). Spawned live servers inherit
# PYTEST_XDIST_WORKER and so read the same settings.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and XDIST_WORKER:
    _url = urlsplit(REDIS_URL)
    _db = int(_url.path.strip("/") or 0) + int(XDIST_WORKER.removeprefix("gw"))
    if _db > 15:
        raise ImproperlyConfigured(
            f"xdist worker {XDIST_WORKER} would need Redis database {_db}; Redis has 0-15 by "
            "default: run fewer workers (-n) or point REDIS_URL at a lower database"
        )
    _shared_redis_url, REDIS_URL = REDIS_URL, _url._replace(path=f"/{_db}").geturl()
    CACHES["default"]["LOCATION"] = REDIS_URL
    CACHES["default"]["KEY_PREFIX"] = f"devcrew-{XDIST_WORKER}"
    CHANNEL_LAYERS["default"]["CONFIG"] = {"hosts": [REDIS_URL], "prefix": f"devcrew:channels:{XDIST_WORKER}"}
    if _shared_redis_url == CELERY_BROKER_URL:
        CELERY_BROKER_URL = REDIS_URL
