"""Helpers for the chat's WebSocket tests."""

from __future__ import annotations

import asyncio
from typing import Any

from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from rest_framework_simplejwt.tokens import AccessToken

from accounts.tests.factories import UserFactory
from chat.models import Conversation, Message
from chat.tests.factories import ConversationFactory


def application():
    from config.asgi import application as asgi_application

    return asgi_application


@database_sync_to_async
def make_user(**kwargs):
    return UserFactory(**kwargs)


@database_sync_to_async
def make_conversation(**kwargs) -> Conversation:
    return ConversationFactory.create(**kwargs)


@database_sync_to_async
def reload_message(pk: int) -> Message:
    return Message.objects.get(pk=pk)


@database_sync_to_async
def messages_of(conversation: Conversation) -> list[Message]:
    return list(Message.objects.filter(conversation=conversation).order_by("created_at", "id"))


async def connect(user, conversation_id) -> tuple[WebsocketCommunicator, bool]:
    token = await database_sync_to_async(lambda: str(AccessToken.for_user(user)))()
    communicator = WebsocketCommunicator(
        application(),
        f"/ws/chat/{conversation_id}/",
        headers=[(b"authorization", f"Bearer {token}".encode())],
    )
    connected, _ = await communicator.connect(timeout=5)
    return communicator, connected


async def frames_until(
    communicator: WebsocketCommunicator, *types: str, within: float = 5.0
) -> list[dict[str, Any]]:
    """Every frame received up to and including the first one of ``types``."""
    frames = []
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        frame = await communicator.receive_json_from(timeout=max(0.01, deadline - loop.time()))
        frames.append(frame)
        if frame["type"] in types:
            return frames


def deltas(frames: list[dict[str, Any]]) -> list[str]:
    return [f["delta"] for f in frames if f["type"] == "assistant.delta"]


async def eventually(predicate, *, within: float = 3.0) -> bool:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while loop.time() < deadline:
        if predicate():
            return True
        await asyncio.sleep(0.01)
    return bool(predicate())
