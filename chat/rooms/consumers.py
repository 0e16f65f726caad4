"""``/ws/projects/<slug>/room/``: the project's socket. A room (messages, typing, who is
online) and the project's live board events, for its members only.

* ``connect``: a member of the project, or closed with 4403 before any data. The socket
  joins the room's group and the project's group (``projects.live.project_group``, whose
  ``project.event`` frames it forwards as they are), then enters presence: every socket of
  the room receives ``presence {users}``.
* Client frames: ``message.send {content, client_id}`` (saved, then ``message.created
  {message, client_id}`` to every socket of the room), ``message.edit {message_id,
  content}``, ``message.delete {message_id}`` (``message.updated`` / ``message.deleted``),
  ``typing {}`` (relayed to the others as ``typing {user}``, at most once per
  ``ROOM_TYPING_THROTTLE_SECONDS`` per socket), ``ping {}`` (``pong``). A refused frame gets
  ``error {code, detail, client_id}``.
* Every ``ROOM_PRESENCE_HEARTBEAT_SECONDS`` the socket renews its presence (which expires
  the entries of dead processes, ``chat.rooms.presence``) and checks that its user is still
  a member (closed 4403 once removed).

Messages are saved before they are broadcast, so a client that reconnects reads what it
missed with ``GET /api/v1/projects/<slug>/room/messages/?since=<last id>``. When the channel
layer fails the socket gets the ``resync`` error and closes with 4503 (``config.layer_watch``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

from channels.db import database_sync_to_async
from django.conf import settings

from accounts.websocket import CLOSE_FORBIDDEN
from chat.models import project_room_group
from chat.rooms import presence, selectors, services
from config import frames
from config.consumers import JsonFrameConsumer
from config.errors import DomainError
from config.layer_watch import CLOSE_RESYNC, LAYER_UNAVAILABLE, layer_watch
from projects.live import project_group

logger = logging.getLogger(__name__)


class RoomConsumer(JsonFrameConsumer):
    project_id: int
    slug: str
    username: str
    groups_joined: list[str]
    presence_entry: str | None = None
    presence_version = -1
    heartbeat: asyncio.Task | None = None
    typing_sent_at = 0.0

    async def connect(self) -> None:
        self.groups_joined = []
        user = self.scope["user"]
        try:
            project, _access = await database_sync_to_async(selectors.room_for)(
                user=user, slug=self.scope["url_route"]["kwargs"]["slug"]
            )
        except DomainError:
            await self.accept()  # only to carry the close code; nothing is sent before it
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.project_id, self.slug, self.username = project.pk, project.slug, user.username
        for group in (project_room_group(project.pk), project_group(project.pk)):
            await self.channel_layer.group_add(group, self.channel_name)
            self.groups_joined.append(group)
        watch = layer_watch()
        if watch is not None:
            watch.register(id(self), self._layer_lost)
        await self.accept()
        self.presence_entry = presence.presence_entry(self.username, self.channel_name)
        await self._presence("join")
        self.heartbeat = asyncio.create_task(self._beat(), name=f"room-heartbeat-{self.channel_name}")

    async def disconnect(self, code: int) -> None:
        if self.heartbeat is not None:
            self.heartbeat.cancel()
        if not self.groups_joined:
            return
        watch = layer_watch()
        if watch is not None:
            watch.unregister(id(self))
        if self.presence_entry is not None:
            await self._presence("leave")
        for group in self.groups_joined:
            with contextlib.suppress(*LAYER_UNAVAILABLE):
                await self.channel_layer.group_discard(group, self.channel_name)

    async def _layer_lost(self) -> None:
        try:
            await self.send_json(frames.resync())
            await self.close(code=CLOSE_RESYNC)
        except Exception:  # the client is gone already
            logger.debug("Room socket %s closed before the resync frame", self.channel_name)

    # -- presence ------------------------------------------------------------------------
    async def _presence(self, op: str) -> None:
        """Change this socket's presence entry and, if the room's entries changed, tell the room."""
        assert self.presence_entry is not None
        update = {
            "join": presence.presence_join,
            "renew": presence.presence_renew,
            "leave": presence.presence_leave,
        }
        try:
            snapshot = await update[op](self.project_id, self.presence_entry)
            if snapshot.changed or op == "join":
                await self.channel_layer.group_send(
                    project_room_group(self.project_id),
                    {"type": "room.presence", "users": snapshot.usernames, "version": snapshot.version},
                )
        except Exception:  # presence is a courtesy: a Redis hiccup must not close the room
            logger.warning("Presence %s in room %s failed", op, self.project_id, exc_info=True)

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(settings.ROOM_PRESENCE_HEARTBEAT_SECONDS)
            try:
                still_member = await database_sync_to_async(self._still_member)()
            except Exception:  # the database is away for a moment: check again next time
                logger.warning("Membership check of a room socket failed", exc_info=True)
                still_member = True
            if not still_member:
                await self.close(code=CLOSE_FORBIDDEN)
                return
            await self._presence("renew")

    def _still_member(self) -> bool:
        try:
            selectors.room_for(user=self.scope["user"], slug=self.slug)
        except DomainError:
            return False
        return True

    # -- client frames -------------------------------------------------------------------
    async def receive_json(self, content: Any, **kwargs) -> None:
        if not self.groups_joined:
            return
        kind = content.get("type")
        client_id = content.get("client_id")
        try:
            if kind == "message.send":
                await database_sync_to_async(self._send)(content.get("content"), client_id)
            elif kind == "message.edit":
                await database_sync_to_async(self._edit)(content.get("message_id"), content.get("content"))
            elif kind == "message.delete":
                await database_sync_to_async(self._delete)(content.get("message_id"))
            elif kind == "typing":
                await self._typing()
            elif kind == "ping":
                await self.send_json(frames.pong())
            else:
                await self.send_json(frames.unknown_type(kind))
        except DomainError as error:
            extra = {} if client_id is None else {"client_id": client_id}
            await self.send_error(error.type, str(error.detail), **extra)

    def _project(self):
        project, _access = selectors.room_for(user=self.scope["user"], slug=self.slug)
        return project

    def _send(self, content, client_id) -> None:
        client_id = str(client_id)[:100] if client_id is not None else ""
        services.room_message_send(
            user=self.scope["user"], project=self._project(), content=content, client_id=client_id
        )

    def _edit(self, message_id, content) -> None:
        services.room_message_edit(
            user=self.scope["user"], project=self._project(), message_id=message_id, content=content
        )

    def _delete(self, message_id) -> None:
        services.room_message_delete(user=self.scope["user"], project=self._project(), message_id=message_id)

    async def _typing(self) -> None:
        now = time.monotonic()
        if now - self.typing_sent_at < settings.ROOM_TYPING_THROTTLE_SECONDS:
            return
        self.typing_sent_at = now
        await self.channel_layer.group_send(
            project_room_group(self.project_id),
            {"type": "room.typing", "user": self.username, "sender": self.channel_name},
        )

    # -- group events --------------------------------------------------------------------
    async def chat_event(self, event: dict) -> None:
        """Room messages (``chat.events``): created, updated, deleted, agent deltas."""
        await self.send_json(event["frame"])

    async def project_event(self, event: dict) -> None:
        """The project's live board events (``projects.live``), as they are."""
        await self.send_json(event["frame"])

    async def room_typing(self, event: dict) -> None:
        if event.get("sender") != self.channel_name:
            await self.send_json(frames.typing({"username": event["user"]}))

    async def room_presence(self, event: dict) -> None:
        if event["version"] < self.presence_version:
            return  # an older state overtaken by a newer one
        self.presence_version = event["version"]
        await self.send_json(frames.presence([{"username": name} for name in event["users"]]))
