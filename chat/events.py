"""Everything the chat pushes to sockets goes through here, to the conversation's group.

``broadcast_on_commit`` is for sync code inside a transaction (services): the frame
leaves only once the rows it describes are committed. ``broadcast`` is for async code
(the streaming engine), which writes outside transactions and awaits each save first.
"""

from __future__ import annotations

import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from chat.models import conversation_group

logger = logging.getLogger(__name__)

# The channel-layer message type consumers relay to their socket (handler ``chat_event``).
RELAY = "chat.event"


async def broadcast(conversation_id: int, frame: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        await layer.group_send(conversation_group(conversation_id), {"type": RELAY, "frame": frame})
    except Exception:  # a broken layer must not break the reply being saved
        logger.exception("Broadcast to conversation %s failed", conversation_id)


def answer_error_frame(*, code: str, detail: str, message_id: int, message: dict | None) -> dict[str, Any]:
    """The ``error`` frame for an answer that ended badly (``message``: its saved payload)."""
    return {"type": "error", "code": code, "detail": detail, "message_id": message_id, "message": message}


def broadcast_on_commit(conversation_id: int, frame: dict[str, Any]) -> None:
    """Send ``frame`` to the conversation's sockets after the current transaction commits."""
    transaction.on_commit(lambda: async_to_sync(broadcast)(conversation_id, frame))
