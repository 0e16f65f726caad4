"""``/ws/notifications/``: the signed-in user's notifications, live (the header badge).

Any authenticated user may connect (``accounts.websocket`` closes others with 4401); the
socket joins the user's own group only (``projects.live.user_group``), so nobody hears
another person's notifications. Server → client:

* ``notifications.unread {unread_count}`` first, on every connect (a page that reconnects
  after a drop is right again at once), and whenever notifications are read elsewhere;
* ``notification.created {notification, unread_count}`` for each new notification
  (invitations, join requests and their answers, assigned tasks, mentions, direct messages).

Client → server: ``ping`` (``pong``). When the channel layer fails the socket sends the
``resync`` error frame and closes 4503 (``config.layer_watch``); the client reconnects
and the first frame tells it the count again.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from channels.db import database_sync_to_async

from accounts.websocket import CLOSE_UNAUTHENTICATED
from config import frames
from config.consumers import JsonFrameConsumer
from config.layer_watch import CLOSE_RESYNC, LAYER_UNAVAILABLE, layer_watch
from projects.live import user_group
from projects.selectors import notifications_unread_count

logger = logging.getLogger(__name__)


class NotificationConsumer(JsonFrameConsumer):
    group: str | None = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.accept()  # only to carry the close code
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.group = user_group(user.pk)
        # Join before reading the count, so no notification falls between the two.
        await self.channel_layer.group_add(self.group, self.channel_name)
        watch = layer_watch()
        if watch is not None:
            watch.register(id(self), self._layer_lost)
        await self.accept()
        count = await database_sync_to_async(notifications_unread_count)(user)
        await self.send_json(frames.notifications_unread(count))

    async def disconnect(self, code: int) -> None:
        if self.group is None:
            return
        watch = layer_watch()
        if watch is not None:
            watch.unregister(id(self))
        with contextlib.suppress(*LAYER_UNAVAILABLE):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def _layer_lost(self) -> None:
        """The layer failed: notifications may be lost. Say so and close."""
        try:
            await self.send_json(frames.resync())
            await self.close(code=CLOSE_RESYNC)
        except Exception:  # the client is gone already
            logger.debug("Notification socket closed before the resync frame")

    async def receive_json(self, content: Any, **kwargs) -> None:
        if self.group is None:
            return
        kind = content.get("type")
        if kind == "ping":
            await self.send_json(frames.pong())
        else:
            await self.send_json(frames.unknown_type(kind))

    # -- group events --------------------------------------------------------------------
    async def user_event(self, event: dict) -> None:
        await self.send_json(event["frame"])
