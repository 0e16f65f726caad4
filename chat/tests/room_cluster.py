"""A project room served by two ASGI server processes on one Redis, and native-style
clients (bearer token) on either: shared by the scale test and the fan-out benchmark."""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

from websockets.asyncio.client import ClientConnection, connect


def cluster_settings(redis_url: str, **extra) -> dict[str, Any]:
    """Settings for each server process: the channel layer and presence on ``redis_url``."""
    return {
        "REDIS_URL": redis_url,
        "CHANNEL_LAYERS": {
            "default": {
                "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
                "CONFIG": {"hosts": [{"address": redis_url}], "prefix": "room-cluster"},
            }
        },
        **extra,
    }


@contextlib.contextmanager
def two_servers(django_db_blocker, redis_url: str, **extra):
    from config.pytest_plugin import live_server_running

    overrides = cluster_settings(redis_url, **extra)
    with (
        live_server_running(django_db_blocker, **overrides) as first,
        live_server_running(django_db_blocker, **overrides) as second,
    ):
        yield first, second


def access_token(user) -> str:
    from rest_framework_simplejwt.tokens import AccessToken

    return str(AccessToken.for_user(user))


class Client:
    """One socket of the room, with every frame it received (by type)."""

    def __init__(self, name: str, socket: ClientConnection):
        self.name = name
        self.socket = socket
        self.frames: list[dict[str, Any]] = []
        self.arrived: list[tuple[float, dict[str, Any]]] = []  # (loop time, frame)
        self.changed = asyncio.Event()
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        loop = asyncio.get_running_loop()
        with contextlib.suppress(Exception):
            async for text in self.socket:
                frame = json.loads(text)
                self.frames.append(frame)
                self.arrived.append((loop.time(), frame))
                self.changed.set()

    def of(self, kind: str) -> list[dict[str, Any]]:
        return [frame for frame in self.frames if frame["type"] == kind]

    def online(self) -> list[str] | None:
        presence = self.of("presence")
        return [user["username"] for user in presence[-1]["users"]] if presence else None

    async def until(self, predicate, *, within: float = 20.0) -> bool:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while not predicate(self):
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), min(remaining, 0.5))
        return True

    async def send(self, frame: dict[str, Any]) -> None:
        await self.socket.send(json.dumps(frame))

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self.socket.close()
        self.reader.cancel()
        with contextlib.suppress(BaseException):
            await self.reader


async def join(server, slug: str, name: str, token: str) -> Client:
    socket = await connect(
        f"{server.ws_url}/ws/projects/{slug}/room/",
        additional_headers={"Authorization": f"Bearer {token}"},
        open_timeout=20,
        max_queue=None,
    )
    return Client(name, socket)
