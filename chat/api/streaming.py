"""Server-Sent Events for the messages endpoints (``Accept: text/event-stream``)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from rest_framework.renderers import BaseRenderer

from chat.generation import Generation

EVENT_STREAM = "text/event-stream"


def sse_event(event: str, data: Any) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n".encode()


class EventStreamRenderer(BaseRenderer):
    """Lets DRF's content negotiation accept ``text/event-stream``. Answers stream from
    the view itself; what this renders is the rest: errors before the stream starts (one
    ``error`` event with the usual error body, under the error's status)."""

    media_type = EVENT_STREAM
    format = "event-stream"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if data is None:
            return b""
        response = (renderer_context or {}).get("response")
        failed = response is not None and response.status_code >= 400
        return sse_event("error" if failed else "message", data)


async def answer_events(generation: Generation, *, created: list[dict[str, Any]]) -> AsyncIterator[bytes]:
    """``message.created`` for the question and the answer, then the answer's frames as they
    come (``assistant.delta``…, then ``assistant.completed`` or ``error``). A client that
    goes away stops only this iteration; the answer is still completed and saved."""
    for frame in created:
        yield sse_event(frame["type"], frame)
    async for frame in generation.follow():
        yield sse_event(frame["type"], frame)
