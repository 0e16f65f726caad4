"""``/ws/chat/<conversation_id>/``: the frames of DESIGN.md, relayed to the conversation's group.

Thin: authorize in ``connect``, parse frames, call services through
``database_sync_to_async``, start or stop the streaming engine, relay group events.

When the channel layer (Redis) fails under an open socket, frames are lost: the socket
sends an ``error`` frame with code ``resync`` and closes with 4503 (``config.layer_watch``);
the client reconnects and re-reads the history. A layer that is down when the socket
connects gives the same frame and code (``LayerFailureGuard``), never a 500.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from channels.db import database_sync_to_async

from accounts.websocket import CLOSE_FORBIDDEN
from chat import selectors, services
from chat.generation import generation_start, generation_stop
from chat.models import conversation_group
from config import frames
from config.consumers import JsonFrameConsumer
from config.errors import DomainError
from config.layer_watch import CLOSE_RESYNC, LAYER_UNAVAILABLE, layer_watch

logger = logging.getLogger(__name__)


class ChatConsumer(JsonFrameConsumer):
    conversation_id: int
    group: str | None = None

    async def connect(self) -> None:
        user = self.scope["user"]
        try:
            conversation = await database_sync_to_async(selectors.conversation_for)(
                user=user, conversation_id=self.scope["url_route"]["kwargs"]["conversation_id"]
            )
        except DomainError:
            # Accepted only to carry the close code; nothing is sent before it.
            await self.accept()
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.conversation_id = conversation.pk
        self.group = conversation_group(conversation.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        watch = layer_watch()
        if watch is not None:
            watch.register(id(self), self._layer_lost)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        # The answer being written goes on: it is not tied to this socket.
        if self.group is None:
            return
        watch = layer_watch()
        if watch is not None:
            watch.unregister(id(self))
        # A layer that is down took the subscription with it.
        with contextlib.suppress(*LAYER_UNAVAILABLE):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def _layer_lost(self) -> None:
        """The layer failed: frames for this socket may be lost. Say so and close."""
        try:
            await self.send_json(frames.resync())
            await self.close(code=CLOSE_RESYNC)
        except Exception:  # the client is gone already
            logger.debug("Socket of conversation %s closed before the resync frame", self.conversation_id)

    async def receive_json(self, content: Any, **kwargs) -> None:
        if self.group is None:
            return
        kind = content.get("type")
        try:
            if kind == "message.send":
                await self._send_message(content)
            elif kind == "message.regenerate":
                exchange = await database_sync_to_async(self._regenerate)(content.get("message_id"))
                await generation_start(
                    conversation_id=self.conversation_id, message_id=exchange.assistant_message.pk
                )
            elif kind == "generation.stop":
                await generation_stop(conversation_id=self.conversation_id)
            elif kind == "typing":
                await self.channel_layer.group_send(
                    self.group,
                    {"type": "chat.typing", "user": self.scope["user"].username, "sender": self.channel_name},
                )
            elif kind == "ping":
                await self.send_json(frames.pong())
            else:
                await self.send_json(frames.unknown_type(kind))
        except DomainError as error:
            await self._error(error.type, str(error.detail), client_id=content.get("client_id"))

    async def _send_message(self, frame: dict) -> None:
        content = frame.get("content")
        client_id = frame.get("client_id")
        if not isinstance(content, str):
            await self._error("validation_error", "content must be a string.", client_id=client_id)
            return
        exchange = await database_sync_to_async(self._send)(content, str(client_id or "")[:100])
        await generation_start(conversation_id=self.conversation_id, message_id=exchange.assistant_message.pk)

    def _conversation(self):
        return selectors.conversation_for(user=self.scope["user"], conversation_id=self.conversation_id)

    def _send(self, content: str, client_id: str) -> services.Exchange:
        return services.message_send(
            user=self.scope["user"], conversation=self._conversation(), content=content, client_id=client_id
        )

    def _regenerate(self, message_id) -> services.Exchange:
        return services.message_regenerate(
            user=self.scope["user"], conversation=self._conversation(), message_id=message_id
        )

    async def _error(self, code: str, detail: str, *, client_id: Any = None) -> None:
        await self.send_error(code, detail, **({} if client_id is None else {"client_id": client_id}))

    # -- group events --------------------------------------------------------------------
    async def chat_event(self, event: dict) -> None:
        await self.send_json(event["frame"])

    async def chat_typing(self, event: dict) -> None:
        if event.get("sender") != self.channel_name:
            await self.send_json(frames.typing(event["user"]))
