"""The base of every JSON WebSocket consumer: frames a client cannot be trusted to send
well are answered with an ``error`` frame (DESIGN.md), never by a crashed consumer.

``AsyncJsonWebsocketConsumer`` raises on a binary frame and on text that is not JSON,
and Python's decoder raises ``RecursionError`` on deeply nested text; each of those
ends the socket with 1011 and a server-side traceback. Here they, and frames that are
not JSON objects or carry strings no database can store (NUL), get
``{"type": "error", "code": "bad_frame", "detail": ...}`` and the socket stays open.
"""

from __future__ import annotations

import json

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from rest_framework.exceptions import ParseError, ValidationError

from config import frames
from config.api.parsers import check_parsed
from config.frames import BAD_FRAME


class JsonFrameConsumer(AsyncJsonWebsocketConsumer):
    """Subclasses implement ``receive_json(content)``; ``content`` is always a dict
    whose strings are storable."""

    async def send_error(self, code: str, detail: str, **extra) -> None:
        """An ``error`` frame to this socket (``extra``: e.g. the frame's ``client_id``)."""
        await self.send_json(frames.error(code, detail, **extra))

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if text_data is None:
            await self.send_json(frames.error(BAD_FRAME, "Frames are JSON text, not binary."))
            return
        try:
            content = json.loads(text_data)
            check_parsed(content)
        except (ValueError, RecursionError, ParseError):
            await self.send_json(frames.error(BAD_FRAME, "Frames are JSON objects with a type."))
            return
        except ValidationError:
            await self.send_json(frames.error(BAD_FRAME, "Frames cannot contain null characters."))
            return
        if not isinstance(content, dict):
            await self.send_json(frames.error(BAD_FRAME, "Frames are JSON objects with a type."))
            return
        await self.receive_json(content, **kwargs)
