"""Sockets are told when the channel layer (Redis) fails under them; nothing goes silent.

With channels-redis, a process that loses Redis loses every group message published
meanwhile (pub/sub keeps nothing), and its consumers are never told: their sockets stay
open and silent while answers stream into the void. So:

* ``LayerWatch`` (one per event loop, running only while sockets are registered) asks the
  layer's Redis for its ``run_id`` every ``PROBE_SECONDS``. A failed probe, a changed
  ``run_id`` (Redis restarted: subscriptions and messages lost), or a failure reported by
  a sender (``report_layer_failure``, e.g. a broadcast that raised) calls every registered
  socket's callback once and forgets them.
* A socket told so sends ``config.frames.resync()`` (an ``error`` frame, code ``resync``) and
  closes with ``CLOSE_RESYNC`` (4503). Clients reconnect with backoff and re-read the
  history over REST, which is complete because every message is saved before it is sent.
* ``LayerFailureGuard`` (around the WebSocket app) turns a layer that is down at handshake
  time, or that raises inside a consumer, into the same frame and close code, never a 500.

With the in-memory layer (development) nothing can fail and the watch does nothing.
"""

from __future__ import annotations

import asyncio
import json
import logging
import weakref
from collections.abc import Awaitable, Callable
from typing import Any

from django.conf import settings
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError, ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from config import frames

logger = logging.getLogger(__name__)

CLOSE_RESYNC = 4503
PROBE_SECONDS = 1.0
PROBE_TIMEOUT_SECONDS = 3.0
LAYER_UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)

Callback = Callable[[], Awaitable[None]]


def _redis_address() -> dict[str, Any] | None:
    """Connection arguments of the layer's (first) Redis, or None for a layer without one."""
    layer: dict[str, Any] = settings.CHANNEL_LAYERS.get("default", {})
    if not str(layer.get("BACKEND", "")).startswith("channels_redis."):
        return None
    hosts = layer.get("CONFIG", {}).get("hosts") or ["redis://localhost:6379"]
    host = hosts[0]
    if isinstance(host, dict):
        return dict(host)
    if isinstance(host, (tuple, list)):
        return {"host": host[0], "port": host[1]}
    return {"address": host}


class LayerWatch:
    def __init__(self, address: dict[str, Any]):
        self.address = address
        self.callbacks: dict[int, Callback] = {}
        self.run_id: str | None = None
        self._task: asyncio.Task | None = None
        self.unprobeable = False
        self._notifying: set[asyncio.Task] = set()

    def register(self, key: int, callback: Callback) -> None:
        self.callbacks[key] = callback
        if self._task is None and not self.unprobeable:
            self._task = asyncio.create_task(self._probe(), name="channel-layer-watch")

    def unregister(self, key: int) -> None:
        self.callbacks.pop(key, None)

    def fail(self, reason: str) -> None:
        """Tell every registered socket, once; they are forgotten (they close)."""
        callbacks, self.callbacks = list(self.callbacks.values()), {}
        self.run_id = None
        if not callbacks:
            return
        logger.warning("Channel layer failed (%s): telling %d socket(s) to resync", reason, len(callbacks))
        for callback in callbacks:
            task = asyncio.ensure_future(callback())
            self._notifying.add(task)
            task.add_done_callback(self._notifying.discard)

    async def _probe(self) -> None:
        from redis import asyncio as aioredis

        options = dict(self.address)
        address = options.pop("address", None)
        options.setdefault("socket_connect_timeout", PROBE_TIMEOUT_SECONDS)
        options.setdefault("socket_timeout", PROBE_TIMEOUT_SECONDS)
        try:
            client = aioredis.Redis.from_url(address, **options) if address else aioredis.Redis(**options)
        except Exception:  # e.g. a Sentinel configuration: failed sends are still reported
            logger.warning("The channel layer's Redis cannot be probed (%s)", self.address, exc_info=True)
            self.unprobeable, self._task = True, None
            return
        try:
            while self.callbacks:
                try:
                    run_id = await self._probe_once(client)
                except (TimeoutError, RedisError, OSError) as error:
                    self.fail(f"Redis unreachable: {type(error).__name__}")
                else:
                    if self.run_id is not None and run_id != self.run_id:
                        self.fail("Redis restarted")
                    elif self.callbacks:
                        self.run_id = run_id
                await asyncio.sleep(PROBE_SECONDS)
        finally:
            # Before any await: a socket registering from now on starts a new probe.
            self._task = None
            try:
                await client.aclose()
            except Exception:  # already broken: nothing to close cleanly
                logger.debug("Closing the layer probe failed", exc_info=True)

    async def _probe_once(self, client) -> str | None:
        """The server's run_id, asking twice on a connection error: after Redis restarts,
        the probe's pooled connection is dead though the server is back, and one failure
        on it must not make every socket that connected since then resync."""
        try:
            return await asyncio.wait_for(self._run_id(client), PROBE_TIMEOUT_SECONDS)
        except (RedisError, OSError):
            return await asyncio.wait_for(self._run_id(client), PROBE_TIMEOUT_SECONDS)

    @staticmethod
    async def _run_id(client) -> str | None:
        """The server's run_id (it changes when Redis restarts); None where INFO is not
        allowed (some managed Redis services), where only an outage can be noticed."""
        try:
            info = await client.info("server")
        except ResponseError:
            await client.ping()
            return None
        return info.get("run_id")


_watches: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, LayerWatch] = weakref.WeakKeyDictionary()


def layer_watch() -> LayerWatch | None:
    """The running loop's watch, or None when the channel layer has no Redis behind it."""
    address = _redis_address()
    if address is None:
        return None
    loop = asyncio.get_running_loop()
    watch = _watches.get(loop)
    if watch is None or watch.address != address:
        watch = _watches[loop] = LayerWatch(address)
    return watch


def report_layer_failure(reason: str = "a send failed") -> None:
    """Called (from async code) by anything that saw the layer fail: sockets of this loop resync."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    watch = _watches.get(loop)
    if watch is not None:
        watch.fail(reason)


class LayerFailureGuard:
    """ASGI middleware for WebSockets: a channel layer that is down when a socket connects
    (channels asks it for the socket's channel name first), or that raises inside a
    consumer, gives the client the resync frame and close 4503, not a handshake 500."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        state = {"connected": False, "accepted": False, "closed": False}

        async def tracked_receive():
            event = await receive()
            if event["type"] == "websocket.connect":
                state["connected"] = True
            elif event["type"] == "websocket.disconnect":
                state["closed"] = True
            return event

        async def tracked_send(event):
            if event["type"] == "websocket.accept":
                state["accepted"] = True
            elif event["type"] == "websocket.close":
                state["closed"] = True
            await send(event)

        try:
            return await self.app(scope, tracked_receive, tracked_send)
        except LAYER_UNAVAILABLE as error:
            logger.warning("WebSocket %s: channel layer unavailable (%s)", scope.get("path"), error)
            if state["closed"]:
                return None
            if not state["connected"]:
                await tracked_receive()
            if not state["accepted"]:
                await send({"type": "websocket.accept"})
            await send({"type": "websocket.send", "text": json.dumps(frames.resync())})
            await send({"type": "websocket.close", "code": CLOSE_RESYNC})
            return None
