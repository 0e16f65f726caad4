"""Helpers for the project room's socket tests."""

from __future__ import annotations

import asyncio
from typing import Any

from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from rest_framework_simplejwt.tokens import AccessToken

from chat.tests.helpers import application


async def connect_room(user, slug: str) -> tuple[WebsocketCommunicator, bool]:
    token = await database_sync_to_async(lambda: str(AccessToken.for_user(user)))()
    communicator = WebsocketCommunicator(
        application(), f"/ws/projects/{slug}/room/", headers=[(b"authorization", f"Bearer {token}".encode())]
    )
    connected, _ = await communicator.connect(timeout=5)
    return communicator, connected


async def next_of(
    communicator: WebsocketCommunicator, kind: str, *, within: float = 5.0, **match
) -> dict[str, Any]:
    """The next frame of type ``kind`` (whose fields equal ``match``), skipping others."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        frame = await communicator.receive_json_from(timeout=max(0.01, deadline - loop.time()))
        if frame["type"] == kind and all(frame.get(k) == v for k, v in match.items()):
            return frame


def online(frame: dict[str, Any]) -> list[str]:
    return [user["username"] for user in frame["users"]]
