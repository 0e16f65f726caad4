"""The streaming engine: writes one answer as an asyncio task of the ASGI process.

A generation is not tied to the socket or request that started it: when every client
goes away the answer still completes and is saved. Each delta is broadcast to the
conversation's group (every socket, in every process, gets the same deltas in order)
and kept on the ``Generation`` for followers in this process (the SSE and plain REST
responses). The text is saved a few times a second, and once at the end with the status,
usage and latencies; never per token.

Stopping: the process that runs a generation keeps it in a process-local registry and
listens for stop requests on the conversation's control group. ``generation_stop``
cancels a local generation at once, or else asks the control group, so a stop sent to
any process reaches the one that owns the task. Cancelling closes the stream (the HTTP
connection to the model) and saves the partial text as ``stopped``.

Ownership: while it writes, the process stamps the answer's ``heartbeat_at`` every
``CHAT_HEARTBEAT_SECONDS`` (saves count too). A process that dies stops stamping; after
``CHAT_ORPHAN_AFTER_SECONDS`` anyone may close the answer as interrupted
(``services.answers_close_orphaned``: on send, regenerate and stop, and from beat). A writer
that finds its answer closed that way (it stalled longer than the window) gives up.

The channel layer is a courtesy, never a dependency: if Redis fails, the answer is still
written and saved, further deltas are not sent, and sockets are told to resync
(``config.layer_watch``).
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connection

from agents.llm import LLMError, Usage, count_message_tokens, count_tokens, get_provider
from chat import frames, services
from chat.events import broadcast
from chat.models import Message
from config.layer_watch import report_layer_failure

logger = logging.getLogger(__name__)

SAVE_INTERVAL_SECONDS = 0.5
SAVE_EVERY_CHARS = 400
STOP = "generation.stop"
FINISHED = "generation.finished"


def control_group(conversation_id: int) -> str:
    """Where stop requests for a conversation's generation are sent (to every process)."""
    return f"conversation-{conversation_id}-control"


@dataclass
class Generation:
    conversation_id: int
    message_id: int
    events: list[dict[str, Any]] = field(default_factory=list)
    message: Message | None = None  # the saved answer, once finished
    error: LLMError | None = None
    task: asyncio.Task | None = None
    _listener: asyncio.Task | None = None
    _heartbeat: asyncio.Task | None = None
    _listen_channel: str | None = None
    _changed: asyncio.Event = field(default_factory=asyncio.Event)
    _done: asyncio.Event = field(default_factory=asyncio.Event)
    _stopping: bool = False
    _finishing: bool = False
    _layer_failed: bool = False  # deltas stop going out; sockets were told to resync

    @property
    def done(self) -> bool:
        return self._done.is_set()

    async def wait(self) -> Message | None:
        """Wait for the answer to be saved; returns it (None if the conversation was deleted)."""
        await self._done.wait()
        return self.message

    async def follow(self) -> AsyncIterator[dict[str, Any]]:
        """Every frame of this generation from the first, live, until the final one."""
        index = 0
        while True:
            while index < len(self.events):
                yield self.events[index]
                index += 1
            if self.done:
                return
            self._changed.clear()
            if index < len(self.events) or self.done:
                continue
            await self._changed.wait()

    def cancel(self) -> bool:
        if self.task is None or self.task.done() or self._stopping or self._finishing:
            return False
        self._stopping = True
        self.task.cancel()
        return True

    async def _publish(self, frame: dict[str, Any]) -> None:
        self.events.append(frame)
        self._changed.set()
        if self._layer_failed and frame["type"] == "assistant.delta":
            return  # once the layer failed, only the final frame is tried again
        if not await broadcast(self.conversation_id, frame):
            self._layer_failed = True


# Generations running in this process, by conversation id (one answer at a time each).
_running: dict[int, Generation] = {}


def running_generation(conversation_id: int) -> Generation | None:
    return _running.get(conversation_id)


async def generation_start(*, conversation_id: int, message_id: int, detached: bool = True) -> Generation:
    """Start writing the answer ``message_id`` (created by a ``chat.services`` call) in the
    background and return at once. Call from async code running in the ASGI event loop.

    ``detached`` runs the task in a fresh context, free of the caller's: a task started
    from a sync view (through ``async_to_sync``) would otherwise send its ORM calls back
    to the view's thread, which is gone once the view returns. Only a caller that waits
    for the answer in that thread (``generation_run_blocking``) passes False.
    """
    context = contextvars.Context() if detached else None
    generation = Generation(conversation_id=conversation_id, message_id=message_id)
    _running[conversation_id] = generation
    layer = get_channel_layer()
    if layer is not None:
        try:
            generation._listen_channel = await layer.new_channel()
        except Exception:  # the layer (Redis) is down: the answer is still written and saved
            logger.warning("No stop listener for answer %s: the channel layer is unavailable", message_id)
            report_layer_failure("a stop listener could not subscribe")
        else:
            generation._listener = asyncio.create_task(
                _listen_for_stop(generation, layer, generation._listen_channel),
                name=f"chat-stop-{message_id}",
                context=contextvars.Context(),
            )
    generation.task = asyncio.create_task(
        _generate(generation), name=f"chat-answer-{message_id}", context=context
    )
    generation._heartbeat = asyncio.create_task(
        _beat(generation),
        name=f"chat-heartbeat-{message_id}",
        context=contextvars.Context() if detached else None,
    )
    return generation


async def generation_stop(*, conversation_id: int) -> bool:
    """Stop the conversation's answer wherever it runs. True when it ran in this process.

    An answer whose process is gone (no heartbeat for ``CHAT_ORPHAN_AFTER_SECONDS``) has
    nobody to stop it: it is closed here as interrupted."""
    if await _request_stop(conversation_id):
        return True
    await database_sync_to_async(services.answers_close_orphaned)(conversation_id=conversation_id)
    return False


def generation_stop_blocking(*, conversation_id: int) -> bool:
    """``generation_stop`` for sync views."""
    if async_to_sync(_request_stop)(conversation_id):
        return True
    services.answers_close_orphaned(conversation_id=conversation_id)
    return False


async def _request_stop(conversation_id: int) -> bool:
    generation = _running.get(conversation_id)
    if generation is not None and generation.cancel():
        return True
    layer = get_channel_layer()
    if layer is not None:
        try:
            await layer.group_send(control_group(conversation_id), {"type": STOP})
        except Exception:
            logger.warning("Stop for conversation %s not sent: channel layer unavailable", conversation_id)
            report_layer_failure("a stop request could not be sent")
    return False


def generation_run_blocking(*, conversation_id: int, message_id: int) -> Generation:
    """For sync views: start the answer and wait until it is saved.

    Under ASGI the task runs on the server's event loop (it survives a client that goes
    away); without one (WSGI, the sync test client) it runs to completion on a loop of
    its own. The view's database connection is handed back first so a long answer holds
    none while it waits.
    """
    if not connection.in_atomic_block:
        connection.close()

    async def start_and_wait() -> Generation:
        generation = await generation_start(
            conversation_id=conversation_id, message_id=message_id, detached=False
        )
        await generation.wait()
        return generation

    return async_to_sync(start_and_wait)()


def generation_start_blocking(*, conversation_id: int, message_id: int) -> Generation:
    """For sync views under ASGI that stream the answer back (SSE): start it on the
    server's event loop and return at once."""
    return async_to_sync(generation_start)(conversation_id=conversation_id, message_id=message_id)


# -- the task ----------------------------------------------------------------------------
async def _generate(generation: Generation) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    first_token_ms: int | None = None
    status = Message.Status.COMPLETE
    error: LLMError | None = None
    usage: Usage | None = None
    text = ""
    provider_name = model = ""
    prompt_messages: list = []
    try:
        prompt = await database_sync_to_async(_prompt)(generation.message_id)
        prompt_messages = prompt.messages
        provider = get_provider()
        stream = provider.stream_chat(
            messages=prompt.messages,
            model=prompt.model,
            grounding=prompt.grounding,
            temperature=prompt.temperature,
        )
        provider_name, model = stream.provider, stream.model
        saved_chars, saved_at = 0, started
        try:
            async with stream:
                async for delta in stream:
                    now = loop.time()
                    if first_token_ms is None:
                        first_token_ms = _ms(now - started)
                    text = stream.text
                    await generation._publish(
                        frames.assistant_delta(message_id=generation.message_id, delta=delta)
                    )
                    if now - saved_at >= SAVE_INTERVAL_SECONDS or len(text) - saved_chars >= SAVE_EVERY_CHARS:
                        still_open = await database_sync_to_async(services.message_progress_save)(
                            message_id=generation.message_id, content=text
                        )
                        if not still_open:  # closed as orphaned after a stall, or deleted
                            generation.cancel()
                        saved_chars, saved_at = len(text), loop.time()
        finally:
            text = stream.text
        usage = stream.usage
    except asyncio.CancelledError:
        status = Message.Status.STOPPED
    except LLMError as exc:
        status, error = Message.Status.FAILED, exc
    except Exception:  # a bug must still close the answer, never leave it streaming
        logger.exception("Answer %s failed", generation.message_id)
        status, error = Message.Status.FAILED, LLMError()
    await _finish(
        generation,
        text=text,
        status=status,
        error=error,
        provider=provider_name,
        model=model,
        usage=usage or _estimated_usage(prompt_messages, text),
        first_token_ms=first_token_ms,
        total_ms=_ms(loop.time() - started),
    )


def _prompt(message_id: int):
    from chat.prompts import prompt_for

    return prompt_for(message_id=message_id)


async def _finish(
    generation: Generation, *, text: str, status: str, error: LLMError | None, **numbers
) -> None:
    generation._finishing = True  # a stop arriving now must not interrupt the save
    try:
        finished = await database_sync_to_async(_finish_with_frame)(
            generation.message_id, text, status, error, numbers
        )
        generation.error = error
        if finished is not None:
            # A failure frame carries this error, or the one the orphan sweep saved if it
            # closed the answer first.
            generation.message, frame = finished
            await generation._publish(frame)
    except Exception:
        logger.exception("Saving answer %s failed", generation.message_id)
    finally:
        if generation._heartbeat is not None:
            generation._heartbeat.cancel()
        if _running.get(generation.conversation_id) is generation:
            del _running[generation.conversation_id]
        generation._done.set()
        generation._changed.set()
        await _end_listener(generation)


def _finish_with_frame(message_id, text, status, error, numbers):
    message = services.message_finish(
        message_id=message_id, content=text, status=status, error=error, **numbers
    )
    if message is None:
        return None
    return message, frames.answer_end(message, retry_after=getattr(error, "retry_after", None))


async def _beat(generation: Generation) -> None:
    """Stamp the answer as alive every ``CHAT_HEARTBEAT_SECONDS`` while this process writes
    it (slow first tokens included), so others can tell a live answer from an orphan. An
    answer closed meanwhile by someone else (the orphan sweep, after a stall) is given up."""
    interval = settings.CHAT_HEARTBEAT_SECONDS
    while True:
        await asyncio.sleep(interval)
        try:
            alive = await database_sync_to_async(services.message_heartbeat)(message_id=generation.message_id)
        except Exception:  # the database is away for a moment: beat again next time
            logger.warning("Heartbeat of answer %s failed", generation.message_id, exc_info=True)
            continue
        if not alive:
            logger.warning("Answer %s was closed by someone else; its writer gives up", generation.message_id)
            generation.cancel()
            return


def _estimated_usage(prompt_messages: list, text: str) -> Usage | None:
    if not text:
        return Usage()
    return Usage(prompt_tokens=count_message_tokens(prompt_messages), completion_tokens=count_tokens(text))


def _ms(seconds: float) -> int:
    return max(0, round(seconds * 1000))


async def _listen_for_stop(generation: Generation, layer, channel: str) -> None:
    """Cancel the generation when a stop request reaches the control group (from any process).

    It ends on a ``generation.finished`` message sent to its own channel, never by being
    cancelled: channels-redis shares one receive loop between all the channels of a
    process, and a receiver cancelled at the wrong moment drops a message meant for a
    consumer's socket.
    """
    group = control_group(generation.conversation_id)
    await layer.group_add(group, channel)
    try:
        while True:
            message = await layer.receive(channel)
            if message.get("type") == STOP:
                generation.cancel()
            elif message.get("type") == FINISHED:
                return
    finally:
        try:
            await layer.group_discard(group, channel)
        except Exception:  # the layer may be gone at shutdown
            logger.debug("Leaving %s failed", group, exc_info=True)


async def _end_listener(generation: Generation) -> None:
    if generation._listener is None or generation._listen_channel is None:
        return
    try:
        await get_channel_layer().send(generation._listen_channel, {"type": FINISHED})
    except Exception:
        logger.warning("Could not end the stop listener of answer %s", generation.message_id, exc_info=True)
        generation._listener.cancel()
