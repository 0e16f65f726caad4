"""``/ws/agent-runs/<id>/``: a run's progress, live.

On connect the socket is authorized (the run's owner or the project's maintainers;
anyone else is closed with 4403 before any data), joins the run's group, and then
receives the run's current state: ``run.progress`` while it is queued or running,
``run.completed`` once it ended (so a page that connects late still sees the end).

Frames reach the socket two ways, and the consumer sends each state once:

* pushed by the worker through the channel layer (``agents.runs.events``), which with
  Redis crosses processes;
* read from the row every ``AGENT_RUN_SOCKET_POLL_SECONDS`` (one primary-key query of
  three columns). With the in-memory layer of ``make run`` the Celery worker is another
  process whose frames never arrive, and this is how the page stays live; with Redis it
  is only a slow safety net.

If the layer fails (Redis down or restarted, ``config.layer_watch``), the socket stays
open and re-reads the row every ``AGENT_RUN_SOCKET_FALLBACK_POLL_SECONDS`` instead: the
row is the whole truth of a run, so nothing is lost and no resync is needed.

Client frames: ``ping`` (answered with ``pong``). Polling stops once the run ended.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from channels.db import database_sync_to_async
from django.conf import settings

from accounts.websocket import CLOSE_FORBIDDEN
from agents.models import AgentRun, agent_run_group
from agents.runs import events
from agents.runs.selectors import run_for
from config import frames
from config.consumers import JsonFrameConsumer
from config.errors import DomainError
from config.layer_watch import LAYER_UNAVAILABLE, layer_watch


def _authorized_state(user, run_id: Any) -> dict[str, Any]:
    return events.state_frame(run_for(user=user, run_id=run_id))


def _polled_state(run_id: int, known: tuple | None) -> dict[str, Any] | None:
    """The run's state frame if it changed since ``known`` (status, progress, step)."""
    row = AgentRun.objects.filter(pk=run_id).values_list("status", "progress", "step").first()
    if row is None or row == known:
        return None
    status, progress, step = row
    if status in AgentRun.FINISHED:
        run = AgentRun.objects.select_related("project", "owner").get(pk=run_id)
        return events.completed_frame(run)
    return events.progress_frame(AgentRun(pk=run_id, status=status, progress=progress, step=step))


def _state_key(frame: dict[str, Any]) -> tuple:
    if frame["type"] == "run.completed":
        run = frame["run"]
        return (run["status"], run["progress"], run["step"])
    return (frame["status"], frame["progress"], frame["step"])


class AgentRunConsumer(JsonFrameConsumer):
    run_id: int
    group: str | None = None
    poller: asyncio.Task | None = None
    last: tuple | None = None
    completed = False
    poll_interval: float = 1.0
    wake: asyncio.Event | None = None

    async def connect(self) -> None:
        run_id = self.scope["url_route"]["kwargs"]["run_id"]
        try:
            # Authorize first: nothing is joined or sent for a stranger.
            await database_sync_to_async(run_for)(user=self.scope["user"], run_id=run_id)
        except DomainError:
            await self.accept()  # only to carry the close code
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.run_id = int(run_id)
        self.group = agent_run_group(self.run_id)
        self.poll_interval = settings.AGENT_RUN_SOCKET_POLL_SECONDS
        self.wake = asyncio.Event()
        # Join before reading the state, so no frame falls between the read and the join.
        try:
            await self.channel_layer.group_add(self.group, self.channel_name)
        except LAYER_UNAVAILABLE:
            self._poll_faster()
        else:
            watch = layer_watch()
            if watch is not None:
                watch.register(id(self), self._layer_lost)
        await self.accept()
        try:
            frame = await database_sync_to_async(_authorized_state)(self.scope["user"], self.run_id)
        except DomainError:  # deleted or access lost in between
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await self._relay(frame)
        if not self.completed:
            self.poller = asyncio.create_task(self._poll())

    async def disconnect(self, code: int) -> None:
        if self.poller is not None:
            self.poller.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self.poller
        if self.group is not None:
            watch = layer_watch()
            if watch is not None:
                watch.unregister(id(self))
            with contextlib.suppress(*LAYER_UNAVAILABLE):
                await self.channel_layer.group_discard(self.group, self.channel_name)

    def _poll_faster(self) -> None:
        self.poll_interval = min(self.poll_interval, settings.AGENT_RUN_SOCKET_FALLBACK_POLL_SECONDS)
        if self.wake is not None:
            self.wake.set()

    async def _layer_lost(self) -> None:
        """The layer failed: pushed frames may be lost, so read the row more often."""
        self._poll_faster()

    async def receive_json(self, content: Any, **kwargs) -> None:
        if self.group is None:
            return
        kind = content.get("type")
        if kind == "ping":
            await self.send_json(frames.pong())
        else:
            await self.send_json(frames.unknown_type(kind))

    async def _poll(self) -> None:
        assert self.wake is not None
        while not self.completed:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), timeout=self.poll_interval)
            self.wake.clear()
            frame = await database_sync_to_async(_polled_state)(self.run_id, self.last)
            if frame is not None:
                await self._relay(frame)

    async def _relay(self, frame: dict[str, Any]) -> None:
        """Send ``frame`` unless it repeats what the socket has, or goes back in time."""
        if self.completed:
            return
        key = _state_key(frame)
        if key == self.last:
            return
        stale = (
            frame["type"] == "run.progress"
            and self.last is not None
            and self.last[0] == frame["status"]
            and frame["progress"] < self.last[1]
        )
        if stale:  # an older pushed frame overtaken by a poll
            return
        self.last = key
        if frame["type"] == "run.completed":
            self.completed = True
        await self.send_json(frame)

    # -- group events --------------------------------------------------------------------
    async def run_event(self, event: dict) -> None:
        await self._relay(event["frame"])
