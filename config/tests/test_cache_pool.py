"""The cache (API throttles, rate limits) reuses pooled Redis connections: requests served
by new threads or request contexts do not each open a connection, and a Redis restart
costs no request its answer."""

import threading

import pytest
import redis
from django.core.cache import caches
from django.db import connection
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def own_redis_cache(redis_server, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.FailOpenRedisCache",
            "LOCATION": redis_server.url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    return redis_server


def connections_received(url: str) -> int:
    client = redis.Redis.from_url(url)
    try:
        return int(client.info("stats")["total_connections_received"])
    finally:
        client.close()


def anonymous_throttled_request(statuses: list[int]) -> None:
    try:
        statuses.append(APIClient().get("/api/v1/skills/", {"q": "py"}).status_code)
    finally:
        connection.close()


def test_requests_in_new_threads_share_one_pooled_connection(own_redis_cache):
    """Django makes a cache object per thread (and per request under ASGI); each request
    here runs in a thread of its own, as ASGI's executor threads do."""
    statuses: list[int] = []
    before = connections_received(own_redis_cache.url)
    for _ in range(6):
        thread = threading.Thread(target=anonymous_throttled_request, args=(statuses,))
        thread.start()
        thread.join()
    assert statuses == [200] * 6
    # One connection for the six requests, plus the one counting them here.
    assert connections_received(own_redis_cache.url) - before == 2
    counters = redis.Redis.from_url(own_redis_cache.url).scan_iter(match="*throttle*")
    assert list(counters), "the anonymous throttle kept its counter in Redis"


def test_a_redis_restart_costs_no_request_its_cache(own_redis_cache):
    """The pooled connection dies with the server; the next call reconnects instead of
    failing open (which would skip the throttles for a few seconds)."""
    cache = caches["default"]
    cache.set("k", "before")
    own_redis_cache.stop()
    own_redis_cache.start()
    cache.set("k", "after")
    assert cache.get("k") == "after"
