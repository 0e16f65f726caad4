"""The cache backend used with Redis: Django's ``RedisCache``, degrading instead of failing.

Everything DevCrew keeps in the cache is an optimisation or a soft limit (API throttles,
the chat's message rate, short-lived markers), so a Redis outage must not turn every
throttled request into a 500. While Redis cannot be reached:

* reads miss (``get`` returns the default, ``get_many`` nothing, ``has_key`` False);
* writes are dropped (``set``, ``delete``, ...), ``incr`` says the key is gone (ValueError);
* ``add`` reports "not stored" (False), so a guard built on it (allauth's TOTP replay
  guard) refuses rather than admits twice;

which lets throttles and rate limits through (fail open). ``/health/ready`` still reports
the cache as unavailable: its probe writes and reads back a value, which cannot match.

Connections are pooled per process: Django builds a cache object (and its own connection
pool) per thread and, under ASGI, per request context, so without a shared client every
request opened a new Redis connection. ``_shared_client`` keeps one client, and so one pool,
per server and options for the whole process; redis-py's pool is thread-safe and starts
afresh in a forked child.

After a failure Redis is not tried again for ``RETRY_AFTER_SECONDS``, so a Redis that
hangs (rather than refusing connections) costs one connect timeout, not one per call, and
the outage is logged once per pause, not once per request.
"""

from __future__ import annotations

import logging
import threading
import time
from functools import cached_property
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 2.0
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)

# Cache instances are per thread; the pause is per Redis server, shared by all of them.
_paused_until: dict[tuple[str, ...], float] = {}


class _Unavailable(Exception):
    pass


class PooledRedisCacheClient(RedisCacheClient):
    """Django's client, reusing one ``redis.Redis`` per server (Django builds one per call)."""

    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._redis: dict[int, Any] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._redis.get(index)
        if client is None:
            with _clients_lock:
                if index not in self._pools:
                    self._pools[index] = self._pool_class.from_url(self._servers[index], **self._pool_options)
                client = self._redis.setdefault(index, self._client(connection_pool=self._pools[index]))
        return client


_clients: dict[tuple[tuple[str, ...], str], PooledRedisCacheClient] = {}
_clients_lock = threading.Lock()


def _shared_client(servers: list[str], options: dict[str, Any]) -> PooledRedisCacheClient:
    key = (tuple(servers), repr(sorted(options.items())))
    client = _clients.get(key)
    if client is None:
        with _clients_lock:
            client = _clients.setdefault(key, PooledRedisCacheClient(servers, **options))
    return client


class FailOpenRedisCache(RedisCache):
    @cached_property
    def _cache(self):
        return _shared_client(self._servers, self._options)

    def _run(self, method, *args, **kwargs):
        servers = tuple(self._servers)
        if time.monotonic() < _paused_until.get(servers, 0.0):
            raise _Unavailable
        try:
            return method(*args, **kwargs)
        except UNAVAILABLE as error:
            _paused_until[servers] = time.monotonic() + RETRY_AFTER_SECONDS
            logger.warning(
                "Cache unavailable (%s: %s); serving without it for %.0f s",
                type(error).__name__,
                error,
                RETRY_AFTER_SECONDS,
            )
            raise _Unavailable from error

    def _degrade(self, fallback, method, *args, **kwargs):
        try:
            return self._run(method, *args, **kwargs)
        except _Unavailable:
            return fallback

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        return self._degrade(False, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None) -> Any:
        return self._degrade(default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> None:
        self._degrade(None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        return self._degrade(False, super().touch, key, timeout, version)

    def delete(self, key, version=None) -> bool:
        return self._degrade(False, super().delete, key, version)

    def get_many(self, keys, version=None) -> dict[str, Any]:
        return self._degrade({}, super().get_many, keys, version)

    def has_key(self, key, version=None) -> bool:
        return self._degrade(False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None) -> int:
        try:
            return self._run(super().incr, key, delta, version)
        except _Unavailable:
            raise ValueError(f"Key '{key}' not found (the cache is unavailable).") from None

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None) -> list:
        return self._degrade(list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None) -> None:
        self._degrade(None, super().delete_many, keys, version)

    def clear(self) -> None:
        self._degrade(None, super().clear)
